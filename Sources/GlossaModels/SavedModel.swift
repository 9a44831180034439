import Foundation

/// Any model directory Glossa saves, loaded as the task its `config.json` names.
public enum SavedModel {
  /// A text classifier.
  case classifier(TextClassifier)
  /// A language model.
  case languageModel(LanguageModel)
  /// A sequence tagger.
  case tagger(SequenceTagger)
  /// A forecaster.
  case forecaster(Forecaster)
  /// A translation model.
  case translator(Seq2Seq)
  /// A speech recogniser.
  case speech(SpeechRecognizer)

  /// Loads the model in `directory`; an unknown task is an error naming the file and the field.
  public init(contentsOf directory: URL) throws {
    let header = try ModelDirectory.header(of: directory)
    switch header.task {
    case TextClassifier.task: self = .classifier(try TextClassifier(contentsOf: directory))
    case LanguageModel.task: self = .languageModel(try LanguageModel(contentsOf: directory))
    case SequenceTagger.task: self = .tagger(try SequenceTagger(contentsOf: directory))
    case Forecaster.task: self = .forecaster(try Forecaster(contentsOf: directory))
    case Seq2Seq.task: self = .translator(try Seq2Seq(contentsOf: directory))
    case SpeechRecognizer.task: self = .speech(try SpeechRecognizer(contentsOf: directory))
    default:
      let known = [
        TextClassifier.task, LanguageModel.task, SequenceTagger.task, Forecaster.task, Seq2Seq.task,
        SpeechRecognizer.task,
      ]
      throw ModelFileError(
        file: directory.appendingPathComponent("config.json").path, field: "task",
        message: "'\(header.task)' is not a task this Glossa knows (\(known.joined(separator: ", ")))")
    }
  }
}

import Foundation
import GlossaData
import GlossaText

/// The text of a data file as GlossaData's readers see it: strict UTF-8, an invalid byte an
/// error naming its offset.
private func text(_ input: Data) throws -> String { try decodeUTF8(input, file: inputName) }

let dataTargets = [
  // `label<TAB>text` lines (text classification).
  FuzzTarget(name: "labeled-text") { input in
    let examples = try LabeledText.parse(try text(input), file: inputName)
    require(!examples.isEmpty, "a labeled-text file read as no examples")
  },
  // CoNLL-style tagged sentences: `token<TAB>tag` lines, blank lines between sentences.
  FuzzTarget(name: "tagged-sentences") { input in
    let sentences = try TaggedSentence.parse(try text(input), file: inputName)
    require(
      sentences.allSatisfy { $0.tokens.count == $0.tags.count }, "a sentence with more tokens than tags")
  },
  // Parallel text: `source<TAB>target` lines.
  FuzzTarget(name: "parallel-text") { input in
    let pairs = try ParallelPair.parse(try text(input), file: inputName)
    require(!pairs.isEmpty, "a parallel-text file read as no pairs")
  },
  // Text files (a corpus, documents to vectorize): strict UTF-8 lines without their line ends.
  FuzzTarget(name: "text") { input in
    let lines = try readLines(of: scratchFile(inputName, input))
    require(lines.allSatisfy { !$0.contains("\n") }, "a line with a line end in it")
  },
  // CSV tables and the time series made of their columns (forecasting).
  FuzzTarget(name: "csv") { input in
    let table = try CSVTable(parsing: try text(input), file: inputName)
    require(table.rows.allSatisfy { $0.count == table.header.count }, "a row without a field per column")
    guard table.header.count >= 2 else { return }
    for missing in MissingValues.allCases {
      _ = try? TimeSeries(
        table, date: table.header[0], columns: Array(table.header.dropFirst()), missing: missing)
    }
  },
  // Speech manifests: `path<TAB>transcript` lines.
  FuzzTarget(name: "speech-manifest") { input in
    _ = try TranscribedClip.read(scratchFile(inputName, input))
  },
]

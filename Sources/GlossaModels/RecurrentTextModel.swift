import GlossaData
import GlossaNN
import GlossaTensor

/// A model whose recurrent network reads a text one token at a time: a language model, a
/// classifier or a tagger. What its first layer does with the gradient, step by step, is the
/// lecture's vanishing-gradient question asked of a trained model (`glossa diagnose gradients`).
public protocol RecurrentTextModel: AnyObject {
  /// The recurrent network.
  var rnn: RecurrentNetwork { get }
  /// What the network's first layer reads for `text`, `[steps, 1, features]`: one step per
  /// token, as the model tokenizes (without dropout); nil when the text has no tokens.
  func recurrentInputs(_ text: String) -> Tensor?
}

extension RecurrentTextModel {
  /// ‖∂loss/∂h_t‖ at every step t of the first layer (its forward direction) reading the
  /// first `steps` tokens of `text` (all of them when nil), where the loss is the sum of the
  /// layer's final hidden state (see GlossaNN's `GradientFlow`); empty when the text has no tokens.
  public func hiddenStateGradients(_ text: String, steps: Int? = nil) -> [Double] {
    guard var inputs = withoutGradients({ recurrentInputs(text) }) else { return [] }
    if let steps, steps < inputs.shape[0] { inputs = inputs.slice(axis: 0, range: 0..<max(steps, 1)) }
    return GradientFlow.hiddenStateGradients(cell: RecurrentCell(rnn, layer: 0), inputs: inputs)
  }
}

extension LanguageModel: RecurrentTextModel {
  /// Each line's tokens and the end token, through the embedding.
  public func recurrentInputs(_ text: String) -> Tensor? {
    let tokens = text.split(separator: "\n").flatMap { ids(line: String($0)) }
    guard !tokens.isEmpty else { return nil }
    return encoder(tokens, shape: [tokens.count, 1])
  }
}

extension TextClassifier: RecurrentTextModel {
  /// The text's tokens (not cut to the maximum length), through the embedding.
  public func recurrentInputs(_ text: String) -> Tensor? {
    let ids = tokenizer.encode(text).ids
    guard !ids.isEmpty else { return nil }
    return embedding(ids, shape: [ids.count, 1])
  }
}

extension SequenceTagger: RecurrentTextModel {
  /// The text's words (split at white space) as one sentence: word vectors and character features.
  public func recurrentInputs(_ text: String) -> Tensor? {
    let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
    guard !words.isEmpty else { return nil }
    return recurrentInputs([words], PaddedBatch([words.map(id)], paddingID: 0))
  }
}

import Foundation
import GlossaText

/// Texts every loaded tokenizer encodes: punctuation, accents, CJK, special-token look-alikes,
/// runs of spaces and line ends.
private let sampleTexts = [
  "Hello, world! It's 3.14.", "naïve café — 東京 🙂", "[CLS] [MASK] <s> </s> <unk>",
  "  two  spaces\tand\nlines ",
  "",
]

/// Every sample text, one at a time and as a batch on two threads: the same encodings (the
/// threads share the tokenizer's memo), and decoding never fails.
private func checkEncodings(_ tokenizer: Tokenizer, extra: String) {
  let texts = sampleTexts + [extra]
  let one = texts.map { tokenizer.encode($0) }
  require(
    tokenizer.encode(batch: texts, threads: 2) == one, "a batch encodes differently from one text at a time")
  for encoding in one { _ = tokenizer.decode(encoding.ids) }
}

let textTargets = [
  // tokenizer.json as HuggingFace writes it: what loads, written back and loaded again,
  // encodes the same.
  FuzzTarget(name: "tokenizer-json") { input in
    let tokenizer = try Tokenizer(json: input, file: inputName)
    let extra = String(decoding: input.prefix(200), as: UTF8.self)
    checkEncodings(tokenizer, extra: extra)
    guard let object = try? tokenizer.jsonObject() else { return }
    let again = try Tokenizer(json: try JSONSerialization.data(withJSONObject: object), file: "written")
    for text in sampleTexts + [extra] {
      require(again.encode(text) == tokenizer.encode(text), "a tokenizer written back encodes differently")
    }
  },
  // tiktoken's rank files, cut by cl100k's pattern, with a special token.
  FuzzTarget(name: "tiktoken") { input in
    let tokenizer = try Tokenizer.tiktoken(
      data: input, file: inputName, pattern: Tokenizer.cl100kSplitPattern,
      specialTokens: ["<|endoftext|>": 1 << 20])
    checkEncodings(tokenizer, extra: String(decoding: input.prefix(200), as: UTF8.self))
  },
  // GPT-2's vocab.json and merges.txt, given as one input: the two files joined by a NUL byte.
  FuzzTarget(name: "gpt2-bpe") { input in
    let split = input.firstIndex(of: 0) ?? input.endIndex
    let merges = split < input.endIndex ? input[(split + 1)...] : Data()
    let tokenizer = try Tokenizer.gpt2(
      vocabulary: Data(input[..<split]), merges: Data(merges), files: (inputName, inputName))
    checkEncodings(tokenizer, extra: String(decoding: merges.prefix(200), as: UTF8.self))
  },
  // Matrix Market coordinate files (`glossa vectorize --output`): what loads, written again,
  // loads to the same matrix.
  FuzzTarget(name: "matrix-market") { input in
    let text = try decodeUTF8(input, file: inputName)
    let matrix = try SparseMatrix(matrixMarket: text, file: inputName)
    let again = try SparseMatrix(matrixMarket: matrix.matrixMarket, file: "written")
    require(again.rows == matrix.rows && again.columns == matrix.columns, "the size changed in a round trip")
    for r in 0..<matrix.rows {
      let (a, b) = (matrix.row(r), again.row(r))
      require(a.map(\.column) == b.map(\.column), "row \(r)'s columns changed in a round trip")
      require(
        zip(a, b).allSatisfy { sameFloat($0.value, $1.value) },
        "row \(r)'s values changed in a round trip")
    }
  },
]

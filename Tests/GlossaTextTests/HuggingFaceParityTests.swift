import Foundation
import GlossaText
import TestSupport
import Testing

/// Parity with HuggingFace tokenizers: every `hf/<kind>.expected.jsonl` of the text
/// fixtures, encoded with `hf/<kind>.tokenizer.json` (ids, tokens, offsets, decoded text).
@Suite struct HuggingFaceParityTests {
  var folder: URL { Fixtures.folder.appendingPathComponent("text/hf") }

  func families() throws -> [String]? {
    guard try Fixtures.available(folder) else { return nil }
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".expected.jsonl")
    }.map {
      String($0.dropLast(".expected.jsonl".count))
    }.sorted()
  }

  func expectations(_ family: String) throws -> [HuggingFaceEncoding] {
    let text = try String(
      contentsOf: folder.appendingPathComponent("\(family).expected.jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").map {
      try JSONDecoder().decode(HuggingFaceEncoding.self, from: Data($0.utf8))
    }
  }

  /// Compares every probe; records the first few differences of a family.
  func check(_ tokenizer: Tokenizer, _ family: String, _ cases: [HuggingFaceEncoding]) {
    var mismatches = Mismatches()
    for probe in cases {
      let problem = probe.difference(tokenizer)
      mismatches.note(problem.map { "\(family): \(probe.text.debugDescription): \($0)" })
    }
    mismatches.expectNone(of: cases.count, "\(family) probes")
  }

  @Test func everyFamilyMatchesHuggingFace() throws {
    guard let families = try families() else { return }
    #expect(!families.isEmpty)
    for family in families {
      let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("\(family).tokenizer.json"))
      check(tokenizer, family, try expectations(family))
    }
  }

  @Test func gpt2FromVocabularyAndMergesFiles() throws {
    let data = Fixtures.dataFolder
    let vocabulary = data.appendingPathComponent("bpe-gpt2/vocab.json")
    guard try Fixtures.available(vocabulary), try families()?.contains("gpt2") == true else { return }
    let tokenizer = try Tokenizer.gpt2(
      vocabulary: vocabulary, merges: data.appendingPathComponent("bpe-gpt2/merges.txt"))
    check(tokenizer, "gpt2 (vocab.json + merges.txt)", try expectations("gpt2"))
  }
}

import Foundation
import GlossaAudio
import GlossaModels
import GlossaText
import TestSupport
import Testing

/// The `glossa` executable, run as a user runs it.
@Suite struct CommandLineTests {
  /// Runs glossa (built beside the test bundle) and returns its exit status and outputs.
  func glossa(_ arguments: [String], input: String? = nil, bytes: [UInt8]? = nil) throws -> (
    Int32, String, String
  ) {
    let process = Process()
    process.executableURL = try executable()
    process.arguments = arguments
    let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(bytes ?? Array((input ?? "").utf8)))
    try stdin.fileHandleForWriting.close()
    let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output, error)
  }

  /// The glossa executable built beside the test bundle.
  func executable() throws -> URL {
    let directory = Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [directory, Bundle.main.bundleURL].map { $0.appendingPathComponent("glossa") }
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  }

  @Test func versionAndHelp() throws {
    #expect(try glossa(["--version"]).1.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    let help = try glossa(["--help"]).1
    for command in ["demo", "tokenize", "tokenizer"] { #expect(help.contains(command)) }
  }

  /// An executable copied without its resource bundle (the demo's data) says what is missing
  /// instead of stopping with a fatal error.
  @Test func theDemoWithoutItsDataSaysWhatIsMissing() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-alone-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let alone = folder.appendingPathComponent("glossa")
    try FileManager.default.copyItem(at: try executable(), to: alone)
    let process = Process()
    process.executableURL = alone
    process.arguments = ["demo", "--quick", "--output", folder.appendingPathComponent("report").path]
    let stderr = Pipe()
    process.standardError = stderr
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus != 0)
    #expect(error.contains("the demo's data is missing") && error.contains("--data DIR"), "\(error)")
  }

  @Test func theQuickDemoPassesItsChecksAndWritesAWellFormedReport() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-demo-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, output, error) = try glossa(["demo", "--quick", "--output", folder.path])
    #expect(status == 0, "\(error)")
    let parts = [
      "1. Neural networks", "2. Text as numbers", "3. Word embeddings", "4. Recurrent networks",
      "5. Applications",
    ]
    for part in parts { #expect(output.contains("\n\(part)\n")) }
    #expect(!output.contains("FAILED") && output.contains("16 of 16 checks passed"))
    // The trained models are saved for glossa-server, each loading as its kind.
    let models = folder.appendingPathComponent("models")
    #expect(
      Set(try FileManager.default.contentsOfDirectory(atPath: models.path))
        == ["austen.vec", "sentiment", "austen-lm", "pos", "aapl", "en-es", "digits"])
    for name in ["sentiment", "austen-lm", "pos", "aapl", "en-es", "digits"] {
      #expect(throws: Never.self, "\(name)") {
        try SavedModel(contentsOf: models.appendingPathComponent(name))
      }
    }
    let page = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
    let outline = try SVGOutline(page)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".svg")
    }
    #expect(outline.pictures.count == files.count && files.count == 10)
    // Every picture draws something: marks (lines, dots, cells; the first rect is the
    // background), not only axes and labels.
    for picture in outline.pictures {
      let marks = ["polyline", "circle", "rect", "path"].map { picture[$0, default: 0] }.reduce(0, +) - 1
      #expect(marks > 0)
      #expect(picture["text", default: 0] > 0)
    }
    for file in files {
      let svg = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      #expect(try SVGOutline(svg).pictures.count == 1, "\(file)")
      #expect(
        page.contains(svg.split(separator: "\n").dropFirst().prefix(3).joined(separator: "\n")), "\(file)")
    }
    // The page as a browser draws it: every picture with a size, every mark drawn.
    if let browser = try HeadlessBrowser.required() {
      let drawn = try HeadlessBrowser.pictures(
        of: folder.appendingPathComponent("index.html"), browser: browser)
      #expect(drawn.count == files.count)
      for picture in drawn {
        #expect(picture.width > 300 && picture.height > 300 && picture.marks > 0, "\(picture)")
        #expect(picture.visibleMarks == picture.marks, "\(picture)")
      }
    }
  }

  @Test func freshCellsGradientsArePrintedAndPlotted() throws {
    let plot = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID()).svg")
    defer { try? FileManager.default.removeItem(at: plot) }
    let (status, output, _) = try glossa([
      "diagnose", "gradients", "--cell", "rnn", "--cell", "lstm", "--steps", "30", "--output", plot.path,
    ])
    let rows = output.split(separator: "\n")
    #expect(status == 0 && rows.count == 33 && rows[1].split(separator: " ") == ["step", "rnn", "lstm"])
    // The last step gets the loss's own gradient, all ones over 4 × 32 units.
    #expect(rows[31].split(separator: " ").dropFirst().allSatisfy { $0 == "1.131e+01" })
    #expect(rows[32].hasPrefix("step 1 relative to step T: rnn "))
    #expect(try SVGOutline(String(contentsOf: plot, encoding: .utf8)).pictures.first?["polyline"] == 2)
    let wrong = try glossa(["diagnose", "gradients", "--model", "m"])
    #expect(wrong.0 != 0 && wrong.2.contains("--model and --data go together"))
  }

  /// A tokenizer.json's post-processor adds its special tokens, as HuggingFace's encode does;
  /// --no-special-tokens leaves them out.
  @Test func tokenizeAddsThePostProcessorsSpecialTokensUnlessTold() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-bert-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: file) }
    let json: [String: Any] = [
      "model": [
        "type": "WordLevel", "vocab": ["[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "hello": 3], "unk_token": "[UNK]",
      ],
      "pre_tokenizer": ["type": "WhitespaceSplit"],
      "post_processor": ["type": "BertProcessing", "cls": ["[CLS]", 1], "sep": ["[SEP]", 2]],
    ]
    try JSONSerialization.data(withJSONObject: json).write(to: file)
    #expect(try glossa(["tokenize", "--tokenizer", file.path, "--ids", "hello there"]).1 == "1 3 0 2\n")
    #expect(try glossa(["tokenize", "--tokenizer", file.path, "hello"]).1 == "[CLS] hello [SEP]\n")
    let plain = try glossa([
      "tokenize", "--tokenizer", file.path, "--ids", "--no-special-tokens", "hello there",
    ])
    #expect(plain.1 == "3 0\n")
    // Many lines, written out on every core a range each: each its own, in order.
    let lines = (0..<300).map { i in Array(repeating: "hello", count: i % 7).joined(separator: " ") + " x\(i)"
    }
    let expected = lines.map { line in
      (["1"] + line.split(separator: " ").map { $0 == "hello" ? "3" : "0" } + ["2"]).joined(separator: " ")
    }
    let many = try glossa(
      ["tokenize", "--tokenizer", file.path, "--ids"], input: lines.joined(separator: "\n") + "\n")
    #expect(many.1 == expected.joined(separator: "\n") + "\n")
    let refused = try glossa(["tokenize", "--no-special-tokens", "hello"])
    #expect(refused.0 != 0 && refused.2.contains("--no-special-tokens needs --tokenizer FILE"))
  }

  /// tokenizer convert writes a tokenizer.json (or GPT-2's two files) back whole; info shows its
  /// pipeline.
  @Test func tokenizerConvertWritesThePipelineBackAndInfoShowsIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-convert-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let json: [String: Any] = [
      "model": [
        "type": "WordLevel", "vocab": ["[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "a": 3], "unk_token": "[UNK]",
      ],
      "normalizer": ["type": "Lowercase"], "pre_tokenizer": ["type": "WhitespaceSplit"],
      "post_processor": ["type": "BertProcessing", "cls": ["[CLS]", 1], "sep": ["[SEP]", 2]],
      "added_tokens": [
        [
          "id": 4, "content": "<x>", "special": true, "normalized": false, "single_word": false,
          "lstrip": false,
          "rstrip": false,
        ]
      ],
      "truncation": ["max_length": 4, "strategy": "LongestFirst", "stride": 0, "direction": "Right"],
    ]
    let (original, written) = (
      folder.appendingPathComponent("in.json"), folder.appendingPathComponent("out.json")
    )
    try JSONSerialization.data(withJSONObject: json).write(to: original)
    #expect(try glossa(["tokenizer", "convert", original.path, "--output", written.path]).0 == 0)
    let (before, after) = (try Tokenizer(contentsOf: original), try Tokenizer(contentsOf: written))
    for text in ["A a<x>A", "a a a a a", ""] { #expect(before.encode(text) == after.encode(text), "\(text)") }
    #expect(after.encode("A<x>").ids == [1, 3, 4, 2])
    let info = try glossa(["tokenizer", "inspect", written.path]).1
    for line in [
      "normalizer: Lowercase", "pre-tokenizer: WhitespaceSplit", "post-processor: BertProcessing",
      "truncation: 4 tokens, LongestFirst, stride 0, from the right", "special tokens: <x> (4)",
      "added tokens: 1",
    ] {
      #expect(info.contains(line + "\n"), "\(line) in \(info)")
    }
    // GPT-2's vocab.json and merges.txt become a byte-level tokenizer.json.
    let (vocab, merges) = (
      folder.appendingPathComponent("vocab.json"), folder.appendingPathComponent("merges.txt")
    )
    try #"{"a": 0, "b": 1, "ab": 2, "Ġ": 3}"#.write(to: vocab, atomically: true, encoding: .utf8)
    try "#version: 0.2\na b\n".write(to: merges, atomically: true, encoding: .utf8)
    let gpt2 = folder.appendingPathComponent("gpt2.json")
    #expect(
      try glossa([
        "tokenizer", "convert", "--vocab", vocab.path, "--merges", merges.path, "--output", gpt2.path,
      ]).0 == 0)
    #expect(try Tokenizer(contentsOf: gpt2).encode("ab ab").ids == [2, 3, 2])
    let refused = try glossa(["tokenizer", "convert", "--vocab", vocab.path, "--output", gpt2.path])
    #expect(refused.0 != 0 && refused.2.contains("--vocab and --merges go together"))
  }

  /// A .tiktoken rank file with its pattern and special tokens, as the library reads it.
  @Test func tokenizeReadsATiktokenFile() throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../GlossaTextTests/Fixtures").standardized
    let file = fixtures.appendingPathComponent("small.tiktoken")
    let text = "It's 12345 o'clock<|endoftext|>and"
    for pattern in ["gpt2", "cl100k"] {
      let expected = try Tokenizer.tiktoken(
        contentsOf: file,
        pattern: pattern == "gpt2" ? Tokenizer.gpt2SplitPattern : Tokenizer.cl100kSplitPattern,
        specialTokens: ["<|endoftext|>": 417]
      ).encode(text).ids
      let output = try glossa([
        "tokenize", "--tokenizer", file.path, "--pattern", pattern, "--special-token", "<|endoftext|>=417",
        "--ids",
        text,
      ])
      #expect(output.0 == 0 && output.1 == expected.map(String.init).joined(separator: " ") + "\n")
      #expect(expected.contains(417))
    }
    let refused = try glossa(["tokenize", "--tokenizer", file.path, "--special-token", "<s>", "a"])
    #expect(refused.0 != 0 && refused.2.contains("--special-token <s>: expected TOKEN=ID"))
  }

  /// `tokenizer convert` from a .tiktoken rank file to a tokenizer.json and back.
  @Test func convertTakesATiktokenFileToATokenizerJSONAndBack() throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../GlossaTextTests/Fixtures").standardized
    let file = fixtures.appendingPathComponent("small.tiktoken")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-convert-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let json = folder.appendingPathComponent("small.json")
    let back = folder.appendingPathComponent("back.tiktoken")
    let converted = try glossa([
      "tokenizer", "convert", file.path, "--pattern", "cl100k", "--special-token", "<|endoftext|>=417",
      "--output", json.path,
    ])
    #expect(converted.0 == 0, "\(converted.2)")
    let text = "It's 12345 o'clock<|endoftext|>and"
    let expected = try Tokenizer.tiktoken(
      contentsOf: file, pattern: Tokenizer.cl100kSplitPattern, specialTokens: ["<|endoftext|>": 417]
    ).encode(text).ids
    #expect(try Tokenizer(contentsOf: json).encode(text).ids == expected)
    #expect(try glossa(["tokenizer", "convert", json.path, "--output", back.path]).0 == 0)
    func ranks(_ url: URL) throws -> [[UInt8]: Int]? {
      (try Tokenizer.tiktoken(contentsOf: url, pattern: Tokenizer.cl100kSplitPattern).model as? TiktokenModel)?
        .ranks
    }
    #expect(try ranks(back) == ranks(file))
    let unranked = folder.appendingPathComponent("words.json")
    try JSONSerialization.data(withJSONObject: [
      "model": ["type": "WordLevel", "vocab": ["a": 0, "[UNK]": 1], "unk_token": "[UNK]"]
    ]).write(to: unranked)
    let refused = try glossa(["tokenizer", "convert", unranked.path, "--output", back.path])
    #expect(refused.0 == 1 && refused.2.contains("a WordLevelModel has no .tiktoken form"), "\(refused.2)")
  }

  /// Pairs, --max-length, --pad and --json: each line's whole encoding, as the library makes it.
  @Test func tokenizePairsCutsPadsAndPrintsJSON() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-pair-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: file) }
    let json: [String: Any] = [
      "model": [
        "type": "WordLevel", "vocab": ["[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "a": 4, "b": 5],
        "unk_token": "[UNK]",
      ],
      "pre_tokenizer": ["type": "WhitespaceSplit"],
      "post_processor": ["type": "BertProcessing", "cls": ["[CLS]", 2], "sep": ["[SEP]", 3]],
      "truncation": ["max_length": 64, "strategy": "OnlySecond", "stride": 0, "direction": "Right"],
    ]
    try JSONSerialization.data(withJSONObject: json).write(to: file)
    let tokenizer = try Tokenizer(contentsOf: file)
    #expect(
      try glossa(["tokenize", "--tokenizer", file.path, "--ids", "--pair", "b a", "a"]).1 == "2 4 3 5 4 3\n")
    // Lines, each cut to 6 (the second text only, as the file says) and padded to 7.
    let (status, output, _) = try glossa(
      ["tokenize", "--tokenizer", file.path, "--pair", "b b b b", "--max-length", "6", "--json"],
      input: "a\na a\n")
    #expect(status == 0)
    let lines = output.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
    var tokenizerCut = tokenizer
    tokenizerCut.truncation?.maximumLength = 6
    for (line, text) in zip(lines, ["a", "a a"]) {
      let object = line as? [String: Any]
      let expected = try tokenizerCut.encode(text, pair: "b b b b")
      #expect(object?["ids"] as? [Int] == expected.ids && object?["type_ids"] as? [Int] == expected.typeIDs)
      #expect((object?["overflowing"] as? [[String: Any]])?.count == expected.overflowing.count)
    }
    #expect((lines[1] as? [String: Any])?["ids"] as? [Int] == [2, 4, 4, 3, 5, 3])
    let padded = try glossa(
      ["tokenize", "--tokenizer", file.path, "--ids", "--max-length", "5", "--pad", "--pair", "b", "a"])
    #expect(padded.1 == "2 4 3 5 3\n")
    let longer = try glossa([
      "tokenize", "--tokenizer", file.path, "--ids", "--max-length", "7", "--pad", "a",
    ])
    #expect(longer.1 == "2 4 3 0 0 0 0\n")
    // A line the truncation cannot cut (only the second text, but there is none) is named.
    let uncut = try glossa(["tokenize", "--tokenizer", file.path, "--max-length", "3"], input: "a\na a\n")
    #expect(uncut.0 == 1 && uncut.2.contains("line 2: truncation only_second needs a second text"))
    for (arguments, message) in [
      (["--pad", "a"], "--pad needs --max-length N"),
      (["--json", "--ids", "a"], "--json prints ids and offsets"),
      (["--max-length", "0", "a"], "--max-length must be at least 1"),
    ] {
      let refused = try glossa(["tokenize", "--tokenizer", file.path] + arguments)
      #expect(refused.0 != 0 && refused.2.contains(message), "\(arguments)")
    }
    #expect(try glossa(["tokenize", "--pair", "b", "a"]).2.contains("--pair needs --tokenizer FILE"))
  }

  @Test func tokenizeArgumentsAndLines() throws {
    let sentence = "Hello, world! This is an example of word tokenization."
    #expect(try glossa(["tokenize", sentence]).1 == "Hello world This is an example of word tokenization\n")
    #expect(
      try glossa(["tokenize", "--method", "treebank", sentence]).1
        == "Hello , world ! This is an example of word tokenization .\n")
    #expect(try glossa(["tokenize", "--method", "whitespace"], input: "a b\n\nc\n").1 == "a b\n\nc\n")
    #expect(
      try glossa(["tokenize", "--method", "char", "--offsets", "Pokémon"]).1.hasPrefix(
        "P[0,1) o[1,2) k[2,3) é[3,4)"))
  }

  @Test func wordsOfManyLinesComeOutInOrderOneLinePerLine() throws {
    // Enough lines for the input to be cut between threads; empty lines, other scripts, a
    // CRLF line end and a last line without its line end.
    let lines = (0..<20_000).map { i in i % 7 == 0 ? "" : "Line \(i): naïve café, x_y \(i * 3)!" }
    let input = lines.joined(separator: "\n") + "\r\nΚαλή μέρα, κόσμε"
    let expected =
      lines.map {
        $0.isEmpty
          ? ""
          : $0.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: "!", with: "")
      }
      .joined(separator: "\n") + "\nΚαλή μέρα κόσμε\n"
    let (status, output, _) = try glossa(["tokenize"], input: input)
    #expect(status == 0 && output == expected)
  }

  @Test func aClosedPipeEndsTheOutputQuietly() throws {
    let process = Process()
    process.executableURL = try executable()
    process.arguments = ["tokenize"]
    let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
    (process.standardInput, process.standardOutput, process.standardError) = (stdin, stdout, stderr)
    try process.run()
    try stdout.fileHandleForReading.close()  // as `| head -1` does, before glossa writes
    stdin.fileHandleForWriting.write(Data(String(repeating: "many words on a line\n", count: 200_000).utf8))
    try stdin.fileHandleForWriting.close()
    let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0 && process.terminationReason == .exit && error.isEmpty)
  }

  @Test func invalidUTF8IsAnErrorWithItsOffset() throws {
    let (status, _, error) = try glossa(["tokenize"], bytes: [0x61, 0x62, 0xFF, 0x0A])
    #expect(status != 0)
    #expect(error.contains("<stdin>: invalid UTF-8 at byte offset 2"))
    #expect(try glossa(["tokenize", "--replace-invalid"], bytes: [0x61, 0xFF, 0x62, 0x0A]).1 == "a b\n")
  }

  @Test func trainingWalksThroughTheLecturesMerges() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-cli-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let corpus = folder.appendingPathComponent("corpus.txt")
    try "low low low low low lower lower newest newest newest newest newest newest widest widest widest\n"
      .write(to: corpus, atomically: true, encoding: .utf8)
    let output = folder.appendingPathComponent("tokenizer.json").path
    let (status, text, errors) = try glossa([
      "tokenizer", "train", "--merges", "5", "--end-of-word", "_", "--verbose", "--output", output,
      corpus.path,
    ])
    #expect(status == 0)
    // The lecture's separate symbol has no HuggingFace form: a warning says so.
    #expect(errors.contains("warning: the lecture's separate end-of-word symbol (_) has no form"))
    // By default the marker is HuggingFace's suffix, and no warning is given.
    let suffixed = try glossa([
      "tokenizer", "train", "--merges", "5", "--verbose", "--output", output, corpus.path,
    ])
    #expect(
      suffixed.0 == 0 && !suffixed.2.contains("warning") && suffixed.1.hasPrefix("merge 1: e + s -> es (9)\n")
    )
    #expect(try glossa(["tokenize", "--tokenizer", output, "newest"]).1 == "new est</w>\n")
    let lecture = try glossa([
      "tokenizer", "train", "--merges", "5", "--end-of-word", "_", "--output", output, corpus.path,
    ])
    #expect(lecture.0 == 0)
    // The training time, as HF's script reports it, on standard error.
    #expect(
      errors.components(separatedBy: .newlines).contains { $0.hasPrefix("trained in ") && $0.hasSuffix(" s") }
    )
    #expect(
      text.split(separator: "\n").map(String.init) == [
        "merge 1: e + s -> es (9)", "merge 2: es + t -> est (9)", "merge 3: est + _ -> est_ (9)",
        "merge 4: l + o -> lo (7)", "merge 5: lo + w -> low (7)",
      ])
    let info = try glossa(["tokenizer", "info", output]).1
    #expect(info.contains("vocabulary size: 17") && info.contains("1: e + s -> es"))
    #expect(
      try glossa(["tokenize", "--tokenizer", output, "newest binded lowers"]).1
        == "n e w est_ [UNK] i n d e d _ low e r s _\n")
    // Lines of standard input are encoded as one batch: each line as it is alone, ids and
    // offsets in order.
    let one = try glossa(["tokenize", "--tokenizer", output, "--ids", "newest"]).1
    let two = try glossa(["tokenize", "--tokenizer", output, "--ids", "lowers"]).1
    #expect(
      try glossa(["tokenize", "--tokenizer", output, "--ids"], input: "newest\nlowers\n").1 == one + two)
    #expect(one.split(separator: " ").count == 4 && one.allSatisfy { $0.isNumber || $0 == " " || $0 == "\n" })
    #expect(try glossa(["tokenize", "--tokenizer", output, "--offsets", "low"]).1 == "low[0,3) _[3,3)\n")
    let empty = folder.appendingPathComponent("empty.txt")
    try "".write(to: empty, atomically: true, encoding: .utf8)
    let (failed, _, error) = try glossa([
      "tokenizer", "train", "--merges", "5", "--output", output, empty.path,
    ])
    #expect(failed != 0 && error.contains("the corpus has no words"))
  }

  @Test func vectorizeTheLecturesReviews() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-cli-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let reviews = folder.appendingPathComponent("reviews.txt")
    try "The movie was not good.\nThe movie was good, not bad.\n".write(
      to: reviews, atomically: true, encoding: .utf8)
    let bow = try glossa(["vectorize", "--method", "bow", "--lowercase", "--order", "first", reviews.path]).1
    #expect(bow == "the\tmovie\twas\tnot\tgood\tbad\n1\t1\t1\t1\t1\t0\n1\t1\t1\t1\t1\t1\n")
    let matrix = folder.appendingPathComponent("m.mtx")
    let (status, _, error) = try glossa([
      "vectorize", "--method", "tfidf", "--idf", "lecture", "--output", matrix.path, reviews.path,
    ])
    #expect(status == 0 && error.contains("zero or negative"))
    #expect(
      try String(contentsOf: matrix, encoding: .utf8).hasPrefix(
        "%%MatrixMarket matrix coordinate real general\n2 6 "))
    #expect(
      try String(contentsOf: folder.appendingPathComponent("m.vocab"), encoding: .utf8).split(separator: "\n")
        .count == 6)
    let search = try glossa(["vectorize", "search", "--query", "bad", "--top", "1", reviews.path]).1
    #expect(search.hasSuffix("\t2\tThe movie was good, not bad.\n"))
    let empty = folder.appendingPathComponent("empty.txt")
    try "".write(to: empty, atomically: true, encoding: .utf8)
    #expect(try glossa(["vectorize", empty.path]).2.contains("there are no documents"))
  }

  @Test func embedTrainsQueriesEvaluatesAndDraws() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-embed-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let corpus = folder.appendingPathComponent("corpus.txt")
    try String(
      repeating: "The king and the queen rule. The man and the woman walk. A prince and a princess ride.\n",
      count: 50
    ).write(to: corpus, atomically: true, encoding: .utf8)
    for model in ["skipgram", "cbow", "fasttext", "glove"] {
      let vectors = folder.appendingPathComponent("\(model).vec")
      let (status, _, error) = try glossa([
        "embed", "train", "--model", model, "--dim", "8", "--min-count", "1", "--epochs", "2", "--lowercase",
        "--format", "text", "--output", vectors.path, corpus.path,
      ])
      #expect(status == 0 && error.contains("wrote 12 vectors of 8"), "\(model): \(error)")
      let similar = try glossa(["embed", "similar", "--vectors", vectors.path, "--top", "3", "king"]).1
      #expect(similar.split(separator: "\n").count == 3, "\(model)")
    }
    let model = folder.appendingPathComponent("fasttext.safetensors")
    #expect(
      try glossa([
        "embed", "train", "--model", "fasttext", "--dim", "8", "--min-count", "1", "--lowercase",
        "--output", folder.appendingPathComponent("ft.bin").path, "--save-model", model.path, corpus.path,
      ]).0 == 0)
    // "kingdom" never occurs: the model builds it from n-grams it shares with "king".
    let unseen = try glossa(["embed", "similar", "--vectors", model.path, "--top", "2", "kingdom"]).1
    #expect(unseen.split(separator: "\n").count == 2)
    let vectors = folder.appendingPathComponent("skipgram.vec").path
    let analogy = try glossa([
      "embed", "analogy", "--vectors", vectors, "--positive", "king,woman", "--negative", "man", "--method",
      "cosmul",
    ]).1
    #expect(analogy.split(separator: "\n").count == 5)
    let questions = folder.appendingPathComponent("questions.txt")
    try ": royals\nman king woman queen\nman woman king unicorn\n".write(
      to: questions, atomically: true, encoding: .utf8)
    let report = try glossa([
      "embed", "evaluate", "--vectors", vectors, "--analogies", questions.path, "--json",
    ]).1
    let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
    let analogies = json?["analogies"] as? [String: Any]
    #expect(analogies?["out_of_vocabulary"] as? Int == 1)
    #expect((analogies?["correct"] as? Int ?? 0) + (analogies?["incorrect"] as? Int ?? 0) == 1)
    let svg = folder.appendingPathComponent("words.svg")
    #expect(
      try glossa(["embed", "project", "--vectors", vectors, "--method", "tsne", "--output", svg.path]).0 == 0)
    #expect(try String(contentsOf: svg, encoding: .utf8).contains(">princess</text>"))
    let unknown = try glossa(["embed", "similar", "--vectors", vectors, "dragon"])
    #expect(unknown.0 != 0 && unknown.2.contains("'dragon' is not in the vocabulary"))
    let rare = try glossa([
      "embed", "train", "--min-count", "1000", "--output", svg.path + ".bin", corpus.path,
    ])
    #expect(rare.0 != 0 && rare.2.contains("lower --min-count"))
    // The learning rate falls by sentences unless told to fall by words: on a corpus whose
    // long line comes first the two schedules differ (the rate moves every 10,000 words).
    let uneven = folder.appendingPathComponent("uneven.txt")
    try
      ([String(repeating: "the king rules the land ", count: 1_200)]
      + Array(repeating: "a man walks", count: 2_000)).joined(separator: "\n")
      .write(to: uneven, atomically: true, encoding: .utf8)
    func trained(_ options: [String]) throws -> String {
      let file = folder.appendingPathComponent("decay-\(options.joined()).vec")
      let (status, _, error) = try glossa(
        ["embed", "train", "--model", "cbow", "--dim", "8", "--min-count", "1", "--epochs", "1"] + options
          + ["--format", "text", "--output", file.path, uneven.path])
      #expect(status == 0, "\(error)")
      return try String(contentsOf: file, encoding: .utf8)
    }
    let byDefault = try trained([])
    #expect(try trained(["--decay", "sentences"]) == byDefault)
    #expect(try trained(["--decay", "words"]) != byDefault)
    let glove = try glossa([
      "embed", "train", "--model", "glove", "--decay", "words", "--output", "x", corpus.path,
    ])
    #expect(glove.0 != 0 && glove.2.contains("--decay is for skipgram, cbow and fasttext"))
    // A Word2Vec model saved whole trains further on more text and keeps its words.
    let saved = folder.appendingPathComponent("w2v.safetensors")
    let first = folder.appendingPathComponent("first.vec")
    let further = folder.appendingPathComponent("further.vec")
    let (savedStatus, _, savedError) = try glossa([
      "embed", "train", "--model", "cbow", "--dim", "8", "--min-count", "1", "--lowercase", "--format",
      "text",
      "--output", first.path, "--save-model", saved.path, corpus.path,
    ])
    #expect(savedStatus == 0, "\(savedError)")
    let (furtherStatus, _, furtherError) = try glossa([
      "embed", "train", "--from-model", saved.path, "--epochs", "1", "--format", "text", "--output",
      further.path,
      uneven.path,
    ])
    #expect(furtherStatus == 0 && furtherError.contains("wrote 12 vectors of 8"), "\(furtherError)")
    let (before, after) = (
      try String(contentsOf: first, encoding: .utf8), try String(contentsOf: further, encoding: .utf8)
    )
    #expect(before != after && before.split(separator: "\n").count == after.split(separator: "\n").count)
    #expect(
      try glossa(["embed", "similar", "--vectors", saved.path, "--top", "2", "king"]).1.split(separator: "\n")
        .count == 2)
    let broken = folder.appendingPathComponent("broken.vec")
    try "2 3\nking 0.1 0.2 oops\nqueen 1 2 3\n".write(to: broken, atomically: true, encoding: .utf8)
    #expect(try glossa(["embed", "similar", "--vectors", broken.path, "king"]).2.contains("line 2: 'oops'"))
  }
}

/// Training, evaluating and using models from the command line.
@Suite struct ModelCommandTests {
  let cli = CommandLineTests()
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("GlossaModelsTests/Fixtures")

  func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-cli-models-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func aClassifierIsTrainedEvaluatedAndUsed() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("sentiment").path
    let data = Self.fixtures.appendingPathComponent("sentiment.tsv").path
    let (status, _, error) = try cli.glossa([
      "train", "classify", "--train", data, "--epochs", "2", "--hidden", "8", "--embedding-dim", "8",
      "--bidirectional", "--pooling", "mean", "--output", model,
    ])
    #expect(status == 0 && error.contains("best epoch") && error.contains("examples/s"), "\(error)")
    let metrics = try String(contentsOfFile: model + "/metrics.jsonl", encoding: .utf8)
    #expect(metrics.split(separator: "\n").count == 2)
    let predicted = try cli.glossa(["predict", "--model", model, "--top", "2", "a fine film", "a dull film"])
    let lines = predicted.1.split(separator: "\n")
    #expect(predicted.0 == 0 && lines.count == 2 && lines[0].split(separator: "\t").count == 4)
    let fromInput = try cli.glossa(
      ["predict", "--model", model, "--top", "2"], input: "a fine film\na dull film\n")
    #expect(fromInput.1 == predicted.1)
    let report = try cli.glossa(["evaluate", "--model", model, "--data", data, "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(report.1.utf8)) as? [String: Any]
    #expect((json?["metrics"] as? [String: Any])?["accuracy"] is Double)
    // A label the model never saw, a line without a tab, a broken model directory.
    let unseen = folder.appendingPathComponent("unseen.tsv")
    try "pos\tgood\nmeh\tso so\n".write(to: unseen, atomically: true, encoding: .utf8)
    let refused = try cli.glossa(["evaluate", "--model", model, "--data", unseen.path])
    #expect(refused.0 == 1 && refused.2.contains("the label 'meh' is not one the model was trained on"))
    let noTab = folder.appendingPathComponent("notab.tsv")
    try "pos\tgood\nno tab\n".write(to: noTab, atomically: true, encoding: .utf8)
    let bad = try cli.glossa([
      "train", "classify", "--train", noTab.path, "--output", folder.appendingPathComponent("x").path,
    ])
    #expect(bad.0 == 1 && bad.2.contains("notab.tsv:2: expected label<TAB>text"))
    let empty = folder.appendingPathComponent("empty.tsv")
    try "".write(to: empty, atomically: true, encoding: .utf8)
    let nothing = try cli.glossa([
      "train", "classify", "--train", empty.path, "--output", folder.appendingPathComponent("y").path,
    ])
    #expect(nothing.0 == 1 && nothing.2.contains("empty.tsv: no examples"))
    // The validation options every one-file training command shares are checked for each.
    for command in ["classify", "tag", "translate", "speech"] {
      let share = try cli.glossa([
        "train", command, "--train", data, "--valid-fraction", "1.5", "--output",
        folder.appendingPathComponent("z").path,
      ])
      #expect(share.0 != 0 && share.2.contains("--valid-fraction must be in (0, 1)"), "\(command): \(share)")
    }
    // Resuming with another architecture is refused, and the saved run stays as it was.
    let saved = try Data(contentsOf: URL(fileURLWithPath: model + "/checkpoint/model.safetensors"))
    let other = try cli.glossa([
      "train", "classify", "--train", data, "--epochs", "3", "--hidden", "12", "--embedding-dim", "8",
      "--bidirectional", "--pooling", "mean", "--output", model, "--resume",
    ])
    #expect(other.0 == 1 && other.2.contains("the checkpoint was made with"), "\(other.2)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: model + "/checkpoint/model.safetensors")) == saved)
    let before = try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors"))
    try Data(before.prefix(100)).write(to: URL(fileURLWithPath: model + "/model.safetensors"))
    let truncated = try cli.glossa(["predict", "--model", model, "fine"])
    #expect(truncated.0 == 1 && truncated.2.contains("model.safetensors"))
    try FileManager.default.removeItem(atPath: model + "/tokenizer.json")
    let missing = try cli.glossa(["predict", "--model", model, "fine"])
    #expect(missing.0 == 1 && missing.2.contains("tokenizer.json: missing from the model directory"))
  }

  @Test func aLanguageModelIsTrainedAndGenerates() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lines = try String(contentsOf: Self.fixtures.appendingPathComponent("austen.txt"), encoding: .utf8)
      .split(separator: "\n")
    let (train, valid) = (
      folder.appendingPathComponent("train.txt"), folder.appendingPathComponent("valid.txt")
    )
    try lines.prefix(250).joined(separator: "\n").write(to: train, atomically: true, encoding: .utf8)
    try lines.dropFirst(250).joined(separator: "\n").write(to: valid, atomically: true, encoding: .utf8)
    let model = folder.appendingPathComponent("lm").path
    let (status, _, error) = try cli.glossa([
      "train", "lm", "--train", train.path, "--valid", valid.path, "--epochs", "1", "--hidden", "16",
      "--embedding-dim", "16", "--vocab-size", "500", "--bptt", "10", "--output", model,
    ])
    #expect(status == 0 && error.contains("validation perplexity") && error.contains("tokens/s"), "\(error)")
    let arguments = [
      "generate", "--model", model, "--prompt", "she was", "--tokens", "8", "--top-k", "5", "--seed", "4",
    ]
    let (first, second) = (try cli.glossa(arguments), try cli.glossa(arguments))
    #expect(first.0 == 0 && first.1 == second.1 && first.1.hasPrefix("she was "))
    #expect(first.2.contains("8 tokens"))
    let suppressed = try cli.glossa(arguments + ["--tokens", "60", "--suppress", "<unk>"])
    #expect(suppressed.0 == 0 && !suppressed.1.contains("<unk>"))
    let noSuchToken = try cli.glossa(arguments + ["--suppress", "zzzq"])
    #expect(noSuchToken.0 != 0 && noSuchToken.2.contains("--suppress zzzq: the model has no such token"))
    // The trained model's first layer, reading the validation text.
    let plot = folder.appendingPathComponent("gradients.svg")
    let diagnosis = try cli.glossa([
      "diagnose", "gradients", "--model", model, "--data", valid.path, "--steps", "20", "--output", plot.path,
    ])
    let rows = diagnosis.1.split(separator: "\n")
    #expect(diagnosis.0 == 0 && rows.count == 23 && rows[1].hasPrefix("step") && rows[2].hasPrefix("1 "))
    #expect(try SVGOutline(String(contentsOf: plot, encoding: .utf8)).pictures.first?["polyline"] == 1)
    let next = try cli.glossa(["next", "--model", model, "--top", "3", "she was"])
    #expect(next.0 == 0 && next.1.split(separator: "\n").count == 3)
    let perplexity = try cli.glossa(["evaluate", "--model", model, "--data", valid.path])
    #expect(perplexity.0 == 0 && perplexity.1.hasPrefix("perplexity "))
    let wrongKind = try cli.glossa(["predict", "--model", model, "x"])
    #expect(wrongKind.0 != 0 && wrongKind.2.contains("is a language model"))
  }
}

/// Tagging and forecasting from the command line.
@Suite struct TaggingAndForecastingCommandTests {
  let cli = CommandLineTests()

  @Test func aTaggerIsTrainedAndTagsTextAndCoNLLInput() throws {
    let folder = try ModelCommandTests().folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("pos").path
    let data = ModelCommandTests.fixtures.appendingPathComponent("pos.tsv").path
    let (status, _, error) = try cli.glossa([
      "train", "tag", "--train", data, "--epochs", "1", "--hidden", "8", "--embedding-dim", "8", "--crf",
      "--char-features", "--output", model,
    ])
    #expect(status == 0 && error.contains("token accuracy"), "\(error)")
    let tagged = try cli.glossa(["predict", "--model", model, "The old man the boats ."])
    #expect(tagged.0 == 0 && tagged.1.split(separator: " ").count == 6 && tagged.1.hasPrefix("The/"))
    let conll = try cli.glossa(["predict", "--model", model, "--conll"], input: "The\ncat\n\nRuns\n")
    let lines = conll.1.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(conll.0 == 0 && lines.count == 5 && lines[2] == "" && lines[0].hasPrefix("The\t"), "\(conll.1)")
    let report = try cli.glossa(["evaluate", "--model", model, "--data", data])
    #expect(report.0 == 0 && report.1.hasPrefix("token accuracy"))
    let noTag = folder.appendingPathComponent("notag.tsv")
    try "The\tDT\ncat\n".write(to: noTag, atomically: true, encoding: .utf8)
    let bad = try cli.glossa(["evaluate", "--model", model, "--data", noTag.path])
    #expect(bad.0 == 1 && bad.2.contains("notag.tsv:2: expected token<TAB>tag, found 1 field"))
  }

  @Test func aForecasterIsTrainedAndForecasts() throws {
    let folder = try ModelCommandTests().folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("aapl").path
    let data = ModelCommandTests.fixtures.appendingPathComponent("stocks.csv").path
    let (status, output, error) = try cli.glossa([
      "train", "forecast", "--train", data, "--filter", "Ticker=AAPL", "--target", "Adj Close", "--window",
      "10",
      "--epochs", "2", "--hidden", "8", "--output", model,
    ])
    #expect(status == 0 && output.contains("naive") && output.contains("linear AR"), "\(error)")
    let plot = folder.appendingPathComponent("forecast.svg").path
    let forecast = try cli.glossa([
      "predict", "--model", model, "--data", data, "--filter", "Ticker=AAPL", "--plot", plot,
    ])
    #expect(
      forecast.0 == 0 && forecast.1.hasPrefix("date,forecast\n")
        && FileManager.default.fileExists(atPath: plot))
    let evaluation = try cli.glossa(["evaluate", "--model", model, "--data", data, "--filter", "Ticker=AAPL"])
    #expect(evaluation.0 == 0 && evaluation.1.contains("naive"))
    let nobody = try cli.glossa(["predict", "--model", model, "--data", data, "--filter", "Ticker=MSFT"])
    #expect(nobody.0 == 1 && nobody.2.contains("no row has Ticker = MSFT"))
    let broken = folder.appendingPathComponent("broken.csv")
    try "Date,Adj Close\n2020-01-01,1\n2020-01-02,x\n".write(to: broken, atomically: true, encoding: .utf8)
    let refused = try cli.glossa(["predict", "--model", model, "--data", broken.path])
    #expect(
      refused.0 == 1 && refused.2.contains("broken.csv:3: Adj Close: 'x' is not a number"), "\(refused.2)")
  }
}

/// Translation from the command line: training, translating arguments and lines, the attention
/// plot, BLEU and chrF with their signatures, and bad parallel text refused.
@Suite struct TranslationCommandTests {
  let cli = CommandLineTests()

  @Test func aTranslatorIsTrainedTranslatesAndIsScored() throws {
    let folder = try ModelCommandTests().folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("en-es").path
    let data = ModelCommandTests.fixtures.appendingPathComponent("en-es.tsv").path
    let (status, _, error) = try cli.glossa([
      "train", "translate", "--train", data, "--epochs", "1", "--hidden", "16", "--embedding-dim", "8",
      "--attention", "luong-general", "--max-source-length", "80", "--output", model,
    ])
    #expect(
      status == 0 && error.contains("validation (greedy): BLEU = ") && error.contains("tok:13a"), "\(error)")
    for name in ["config.json", "source_tokenizer.json", "target_tokenizer.json", "model.safetensors"] {
      #expect(FileManager.default.fileExists(atPath: model + "/" + name), "\(name)")
    }
    // Arguments and lines give the same translations; a blank line stays blank.
    let plot = folder.appendingPathComponent("attention.svg")
    let sentences = ["And God said, Let there be light.", "In the beginning was the Word."]
    let translated = try cli.glossa(
      ["translate", "--model", model, "--beam", "3", "--attention-plot", plot.path] + sentences)
    let lines = translated.1.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(translated.0 == 0 && lines.count == 3 && !lines[0].isEmpty && lines[2].isEmpty, "\(translated)")
    let fromInput = try cli.glossa(
      ["translate", "--model", model, "--beam", "3"], input: sentences[0] + "\n\n" + sentences[1] + "\n")
    #expect(fromInput.1 == lines[0] + "\n\n" + lines[1] + "\n")
    // One heat map per sentence: a cell per output token (and the end) and source token.
    for (k, url) in [plot, folder.appendingPathComponent("attention-2.svg")].enumerated() {
      let cells = try SVGOutline(String(contentsOf: url, encoding: .utf8)).pictures.first?["rect"] ?? 0
      #expect(cells > 6, "plot \(k + 1): \(cells) cells")
    }
    let held = folder.appendingPathComponent("held.tsv")
    let heldLines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").suffix(30)
    try heldLines.joined(separator: "\n").write(to: held, atomically: true, encoding: .utf8)
    let scored = try cli.glossa(["evaluate", "--model", model, "--data", held.path, "--beam", "1"])
    let report = scored.1.split(separator: "\n")
    #expect(
      scored.0 == 0 && report.count == 4 && report[0].hasPrefix("BLEU = ") && report[2].hasPrefix("chrF2 = "))
    #expect(report[1].contains("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"))
    let json = try cli.glossa(["evaluate", "--model", model, "--data", held.path, "--beam", "1", "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.1.utf8)) as? [String: Any]
    #expect(object?["bleu"] != nil && object?["chrf"] != nil && object?["sentences"] as? Int == 30)
    let wrongKind = try cli.glossa(["predict", "--model", model, "x"])
    #expect(wrongKind.0 != 0 && wrongKind.2.contains("is a translation model"))
    let penalty = try cli.glossa(["translate", "--model", model, "--length-penalty", "gnmt:x", "a"])
    #expect(penalty.0 != 0 && penalty.2.contains("--length-penalty must be gnmt:ALPHA"))
    let average = try cli.glossa([
      "translate", "--model", model, "--length-penalty", "average", "--threads", "1", "a",
    ])
    #expect(average.0 == 0 && average.1.split(separator: "\n").count == 1)

    // Bad input: a line with one column, an empty side, a source over the model's limit.
    let saved = try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors"))
    func refused(_ text: String, _ extra: [String] = []) throws -> String {
      let file = folder.appendingPathComponent("pairs.tsv")
      try text.write(to: file, atomically: true, encoding: .utf8)
      let result = try cli.glossa(
        [
          "train", "translate", "--train", file.path, "--valid", file.path, "--epochs", "1", "--output",
          model,
        ]
          + extra)
      #expect(result.0 == 1, "\(result)")
      return result.2
    }
    #expect(try refused("one\tuno\ntwo\n").contains("pairs.tsv:2: expected source<TAB>target, found no tab"))
    #expect(try refused("one\tuno\ntwo\t \n").contains("pairs.tsv:2: target: the target sentence is empty"))
    let long = "one two three four five six\tuno dos tres cuatro cinco seis\n"
    #expect(try refused(long, ["--max-source-length", "4"]).contains("more than the model's limit of 4"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors")) == saved)
    let tooLong = try cli.glossa([
      "translate", "--model", model, String(repeating: "and God said ", count: 30),
    ])
    #expect(tooLong.0 == 1 && tooLong.2.contains("more than the model's limit of 80"), "\(tooLong.2)")
    let cut = try cli.glossa(
      [
        "translate", "--model", model, "--truncate", "--beam", "1",
        String(repeating: "and God said ", count: 30),
      ])
    #expect(cut.0 == 0 && !cut.1.isEmpty)
  }
}

/// Speech recognition from the command line: training on a manifest, transcribing files (as
/// text and as JSON with word times), error rates, and bad clips refused.
@Suite struct SpeechCommandTests {
  let cli = CommandLineTests()

  @Test func aRecogniserIsTrainedTranscribesAndIsScored() throws {
    let folder = try ModelCommandTests().folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let train = try ToneSpeech.manifest(ToneSpeech.texts(40, seed: 5), in: folder, name: "train")
    let valid = try ToneSpeech.manifest(ToneSpeech.texts(8, seed: 6), in: folder, name: "valid")
    let model = folder.appendingPathComponent("asr").path
    let (status, _, error) = try cli.glossa([
      "train", "speech", "--train", train.path, "--valid", valid.path, "--alphabet", "abcd ", "--epochs", "2",
      "--hidden", "16", "--layers", "1", "--bands", "24", "--stack", "2", "--output", model,
    ])
    #expect(
      status == 0 && error.contains("validation (greedy): CER = ") && error.contains("WER = "), "\(error)")
    let files = (0..<2).map { folder.appendingPathComponent("wav/valid-\($0).wav").path }
    let transcribed = try cli.glossa(["transcribe", "--model", model] + files)
    let lines = transcribed.1.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      transcribed.0 == 0 && lines.count == 3 && lines[0].hasPrefix(files[0] + "\t")
        && lines[1].hasPrefix(files[1] + "\t"))
    #expect(transcribed.2.contains("× real time"))
    // Prefix beam search with a character model counted from the training transcripts.
    let transcripts = folder.appendingPathComponent("transcripts.txt")
    try ToneSpeech.texts(40, seed: 5).joined(separator: "\n").write(
      to: transcripts, atomically: true, encoding: .utf8)
    let fused = try cli.glossa(
      ["transcribe", "--model", model, "--beam", "4", "--lm-text", transcripts.path] + files)
    #expect(
      fused.0 == 0 && fused.1.split(separator: "\n").count == 2 && fused.1.hasPrefix(files[0] + "\t"),
      "\(fused)")
    let noBeam = try cli.glossa(["transcribe", "--model", model, "--beam", "0", files[0]])
    #expect(noBeam.0 != 0 && noBeam.2.contains("--beam must be positive"))
    let json = try cli.glossa(["transcribe", "--model", model, "--json", files[0]])
    let object = try JSONSerialization.jsonObject(with: Data(json.1.utf8)) as? [String: Any]
    let transcript = object?["transcript"] as? [String: Any]
    #expect(
      object?["path"] as? String == files[0] && transcript?["text"] is String && transcript?["words"] is [Any]
    )
    // With --beam, the words are timed too (on the forced alignment of the beam's text).
    let beamJSON = try cli.glossa(["transcribe", "--model", model, "--beam", "4", "--json", files[0]])
    let beamTranscript =
      (try JSONSerialization.jsonObject(with: Data(beamJSON.1.utf8)) as? [String: Any])?["transcript"]
      as? [String: Any]
    let beamText = beamTranscript?["text"] as? String ?? ""
    #expect(
      (beamTranscript?["words"] as? [[String: Any]])?.compactMap { $0["word"] as? String }
        == beamText.split(separator: " ").map(String.init), "\(beamJSON)")
    let scored = try cli.glossa(["evaluate", "--model", model, "--data", valid.path])
    let report = scored.1.split(separator: "\n")
    #expect(
      scored.0 == 0 && report.count == 2 && report[0].hasPrefix("CER = ") && report[1].hasPrefix("WER = "))
    // Bad input: a stereo clip without --mix-down, a file that is not a WAV, a character outside the alphabet.
    let stereo = folder.appendingPathComponent("stereo.wav")
    let one = ToneSpeech.clip("ab", seed: 1).channels[0]
    try WAV.write(AudioClip(channels: [one, one], sampleRate: 16000), to: stereo)
    let refused = try cli.glossa(["transcribe", "--model", model, stereo.path])
    #expect(refused.0 == 1 && refused.2.contains("stereo.wav: 2 channels, expected one"), "\(refused.2)")
    #expect(try cli.glossa(["transcribe", "--model", model, "--mix-down", stereo.path]).0 == 0)
    let text = folder.appendingPathComponent("notes.wav")
    try "just text".write(to: text, atomically: true, encoding: .utf8)
    let notWAV = try cli.glossa(["transcribe", "--model", model, text.path])
    #expect(notWAV.0 == 1 && notWAV.2.contains("notes.wav: byte 0: not a RIFF WAVE file"))
    let saved = try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors"))
    let outside = folder.appendingPathComponent("outside.tsv")
    try "wav/train-0.wav\tabe\n".write(to: outside, atomically: true, encoding: .utf8)
    let bad = try cli.glossa([
      "train", "speech", "--train", outside.path, "--valid", valid.path, "--alphabet", "abcd ", "--output",
      model,
    ])
    #expect(bad.0 == 1 && bad.2.contains("train-0.wav: 'e' is not in the model's alphabet"), "\(bad.2)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors")) == saved)
  }
}

import Foundation
import GlossaTensor
import TestSupport
import Testing

@Suite struct SafeTensorsTests {
  func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID().uuidString)-\(name)")
  }

  @Test func roundTripsF32F16AndI64() throws {
    var file = SafeTensors()
    let weights = Tensor(rows: [[1.5, -2.25, 3e-3], [65504, -0.0, 1e-7]])
    file.set("w", weights)
    file.set("half", weights, as: .F16)
    file.set("brain", weights, as: .BF16)
    file.set("ids", integers: [3, -1, 1 << 40], shape: [3])
    file.metadata = ["format": "pt"]
    let url = temporaryURL("round.safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try file.write(to: url)
    let loaded = try SafeTensors(contentsOf: url)
    #expect(try loaded.tensor("w")?.scalars == weights.scalars)
    #expect(try loaded.tensor("w")?.shape == [2, 3])
    let half = try #require(try loaded.tensor("half")).scalars
    #expect(half[0] == 1.5 && half[1] == -2.25 && half[3] == 65504)
    #expect(abs(half[2] - 3e-3) < 2e-6)
    #expect(abs(half[5] - 1e-7) < 6e-8)  // a half subnormal
    #expect(try loaded.integers("ids") == [3, -1, 1 << 40])
    let brain = try #require(try loaded.tensor("brain")).scalars
    #expect(brain[0] == 1.5 && brain[1] == -2.25)  // exact in bfloat16
    #expect(abs(brain[3] - 65504) / 65504 < 1e-2)  // 8 bits of mantissa
    #expect(loaded.metadata == ["format": "pt"])
    #expect(loaded.names == ["brain", "half", "ids", "w"])
  }

  @Test func halfPrecisionRoundsToNearest() throws {
    var file = SafeTensors()
    // 1 + 2⁻¹¹ is halfway between two halves: ties go to even (1.0); 1 + 3·2⁻¹¹ rounds up.
    file.set("x", Tensor([1 + 0x1p-11, 1 + 3 * 0x1p-11, 1e6, -1e6]), as: .F16)
    let back = try SafeTensors(data: try file.serialized()).tensor("x")!.scalars
    #expect(back[0] == 1)
    #expect(back[1] == 1 + 0x1p-9)
    #expect(back[2] == .infinity && back[3] == -.infinity)
  }

  @Test func readsAFileWrittenByPyTorch() throws {
    guard let cases = try Fixtures.torchCases(where: { $0 == "mlp" }), let first = cases.first else { return }
    let file = try Fixtures.torchFile(first)
    let weight = try #require(try file.tensor("l1.weight"))
    #expect(weight.shape == [16, 5])
    #expect(weight.isFinite)
    #expect(file.metadata["config"]?.contains("\"kind\": \"mlp\"") == true)
  }

  /// A file with the given header text and data section.
  func rawFile(header: String, dataBytes: Int = 0, lengthOverride: UInt64? = nil) -> Data {
    var data = Data()
    let length = lengthOverride ?? UInt64(header.utf8.count)
    withUnsafeBytes(of: length.littleEndian) { data.append(contentsOf: $0) }
    data.append(Data(header.utf8))
    data.append(Data(repeating: 0, count: dataBytes))
    return data
  }

  @Test func aTensorReadAsTheWrongKindNamesTheFileAndTheTensor() throws {
    var file = SafeTensors()
    file.set("w", Tensor([1, 2]))
    let read = try SafeTensors(data: try file.serialized(), file: "model.safetensors")
    #expect(
      throws: SafeTensorsError(
        file: "model.safetensors", location: "tensor \"w\"", reason: "F32, not an integer type")
    ) { try read.integers("w") }
  }

  @Test func malformedFilesGiveClearErrors() {
    let cases: [(String, Data, String)] = [
      ("too short", Data([1, 2, 3]), "fewer than the 8-byte header length"),
      ("header past end", rawFile(header: "{}", lengthOverride: 1000), "runs past the end"),
      ("bad JSON", rawFile(header: "{\"a\": [1,"), "not a JSON object"),
      (
        "unknown dtype",
        rawFile(header: #"{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, dataBytes: 4),
        "unknown dtype Q7"
      ),
      (
        "offsets out of range",
        rawFile(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 8),
        "outside the data section"
      ),
      (
        "size mismatch",
        rawFile(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8),
        "needs 12"
      ),
      (
        "overlap",
        rawFile(
          header:
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
          dataBytes: 12),
        "overlap"
      ),
      ("missing fields", rawFile(header: #"{"a":{"dtype":"F32"}}"#), "lacks dtype, shape or data_offsets"),
      (
        // 2³² × 2³² elements: the byte count overflows, where it once wrapped to 0 and was believed.
        "overflowing shape",
        rawFile(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#),
        "needs more than any file holds"
      ),
      (
        "nested too deep",
        rawFile(header: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        "not a JSON object"
      ),
    ]
    for (name, data, expected) in cases {
      do {
        _ = try SafeTensors(data: data, file: "model.safetensors")
        Issue.record("\(name): no error")
      } catch let error as SafeTensorsError {
        #expect(error.description.contains(expected), "\(name): \(error)")
        #expect(error.description.hasPrefix("model.safetensors"), "\(name): \(error)")
      } catch {
        Issue.record("\(name): unexpected \(error)")
      }
    }
  }

  @Test func aTruncatedRealFileIsRejected() throws {
    var file = SafeTensors()
    file.set("w", Tensor.ones([10, 10]))
    let data = try file.serialized()
    #expect(throws: SafeTensorsError.self) { try SafeTensors(data: data.prefix(data.count - 4)) }
    #expect(throws: SafeTensorsError.self) { try SafeTensors(contentsOf: temporaryURL("absent")) }
  }
}

import GlossaTensor
import Testing

/// Mismatched shapes stop the program with a message naming the operation and both
/// shapes (the operation traps, as an out-of-range array index does in Swift).
@Suite struct ShapeErrorTests {
  @Test func broadcastMismatchNamesOpAndShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("add: shapes [2, 3] and [4] cannot be broadcast together"))
  }

  @Test func matmulMismatchNamesOpAndShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("matmul: shapes [2, 3] and [4, 5] do not match"))
  }

  @Test func linearMismatchNamesOpAndShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5]), bias: nil)
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("linear: input [2, 3] does not match weight [4, 5]"))
  }
}

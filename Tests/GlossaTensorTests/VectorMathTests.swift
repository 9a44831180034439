import Foundation
import Testing

@testable import GlossaTensor

/// The vectorized kernels against the C library, over a dense sweep of inputs.
@Suite struct VectorMathTests {
  /// −100 … 100 in small steps, plus awkward values.
  static let inputs: [Float] =
    stride(from: Float(-100), through: 100, by: 0.00731).map { $0 }
    + [0, -0, 1e-8, -1e-8, 1e-3, 0.0624, 0.0626, 87, 88.5, -87.5, -103, .infinity, -.infinity]

  func relativeError(_ a: Float, _ b: Float) -> Float {
    if a == b { return 0 }
    return abs(a - b) / max(abs(b), Float.leastNormalMagnitude)
  }

  func run(_ f: (UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
    var values = Self.inputs
    values.withUnsafeMutableBufferPointer { f($0.baseAddress!, $0.count) }
    return values
  }

  typealias Map = (UnsafeMutablePointer<Float>, Int) -> Void

  /// Each function every way: the buffer functions (the widest kernel the processor runs), each
  /// wide kernel it runs (AVX2 with FMA, AVX-512), and the `SIMD8` lanes they otherwise fall
  /// back to.
  var kernels: [(name: String, exp: Map, tanh: Map, sigmoid: Map)] {
    var kernels: [(name: String, exp: Map, tanh: Map, sigmoid: Map)] = [
      (
        "buffers", { VectorMath.exp($0, count: $1) }, { VectorMath.tanh($0, count: $1) },
        { VectorMath.sigmoid($0, count: $1) }
      ),
      (
        "lanes", { VectorMath.apply($0, count: $1, VectorMath.exp) },
        { VectorMath.apply($0, count: $1, VectorMath.tanh) },
        { VectorMath.apply($0, count: $1, VectorMath.sigmoid) }
      ),
    ]
    for lanes in [8, 16] where lanes <= VectorMath.wideMapLanes {
      func map(_ kind: Int32) -> Map { { VectorMath.wideMap(lanes: lanes, $0, count: $1, kind: kind) } }
      kernels.append(("\(lanes) lanes", map(0), map(1), map(2)))
    }
    return kernels
  }

  /// The AVX2 and AVX-512 kernels give the same bits, tails of every length included (on a
  /// processor with both).
  @Test(.enabled(if: VectorMath.wideMapLanes == 16, "the processor has no AVX-512"))
  func theWideKernelsAgreeBitForBit() {
    for kind in Int32(0)...2 {
      for count in [Self.inputs.count, 1, 15, 17, 31] {
        let eight = run { VectorMath.wideMap(lanes: 8, $0, count: min($1, count), kind: kind) }
        let sixteen = run { VectorMath.wideMap(lanes: 16, $0, count: min($1, count), kind: kind) }
        #expect(
          eight.map(\.bitPattern) == sixteen.map(\.bitPattern), "kind \(kind), \(count) elements")
      }
    }
  }

  @Test func expMatchesTheCLibrary() {
    for kernel in kernels {
      let fast = run(kernel.exp)
      for (x, y) in zip(Self.inputs, fast) {
        let reference = Foundation.exp(x)
        if reference < Float.leastNormalMagnitude {
          #expect(y < Float.leastNormalMagnitude * 2, "\(kernel.name): exp(\(x)) = \(y)")
        } else if x <= 88 {
          #expect(
            relativeError(y, reference) < 4e-7, "\(kernel.name): exp(\(x)) = \(y), expected \(reference)")
        }
      }
      #expect(fast[Self.inputs.firstIndex(of: .infinity)!] == .infinity)
      #expect(fast[Self.inputs.firstIndex(of: -.infinity)!] == 0)
      #expect(run(kernel.exp).count == Self.inputs.count)
      var nan: [Float] = [.nan, 1, .nan]
      nan.withUnsafeMutableBufferPointer { kernel.exp($0.baseAddress!, 3) }
      #expect(nan[0].isNaN && nan[2].isNaN && abs(nan[1] - Float(M_E)) < 1e-6)
    }
  }

  @Test func tanhAndSigmoidMatchTheCLibrary() {
    for kernel in kernels {
      for (x, y) in zip(Self.inputs, run(kernel.tanh)) {
        let reference = Foundation.tanh(x)
        #expect(
          abs(y - reference) <= 2e-7 + 4e-7 * abs(reference),
          "\(kernel.name): tanh(\(x)) = \(y), expected \(reference)")
      }
      for (x, y) in zip(Self.inputs, run(kernel.sigmoid)) {
        let reference = 1 / (1 + Foundation.exp(-x))
        #expect(
          abs(y - reference) <= 1e-7 + 4e-7 * abs(reference),
          "\(kernel.name): σ(\(x)) = \(y), expected \(reference)")
      }
    }
  }

  /// Tensor's tanh, σ and exp run these kernels over the whole buffer, its tail included.
  @Test(arguments: [1, 7, 8, 13, 1000]) func tensorActivationsMatchTheCLibrary(count: Int) {
    var g = SeededGenerator(seed: UInt64(count))
    let x = Tensor.uniform([count], low: -6, high: 6, generator: &g)
    for (name, y, reference) in [
      ("tanh", x.tanh(), { (v: Float) in Foundation.tanh(v) }),
      ("sigmoid", x.sigmoid(), { (v: Float) in 1 / (1 + Foundation.exp(-v)) }),
      ("exp", x.exp(), { (v: Float) in Foundation.exp(v) }),
    ] {
      #expect(y.shape == [count])
      for (v, out) in zip(x.scalars, y.scalars) {
        #expect(abs(out - reference(v)) <= 1e-6 * max(1, abs(reference(v))), "\(name)(\(v)) = \(out)")
      }
    }
  }

  @Test func reductionsMatchPlainLoops() {
    var g = SeededGenerator(seed: 1)
    for count in [1, 7, 8, 9, 100, 1003] {
      let x = Tensor.uniform([count], low: -5, high: 5, generator: &g).scalars
      x.withUnsafeBufferPointer { p in
        #expect(VectorMath.maximum(p.baseAddress!, count: count) == x.max()!)
        let plain = x.map { Foundation.exp($0 - 1) }
        // Both ways: the wide kernel where the processor has it, and the lanes.
        for sum in [VectorMath.sumOfExponentials, VectorMath.sumOfExponentialsInLanes] {
          var terms = [Float](repeating: 0, count: count)
          let total = terms.withUnsafeMutableBufferPointer {
            sum(p.baseAddress!, count, 1, $0.baseAddress!)
          }
          #expect(abs(total - plain.reduce(0, +)) < 1e-5 * plain.reduce(0, +))
          for (a, b) in zip(terms, plain) { #expect(relativeError(a, b) < 4e-7) }
          #expect(sum(p.baseAddress!, count, 1, nil) == total)
        }
      }
    }
  }
}

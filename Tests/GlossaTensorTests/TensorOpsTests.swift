import Foundation
import GlossaTensor
import Synchronization
import Testing

@Suite struct TensorOpsTests {
  @Test func creationFillsShapes() {
    #expect(Tensor.zeros([2, 3]).scalars == [Float](repeating: 0, count: 6))
    #expect(Tensor.ones([4]).scalars == [1, 1, 1, 1])
    #expect(Tensor.full(2.5, shape: [1, 2]).scalars == [2.5, 2.5])
    #expect(Tensor(rows: [[1, 2], [3, 4]])[1, 0] == 3)
    #expect(Tensor.arange(4).scalars == [0, 1, 2, 3])
    #expect(Tensor.linspace(0, 1, count: 3).scalars == [0, 0.5, 1])
    #expect(Tensor(scalar: 3).rank == 0)
  }

  @Test func seededRandomIsReproducibleAndInRange() {
    var g1 = SeededGenerator(seed: 42)
    var g2 = SeededGenerator(seed: 42)
    let a = Tensor.uniform([1000], low: -2, high: 3, generator: &g1)
    let b = Tensor.uniform([1000], low: -2, high: 3, generator: &g2)
    #expect(a.scalars == b.scalars)
    #expect(a.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
    var g3 = SeededGenerator(seed: 43)
    #expect(Tensor.uniform([1000], low: -2, high: 3, generator: &g3).scalars != a.scalars)
    var g = SeededGenerator(seed: 1)
    let n = Tensor.normal([20000], mean: 1, std: 2, generator: &g).scalars
    let mean = n.reduce(0, +) / Float(n.count)
    let variance = n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(n.count)
    #expect(abs(mean - 1) < 0.05)
    #expect(abs(variance.squareRoot() - 2) < 0.05)
  }

  @Test func initialisersUseFanInAndOut() {
    var g = SeededGenerator(seed: 3)
    let xavier = Tensor.xavierUniform([30, 20], generator: &g)
    let bound = (6 / Float(50)).squareRoot()
    #expect(xavier.scalars.allSatisfy { abs($0) <= bound })
    #expect(xavier.scalars.contains { abs($0) > bound * 0.9 })
    #expect(xavier.requiresGrad)
    let kaiming = Tensor.kaimingUniform([30, 20], generator: &g)
    let kb = Float(2).squareRoot() * (3 / Float(20)).squareRoot()
    #expect(kaiming.scalars.allSatisfy { abs($0) <= kb })
    let normal = Tensor.kaimingNormal([200, 50], generator: &g).scalars
    let std = (normal.map { $0 * $0 }.reduce(0, +) / Float(normal.count)).squareRoot()
    #expect(abs(std - (2 / Float(50)).squareRoot()) < 0.01)
  }

  @Test func broadcastingArithmetic() {
    let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    let row = Tensor([10, 20, 30])
    let column = Tensor([1, 2], shape: [2, 1])
    #expect((a + row).scalars == [11, 22, 33, 14, 25, 36])
    #expect((a * column).scalars == [1, 2, 3, 8, 10, 12])
    #expect((a - column).scalars == [0, 1, 2, 2, 3, 4])
    #expect((row / Tensor(scalar: 10)).scalars == [1, 2, 3])
    // [2,1,3] with [2,1] → [2,2,3]
    let cube = Tensor((0..<6).map(Float.init), shape: [2, 1, 3])
    let sum = cube + column
    #expect(sum.shape == [2, 2, 3])
    #expect(sum.scalars == [1, 2, 3, 2, 3, 4, 4, 5, 6, 5, 6, 7])
    #expect((-a).scalars.first == -1)
    #expect((a * 2 + 1).scalars == [3, 5, 7, 9, 11, 13])
    #expect((1 - row).scalars == [-9, -19, -29])
  }

  @Test func reductions() {
    let a = Tensor(rows: [[1, 5, 3], [4, 2, 6]])
    #expect(a.sum().item == 21)
    #expect(a.mean().item == 3.5)
    #expect(a.sum(axis: 0).scalars == [5, 7, 9])
    #expect(a.sum(axis: 1, keepingDimension: true).shape == [2, 1])
    #expect(a.mean(axis: -1).scalars == [3, 4])
    #expect(a.max(axis: 1).scalars == [5, 6])
    #expect(a.max(axis: 0).scalars == [4, 5, 6])
    #expect(a.argmax(axis: 1) == [1, 2])
    #expect(a.argmax(axis: 0) == [1, 0, 1])
  }

  @Test func activationsMatchTheirFormulas() {
    let x = Tensor([-2, -0.5, 0, 0.5, 2])
    for (y, v) in zip(x.sigmoid().scalars, x.scalars) { #expect(abs(y - 1 / (1 + exp(-v))) < 1e-6) }
    for (y, v) in zip(x.tanh().scalars, x.scalars) { #expect(abs(y - tanh(v)) < 1e-6) }
    #expect(x.relu().scalars == [0, 0, 0, 0.5, 2])
  }

  @Test func softmaxIsStableForLargeLogits() {
    let x = Tensor(rows: [[1000, 1001, 1002], [-1000, 0, 1000]])
    let p = x.softmax()
    #expect(p.isFinite)
    #expect(abs(p.sum(axis: 1).scalars[0] - 1) < 1e-6)
    let e = [exp(Float(-2)), exp(Float(-1)), 1]
    let z = e.reduce(0, +)
    for (a, b) in zip(p.scalars.prefix(3), e.map { $0 / z }) { #expect(abs(a - b) < 1e-6) }
    let lp = x.logSoftmax()
    #expect(lp.isFinite)
    #expect(abs(lp[1, 0] - -2000) < 1e-2)
    // Along axis 0, columns sum to 1.
    #expect(
      Tensor(rows: [[1, 2], [3, 4]]).softmax(axis: 0).sum(axis: 0).scalars.allSatisfy { abs($0 - 1) < 1e-6 })
  }

  @Test func matmulMatchesTheNaiveProduct() {
    var g = SeededGenerator(seed: 5)
    let a = Tensor.normal([4, 3], generator: &g)
    let b = Tensor.normal([3, 5], generator: &g)
    let c = Tensor.matmul(a, b)
    for i in 0..<4 {
      for j in 0..<5 {
        let expected = (0..<3).reduce(Float(0)) { $0 + a[i, $1] * b[$1, j] }
        #expect(abs(c[i, j] - expected) < 1e-5)
      }
    }
    // Transposed operands are read in place and give the same product.
    let viaFlags = Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true)
    #expect(mismatchFree(viaFlags, c))
    // Batched: each batch is its own product.
    let batchA = Tensor.stack([a, a * 2])
    let batchB = Tensor.stack([b, b])
    let batched = Tensor.matmul(batchA, batchB)
    #expect(batched.shape == [2, 4, 5])
    #expect(mismatchFree(batched.slice(axis: 0, range: 1..<2).reshaped([4, 5]), c * 2))
  }

  @Test func linearIsXWTransposePlusBias() {
    let x = Tensor(rows: [[1, 2], [3, 4], [5, 6]])
    let w = Tensor(rows: [[1, 0], [0, 1], [1, 1]])
    let b = Tensor([0.5, -0.5, 0])
    let y = Tensor.linear(x, weight: w, bias: b)
    #expect(y.scalars == [1.5, 1.5, 3, 3.5, 3.5, 7, 5.5, 5.5, 11])
    #expect(Tensor.linear(x, weight: w, bias: nil).scalars == Tensor.matmul(x, w, transposeB: true).scalars)
  }

  @Test func shapeOperations() {
    let a = Tensor((0..<6).map(Float.init), shape: [2, 3])
    #expect(a.reshaped([3, -1]).shape == [3, 2])
    #expect(a.transposed().scalars == [0, 3, 1, 4, 2, 5])
    let cube = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
    let permuted = cube.permuted([2, 0, 1])
    #expect(permuted.shape == [4, 2, 3])
    #expect(permuted[3, 1, 2] == cube[1, 2, 3])
    let joined = Tensor.concatenate([a, Tensor([9, 9, 9], shape: [1, 3])], axis: 0)
    #expect(joined.shape == [3, 3])
    #expect(Tensor.concatenate([a, a], axis: 1).scalars == [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
    let parts = a.split(sizes: [1, 2], axis: 1)
    #expect(parts[0].scalars == [0, 3])
    #expect(parts[1].scalars == [1, 2, 4, 5])
    #expect(a.slice(axis: 0, range: 1..<2).scalars == [3, 4, 5])
    #expect(Tensor.stack([a, a], axis: 1).shape == [2, 2, 3])
    #expect(a.indexSelect(axis: 0, indices: [1, 1, 0]).scalars == [3, 4, 5, 3, 4, 5, 0, 1, 2])
    #expect(a.indexSelect(axis: 1, indices: [2]).scalars == [2, 5])
    #expect(a.gather(axis: 1, indices: [2, 0], indexShape: [2, 1]).scalars == [2, 3])
  }

  @Test func detachAndNoGradStopRecording() {
    let x = Tensor([1, 2], requiresGrad: true)
    #expect((x * 2).requiresGrad)
    #expect(!(x.detached() * 2).requiresGrad)
    let y = withoutGradients { x * 2 }
    #expect(!y.requiresGrad)
    #expect(y.gradientFunction == nil)
  }

  @Test func gradientsAccumulateUntilCleared() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    (x * x).sum().backward()
    #expect(x.grad?.scalars == [2, 4, 6])
    (x * 3).sum().backward()
    #expect(x.grad?.scalars == [5, 7, 9])
    x.zeroGrad()
    #expect(x.grad == nil)
    // A tensor used twice gets both contributions (the chain rule's sum over paths).
    let z = (x + x * x).sum()
    z.backward()
    #expect(x.grad?.scalars == [3, 5, 7])
  }

  @Test func leavesNeverShareGradientMemory() {
    // add passes one gradient to both inputs, and reshape a view of it: each leaf must
    // still get its own gradient buffer.
    let x = Tensor.zeros([2, 3], requiresGrad: true)
    let y = Tensor.zeros([6], requiresGrad: true)
    let z = Tensor.zeros([6], requiresGrad: true)
    (x.reshaped([6]) + y + z).sum().backward()
    x.grad!.withUnsafeMutableBufferPointer { $0[0] = 100 }
    y.grad!.withUnsafeMutableBufferPointer { $0[1] = 200 }
    #expect(y.grad!.scalars == [1, 200, 1, 1, 1, 1])
    #expect(z.grad!.scalars == [1, 1, 1, 1, 1, 1])
    #expect(x.grad!.scalars == [100, 1, 1, 1, 1, 1])
  }

  @Test func reusedBuffersAreFilledAfresh() {
    // Large buffers return to a pool when freed; a new tensor must never see old values.
    for _ in 0..<3 {
      let used = Tensor.full(7, shape: [100, 100])
      #expect(used.sum().item == 70000)
      #expect(Tensor.zeros([100, 100]).sum().item == 0)
      #expect(Tensor.ones([100, 100]).sum().item == 10000)
    }
  }

  private func mismatchFree(_ a: Tensor, _ b: Tensor) -> Bool {
    a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) < 1e-4 }
  }
}

/// Row ranges split over threads cover every row once, in contiguous parts.
@Suite struct RowRangeTests {
  @Test func everyRowIsVisitedOnce() {
    for threads in 1...5 {
      for rows in [0, 1, 3, 64, 1000] {
        for elementsPerRow in [1, parallelRowElements] {
          let visits = Mutex([Int](repeating: 0, count: rows))
          let parts = Mutex(0)
          forEachRowRange(rows: rows, elementsPerRow: elementsPerRow, threads: threads) { range in
            parts.withLock { $0 += 1 }
            visits.withLock { for r in range { $0[r] += 1 } }
          }
          #expect(visits.withLock { $0 } == [Int](repeating: 1, count: rows))
          let split = rows > 1 && threads > 1 && elementsPerRow == parallelRowElements
          #expect(
            parts.withLock { $0 } == (split ? min(threads, rows) : 1), "\(threads) threads, \(rows) rows")
        }
      }
    }
  }
}

/// Softmax and log-softmax over a tensor large enough to be split over threads give each row
/// bit for bit what that row alone gives (computed on the calling thread), forward and back.
@Suite struct SoftmaxOverThreadsTests {
  @Test func rowsEqualEachRowAlone() throws {
    var g = SeededGenerator(seed: 9)
    let (rows, classes) = (64, 8192)
    #expect(rows * classes >= parallelRowElements)
    let values = Tensor.normal([rows, classes], generator: &g).scalars
    let upstream = Tensor.normal([rows, classes], generator: &g)
    for logarithmic in [false, true] {
      let x = Tensor(values, shape: [rows, classes], requiresGrad: true)
      let y = logarithmic ? x.logSoftmax() : x.softmax()
      (y * upstream).sum().backward()
      let dx = try #require(x.grad).scalars
      for r in stride(from: 0, to: rows, by: 9) {
        let span = (r * classes)..<((r + 1) * classes)
        let row = Tensor(Array(values[span]), shape: [1, classes], requiresGrad: true)
        let alone = logarithmic ? row.logSoftmax() : row.softmax()
        (alone * Tensor(Array(upstream.scalars[span]), shape: [1, classes])).sum().backward()
        #expect(alone.scalars == Array(y.scalars[span]))
        #expect(try #require(row.grad).scalars == Array(dx[span]))
      }
    }
  }
}

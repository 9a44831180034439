import Foundation
import GlossaTensor

/// t-SNE (van der Maaten & Hinton 2008), the lecture's other way to draw embeddings: points
/// near in the original space stay near in 2-D. Input affinities p_ij come from Gaussians
/// whose widths give each point the chosen perplexity; output affinities
/// q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹ (Student t); gradient descent on KL(P‖Q), whose gradient is
///   ∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j).
/// Exact for small sets; Barnes–Hut (van der Maaten 2014) for thousands of points: P kept to
/// each point's 3·perplexity nearest neighbours, the repulsion summed over a quadtree.
public struct TSNE: Sendable {
  /// Exact below 1,000 points and Barnes–Hut above (`automatic`), or either always.
  public enum Method: Sendable { case automatic, exact, barnesHut }

  /// The effective number of neighbours each point keeps (5–50).
  public var perplexity: Double
  /// Gradient-descent steps.
  public var iterations: Int
  /// The step size; nil picks max(n / exaggeration / 4, 50) (Belkina et al. 2019, as
  /// scikit-learn's "auto"), which keeps small sets from flying apart.
  public var learningRate: Double?
  /// P is multiplied by this for the first 250 iterations, which pulls clusters apart early.
  public var exaggeration: Double
  /// Barnes–Hut's accuracy: a cell is summarised when its width / distance is below θ.
  public var theta: Double
  /// How the gradient is computed.
  public var method: Method
  /// The seed of the initial layout.
  public var seed: UInt64

  /// t-SNE with the given settings (van der Maaten's defaults otherwise).
  public init(
    perplexity: Double = 30, iterations: Int = 1000, learningRate: Double? = nil, exaggeration: Double = 12,
    theta: Double = 0.5, method: Method = .automatic, seed: UInt64 = 1
  ) {
    self.perplexity = perplexity
    self.iterations = iterations
    self.learningRate = learningRate
    self.exaggeration = exaggeration
    self.theta = theta
    self.method = method
    self.seed = seed
  }

  /// The `n × d` row-major points laid out in 2-D (`n × 2`, row-major).
  public func embed(_ points: [Float], dimension d: Int) -> [Double] {
    let n = points.count / max(d, 1)
    require(n * d == points.count && d > 0, "t-SNE: \(points.count) numbers are not rows of \(d)")
    guard n > 1 else { return [Double](repeating: 0, count: 2 * n) }
    let exact = method == .exact || (method == .automatic && n < 1000)
    let neighbours = exact ? n - 1 : min(n - 1, Int(3 * perplexity))
    let affinities = Affinities(
      points, n: n, d: d, neighbours: neighbours, perplexity: min(perplexity, Double(n - 1) / 3))
    var random = SeededGenerator(seed: seed)
    var y = (0..<2 * n).map { _ in Double(random.nextNormal()) * 1e-4 }
    var velocity = [Double](repeating: 0, count: 2 * n)
    var gains = [Double](repeating: 1, count: 2 * n)
    var gradient = [Double](repeating: 0, count: 2 * n)
    let learningRate = self.learningRate ?? max(Double(n) / exaggeration / 4, 50)
    for iteration in 0..<iterations {
      let early = iteration < 250
      let scale = early ? exaggeration : 1
      if exact {
        exactGradient(y, affinities, scale, &gradient)
      } else {
        barnesHutGradient(y, affinities, scale, &gradient)
      }
      // Momentum with per-coordinate gains (the paper's optimiser).
      let momentum = early ? 0.5 : 0.8
      for k in 0..<2 * n {
        gains[k] = (gradient[k] > 0) != (velocity[k] > 0) ? gains[k] + 0.2 : max(gains[k] * 0.8, 0.01)
        velocity[k] = momentum * velocity[k] - learningRate * gains[k] * gradient[k]
        y[k] += velocity[k]
      }
      // Keep the layout centred.
      for axis in 0..<2 {
        let mean = stride(from: axis, to: 2 * n, by: 2).reduce(0) { $0 + y[$1] } / Double(n)
        for k in stride(from: axis, to: 2 * n, by: 2) { y[k] -= mean }
      }
    }
    return y
  }

  /// ∂C/∂y with every pair's repulsion computed.
  func exactGradient(_ y: [Double], _ p: Affinities, _ scale: Double, _ gradient: inout [Double]) {
    let n = y.count / 2
    var q = [Double](repeating: 0, count: n * n)
    var z = 0.0
    for i in 0..<n {
      for j in 0..<n where j != i {
        let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1])
        q[i * n + j] = 1 / (1 + dx * dx + dy * dy)
        z += q[i * n + j]
      }
    }
    for i in 0..<n {
      var (gx, gy) = (0.0, 0.0)
      for j in 0..<n where j != i {
        let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1])
        let force = -q[i * n + j] * q[i * n + j] / z
        gx += force * dx
        gy += force * dy
      }
      p.attract(i, y, scale, &gx, &gy)
      (gradient[2 * i], gradient[2 * i + 1]) = (4 * gx, 4 * gy)
    }
  }

  /// ∂C/∂y with the repulsion of far cells summarised by their centre of mass.
  func barnesHutGradient(_ y: [Double], _ p: Affinities, _ scale: Double, _ gradient: inout [Double]) {
    let n = y.count / 2
    let tree = QuadTree(y)
    var repulsion = [Double](repeating: 0, count: 2 * n)
    var z = 0.0
    for i in 0..<n {
      var (fx, fy) = (0.0, 0.0)
      z += tree.repulsion(on: i, y, theta: theta, &fx, &fy)
      (repulsion[2 * i], repulsion[2 * i + 1]) = (fx, fy)
    }
    for i in 0..<n {
      var (gx, gy) = (-repulsion[2 * i] / z, -repulsion[2 * i + 1] / z)
      p.attract(i, y, scale, &gx, &gy)
      (gradient[2 * i], gradient[2 * i + 1]) = (4 * gx, 4 * gy)
    }
  }
}

/// The symmetric input affinities p_ij = (p_j|i + p_i|j) / 2n, sparse by row.
struct Affinities {
  var neighbours: [[Int]]
  var values: [[Double]]

  init(_ points: [Float], n: Int, d: Int, neighbours k: Int, perplexity: Double) {
    var conditional: [[(Int, Double)]] = []
    for i in 0..<n {
      var distances: [(Int, Double)] = []
      for j in 0..<n where j != i {
        var s = 0.0
        for c in 0..<d {
          let t = Double(points[i * d + c] - points[j * d + c])
          s += t * t
        }
        distances.append((j, s))
      }
      if k < n - 1 { distances = Array(distances.sorted { $0.1 < $1.1 }.prefix(k)) }
      conditional.append(Self.gaussian(distances, perplexity: perplexity))
    }
    var rows = [[Int: Double]](repeating: [:], count: n)
    for i in 0..<n {
      for (j, p) in conditional[i] {
        rows[i][j, default: 0] += p / Double(2 * n)
        rows[j][i, default: 0] += p / Double(2 * n)
      }
    }
    neighbours = rows.map { $0.keys.sorted() }
    values = zip(rows, neighbours).map { row, keys in keys.map { row[$0]! } }
  }

  /// p_j|i ∝ exp(−β ‖x_i − x_j‖²), β found by bisection so that the entropy is log(perplexity).
  static func gaussian(_ distances: [(Int, Double)], perplexity: Double) -> [(Int, Double)] {
    let target = log(perplexity)
    var (beta, low, high) = (1.0, 0.0, Double.infinity)
    let nearest = distances.map(\.1).min() ?? 0
    var p = [Double](repeating: 0, count: distances.count)
    for _ in 0..<100 {
      var sum = 0.0
      for (k, (_, d)) in distances.enumerated() {
        p[k] = exp(-beta * (d - nearest))
        sum += p[k]
      }
      var entropy = 0.0
      for k in p.indices {
        p[k] /= sum
        if p[k] > 1e-12 { entropy -= p[k] * log(p[k]) }
      }
      if abs(entropy - target) < 1e-5 { break }
      if entropy > target {
        low = beta
        beta = high.isFinite ? (beta + high) / 2 : beta * 2
      } else {
        high = beta
        beta = (beta + low) / 2
      }
    }
    return zip(distances, p).map { ($0.0, $1) }
  }

  /// Adds point i's attraction Σ_j p_ij (1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j) to (gx, gy).
  func attract(_ i: Int, _ y: [Double], _ scale: Double, _ gx: inout Double, _ gy: inout Double) {
    for (j, p) in zip(neighbours[i], values[i]) {
      let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1])
      let q = 1 / (1 + dx * dx + dy * dy)
      gx += scale * p * q * dx
      gy += scale * p * q * dy
    }
  }
}

/// A quadtree over 2-D points, each cell holding its points' count and centre of mass.
struct QuadTree {
  private var centreX: [Double] = [], centreY: [Double] = [], half: [Double] = []
  private var massX: [Double] = [], massY: [Double] = [], count: [Int] = []
  private var firstChild: [Int] = []  // −1: a leaf
  private var point: [Int] = []  // a leaf's point, −1 when empty

  init(_ y: [Double]) {
    let n = y.count / 2
    let xs = stride(from: 0, to: 2 * n, by: 2).map { y[$0] }
    let ys = stride(from: 1, to: 2 * n, by: 2).map { y[$0] }
    let (minX, maxX, minY, maxY) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
    addCell((minX + maxX) / 2, (minY + maxY) / 2, max(maxX - minX, maxY - minY) / 2 + 1e-5)
    for i in 0..<n { insert(i, y[2 * i], y[2 * i + 1], into: 0, depth: 0) }
  }

  private mutating func addCell(_ x: Double, _ y: Double, _ h: Double) {
    centreX.append(x)
    centreY.append(y)
    half.append(h)
    massX.append(0)
    massY.append(0)
    count.append(0)
    firstChild.append(-1)
    point.append(-1)
  }

  private mutating func insert(_ i: Int, _ x: Double, _ y: Double, into cell: Int, depth: Int) {
    massX[cell] += x
    massY[cell] += y
    count[cell] += 1
    if firstChild[cell] < 0 {
      if count[cell] == 1 || depth > 40 {  // an empty leaf, or coincident points
        if point[cell] < 0 { point[cell] = i }
        return
      }
      // Split: push the resident point down.
      let resident = point[cell]
      point[cell] = -1
      firstChild[cell] = centreX.count
      let h = half[cell] / 2
      for (sx, sy) in [(-1.0, -1.0), (1, -1), (-1, 1), (1, 1)] {
        addCell(centreX[cell] + sx * h, centreY[cell] + sy * h, h)
      }
      let (rx, ry) = (
        (massX[cell] - x) / Double(count[cell] - 1), (massY[cell] - y) / Double(count[cell] - 1)
      )
      if resident >= 0 { insert(resident, rx, ry, into: child(of: cell, rx, ry), depth: depth + 1) }
    }
    insert(i, x, y, into: child(of: cell, x, y), depth: depth + 1)
  }

  private func child(of cell: Int, _ x: Double, _ y: Double) -> Int {
    firstChild[cell] + (x > centreX[cell] ? 1 : 0) + (y > centreY[cell] ? 2 : 0)
  }

  /// Adds to (fx, fy) the repulsion Σ_j q̃_ij² (y_i − y_j) on point i and returns Σ_j q̃_ij.
  func repulsion(on i: Int, _ y: [Double], theta: Double, _ fx: inout Double, _ fy: inout Double) -> Double {
    var z = 0.0
    var stack = [0]
    while let cell = stack.popLast() {
      guard count[cell] > 0, !(firstChild[cell] < 0 && point[cell] == i && count[cell] == 1) else { continue }
      let n = Double(count[cell])
      let (dx, dy) = (y[2 * i] - massX[cell] / n, y[2 * i + 1] - massY[cell] / n)
      let squared = dx * dx + dy * dy
      if firstChild[cell] < 0 || 2 * half[cell] < theta * squared.squareRoot() {
        // Coincident points in a leaf that holds i count all but i.
        let others = firstChild[cell] < 0 && point[cell] == i ? n - 1 : n
        let q = 1 / (1 + squared)
        z += others * q
        fx += others * q * q * dx
        fy += others * q * q * dy
      } else {
        for k in 0..<4 { stack.append(firstChild[cell] + k) }
      }
    }
    return z
  }
}

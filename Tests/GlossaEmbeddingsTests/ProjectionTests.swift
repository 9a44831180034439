import GlossaTensor
import Testing

@testable import GlossaEmbeddings

/// PCA and t-SNE on points whose structure is known.
@Suite struct ProjectionTests {
  /// Two tight clusters of `each` points in 10-D, far apart.
  func clusters(_ each: Int) -> [Float] {
    var random = SeededGenerator(seed: 5)
    var points: [Float] = []
    for i in 0..<2 * each {
      for c in 0..<10 { points.append((i >= each && c == 3 ? 8 : 0) + random.nextNormal() * 0.3) }
    }
    return points
  }

  @Test func pcaFindsTheDirectionOfGreatestVariance() {
    // Points along (1, 2, 2)/3 with small noise: the first component recovers their positions.
    var random = SeededGenerator(seed: 2)
    let t = (0..<50).map { _ in random.nextNormal() * 5 }
    var points: [Float] = []
    for value in t {
      for weight: Float in [1, 2, 2] { points.append(weight * value / 3 + random.nextNormal() * 0.01) }
    }
    let projected = PCA.project(points, dimension: 3)
    let first = stride(from: 0, to: projected.count, by: 2).map { projected[$0] }
    let mean = t.reduce(0, +) / Float(t.count)
    let correlation = pearsonCorrelation(first.map(Double.init), t.map { Double($0 - mean) })
    #expect(abs(correlation) > 0.9999)
    let second = stride(from: 1, to: projected.count, by: 2).map { abs(projected[$0]) }
    #expect(second.max()! < 0.1)
  }

  @Test(arguments: [TSNE.Method.exact, .barnesHut])
  func tsneKeepsClustersApart(method: TSNE.Method) {
    let each = 40
    let layout = TSNE(perplexity: 10, iterations: 400, method: method).embed(clusters(each), dimension: 10)
    func point(_ i: Int) -> (Double, Double) { (layout[2 * i], layout[2 * i + 1]) }
    func distance(_ a: Int, _ b: Int) -> Double {
      let (p, q) = (point(a), point(b))
      return ((p.0 - q.0) * (p.0 - q.0) + (p.1 - q.1) * (p.1 - q.1)).squareRoot()
    }
    // Every point's nearest neighbour in the layout is from its own cluster.
    for a in 0..<2 * each {
      let nearest = (0..<2 * each).filter { $0 != a }.min { distance(a, $0) < distance(a, $1) }!
      #expect((nearest < each) == (a < each), "point \(a)")
    }
  }

  @Test func quadTreeRepulsionWithThetaZeroIsExact() {
    var random = SeededGenerator(seed: 1)
    let y = (0..<60).map { _ in Double(random.nextNormal()) }
    let tree = QuadTree(y)
    for i in [0, 7, 29] {
      var (fx, fy) = (0.0, 0.0)
      let z = tree.repulsion(on: i, y, theta: 0, &fx, &fy)
      var (ex, ey, ez) = (0.0, 0.0, 0.0)
      for j in 0..<30 where j != i {
        let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1])
        let q = 1 / (1 + dx * dx + dy * dy)
        (ex, ey, ez) = (ex + q * q * dx, ey + q * q * dy, ez + q)
      }
      #expect(abs(z - ez) < 1e-9 && abs(fx - ex) < 1e-9 && abs(fy - ey) < 1e-9)
    }
  }
}

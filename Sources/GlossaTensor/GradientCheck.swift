/// Checks a backward pass against central differences:
/// ∂L/∂x_i ≈ (L(x + εe_i) − L(x − εe_i)) / 2ε.
public enum GradientCheck {
  /// The largest disagreement found, and where.
  public struct Result: CustomStringConvertible, Sendable {
    /// The largest |analytic − numeric| / max(1, |numeric|) over all checked elements.
    public let maxError: Double
    /// Which input and element it was found at.
    public let input: Int, element: Int
    /// The two derivatives there.
    public let analytic: Double, numeric: Double

    public var description: String {
      "input \(input), element \(element): analytic \(analytic), numeric \(numeric) (error \(maxError))"
    }
  }

  /// Compares the gradients of `L = Σ_k w_k f(inputs)_k` (fixed random weights w, summed
  /// in Double) computed by backpropagation with central differences. Inputs are marked
  /// as requiring gradients, their old gradients cleared, and perturbed in place and restored.
  public static func check(
    _ inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
  ) -> Result {
    for x in inputs {
      x.requiresGrad = true
      x.grad = nil
    }
    var generator = SeededGenerator(seed: seed)
    let probe = f(inputs)
    let weights = (0..<probe.count).map { _ in Double(generator.nextUnitFloat() * 2 - 1) }
    func loss() -> Double {
      let y = withoutGradients { f(inputs) }
      return zip(y.scalars, weights).reduce(0) { $0 + Double($1.0) * $1.1 }
    }
    probe.backward(Tensor(weights.map(Float.init), shape: probe.shape))
    var worst = Result(maxError: 0, input: 0, element: 0, analytic: 0, numeric: 0)
    for (k, x) in inputs.enumerated() {
      let analytic = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
      for i in 0..<x.count {
        let saved = x.baseAddress[i]
        x.baseAddress[i] = saved + epsilon
        let plus = loss()
        x.baseAddress[i] = saved - epsilon
        let minus = loss()
        x.baseAddress[i] = saved
        let numeric = (plus - minus) / (2 * Double(epsilon))
        let error = Swift.abs(Double(analytic[i]) - numeric) / Swift.max(1, Swift.abs(numeric))
        if error > worst.maxError {
          worst = Result(
            maxError: error, input: k, element: i, analytic: Double(analytic[i]), numeric: numeric)
        }
      }
    }
    return worst
  }
}

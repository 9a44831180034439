extension Tensor {
  /// A tensor of the given shape with every element equal to `value`.
  public static func full(_ value: Float, shape: [Int], requiresGrad: Bool = false) -> Tensor {
    Tensor(
      shape: shape, storage: Storage(repeating: value, count: Shape.count(shape)),
      requiresGrad: requiresGrad)
  }

  /// A tensor of zeros.
  public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    full(0, shape: shape, requiresGrad: requiresGrad)
  }

  /// A tensor of ones.
  public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    full(1, shape: shape, requiresGrad: requiresGrad)
  }

  /// 0, 1, …, count − 1 as a 1-D tensor.
  public static func arange(_ count: Int) -> Tensor {
    Tensor((0..<count).map(Float.init))
  }

  /// `count` evenly spaced values from `start` to `end` inclusive.
  public static func linspace(_ start: Float, _ end: Float, count: Int) -> Tensor {
    let step = count > 1 ? (end - start) / Float(count - 1) : 0
    return Tensor((0..<count).map { start + Float($0) * step })
  }

  /// Samples from the uniform distribution U(low, high).
  public static func uniform(
    _ shape: [Int], low: Float = 0, high: Float = 1, generator: inout SeededGenerator,
    requiresGrad: Bool = false
  ) -> Tensor {
    let result = Tensor(uninitialized: shape)
    result.withUnsafeMutableBufferPointer { values in
      for i in 0..<values.count {
        values[i] = low + (high - low) * generator.nextUnitFloat()
      }
    }
    result.requiresGrad = requiresGrad
    return result
  }

  /// Samples from the normal distribution N(mean, std²).
  public static func normal(
    _ shape: [Int], mean: Float = 0, std: Float = 1, generator: inout SeededGenerator,
    requiresGrad: Bool = false
  ) -> Tensor {
    let result = Tensor(uninitialized: shape)
    result.withUnsafeMutableBufferPointer { values in
      for i in 0..<values.count { values[i] = mean + std * generator.nextNormal() }
    }
    result.requiresGrad = requiresGrad
    return result
  }

  /// Xavier (Glorot) uniform initialisation of a `[fanOut, fanIn, …]` weight:
  /// U(−a, a) with a = gain · √(6 / (fanIn + fanOut)).
  public static func xavierUniform(
    _ shape: [Int], gain: Float = 1, generator: inout SeededGenerator,
    requiresGrad: Bool = true
  ) -> Tensor {
    let (fanIn, fanOut) = fans(shape)
    let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
    return uniform(
      shape, low: -bound, high: bound, generator: &generator, requiresGrad: requiresGrad)
  }

  /// Kaiming (He) uniform initialisation for ReLU layers: U(−b, b) with
  /// b = gain · √(3 / fanIn), gain = √2 by default.
  public static func kaimingUniform(
    _ shape: [Int], gain: Float = Float(2).squareRoot(), generator: inout SeededGenerator,
    requiresGrad: Bool = true
  ) -> Tensor {
    let bound = gain * (3 / Float(fans(shape).fanIn)).squareRoot()
    return uniform(
      shape, low: -bound, high: bound, generator: &generator, requiresGrad: requiresGrad)
  }

  /// Kaiming (He) normal initialisation: N(0, gain² / fanIn).
  public static func kaimingNormal(
    _ shape: [Int], gain: Float = Float(2).squareRoot(), generator: inout SeededGenerator,
    requiresGrad: Bool = true
  ) -> Tensor {
    let std = gain / Float(fans(shape).fanIn).squareRoot()
    return normal(shape, std: std, generator: &generator, requiresGrad: requiresGrad)
  }

  /// Fan-in and fan-out of a weight laid out `[out, in, receptive field…]`, as PyTorch computes them.
  static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    require(shape.count >= 2, "initialiser: a weight needs at least 2 axes, got \(shape)")
    let receptive = Shape.count(Array(shape[2...]))
    return (shape[1] * receptive, shape[0] * receptive)
  }
}

import GlossaTensor

/// Layers applied one after another; their parameters are named `0.weight`, `1.bias`, …
/// as in `torch.nn.Sequential`.
public class Sequential: Layer {
  /// The layers, in order.
  public let layers: [any Layer]

  /// A chain of layers.
  public init(_ layers: [any Layer]) { self.layers = layers }

  /// A chain of layers.
  public convenience init(_ layers: any Layer...) { self.init(layers) }

  public var children: [(name: String, value: Any)] {
    layers.enumerated().map { (name: String($0.offset), value: $0.element as Any) }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { x, layer in layer(x) }
  }
}

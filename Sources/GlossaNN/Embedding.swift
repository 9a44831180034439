import GlossaTensor

/// A lookup table from token ids to learned vectors (`torch.nn.Embedding`).
public final class Embedding: Module {
  /// The table, `[count, dimension]`.
  public let weight: Tensor
  /// The id whose vector stays zero and gets no gradient (padding), if any.
  public let paddingIndex: Int?

  /// A table initialised from N(0, 1), as PyTorch does, with the padding row zeroed.
  public init(count: Int, dimension: Int, paddingIndex: Int? = nil, seed: UInt64 = 0) {
    require(
      paddingIndex.map { $0 >= 0 && $0 < count } ?? true,
      "Embedding: padding index \(paddingIndex!) is outside 0..<\(count)")
    var generator = SeededGenerator(seed: seed)
    weight = Tensor.normal([count, dimension], generator: &generator, requiresGrad: true)
    self.paddingIndex = paddingIndex
    if let paddingIndex {
      weight.withUnsafeMutableBufferPointer { table in
        for j in 0..<dimension { table[paddingIndex * dimension + j] = 0 }
      }
    }
  }

  /// The vectors of `ids` (flat, row-major, laid out as `shape`): `[shape…, dimension]`.
  public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
    let count = weight.shape[0]
    for id in ids {
      require(id >= 0 && id < count, "Embedding: id \(id) is outside 0..<\(count)")
    }
    let vectors = weight.indexSelect(axis: 0, indices: ids)
    let result = vectors.reshaped(shape + [weight.shape[1]])
    guard let paddingIndex, result.requiresGrad else { return result }
    // The padding row receives no gradient: mask the incoming gradient's padding rows.
    let mask = Tensor(ids.map { $0 == paddingIndex ? 0 : 1 }, shape: shape + [1])
    return Tensor.record(result.detached(), op: "embedding", inputs: [result]) { g in
      [g * mask]
    }
  }

  /// The vectors of a 1-D list of ids: `[ids.count, dimension]`.
  public func callAsFunction(_ ids: [Int]) -> Tensor { self(ids, shape: [ids.count]) }
}

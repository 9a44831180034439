/// The binary tree of hierarchical softmax (Morin & Bengio 2005; word2vec's Huffman coding):
/// frequent words get short paths. P(w | context) is the product, over the inner nodes n on
/// the path from the root to w, of σ(±v_n · h), the sign given by the branch taken; so a
/// step costs O(log V) dot products instead of V.
struct HuffmanTree: Sendable {
  /// Each word's path: the inner nodes (0 ..< V−1, the root is V−2) and the branch taken at
  /// each (0 or 1), stored flat; word w's span is `start[w] ..< start[w + 1]`.
  let start: [Int32]
  let nodes: [Int32]
  let codes: [UInt8]

  /// Builds the tree from counts sorted in decreasing order (word2vec's linear-time
  /// construction: two queues, leaves and new inner nodes, both in increasing order).
  init(counts: [Int]) {
    let n = counts.count
    guard n > 1 else {
      (start, nodes, codes) = ([0, 0], [], [])
      return
    }
    // Node i < n is leaf i; node n + k is inner node k.
    var weight = counts + [Int](repeating: .max, count: n - 1)
    var parent = [Int](repeating: 0, count: 2 * n - 1)
    var branch = [UInt8](repeating: 0, count: 2 * n - 1)
    var leaf = n - 1  // the smallest unused leaf (counts decrease)
    var inner = n  // the smallest unused inner node
    func smallest() -> Int {
      if leaf >= 0 && weight[leaf] < weight[inner] {
        leaf -= 1
        return leaf + 1
      }
      inner += 1
      return inner - 1
    }
    for k in 0..<(n - 1) {
      let (first, second) = (smallest(), smallest())
      weight[n + k] = weight[first] + weight[second]
      parent[first] = n + k
      parent[second] = n + k
      branch[second] = 1
    }
    var start: [Int32] = [0]
    var nodes: [Int32] = []
    var codes: [UInt8] = []
    let root = 2 * n - 2
    for word in 0..<n {
      var path: [(node: Int32, code: UInt8)] = []
      var node = word
      while node != root {
        path.append((Int32(parent[node] - n), branch[node]))
        node = parent[node]
      }
      for step in path.reversed() {
        nodes.append(step.node)
        codes.append(step.code)
      }
      start.append(Int32(nodes.count))
    }
    (self.start, self.nodes, self.codes) = (start, nodes, codes)
  }
}

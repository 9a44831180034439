/// Learns a byte-pair encoding from a corpus, as the lecture describes: split words into
/// characters plus an end-of-word marker, count adjacent pairs, merge the most frequent,
/// repeat.
///
/// Pair counts are kept up to date as merges happen, touching only the words that contain
/// the merged pair, and the next pair comes from a priority queue, so no merge recounts
/// the corpus.
///
/// Ties: among pairs of equal count, the one seen earliest in the corpus wins (words in
/// order of first appearance, then position in the word). This reproduces the lecture's
/// choices: (e, s) before (s, t) and (t, _), (l, o) before (o, w).
public struct BPETrainer: Sendable {
  /// How words end.
  public var endOfWord: EndOfWord = .symbol("_")
  /// The most merges to learn.
  public var merges: Int? = nil
  /// The vocabulary size to stop at (alphabet plus merges).
  public var vocabularySize: Int? = nil
  /// Pairs seen fewer times are never merged.
  public var minimumFrequency = 1
  /// The unknown token of the trained model (nil for byte-level models, which need none).
  public var unknownToken: String? = "[UNK]"
  /// Tokens put first in the vocabulary (ids 0, 1, …), as HuggingFace's trainers do.
  public var specialTokens: [String] = []
  /// Symbols in the alphabet whether or not the corpus has them (byte-level BPE: all 256 bytes).
  public var initialAlphabet: [String] = []
  /// A prefix marking symbols that continue a word (WordPiece's `##`); merged symbols keep
  /// the left one's prefix only.
  public var continuingPrefix: String? = nil

  /// A trainer. The vocabulary size counts the special tokens and the unknown token.
  public init(
    endOfWord: EndOfWord = .symbol("_"), merges: Int? = nil, vocabularySize: Int? = nil,
    minimumFrequency: Int = 1, unknownToken: String? = "[UNK]", specialTokens: [String] = []
  ) {
    self.endOfWord = endOfWord
    self.merges = merges
    self.vocabularySize = vocabularySize
    self.minimumFrequency = minimumFrequency
    self.unknownToken = unknownToken
    self.specialTokens = specialTokens
  }

  /// One learned merge, for a walk-through: its number, the pair and how often it occurred.
  public struct Step: Sendable, Equatable {
    /// 1 for the first merge learned.
    public let number: Int
    /// The rule learned.
    public let merge: BPEModel.Merge
    /// How often the pair occurred when it was merged.
    public let count: Int
    /// The vocabulary size after this merge (alphabet, special tokens and merges).
    public let vocabularySize: Int
  }

  /// Trains on a list of words; `onMerge` sees every merge as it is learned.
  public func train(words: [String], onMerge: ((Step) -> Void)? = nil) throws -> BPEModel {
    var counts: [String: Int] = [:]
    var order: [String] = []
    for word in words where !word.isEmpty {
      if counts[word] == nil { order.append(word) }
      counts[word, default: 0] += 1
    }
    return try train(wordCounts: order.map { ($0, counts[$0]!) }, onMerge: onMerge)
  }

  /// Trains on distinct words with their counts, in order of first appearance (as
  /// ``WordCounter`` gives them).
  public func train(wordCounts: [(word: String, count: Int)], onMerge: ((Step) -> Void)? = nil) throws
    -> BPEModel
  {
    guard merges != nil || vocabularySize != nil else { throw TokenizerTrainingError.noLimit }
    var state = PairState(
      wordCounts: wordCounts, endOfWord: endOfWord, initialAlphabet: initialAlphabet,
      continuingPrefix: continuingPrefix)
    guard state.wordCount > 0 else { throw TokenizerTrainingError.emptyCorpus }
    var learned: [BPEModel.Merge] = []
    let reserved = Set(specialTokens + (unknownToken.map { [$0] } ?? [])).count
    let limit = min(merges ?? .max, (vocabularySize ?? .max) - state.symbols.count - reserved)
    while learned.count < limit, let (pair, count) = state.popBest(), count >= max(minimumFrequency, 1) {
      let (left, right) = (state.symbols[Int(pair.left)], state.symbols[Int(pair.right)])
      let joined = continuingPrefix.map {
        right.hasPrefix($0) ? left + right.dropFirst($0.count) : left + right
      }
      let merge = BPEModel.Merge(left, right, result: joined)
      state.merge(pair, into: merge.result)
      learned.append(merge)
      onMerge?(
        Step(
          number: learned.count, merge: merge, count: count, vocabularySize: reserved + state.symbols.count))
    }
    return BPEModel(
      symbols: specialTokens + state.alphabet + learned.map(\.result), merges: learned, endOfWord: endOfWord,
      unknownToken: unknownToken)
  }
}

/// The corpus as unique words of symbol ids with their counts, and the pair statistics.
struct PairState {
  struct Pair: Hashable {
    let left: Int32, right: Int32
    var key: UInt64 { pairKey(left, right) }
  }

  /// Symbol strings by id.
  var symbols: [String] = []
  var symbolIDs: [String: Int32] = [:]
  /// The initial symbols in first-appearance order, end-of-word marker last.
  var alphabet: [String] = []
  /// Unique words, in first-appearance order, stored one after another in flat arrays (no
  /// array per word, so that visiting the words of a pair reads nearby memory): word w's
  /// symbols are `symbolStore[wordStart[w] ..< wordStart[w] + wordLength[w]]`, and
  /// `startStore` says where each symbol's first character sits in the word (for the
  /// tie-breaking position). A merge shortens a word in place.
  var symbolStore: [Int32] = []
  var startStore: [Int32] = []
  var wordStart: [Int] = []
  var wordLength: [Int] = []
  var wordCounts: [Int] = []
  /// The number of unique words.
  var wordCount: Int { wordStart.count }
  /// Every pair ever seen gets a slot; these arrays are indexed by slot.
  var slots = IntegerKeyTable<Int32>(capacity: 1 << 16, filler: -1)
  var pairs: [Pair] = []
  var pairCounts: [Int] = []
  /// The earliest (word, character) at which each pair has been seen.
  var firstSeen: [Int] = []
  /// The words in which each pair occurs (may hold words where it no longer does).
  var occurrences: [[Int32]] = []
  /// The merge that last touched each pair (to push it to the queue once per merge).
  var touchedBy: [Int] = []
  /// The merge that last rewrote each word (to visit it once per merge).
  var visitedBy: [Int] = []
  var queue = Heap()

  init(
    wordCounts counted: [(word: String, count: Int)], endOfWord: EndOfWord, initialAlphabet: [String] = [],
    continuingPrefix: String? = nil
  ) {
    let unique = counted.map(\.word)
    wordCounts = counted.map(\.count)
    for symbol in initialAlphabet where symbolIDs[symbol] == nil {
      symbolIDs[symbol] = Int32(symbols.count)
      symbols.append(symbol)
      alphabet.append(symbol)
    }
    var marker: String? = nil
    if case .symbol(let m) = endOfWord { marker = m }
    for word in unique {
      var pieces = endOfWord.symbols(of: word)
      if let prefix = continuingPrefix {
        for i in pieces.indices.dropFirst() { pieces[i] = prefix + pieces[i] }
      }
      wordStart.append(symbolStore.count)
      wordLength.append(pieces.count)
      for (k, piece) in pieces.enumerated() {
        if let id = symbolIDs[piece] {
          symbolStore.append(id)
        } else {
          symbolStore.append(Int32(symbols.count))
          symbolIDs[piece] = Int32(symbols.count)
          symbols.append(piece)
          if piece != marker { alphabet.append(piece) }
        }
        startStore.append(Int32(k))
      }
    }
    if let marker, symbolIDs[marker] != nil { alphabet.append(marker) }
    visitedBy = [Int](repeating: -1, count: wordCount)
    for w in 0..<wordCount {
      let base = wordStart[w]
      for i in base..<(base + wordLength[w] - 1) {
        add(Pair(left: symbolStore[i], right: symbolStore[i + 1]), w, startStore[i], 1)
      }
    }
    for slot in pairs.indices where pairCounts[slot] > 0 {
      queue.push(count: pairCounts[slot], position: firstSeen[slot], slot: Int32(slot))
    }
  }

  /// The slot of `pair`, created if new.
  @inline(__always)
  mutating func slot(_ pair: Pair) -> Int {
    if let slot = slots.value(of: pair.key) { return Int(slot) }
    slots.insertIfAbsent(pair.key, Int32(pairs.count))
    pairs.append(pair)
    pairCounts.append(0)
    firstSeen.append(.max)
    occurrences.append([])
    touchedBy.append(-1)
    return pairs.count - 1
  }

  /// Counts (`sign` 1) or uncounts (−1) one occurrence of `pair` in word `w`, whose left
  /// symbol starts at character `start`, and returns the pair's slot. The tie-breaking
  /// position: earlier words first, then earlier characters.
  @discardableResult
  mutating func add(_ pair: Pair, _ w: Int, _ start: Int32, _ sign: Int) -> Int {
    let s = slot(pair)
    pairCounts[s] += sign * wordCounts[w]
    if sign > 0 {
      firstSeen[s] = min(firstSeen[s], w << 20 | Int(start))
      occurrences[s].append(Int32(w))
    }
    return s
  }

  /// The most frequent pair (earliest seen on ties) and its count, skipping stale entries.
  mutating func popBest() -> (Pair, Int)? {
    while let top = queue.pop() {
      let count = pairCounts[Int(top.slot)]
      if count == top.count && count > 0 { return (pairs[Int(top.slot)], count) }
    }
    return nil
  }

  /// Replaces every occurrence of `pair` by a new symbol, updating the neighbours' counts.
  mutating func merge(_ pair: Pair, into text: String) {
    let id = Int32(symbols.count)
    let merge = Int(id)
    symbols.append(text)
    symbolIDs[text] = id
    let merged = slot(pair)
    var touched: [Int] = []
    func touch(_ s: Int) {
      if touchedBy[s] != merge {
        touchedBy[s] = merge
        touched.append(s)
      }
    }
    var wordsOfPair: [Int32] = []
    swap(&wordsOfPair, &occurrences[merged])
    // The flat stores are taken out (no copy on write) and put back below.
    var symbolsOfWords: [Int32] = []
    var startsOfWords: [Int32] = []
    swap(&symbolsOfWords, &symbolStore)
    swap(&startsOfWords, &startStore)
    for w32 in wordsOfPair where visitedBy[Int(w32)] != merge {
      let w = Int(w32)
      visitedBy[w] = merge
      let base = wordStart[w]
      var end = base + wordLength[w]
      var i = base
      while i < end - 1 {
        guard symbolsOfWords[i] == pair.left && symbolsOfWords[i + 1] == pair.right else {
          i += 1
          continue
        }
        if i > base {
          touch(add(Pair(left: symbolsOfWords[i - 1], right: pair.left), w, startsOfWords[i - 1], -1))
        }
        if i + 2 < end {
          touch(add(Pair(left: pair.right, right: symbolsOfWords[i + 2]), w, startsOfWords[i + 1], -1))
        }
        // The pair becomes one symbol: the rest of the word moves one place left.
        symbolsOfWords[i] = id
        for k in (i + 1)..<(end - 1) {
          symbolsOfWords[k] = symbolsOfWords[k + 1]
          startsOfWords[k] = startsOfWords[k + 1]
        }
        end -= 1
        if i > base { touch(add(Pair(left: symbolsOfWords[i - 1], right: id), w, startsOfWords[i - 1], 1)) }
        if i + 1 < end {
          touch(add(Pair(left: id, right: symbolsOfWords[i + 1]), w, startsOfWords[i], 1))
        }
        i += 1
      }
      wordLength[w] = end - base
    }
    swap(&symbolsOfWords, &symbolStore)
    swap(&startsOfWords, &startStore)
    pairCounts[merged] = 0
    for s in touched where pairCounts[s] > 0 {
      queue.push(count: pairCounts[s], position: firstSeen[s], slot: Int32(s))
    }
  }
}

/// A binary max-heap of pairs by (count, earliest position).
struct Heap {
  struct Entry {
    let count: Int, position: Int
    let slot: Int32
    func outranks(_ other: Entry) -> Bool {
      if count != other.count { return count > other.count }
      return position != other.position ? position < other.position : slot < other.slot
    }
  }
  private var entries: [Entry] = []

  mutating func push(count: Int, position: Int, slot: Int32) {
    entries.append(Entry(count: count, position: position, slot: slot))
    var i = entries.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard entries[i].outranks(entries[parent]) else { break }
      entries.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> Entry? {
    guard !entries.isEmpty else { return nil }
    entries.swapAt(0, entries.count - 1)
    let top = entries.removeLast()
    var i = 0
    while true {
      let (l, r) = (2 * i + 1, 2 * i + 2)
      var best = i
      if l < entries.count && entries[l].outranks(entries[best]) { best = l }
      if r < entries.count && entries[r].outranks(entries[best]) { best = r }
      guard best != i else { break }
      entries.swapAt(i, best)
      i = best
    }
    return top
  }
}

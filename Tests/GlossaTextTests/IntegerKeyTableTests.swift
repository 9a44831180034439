import Testing

@testable import GlossaText

@Suite struct IntegerKeyTableTests {
  @Test func valuesSurviveGrowthAndTheFirstInsertionWins() {
    var table = IntegerKeyTable<Int32>(capacity: 4, filler: -1)
    var state: UInt64 = 1
    var keys: [UInt64] = [0]  // key 0 is an ordinary key
    for _ in 0..<5000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1
      keys.append(state >> 1)  // never UInt64.max
    }
    let added = keys.enumerated().map { table.insertIfAbsent($0.element, Int32($0.offset)) }
    #expect(added.allSatisfy { $0 })
    let again = table.insertIfAbsent(keys[7], -5)
    #expect(!again)
    #expect(table.count == keys.count)
    #expect(keys.enumerated().allSatisfy { table.value(of: $0.element) == Int32($0.offset) })
    #expect(table.value(of: 12345) == nil)
    #expect(Set(table.keysAndValues.map(\.key)) == Set(keys))
  }

  @Test func updatesAddUpAndRemoveAllEmpties() {
    var table = IntegerKeyTable<Float>(capacity: 2, filler: 0)
    for k in 0..<1000 { table.update(pairKey(Int32(k % 10), Int32(k % 7)), initial: 0) { $0 += 0.5 } }
    #expect(table.count == 70)  // 10 × 7 residue pairs
    #expect(table.keysAndValues.map(\.value).reduce(0, +) == 500)
    #expect(table.value(of: pairKey(3, 3)) != nil && table.value(of: pairKey(3, 8)) == nil)
    table.removeAll()
    #expect(table.count == 0 && table.value(of: pairKey(3, 3)) == nil)
  }
}

import Testing

@testable import GlossaText

@Suite struct FlatHashTableTests {
  @Test func slotsAreDenseAndSurviveGrowth() {
    var table = FlatHashTable(capacity: 4)
    var state: UInt64 = 1
    var keys: [UInt64] = [0]  // key 0 is an ordinary key
    for _ in 0..<5000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1
      keys.append(state)
    }
    for (i, key) in keys.enumerated() { #expect(table.insert(key) == Int32(i)) }
    #expect(table.count == keys.count)
    #expect(keys.enumerated().allSatisfy { table.slot(of: $0.element) == Int32($0.offset) })
    #expect(table.slot(of: 12345) == nil)
  }

  @Test func equalKeysAreTellApartByTheirConfirmation() {
    // Fingerprint collisions: the same key for two different terms.
    var table = FlatHashTable()
    let first = table.insert(7)
    let second = table.insert(7)
    #expect(table.slot(of: 7) { $0 == first } == first)
    #expect(table.slot(of: 7) { $0 == second } == second)
    #expect(table.slot(of: 7) { _ in false } == nil)
  }
}

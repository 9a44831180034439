import GlossaNN
import GlossaTensor
import TestSupport
import Testing

@Suite struct RecurrentStepperTests {
  func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -scale, high: scale, generator: &g)
  }

  func step(_ x: Tensor, _ t: Int) -> Tensor {
    x.slice(axis: 0, range: t..<(t + 1)).reshaped([x.shape[1], x.shape[2]])
  }

  /// Batches of 3 and 13 rows: the recurrent product by BLAS, and on W_hh packed once (past
  /// the packed kernel's blocks of twelve rows).
  @Test(arguments: RecurrentKind.allCases, [3, 13])
  func stepsGiveTheWholeSequencesOutputsAndState(_ kind: RecurrentKind, batch B: Int) {
    let (T, I, H, L) = (6, 4, 5, 2)
    let network = RecurrentNetwork(kind: kind, inputSize: I, hiddenSize: H, layers: L, seed: 7)
    network.eval()
    let x = random([T, B, I], seed: 1)
    let initial = RecurrentState(
      hidden: random([L, B, H], seed: 2, scale: 0.5),
      cell: kind.hasCellState ? random([L, B, H], seed: 3, scale: 0.5) : nil)
    let whole = withoutGradients { network(x, state: initial) }
    let stepper = RecurrentStepper(network, state: initial)
    #expect(stepper.batch == B)
    let outputs = (0..<T).map { stepper.step(step(x, $0)) }
    let tolerance = Tolerance.forward
    #expect(
      mismatch(
        Tensor.stack(outputs, axis: 0), whole.output, relative: tolerance.relative,
        absolute: tolerance.absolute)
        == nil)
    #expect(
      mismatch(
        stepper.state.hidden, whole.state.hidden, relative: tolerance.relative, absolute: tolerance.absolute)
        == nil)
    if let cell = whole.state.cell {
      #expect(
        mismatch(stepper.state.cell!, cell, relative: tolerance.relative, absolute: tolerance.absolute) == nil
      )
    } else {
      #expect(stepper.state.cell == nil)
    }
  }

  @Test func sequencesLeaveAndJoinBetweenSteps() {
    let (I, H, L) = (3, 4, 2)
    let network = RecurrentNetwork(kind: .lstm, inputSize: I, hiddenSize: H, layers: L, seed: 2)
    let x = random([5, 4, I], seed: 9)
    // Alone, each of four sequences from zeros.
    let alone = (0..<4).map { b -> [Tensor] in
      let stepper = RecurrentStepper(network, batch: 1)
      return (0..<5).map { t in stepper.step(step(x, t).slice(axis: 0, range: b..<(b + 1))) }
    }
    // Together: sequences 0, 1, 2 start; 1 leaves after two steps; 3 joins then, from the
    // state it would have had after two steps alone.
    let together = RecurrentStepper(network, batch: 3)
    var seen: [[Tensor]] = [[], [], [], []]
    var rows = [0, 1, 2]
    for t in 0..<5 {
      if t == 2 {
        together.keep(rows: [0, 2])
        let late = RecurrentStepper(network, batch: 1)
        for u in 0..<2 { _ = late.step(step(x, u).slice(axis: 0, range: 3..<4)) }
        together.append(late.state)
        rows = [0, 2, 3]
      }
      let input = Tensor.concatenate(rows.map { step(x, t).slice(axis: 0, range: $0..<($0 + 1)) }, axis: 0)
      let output = together.step(input)
      for (k, sequence) in rows.enumerated() {
        seen[sequence].append(output.slice(axis: 0, range: k..<(k + 1)))
      }
    }
    #expect(together.batch == 3 && seen[1].count == 2 && seen[3].count == 3)
    for sequence in 0..<4 {
      let expected =
        sequence == 3 ? Array(alone[3].suffix(3)) : Array(alone[sequence].prefix(seen[sequence].count))
      for (a, b) in zip(seen[sequence], expected) {
        #expect(mismatch(a, b, relative: 1e-5, absolute: 1e-6) == nil, "sequence \(sequence)")
      }
    }
  }

  /// Beam search's reordering: rows kept in another order and more than once (the batch grows),
  /// each going on from the state of the row it copies.
  @Test(arguments: [RecurrentKind.lstm, .gru])
  func rowsAreReorderedAndRepeated(kind: RecurrentKind) {
    let (I, H, L) = (3, 4, 2)
    let network = RecurrentNetwork(kind: kind, inputSize: I, hiddenSize: H, layers: L, seed: 4)
    let x = random([2, 3, I], seed: 5)
    let stepper = RecurrentStepper(network, batch: 3)
    _ = stepper.step(step(x, 0))
    let before = stepper.state
    let kept = [2, 0, 0, 1, 2]
    stepper.keep(rows: kept)
    let after = stepper.state
    #expect(stepper.batch == 5)
    for (target, row) in kept.enumerated() {
      #expect(
        after.hidden.slice(axis: 1, range: target..<(target + 1)).scalars
          == before.hidden.slice(axis: 1, range: row..<(row + 1)).scalars)
      if let cell = after.cell {
        #expect(
          cell.slice(axis: 1, range: target..<(target + 1)).scalars
            == before.cell!.slice(axis: 1, range: row..<(row + 1)).scalars)
      }
    }
    // The next step of each row is that of its source row's sequence stepped alone.
    let input = random([5, I], seed: 6)
    let output = stepper.step(input)
    for (target, row) in kept.enumerated() {
      let alone = RecurrentStepper(
        network,
        state: RecurrentState(
          hidden: before.hidden.slice(axis: 1, range: row..<(row + 1)),
          cell: before.cell?.slice(axis: 1, range: row..<(row + 1))))
      let expected = alone.step(input.slice(axis: 0, range: target..<(target + 1)))
      #expect(
        mismatch(
          output.slice(axis: 0, range: target..<(target + 1)), expected, relative: 1e-5, absolute: 1e-6)
          == nil, "row \(target)")
    }
  }
}

import Foundation
import GlossaText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard output through one buffer: text is appended as bytes and written about a megabyte
/// at a time, so a command that prints a token at a time makes few system calls and no
/// `print` per line. A closed pipe (`glossa tokenize … | head -1`) ends the process quietly
/// with status 0.
final class OutputBuffer {
  /// Appended to from one thread, a token at a time: accesses never overlap, so they go
  /// unchecked (a checked one costs more than appending a byte).
  @exclusivity(unchecked) private var bytes: [UInt8] = []
  private let capacity = 1 << 20

  init() {
    // A closed pipe becomes EPIPE from write(2), handled below, instead of a signal.
    signal(SIGPIPE, SIG_IGN)
    bytes.reserveCapacity(capacity + 4096)
  }

  deinit { flush() }

  func append(_ buffer: UnsafeBufferPointer<UInt8>) {
    if buffer.count >= capacity {
      // Large: what is held first, then the buffer itself, without copying it.
      flush()
      writeAll(UnsafeRawBufferPointer(buffer))
    } else {
      bytes.append(contentsOf: buffer)
      if bytes.count >= capacity { flush() }
    }
  }

  func append(_ byte: UInt8) { bytes.append(byte) }

  /// Appends what `write` writes straight into the buffer.
  func append(writing write: (inout [UInt8]) -> Void) {
    write(&bytes)
    if bytes.count >= capacity { flush() }
  }

  func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  /// An integer in decimal, without going through `String`.
  func append(_ value: Int) { bytes.appendDecimal(value) }

  /// Appends the output of `count` items made on every core at once: each core writes a
  /// range of them (the ranges in order, of about the same size) into bytes of its own with
  /// `write`, and the ranges' bytes are appended in order.
  func append(itemCount count: Int, _ write: @Sendable (Range<Int>, inout [UInt8]) -> Void) {
    let parts = min(ProcessInfo.processInfo.activeProcessorCount, max(1, count / 64))
    let ranges = (0..<parts).map { k in (count * k / parts)..<(count * (k + 1) / parts) }
    var results = [[UInt8]](repeating: [], count: parts)
    results.withUnsafeMutableBufferPointer { results in
      nonisolated(unsafe) let results = results
      DispatchQueue.concurrentPerform(iterations: parts) { k in write(ranges[k], &results[k]) }
    }
    for result in results { result.withUnsafeBufferPointer { append($0) } }
  }

  /// Writes what is buffered to standard output.
  func flush() {
    bytes.withUnsafeBytes { writeAll($0) }
    bytes.removeAll(keepingCapacity: true)
  }

  private func writeAll(_ raw: UnsafeRawBufferPointer) {
    var written = 0
    while written < raw.count {
      let n = write(1, raw.baseAddress! + written, raw.count - written)
      if n >= 0 {
        written += n
      } else if errno == EPIPE {
        exit(0)  // the reader has gone: nothing more to say to it
      } else if errno != EINTR {
        FileHandle.standardError.write(
          Data("glossa: cannot write to standard output (errno \(errno))\n".utf8))
        exit(1)
      }
    }
  }
}

/// Standard input (or a file) read in blocks that end at a line end, so a long input is
/// never held whole and each block can be split between threads. A block's bytes are
/// checked as UTF-8; an invalid byte is an error naming its offset in the whole input.
struct LineBlocks {
  let descriptor: Int32
  let name: String
  let replacingInvalid: Bool
  let blockSize: Int

  init(descriptor: Int32 = 0, name: String = "<stdin>", replacingInvalid: Bool, blockSize: Int = 8 << 20) {
    (self.descriptor, self.name, self.replacingInvalid, self.blockSize) =
      (descriptor, name, replacingInvalid, max(blockSize, 1))
  }

  /// Calls `body` with each block of whole lines (the last may lack its line end), in order.
  /// A block is read until it is full (a line longer than a block makes it grow) or the
  /// input ends, and cut after its last line end; the rest starts the next block.
  func forEach(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    var buffer = [UInt8](repeating: 0, count: blockSize)
    var (filled, offset) = (0, 0)  // bytes held; the offset of the first in the whole input
    var ended = false
    while !ended {
      if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
      while filled < buffer.count {
        let n = buffer.withUnsafeMutableBytes {
          read(descriptor, $0.baseAddress! + filled, $0.count - filled)
        }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { throw ValidationErrorMessage("\(name): cannot read (errno \(errno))") }
        if n == 0 {
          ended = true
          break
        }
        filled += n
      }
      // The last line end is near the block's end: searched from there.
      let end = ended ? filled : (buffer[..<filled].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
      guard end > 0 else { continue }
      try buffer.withUnsafeBufferPointer {
        try checked(UnsafeBufferPointer(rebasing: $0[..<end]), at: offset, body)
      }
      buffer.withUnsafeMutableBytes { raw in
        if filled > end { memmove(raw.baseAddress!, raw.baseAddress! + end, filled - end) }
      }
      (filled, offset) = (filled - end, offset + end)
    }
  }

  /// Calls `body` with the block itself when it is valid UTF-8, with invalid sequences
  /// replaced by U+FFFD when asked; otherwise throws at the first invalid byte.
  private func checked(
    _ block: UnsafeBufferPointer<UInt8>, at offset: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
  ) throws {
    if isASCII(block) || String(validating: block, as: UTF8.self) != nil { return try body(block) }
    if replacingInvalid {
      var repaired = String(decoding: block, as: UTF8.self)
      return try repaired.withUTF8(body)
    }
    do {
      _ = try decodeUTF8(block, file: name)
    } catch let error as InvalidUTF8Error {
      throw InvalidUTF8Error(file: name, byteOffset: offset + error.byteOffset)
    }
  }
}

/// An error whose description is its message.
struct ValidationErrorMessage: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

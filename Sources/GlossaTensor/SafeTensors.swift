import Foundation

/// Why a safetensors file could not be read or written.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
  /// The file (or "<memory>" for in-memory data).
  public let file: String
  /// Where: `byte N`, `header`, or `tensor "NAME"`; empty for a file that cannot be read.
  public let location: String
  /// What was wrong.
  public let reason: String

  /// An error at `location` in `file`.
  public init(file: String, location: String = "", reason: String) {
    (self.file, self.location, self.reason) = (file, location, reason)
  }

  public var description: String {
    location.isEmpty ? "\(file): \(reason)" : "\(file): \(location): \(reason)"
  }
}

/// The element types of the safetensors format that Glossa reads and writes.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
  case F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .F64, .I64: 8
    case .F32, .I32: 4
    case .F16, .BF16, .I16: 2
    case .I8, .U8, .BOOL: 1
    }
  }
}

/// A safetensors file (the format of HuggingFace and `safetensors.torch`): an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte
/// range, then the raw little-endian data.
///
/// Reading validates everything before any tensor is touched: the header length against
/// the file size, the JSON, each dtype, that each byte range fits the data, matches the
/// shape and does not overlap another.
public struct SafeTensors {
  /// One stored tensor: its type, shape and raw bytes.
  public struct Entry {
    /// The element type.
    public let dtype: SafeTensorsDType
    /// The size of each axis.
    public let shape: [Int]
    /// The raw little-endian elements.
    public let bytes: Data
  }

  /// The tensors by name.
  public private(set) var entries: [String: Entry] = [:]
  /// The file it was read from, for errors ("<memory>" when made or parsed in memory).
  public private(set) var file = "<memory>"
  /// The free-form string metadata of the header's `__metadata__`.
  public var metadata: [String: String] = [:]

  /// An empty file, to add tensors to.
  public init() {}

  /// Parses a file's contents; `file` names it in errors.
  public init(data: Data, file: String = "<memory>") throws {
    self.file = file
    func fail(_ location: String, _ reason: String) -> SafeTensorsError {
      SafeTensorsError(file: file, location: location, reason: reason)
    }
    guard data.count >= 8 else {
      throw fail("byte 0", "the file has \(data.count) bytes, fewer than the 8-byte header length")
    }
    let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) {
      $0 | UInt64($1.element) << (8 * UInt64($1.offset))
    }
    guard headerLength <= UInt64(data.count - 8) else {
      throw fail(
        "byte 0", "the header length \(headerLength) runs past the end of the file (\(data.count) bytes)")
    }
    let start = data.startIndex
    let headerData = data[(start + 8)..<(start + 8 + Int(headerLength))]
    guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
      throw fail("header (bytes 8..<\(8 + headerLength))", "not a JSON object")
    }
    let dataStart = start + 8 + Int(headerLength)
    let dataSize = data.count - 8 - Int(headerLength)
    var ranges: [(Int, Int, String)] = []
    for (name, value) in header {
      if name == "__metadata__" {
        guard let metadata = value as? [String: String] else {
          throw fail("header.__metadata__", "not an object of strings")
        }
        self.metadata = metadata
        continue
      }
      guard let info = value as? [String: Any],
        let dtypeName = info["dtype"] as? String,
        let shapeValues = info["shape"] as? [Any],
        let offsetValues = info["data_offsets"] as? [Any]
      else { throw fail("tensor \"\(name)\"", "lacks dtype, shape or data_offsets") }
      guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
        throw fail("tensor \"\(name)\"", "unknown dtype \(dtypeName)")
      }
      let shape = try shapeValues.map { v -> Int in
        guard let n = (v as? NSNumber)?.intValue, n >= 0 else {
          throw fail("tensor \"\(name)\"", "an invalid shape \(shapeValues)")
        }
        return n
      }
      let offsets = offsetValues.compactMap { ($0 as? NSNumber)?.intValue }
      guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize
      else {
        throw fail(
          "tensor \"\(name)\"", "data_offsets \(offsetValues) outside the data section (\(dataSize) bytes)")
      }
      // The shape's byte count, refused when it overflows (a shape no file can hold).
      var expected: Int? = shape.contains(0) ? 0 : dtype.size
      for n in shape {
        guard let bytes = expected else { break }
        let (product, overflow) = bytes.multipliedReportingOverflow(by: n)
        expected = overflow ? nil : product
      }
      guard let expected, offsets[1] - offsets[0] == expected else {
        throw fail(
          "tensor \"\(name)\"",
          "spans \(offsets[1] - offsets[0]) bytes, but \(dtype) \(shape) needs "
            + (expected.map { "\($0)" } ?? "more than any file holds")
        )
      }
      ranges.append((offsets[0], offsets[1], name))
      entries[name] = Entry(
        dtype: dtype, shape: shape,
        bytes: data[(dataStart + offsets[0])..<(dataStart + offsets[1])])
    }
    ranges.sort { ($0.0, $0.1) < ($1.0, $1.1) }
    for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
      throw fail(
        "tensor \"\(b.2)\"", "overlaps tensor \"\(a.2)\" (bytes \(b.0)..<\(b.1) and \(a.0)..<\(a.1))")
    }
  }

  /// Reads and validates the file at `url`.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
      throw SafeTensorsError(file: url.path, reason: "cannot be read (\(error.localizedDescription))")
    }
    try self.init(data: data, file: url.path)
  }

  /// The names of the stored tensors, sorted.
  public var names: [String] { entries.keys.sorted() }

  /// The tensor named `name` as Float32 (from F32, F16, BF16 or F64), or nil if absent.
  public func tensor(_ name: String) throws -> Tensor? {
    guard let entry = entries[name] else { return nil }
    let count = Shape.count(entry.shape)
    let result = Tensor.zeros(entry.shape)
    try result.withUnsafeMutableBufferPointer { out in
      try entry.bytes.withUnsafeBytes { raw in
        switch entry.dtype {
        case .F32:
          for i in 0..<count { out[i] = Float(bitPattern: raw.loadLittleEndian(UInt32.self, at: i)) }
        case .F16:
          for i in 0..<count {
            out[i] = HalfPrecision.float(fromHalf: raw.loadLittleEndian(UInt16.self, at: i))
          }
        case .BF16:
          for i in 0..<count {
            out[i] = HalfPrecision.float(fromBFloat: raw.loadLittleEndian(UInt16.self, at: i))
          }
        case .F64:
          for i in 0..<count { out[i] = Float(Double(bitPattern: raw.loadLittleEndian(UInt64.self, at: i))) }
        default:
          throw SafeTensorsError(
            file: file, location: "tensor \"\(name)\"", reason: "\(entry.dtype), not a float type")
        }
      }
    }
    return result
  }

  /// The integer tensor named `name` (I64, I32, I16, I8, U8 or BOOL) as flat values, or nil if absent.
  public func integers(_ name: String) throws -> [Int]? {
    guard let entry = entries[name] else { return nil }
    let count = Shape.count(entry.shape)
    return try entry.bytes.withUnsafeBytes { raw in
      switch entry.dtype {
      case .I64: (0..<count).map { Int(Int64(bitPattern: raw.loadLittleEndian(UInt64.self, at: $0))) }
      case .I32: (0..<count).map { Int(Int32(bitPattern: raw.loadLittleEndian(UInt32.self, at: $0))) }
      case .I16: (0..<count).map { Int(Int16(bitPattern: raw.loadLittleEndian(UInt16.self, at: $0))) }
      case .I8: (0..<count).map { Int(Int8(bitPattern: raw[$0])) }
      case .U8, .BOOL: (0..<count).map { Int(raw[$0]) }
      default:
        throw SafeTensorsError(
          file: file, location: "tensor \"\(name)\"", reason: "\(entry.dtype), not an integer type")
      }
    }
  }

  /// Adds a float tensor, stored as F32 (default), F16 or BF16.
  public mutating func set(_ name: String, _ tensor: Tensor, as dtype: SafeTensorsDType = .F32) {
    require([.F32, .F16, .BF16].contains(dtype), "SafeTensors: cannot store a float tensor as \(dtype)")
    let bytes = tensor.withUnsafeBufferPointer { values in
      switch dtype {
      case .F16: Data(littleEndian: values.count) { HalfPrecision.half(from: values[$0]) }
      case .BF16: Data(littleEndian: values.count) { HalfPrecision.bfloat(from: values[$0]) }
      default: Data(littleEndian: values.count) { values[$0].bitPattern }
      }
    }
    entries[name] = Entry(dtype: dtype, shape: tensor.shape, bytes: bytes)
  }

  /// Adds an integer tensor, stored as I64.
  public mutating func set(_ name: String, integers: [Int], shape: [Int]) {
    require(
      integers.count == Shape.count(shape), "SafeTensors: \(integers.count) integers for shape \(shape)")
    let bytes = Data(littleEndian: integers.count) { UInt64(bitPattern: Int64(integers[$0])) }
    entries[name] = Entry(dtype: .I64, shape: shape, bytes: bytes)
  }

  /// The file's bytes: tensors laid out in name order, header padded to 8 bytes.
  public func serialized() throws -> Data {
    var header: [String: Any] = [:]
    var offset = 0
    for name in names {
      let entry = entries[name]!
      header[name] = [
        "dtype": entry.dtype.rawValue, "shape": entry.shape,
        "data_offsets": [offset, offset + entry.bytes.count],
      ]
      offset += entry.bytes.count
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    while json.count % 8 != 0 { json.append(0x20) }
    var data = Data()
    data.appendLittleEndian(UInt64(json.count))
    data.append(json)
    for name in names { data.append(entries[name]!.bytes) }
    return data
  }

  /// Writes the file to a temporary name beside `url` and renames it, so an existing
  /// file is never left half-written.
  public func write(to url: URL) throws {
    try serialized().write(to: url, options: .atomic)
  }

  /// A module's state dict in a file, all as F32.
  public init(stateDict: [String: Tensor], metadata: [String: String] = [:]) {
    for (name, tensor) in stateDict { set(name, tensor) }
    self.metadata = metadata
  }

  /// Every float tensor of the file, by name (integer tensors are left out).
  public func floatTensors() throws -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for (name, entry) in entries where [.F32, .F16, .BF16, .F64].contains(entry.dtype) {
      result[name] = try tensor(name)
    }
    return result
  }
}

extension UnsafeRawBufferPointer {
  fileprivate func loadLittleEndian<T: FixedWidthInteger>(_: T.Type, at index: Int) -> T {
    T(littleEndian: loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
  }
}

extension Data {
  fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }

  /// `count` integers `value(0)`, `value(1)`, … as little-endian bytes, written in one buffer
  /// (appending them one by one cost about 30 ns an element).
  fileprivate init<T: FixedWidthInteger>(littleEndian count: Int, _ value: (Int) -> T) {
    self.init(count: count * MemoryLayout<T>.size)
    withUnsafeMutableBytes { raw in
      for i in 0..<count {
        raw.storeBytes(of: value(i).littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
      }
    }
  }
}

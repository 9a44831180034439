#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The C math library under names that do not clash with the tensor operations
// (`exp`, `log`, `tanh` are also methods of `Tensor`).
@inline(__always) func cLog(_ x: Double) -> Double { log(x) }
@inline(__always) func cCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func cExp(_ x: Float) -> Float { expf(x) }
@inline(__always) func cLog(_ x: Float) -> Float { logf(x) }

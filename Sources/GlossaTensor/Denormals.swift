import CGlossaKernels

/// Runs `body` with denormal numbers flushed to zero on this thread (x86 FTZ and DAZ).
///
/// Gradients that decay through many time steps pass through the denormal range, where
/// x86 arithmetic is 10–100× slower; training kernels run inside this. On other processors
/// it runs `body` unchanged.
@inline(__always)
public func withDenormalsFlushed<R>(_ body: () throws -> R) rethrows -> R {
  let saved = glossa_flush_denormals_begin()
  defer { glossa_flush_denormals_end(saved) }
  return try body()
}

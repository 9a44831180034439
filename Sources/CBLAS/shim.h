// OpenBLAS's C interface (Debian: libopenblas-dev), a prefetch hint, and the x86 control register that
// flushes denormal numbers to zero (FTZ and DAZ), which the Swift standard library cannot reach.
#include <cblas.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static inline unsigned int glossa_flush_denormals_begin(void) {
  unsigned int saved = _mm_getcsr();
  _mm_setcsr(saved | 0x8040);
  return saved;
}
static inline void glossa_flush_denormals_end(unsigned int saved) { _mm_setcsr(saved); }
#else
static inline unsigned int glossa_flush_denormals_begin(void) { return 0; }
static inline void glossa_flush_denormals_end(unsigned int saved) { (void)saved; }
#endif

// Asks the cache for a line that will be read soon (a hint; no effect on results).
static inline void glossa_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }

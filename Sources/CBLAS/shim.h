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

// Dot product and y += a·x for the embedding trainers' inner loops: AVX2 and FMA when the
// processor has them (a bit test per call), plain loops otherwise, so the portable
// build still runs them at full width.
#if defined(__x86_64__)
#include <immintrin.h>
static inline int glossa_wide(void) {
  // A bit test on the CPU model the runtime fills in at start-up: no state of our own.
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
__attribute__((target("avx2,fma"))) static inline float glossa_dot_avx2(const float *x, const float *y, long n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  long i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), s1);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
  s0 = _mm256_add_ps(s0, s1);
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
  float total = _mm_cvtss_f32(h);
  for (; i < n; i++) total += x[i] * y[i];
  return total;
}
__attribute__((target("avx2,fma"))) static inline void glossa_axpy_avx2(float a, const float *x, float *y, long n) {
  __m256 va = _mm256_set1_ps(a);
  long i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  for (; i < n; i++) y[i] += a * x[i];
}
#else
static inline int glossa_wide(void) { return 0; }
static inline float glossa_dot_avx2(const float *x, const float *y, long n) { (void)x; (void)y; (void)n; return 0; }
static inline void glossa_axpy_avx2(float a, const float *x, float *y, long n) { (void)a; (void)x; (void)y; (void)n; }
#endif
static inline float glossa_dot(const float *x, const float *y, long n) {
  if (glossa_wide()) return glossa_dot_avx2(x, y, n);
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; i++) s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}
static inline void glossa_axpy(float a, const float *x, float *y, long n) {
  if (glossa_wide()) {
    glossa_axpy_avx2(a, x, y, n);
    return;
  }
  for (long i = 0; i < n; i++) y[i] += a * x[i];
}

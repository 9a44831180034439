// Glossa's hand-written C kernels, each beside the plain version it is tested against:
// flushing denormal numbers to zero (the x86 control register's FTZ and DAZ bits, which the
// Swift standard library cannot reach), a prefetch hint, and vector kernels for the hot
// loops (e^x, tanh and σ over buffers; the embedding trainers' dot product, y += a·x and
// negative-sampling output step; a few rows times a large matrix packed once). The AVX2 + FMA versions are chosen at run time, so the
// portable build runs them at full width where the processor has them.
#ifndef CGLOSSA_KERNELS_H
#define CGLOSSA_KERNELS_H

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
// One output row's two updates in negative sampling, in one pass over the row:
// gradient += g·v (with v as it was), then v += g·h.
__attribute__((target("avx2,fma"))) static inline void glossa_output_step_avx2(
  float g, float *v, const float *h, float *gradient, long n) {
  __m256 vg = _mm256_set1_ps(g);
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 row = _mm256_loadu_ps(v + i);
    _mm256_storeu_ps(gradient + i, _mm256_fmadd_ps(vg, row, _mm256_loadu_ps(gradient + i)));
    _mm256_storeu_ps(v + i, _mm256_fmadd_ps(vg, _mm256_loadu_ps(h + i), row));
  }
  for (; i < n; i++) {
    gradient[i] += g * v[i];
    v[i] += g * h[i];
  }
}
// e^x as VectorMath.exp computes it (e^x = 2^n · e^r, the same Cephes polynomial), eight lanes
// at a time with FMA.
__attribute__((target("avx2,fma"))) static inline __m256 glossa_exp8(__m256 input) {
  const __m256 high = _mm256_set1_ps(88.0f), low = _mm256_set1_ps(-87.336544750553f);
  __m256 x = _mm256_blendv_ps(input, high, _mm256_cmp_ps(input, high, _CMP_GT_OQ));
  x = _mm256_blendv_ps(x, low, _mm256_cmp_ps(x, low, _CMP_LT_OQ));
  const __m256 magic = _mm256_set1_ps(12582912.0f);  // 1.5 · 2^23: rounds to an integer
  __m256 shifted = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), magic);
  __m256 n = _mm256_sub_ps(shifted, magic);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
  __m256i bits = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000));
  __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(127)), 23));
  __m256 result = _mm256_mul_ps(p, scale);
  result = _mm256_blendv_ps(result, _mm256_setzero_ps(), _mm256_cmp_ps(input, low, _CMP_LT_OQ));
  result = _mm256_blendv_ps(
    result, _mm256_set1_ps(__builtin_inff()), _mm256_cmp_ps(input, _mm256_set1_ps(88.7228391116729f), _CMP_GT_OQ));
  return _mm256_blendv_ps(result, input, _mm256_cmp_ps(input, input, _CMP_UNORD_Q));  // NaN stays NaN
}

// tanh(x) = (1 − e^(−2|x|)) / (1 + e^(−2|x|)) with the sign of x, and near 0 its odd Taylor
// polynomial, as VectorMath.tanh; σ(x) = 1 / (1 + e^(−x)).
__attribute__((target("avx2,fma"))) static inline __m256 glossa_tanh8(__m256 x) {
  const __m256 sign = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
  __m256 magnitude = _mm256_andnot_ps(sign, x);
  __m256 e = glossa_exp8(_mm256_mul_ps(_mm256_set1_ps(-2.0f), magnitude));
  __m256 result = _mm256_or_ps(_mm256_div_ps(_mm256_sub_ps(one, e), _mm256_add_ps(one, e)), _mm256_and_ps(sign, x));
  __m256 x2 = _mm256_mul_ps(x, x);
  __m256 series = _mm256_fmadd_ps(x2, _mm256_set1_ps(-17.0f / 315), _mm256_set1_ps(2.0f / 15));
  series = _mm256_fmadd_ps(series, x2, _mm256_set1_ps(-1.0f / 3));
  series = _mm256_mul_ps(_mm256_fmadd_ps(series, x2, one), x);
  return _mm256_blendv_ps(result, series, _mm256_cmp_ps(magnitude, _mm256_set1_ps(0.0625f), _CMP_LT_OQ));
}
__attribute__((target("avx2,fma"))) static inline __m256 glossa_sigmoid8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  return _mm256_div_ps(one, _mm256_add_ps(one, glossa_exp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

// Applies e^x (kind 0), tanh (1) or σ (2) to n floats in place (the tail through a padded
// register).
__attribute__((target("avx2,fma"))) static inline void glossa_map_avx2(float *x, long n, int kind) {
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    _mm256_storeu_ps(x + i, kind == 0 ? glossa_exp8(v) : kind == 1 ? glossa_tanh8(v) : glossa_sigmoid8(v));
  }
  if (i < n) {
    float tail[8] = {0};
    for (long k = 0; k < n - i; k++) tail[k] = x[i + k];
    __m256 v = _mm256_loadu_ps(tail);
    _mm256_storeu_ps(tail, kind == 0 ? glossa_exp8(v) : kind == 1 ? glossa_tanh8(v) : glossa_sigmoid8(v));
    for (long k = 0; k < n - i; k++) x[i + k] = tail[k];
  }
}
// The same e^x, tanh and σ sixteen lanes at a time (AVX-512 F): the AVX2 functions' operations
// lane for lane, so the two give the same bits.
__attribute__((target("avx512f"))) static inline __m512 glossa_exp16(__m512 input) {
  const __m512 high = _mm512_set1_ps(88.0f), low = _mm512_set1_ps(-87.336544750553f);
  __m512 x = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(input, high, _CMP_GT_OQ), input, high);
  x = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, low, _CMP_LT_OQ), x, low);
  const __m512 magic = _mm512_set1_ps(12582912.0f);  // 1.5 · 2^23: rounds to an integer
  __m512 shifted = _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504088896341f), magic);
  __m512 n = _mm512_sub_ps(shifted, magic);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
  __m512i bits = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(0x4B400000));
  __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(bits, _mm512_set1_epi32(127)), 23));
  __m512 result = _mm512_mul_ps(p, scale);
  result = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(input, low, _CMP_LT_OQ), result, _mm512_setzero_ps());
  result = _mm512_mask_blend_ps(
    _mm512_cmp_ps_mask(input, _mm512_set1_ps(88.7228391116729f), _CMP_GT_OQ), result,
    _mm512_set1_ps(__builtin_inff()));
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(input, input, _CMP_UNORD_Q), result, input);  // NaN stays NaN
}
__attribute__((target("avx512f"))) static inline __m512 glossa_tanh16(__m512 x) {
  const __m512i sign = _mm512_set1_epi32((int)0x80000000);
  const __m512 one = _mm512_set1_ps(1.0f);
  __m512i xi = _mm512_castps_si512(x);
  __m512 magnitude = _mm512_castsi512_ps(_mm512_andnot_si512(sign, xi));
  __m512 e = glossa_exp16(_mm512_mul_ps(_mm512_set1_ps(-2.0f), magnitude));
  __m512 quotient = _mm512_div_ps(_mm512_sub_ps(one, e), _mm512_add_ps(one, e));
  __m512 result = _mm512_castsi512_ps(
    _mm512_or_si512(_mm512_castps_si512(quotient), _mm512_and_si512(sign, xi)));
  __m512 x2 = _mm512_mul_ps(x, x);
  __m512 series = _mm512_fmadd_ps(x2, _mm512_set1_ps(-17.0f / 315), _mm512_set1_ps(2.0f / 15));
  series = _mm512_fmadd_ps(series, x2, _mm512_set1_ps(-1.0f / 3));
  series = _mm512_mul_ps(_mm512_fmadd_ps(series, x2, one), x);
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(magnitude, _mm512_set1_ps(0.0625f), _CMP_LT_OQ), result, series);
}
__attribute__((target("avx512f"))) static inline __m512 glossa_sigmoid16(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.0f);
  return _mm512_div_ps(one, _mm512_add_ps(one, glossa_exp16(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}
// e^x (kind 0), tanh (1) or σ (2) of n floats in place, sixteen at a time (the tail masked).
__attribute__((target("avx512f"))) static inline void glossa_map_avx512(float *x, long n, int kind) {
  long i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_loadu_ps(x + i);
    _mm512_storeu_ps(x + i, kind == 0 ? glossa_exp16(v) : kind == 1 ? glossa_tanh16(v) : glossa_sigmoid16(v));
  }
  if (i < n) {
    __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
    __m512 v = _mm512_maskz_loadu_ps(m, x + i);
    _mm512_mask_storeu_ps(x + i, m, kind == 0 ? glossa_exp16(v) : kind == 1 ? glossa_tanh16(v) : glossa_sigmoid16(v));
  }
}
// Σ e^(x_i − shift) over n floats, each term written to output when it is not NULL: the pass of
// softmax and log-softmax over a row (the tail through a register padded with −∞, whose e^x is 0).
__attribute__((target("avx2,fma"))) static inline float glossa_sum_exp_avx2(
  const float *x, long n, float shift, float *output) {
  const __m256 s = _mm256_set1_ps(shift);
  __m256 total = _mm256_setzero_ps();
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 e = glossa_exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), s));
    total = _mm256_add_ps(total, e);
    if (output) _mm256_storeu_ps(output + i, e);
  }
  if (i < n) {
    float tail[8];
    for (long k = 0; k < 8; k++) tail[k] = i + k < n ? x[i + k] : -__builtin_inff();
    __m256 e = glossa_exp8(_mm256_sub_ps(_mm256_loadu_ps(tail), s));
    total = _mm256_add_ps(total, e);
    _mm256_storeu_ps(tail, e);
    if (output)
      for (long k = 0; k < n - i; k++) output[i + k] = tail[k];
  }
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(total), _mm256_extractf128_ps(total, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
  return _mm_cvtss_f32(h);
}
#else
static inline int glossa_wide(void) { return 0; }
static inline void glossa_map_avx2(float *x, long n, int kind) { (void)x; (void)n; (void)kind; }
static inline void glossa_map_avx512(float *x, long n, int kind) { (void)x; (void)n; (void)kind; }
static inline float glossa_sum_exp_avx2(const float *x, long n, float shift, float *output) {
  (void)x; (void)n; (void)shift; (void)output;
  return 0;
}
static inline float glossa_dot_avx2(const float *x, const float *y, long n) { (void)x; (void)y; (void)n; return 0; }
static inline void glossa_axpy_avx2(float a, const float *x, float *y, long n) { (void)a; (void)x; (void)y; (void)n; }
static inline void glossa_output_step_avx2(float g, float *v, const float *h, float *gradient, long n) {
  (void)g; (void)v; (void)h; (void)gradient; (void)n;
}
#endif
// The lanes of the widest e^x / tanh / σ map over buffers this processor runs: 16 (AVX-512), 8
// (AVX2 + FMA), or 0 where the caller's own loop must run.
static inline int glossa_map_lanes(void) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) return 16;
#endif
  return glossa_wide() ? 8 : 0;
}
// The map of `lanes` lanes (16 or 8; the processor must have it).
static inline void glossa_map_with(int lanes, float *x, long n, int kind) {
  if (lanes == 16) {
    glossa_map_avx512(x, n, kind);
  } else {
    glossa_map_avx2(x, n, kind);
  }
}
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
static inline void glossa_output_step(float g, float *v, const float *h, float *gradient, long n) {
  if (glossa_wide()) {
    glossa_output_step_avx2(g, v, h, gradient, n);
    return;
  }
  for (long i = 0; i < n; i++) {
    gradient[i] += g * v[i];
    v[i] += g * h[i];
  }
}

// y += x Wᵀ for a few rows of x, `rows × inputs`, and a weight W `[outputs, inputs]` packed once
// by glossa_pack_panels into panels of GLOSSA_PANEL outputs (each panel `inputs × GLOSSA_PANEL`,
// its input p's 16 weights side by side, the last panel padded with zeros): a language model's
// output layer for the streams generated together. A BLAS GEMM packs the whole matrix again on
// every call, which for a few rows costs as much as the arithmetic. Panels `first..<end` only,
// so that threads may take a range each. In kernels.c: the widest version the processor
// runs, AVX-512 or AVX2 + FMA, the plain one otherwise (tested against each other).
#define GLOSSA_PANEL 16
long glossa_panel_count(long outputs);
void glossa_pack_panels(const float *weight, long outputs, long inputs, float *panels);
// The product's kernels: the plain loop, AVX2 + FMA (six rows × one panel at a time) and
// AVX-512 (twelve rows × two panels); the last two give the same bits.
enum { GLOSSA_PANEL_PLAIN = 0, GLOSSA_PANEL_AVX2 = 1, GLOSSA_PANEL_AVX512 = 2 };
// The widest kernel this processor runs.
int glossa_panel_kernel(void);
void glossa_panel_product_with(
    int kernel, const float *x, long rows, long inputs, const float *panels, long outputs, long first, long end,
    float *y);

#endif

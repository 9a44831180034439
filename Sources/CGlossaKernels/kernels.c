// The kernels are inline functions in include/CGlossaKernels.h, so that Swift inlines them
// into its loops; a C target needs one source file.
#include "CGlossaKernels.h"

long glossa_panel_count(long outputs) { return (outputs + GLOSSA_PANEL - 1) / GLOSSA_PANEL; }

void glossa_pack_panels(const float *weight, long outputs, long inputs, float *panels) {
  for (long panel = 0; panel < glossa_panel_count(outputs); panel++) {
    float *target = panels + panel * inputs * GLOSSA_PANEL;
    for (long p = 0; p < inputs; p++) {
      for (long c = 0; c < GLOSSA_PANEL; c++) {
        long j = panel * GLOSSA_PANEL + c;
        target[p * GLOSSA_PANEL + c] = j < outputs ? weight[j * inputs + p] : 0;
      }
    }
  }
}

// The columns of y that panel `panel` writes, at most GLOSSA_PANEL.
static long glossa_panel_width(long panel, long outputs) {
  long width = outputs - panel * GLOSSA_PANEL;
  return width < GLOSSA_PANEL ? width : GLOSSA_PANEL;
}

static void glossa_panel_product_plain(
    const float *x, long rows, long inputs, const float *panels, long outputs, long first, long end, float *y) {
  for (long panel = first; panel < end; panel++) {
    const float *w = panels + panel * inputs * GLOSSA_PANEL;
    long width = glossa_panel_width(panel, outputs);
    for (long r = 0; r < rows; r++) {
      for (long c = 0; c < width; c++) {
        float sum = y[r * outputs + panel * GLOSSA_PANEL + c];
        for (long p = 0; p < inputs; p++) sum += x[r * inputs + p] * w[p * GLOSSA_PANEL + c];
        y[r * outputs + panel * GLOSSA_PANEL + c] = sum;
      }
    }
  }
}

#if defined(__x86_64__)
// `ROWS` rows of y (stride `stride`) += those rows of x times one panel: 2·ROWS accumulators of
// eight lanes, each input's 16 weights loaded once for all the rows.
#define GLOSSA_PANEL_BLOCK(ROWS)                                                                  \
  __attribute__((target("avx2,fma"))) static void glossa_panel_block_##ROWS(                      \
      const float *x, long inputs, const float *w, float *y, long stride) {                        \
    __m256 low[ROWS], high[ROWS];                                                                  \
    for (int r = 0; r < ROWS; r++) {                                                               \
      low[r] = _mm256_loadu_ps(y + r * stride);                                                    \
      high[r] = _mm256_loadu_ps(y + r * stride + 8);                                               \
    }                                                                                              \
    for (long p = 0; p < inputs; p++) {                                                            \
      __m256 w0 = _mm256_loadu_ps(w + p * GLOSSA_PANEL), w1 = _mm256_loadu_ps(w + p * GLOSSA_PANEL + 8); \
      for (int r = 0; r < ROWS; r++) {                                                             \
        __m256 xr = _mm256_broadcast_ss(x + r * inputs + p);                                       \
        low[r] = _mm256_fmadd_ps(xr, w0, low[r]);                                                  \
        high[r] = _mm256_fmadd_ps(xr, w1, high[r]);                                                \
      }                                                                                            \
    }                                                                                              \
    for (int r = 0; r < ROWS; r++) {                                                               \
      _mm256_storeu_ps(y + r * stride, low[r]);                                                    \
      _mm256_storeu_ps(y + r * stride + 8, high[r]);                                               \
    }                                                                                              \
  }
GLOSSA_PANEL_BLOCK(1)
GLOSSA_PANEL_BLOCK(2)
GLOSSA_PANEL_BLOCK(3)
GLOSSA_PANEL_BLOCK(4)
GLOSSA_PANEL_BLOCK(5)
GLOSSA_PANEL_BLOCK(6)

__attribute__((target("avx2,fma"))) static void glossa_panel_product_avx2(
    const float *x, long rows, long inputs, const float *panels, long outputs, long first, long end, float *y) {
  for (long panel = first; panel < end; panel++) {
    const float *w = panels + panel * inputs * GLOSSA_PANEL;
    long width = glossa_panel_width(panel, outputs);
    // The last panel's padded columns go to a scratch row block, copied back in part.
    float scratch[6 * GLOSSA_PANEL];
    for (long r = 0; r < rows; r += 6) {
      long n = rows - r < 6 ? rows - r : 6;
      float *target = y + r * outputs + panel * GLOSSA_PANEL;
      long stride = outputs;
      if (width < GLOSSA_PANEL) {
        for (long i = 0; i < n; i++) {
          for (long c = 0; c < GLOSSA_PANEL; c++) scratch[i * GLOSSA_PANEL + c] = c < width ? target[i * outputs + c] : 0;
        }
        target = scratch;
        stride = GLOSSA_PANEL;
      }
      const float *xr = x + r * inputs;
      switch (n) {
        case 6: glossa_panel_block_6(xr, inputs, w, target, stride); break;
        case 5: glossa_panel_block_5(xr, inputs, w, target, stride); break;
        case 4: glossa_panel_block_4(xr, inputs, w, target, stride); break;
        case 3: glossa_panel_block_3(xr, inputs, w, target, stride); break;
        case 2: glossa_panel_block_2(xr, inputs, w, target, stride); break;
        default: glossa_panel_block_1(xr, inputs, w, target, stride); break;
      }
      if (width < GLOSSA_PANEL) {
        float *row = y + r * outputs + panel * GLOSSA_PANEL;
        for (long i = 0; i < n; i++) {
          for (long c = 0; c < width; c++) row[i * outputs + c] = scratch[i * GLOSSA_PANEL + c];
        }
      }
    }
  }
}

// AVX-512: `panels` panels (16 outputs each) for `rows` rows of y (stride `stride`) at once,
// rows · panels accumulators of 16 lanes, each input's weights loaded once for all the rows and
// each x broadcast once for all the panels. Each output is the same chain of fused multiply-adds
// as in the AVX2 kernel, in the same order, so the two give the same bits. A panel narrower than
// 16 outputs (the last), or missing (past the range: mask 0, never read or written), is masked.
// `rows` and `panels` are constants at every call, so the loops unroll and the accumulators live
// in registers.
#define GLOSSA_WIDE_ROWS 12
#define GLOSSA_WIDE_PANELS 8
__attribute__((target("avx512f"), always_inline)) static inline void glossa_panel_group_block(
    const float *x, long inputs, const float *const *w, const __mmask16 *masks, float *y, long stride,
    const int rows, const int panels) {
  __m512 sum[GLOSSA_WIDE_ROWS][GLOSSA_WIDE_PANELS];
#pragma clang loop unroll(full)
  for (int r = 0; r < rows; r++) {
#pragma clang loop unroll(full)
    for (int k = 0; k < panels; k++) sum[r][k] = _mm512_maskz_loadu_ps(masks[k], y + r * stride + k * GLOSSA_PANEL);
  }
  for (long p = 0; p < inputs; p++) {
    __m512 v[GLOSSA_WIDE_PANELS];
#pragma clang loop unroll(full)
    for (int k = 0; k < panels; k++) v[k] = _mm512_loadu_ps(w[k] + p * GLOSSA_PANEL);
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++) {
      __m512 xr = _mm512_set1_ps(x[r * inputs + p]);
#pragma clang loop unroll(full)
      for (int k = 0; k < panels; k++) sum[r][k] = _mm512_fmadd_ps(xr, v[k], sum[r][k]);
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < rows; r++) {
#pragma clang loop unroll(full)
    for (int k = 0; k < panels; k++) _mm512_mask_storeu_ps(y + r * stride + k * GLOSSA_PANEL, masks[k], sum[r][k]);
  }
}

// Rows in blocks of twelve, two panels at a time; fewer rows take more panels at a time (eight
// for one or two rows, four for three to five), so that a matrix–vector product still has eight
// independent chains of multiply-adds in flight.
__attribute__((target("avx512f"))) static void glossa_panel_product_avx512(
    const float *x, long rows, long inputs, const float *panels, long outputs, long first, long end, float *y) {
  for (long r = 0; r < rows; r += GLOSSA_WIDE_ROWS) {
    long n = rows - r < GLOSSA_WIDE_ROWS ? rows - r : GLOSSA_WIDE_ROWS;
    long group = n <= 2 ? 8 : n <= 5 ? 4 : 2;
    const float *xr = x + r * inputs;
    for (long panel = first; panel < end; panel += group) {
      const float *w[GLOSSA_WIDE_PANELS];
      __mmask16 masks[GLOSSA_WIDE_PANELS];
      for (long k = 0; k < group; k++) {
        long j = panel + k < end ? panel + k : panel;
        w[k] = panels + j * inputs * GLOSSA_PANEL;
        long width = panel + k < end ? glossa_panel_width(panel + k, outputs) : 0;
        masks[k] = width >= GLOSSA_PANEL ? (__mmask16)0xFFFF : (__mmask16)((1u << width) - 1);
      }
      float *target = y + r * outputs + panel * GLOSSA_PANEL;
      switch (n) {
#define GLOSSA_ROWS_CASE(ROWS, PANELS) \
  case ROWS: glossa_panel_group_block(xr, inputs, w, masks, target, outputs, ROWS, PANELS); break;
        GLOSSA_ROWS_CASE(1, 8)
        GLOSSA_ROWS_CASE(2, 8)
        GLOSSA_ROWS_CASE(3, 4)
        GLOSSA_ROWS_CASE(4, 4)
        GLOSSA_ROWS_CASE(5, 4)
        GLOSSA_ROWS_CASE(6, 2)
        GLOSSA_ROWS_CASE(7, 2)
        GLOSSA_ROWS_CASE(8, 2)
        GLOSSA_ROWS_CASE(9, 2)
        GLOSSA_ROWS_CASE(10, 2)
        GLOSSA_ROWS_CASE(11, 2)
        default: glossa_panel_group_block(xr, inputs, w, masks, target, outputs, 12, 2); break;
#undef GLOSSA_ROWS_CASE
      }
    }
  }
}
#endif

int glossa_panel_kernel(void) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) return GLOSSA_PANEL_AVX512;
  if (glossa_wide()) return GLOSSA_PANEL_AVX2;
#endif
  return GLOSSA_PANEL_PLAIN;
}

void glossa_panel_product_with(
    int kernel, const float *x, long rows, long inputs, const float *panels, long outputs, long first, long end,
    float *y) {
#if defined(__x86_64__)
  if (kernel == GLOSSA_PANEL_AVX512) {
    glossa_panel_product_avx512(x, rows, inputs, panels, outputs, first, end, y);
    return;
  }
  if (kernel == GLOSSA_PANEL_AVX2) {
    glossa_panel_product_avx2(x, rows, inputs, panels, outputs, first, end, y);
    return;
  }
#endif
  glossa_panel_product_plain(x, rows, inputs, panels, outputs, first, end, y);
}

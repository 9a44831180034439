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

void glossa_panel_product_plain(
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
#endif

void glossa_panel_product(
    const float *x, long rows, long inputs, const float *panels, long outputs, long first, long end, float *y) {
#if defined(__x86_64__)
  if (glossa_wide()) {
    glossa_panel_product_avx2(x, rows, inputs, panels, outputs, first, end, y);
    return;
  }
#endif
  glossa_panel_product_plain(x, rows, inputs, panels, outputs, first, end, y);
}

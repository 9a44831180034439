// OpenBLAS's C interface (Debian: libopenblas-dev). Glossa's own C kernels are in CGlossaKernels.
#include <cblas.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// OpenBLAS built for several processors (DYNAMIC_ARCH, as Debian builds it) picks its kernels
// when it loads, from the processor it recognises or from OPENBLAS_CORETYPE. Version 0.3.21
// takes AMD's AVX-512 processors (Zen 4) for Haswell, whose AVX2 kernels run at half their
// speed there, and Intel processors newer than itself (Emerald Rapids, family 6 model 207) for
// Prescott, whose SSE3 kernels run at a fraction of it. These are the library's own functions
// for that choice (weak: absent from a build without DYNAMIC_ARCH), to make it again with
// OPENBLAS_CORETYPE set.
extern void gotoblas_dynamic_init(void) __attribute__((weak));
extern void gotoblas_dynamic_quit(void) __attribute__((weak));

// Whether the processor has AVX-512 F, BW, DQ and VL, which OpenBLAS's SkylakeX kernels use.
static inline int glossa_processor_has_avx512(void) {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
  return 0;
#endif
}

// Whether the processor has AVX2 and FMA, which OpenBLAS's Haswell kernels use.
static inline int glossa_processor_has_avx2(void) {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}

// Whether OpenBLAS's kernels for `core` use AVX-512 (at least) or AVX2 (at least).
static inline int glossa_openblas_core_uses_avx512(const char *core) {
  return strcasecmp(core, "skylakex") == 0 || strcasecmp(core, "cooperlake") == 0 ||
         strcasecmp(core, "sapphirerapids") == 0;
}
static inline int glossa_openblas_core_uses_avx2(const char *core) {
  return glossa_openblas_core_uses_avx512(core) || strcasecmp(core, "haswell") == 0 ||
         strcasecmp(core, "zen") == 0;
}

// Makes OpenBLAS choose the best kernels the processor can run when it chose lesser ones,
// unless OPENBLAS_CORETYPE says otherwise: SkylakeX where the processor has AVX-512 F, BW, DQ
// and VL, else Haswell where it has AVX2 and FMA. Returns 1 when it switched. Call it before
// any other thread uses OpenBLAS.
static inline int glossa_openblas_choose_kernels(void) {
#if defined(__x86_64__)
  if (!gotoblas_dynamic_init || !gotoblas_dynamic_quit || getenv("OPENBLAS_CORETYPE") != NULL) return 0;
  const char *core = openblas_get_corename();
  if (core == NULL) return 0;
  const char *better = NULL;
  if (glossa_processor_has_avx512() && !glossa_openblas_core_uses_avx512(core)) {
    better = "SKYLAKEX";
  } else if (glossa_processor_has_avx2() && !glossa_openblas_core_uses_avx2(core)) {
    better = "HASWELL";
  }
  if (better == NULL) return 0;
  setenv("OPENBLAS_CORETYPE", better, 1);
  gotoblas_dynamic_quit();
  gotoblas_dynamic_init();
  return 1;
#else
  return 0;
#endif
}

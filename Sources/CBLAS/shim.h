// OpenBLAS's C interface (Debian: libopenblas-dev). Glossa's own C kernels are in CGlossaKernels.
#include <cblas.h>

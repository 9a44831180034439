// OpenBLAS's C interface (Debian: libopenblas-dev).
#include <cblas.h>

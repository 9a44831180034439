// The kernels are inline functions in include/CGlossaKernels.h, so that Swift inlines them
// into its loops; a C target needs one source file.
#include "CGlossaKernels.h"

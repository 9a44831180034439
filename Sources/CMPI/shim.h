// Open MPI's C interface (Debian: libopenmpi-dev), for the MPI trait. The handles below are
// macros in mpi.h (addresses of Open MPI's globals), which Swift cannot import: these
// functions give them to Swift.
#include <mpi.h>

static inline MPI_Comm glossa_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype glossa_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype glossa_mpi_int(void) { return MPI_INT; }
static inline MPI_Datatype glossa_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op glossa_mpi_sum(void) { return MPI_SUM; }
static inline int glossa_mpi_success(void) { return MPI_SUCCESS; }
static inline void *glossa_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int glossa_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }

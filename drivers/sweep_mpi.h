/* sweep_mpi: the sweep across MPI ranks (Open MPI), built only with the
 * CMake option NQP_MPI (drivers/sweep_mpi.c is then compiled into the nqpsim
 * executable, with -DNQP_MPI; the library never depends on MPI).
 *
 * Protocol: every rank loads the sweep itself (it is deterministic) and the
 * ranks check that they agree on its hash. Rank 0 owns the session
 * (journal, results file) and a dynamic work queue of run indexes in index
 * order; it also simulates runs itself, serving the queue after every step
 * of its own runs. A worker sends a result (or, first, a hello) and gets
 * the next run index, or -1 to stop.
 *
 * Invariants: only rank 0 writes files; a run is given to one rank at a
 * time; runs and results are the same functions of (sweep, run index) on
 * every rank, so the results file is identical to a one-process sweep's.
 *
 * Included by: cli/cmd_sweep.c and drivers/sweep_mpi.c (built only with NQP_MPI).
 */
#ifndef NQP_SWEEP_MPI_H
#define NQP_SWEEP_MPI_H

#include <stddef.h>

#include "drivers/sweep_run.h"

/* When launched by mpirun (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK in
 * the environment), initialise MPI and return 1 with *RANK and *SIZE;
 * else return 0 (a one-process sweep). */
int sweep_mpi_init(int *rank, int *size);
/* Load status agreement: the largest STATUS over all ranks. */
int sweep_mpi_agree(int status);
/* Run the sweep over all ranks. Rank 0 returns the session's status and
 * *COMPLETE; other ranks return SWEEP_OK unless the protocol failed. */
int sweep_mpi_run(const sweep *sw, const sweep_options *opt, int rank, int size, int *complete,
                  char *err, size_t errlen);
void sweep_mpi_finalize(void);
/* "Open MPI x.y.z" */
const char *sweep_mpi_library(void);

#endif

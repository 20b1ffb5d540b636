/* clock: the two clocks nqpsim reads: a monotonic one for wall times and
 * rates, and the UTC calendar time recorded in output files.
 *
 * Invariants: clock_monotonic_s never goes back within a process; the UTC
 * text is ISO 8601 with a Z suffix ("2026-12-04T21:33:07Z"), cut to BUF.
 *
 * Included by: any file at or above base/ (layers.txt).
 */
#ifndef NQP_CLOCK_H
#define NQP_CLOCK_H

#include <stddef.h>

/* Seconds of CLOCK_MONOTONIC (an arbitrary origin: use differences). */
double clock_monotonic_s(void);
/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into BUF (LEN bytes). */
void clock_utc_iso(char *buf, size_t len);

#endif

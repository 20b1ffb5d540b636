/* api_error: the thread-local last error of the public API and the
 * argument checks that report into it (include/nqpsim.h, Error contract).
 *
 * Invariants: the message is per thread, NUL-terminated, at most
 * API_ERR_LEN - 1 bytes (longer messages are cut), and is replaced only by
 * the next failing call in the same thread: a successful call never
 * clears it; the status kept beside it is the failing call's (so a caller
 * of a function that returned NULL knows NQP_BAD_INPUT from NQP_FAILED).
 */
#include <stdarg.h>
#include <stdio.h>

#include "api/api_priv.h"

#define API_ERR_LEN 4096

static _Thread_local char last_error[API_ERR_LEN];
static _Thread_local int last_status = NQP_OK;

int api_fail(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  last_status = status;
  return status;
}

int api_need(const void *p, const char *what) {
  return p ? NQP_OK : api_fail(NQP_BAD_INPUT, "%s: NULL handle", what);
}

const char *nqp_last_error(void) {
  return last_error;
}

int nqp_last_status(void) {
  return last_status;
}

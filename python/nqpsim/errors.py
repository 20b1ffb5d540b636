"""errors: the exceptions of the nqpsim package.

Purpose: one exception hierarchy for everything that fails in the binding,
carrying the library's own message (the text `nqpsim` prints: file, line,
column and key for scenario errors).

Invariants:
  - every failure of a libnqpsim call raises Error or a subclass, never
    returns a sentinel; `status` is the library's status code (equal to
    `nqpsim`'s exit codes): 1 for a call that could not complete, 2 for
    invalid input;
  - BadInput (status 2) is also a ValueError, so generic code that catches
    ValueError for bad arguments catches it too;
  - LibraryNotFound (status 1) names every place that was tried.
"""

NQP_OK = 0
NQP_FAILED = 1
NQP_BAD_INPUT = 2


class Error(Exception):
    """A libnqpsim call failed; str(e) is the library's message."""

    def __init__(self, message, status=NQP_FAILED):
        super().__init__(message)
        self.message = message
        self.status = status


class BadInput(Error, ValueError):
    """The input was invalid (status 2): scenario, --set path or value,
    series name, level, firm uid, ..."""

    def __init__(self, message, status=NQP_BAD_INPUT):
        super().__init__(message, status)


class LibraryNotFound(Error):
    """libnqpsim could not be found or loaded; the message lists the places
    tried (see nqpsim.library)."""


def from_status(status, message):
    """The exception for a failed call with STATUS and MESSAGE."""
    if status == NQP_BAD_INPUT:
        return BadInput(message)
    return Error(message, status)

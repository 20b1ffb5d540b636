#!/usr/bin/env bash
# The in-process Python binding (python/nqpsim over libnqpsim through
# ctypes): tests/python/test_binding.py, with /usr/bin/python3, against the
# libnqpsim.so of the same build as $NQPSIM (found next to it). An
# in-process world gives the numbers of `nqpsim run` bit for bit (every
# series at every level and the final panel snapshot, baseline and a lever
# scenario), save() writes the same datasets, errors raise nqpsim.Error /
# BadInput with the library's message. Skipped (77) only when the library
# was not built.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/python/binding_env.sh"
if [ -z "$NQPSIM_LIB" ]; then
  echo "skip: $(dirname "$NQPSIM")/libnqpsim.so was not built"
  exit 77
fi
export NQPSIM SRC SCRATCH
if py_binding "$SRC/tests/python/test_binding.py" >"$SCRATCH/unittest.txt" 2>&1; then
  pass "tests/python/test_binding.py: $(grep -E '^Ran [0-9]+ tests' "$SCRATCH/unittest.txt")"
else
  fail "tests/python/test_binding.py:"
  sed 's/^/    /' "$SCRATCH/unittest.txt" | tail -80
fi
finish

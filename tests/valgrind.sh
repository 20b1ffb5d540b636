#!/usr/bin/env bash
# Valgrind memcheck of small runs of the nqpsim binary (`make valgrind`,
# part of `make check-full`): a run stopped with a checkpoint, its resume
# with two threads, `info`, and the error paths of a bad scenario, a bad
# --set and a corrupt checkpoint. Any memcheck error (invalid access, use
# of uninitialised memory, also in system calls) or definite/indirect
# leak fails the script. HDF5's and OpenMP's global allocations are
# "still reachable" at exit (HDF5's atexit clean-up is off by design,
# output/h5util.c) and are not counted.
#
#   NQPSIM=build/nqpsim tests/valgrind.sh        (a non-sanitizer build)
set -u
: "${NQPSIM:?NQPSIM must name a non-sanitizer nqpsim binary}"
SRC=$(cd "$(dirname "$0")/.." && pwd)
D=$(mktemp -d /tmp/nqp-valgrind-XXXXXX)
trap 'rm -rf "$D"' EXIT
command -v valgrind >/dev/null || { echo "valgrind: not installed (scripts/install-deps.sh)" >&2; exit 2; }
if ldd "$NQPSIM" | grep -q libasan; then
  echo "valgrind: $NQPSIM is an AddressSanitizer build; use the Release build" >&2
  exit 2
fi
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
  --show-leak-kinds=definite,indirect --track-origins=yes)
FAILS=0
# check WANT DESCRIPTION -- COMMAND...: run COMMAND under memcheck, expect exit WANT
check() {
  local want=$1 what=$2
  shift 3
  "${VG[@]}" "$@" >"$D/out" 2>"$D/err"
  local rc=$?
  if [ "$rc" -eq "$want" ] && ! grep -q "^==[0-9]*==" "$D/err"; then
    echo "ok - valgrind: $what"
  else
    echo "FAIL - valgrind: $what (exit $rc, expected $want)"
    sed 's/^/    /' "$D/err" | head -40
    FAILS=$((FAILS + 1))
  fi
}
SMALL=(--set scale=0.01 --set government.talent.enabled=true --set government.talent.start=1)
check 0 "run stopped at step 2 with a checkpoint" -- \
  "$NQPSIM" run -q "${SMALL[@]}" --steps 4 --stop-at 2 -o "$D/run.h5"
check 0 "resume with 2 threads" -- "$NQPSIM" resume -q "$D/run.ckpt.h5" --threads 2
check 0 "info" -- "$NQPSIM" info "$D/run.h5"
check 2 "bad scenario" -- "$NQPSIM" validate "$SRC/tests/bad_inputs/duplicate_key.yaml"
check 2 "bad --set" -- "$NQPSIM" run -q --set firm.nope=1 -o "$D/bad.h5"
head -c 100000 "$D/run.ckpt.h5" >"$D/truncated.h5"
check 2 "truncated checkpoint" -- "$NQPSIM" resume -q "$D/truncated.h5" -o "$D/t.h5"
echo "$FAILS failed"
[ "$FAILS" -eq 0 ]

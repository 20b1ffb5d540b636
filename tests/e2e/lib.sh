# Shared helpers for the end-to-end scripts (sourced, not run by ctest:
# only files named test_*.sh are tests).
set -u
: "${NQPSIM:?NQPSIM must name the nqpsim binary}"
: "${SRC:?SRC must name the source tree}"
: "${SCRATCH:=$(mktemp -d)}"
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
PY=/usr/bin/python3
FAILS=0
PASSES=0
SMALL=(--set scale=0.04 --steps 10)

pass() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL - $*"; }

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit code.
expect_exit() {
  local want=$1 what=$2
  shift 3
  "$@" >"$SCRATCH/out.txt" 2>"$SCRATCH/err.txt"
  local got=$?
  if [ "$got" -eq "$want" ]; then pass "$what (exit $got)"; else
    fail "$what: exit $got, expected $want"; sed 's/^/    /' "$SCRATCH/err.txt" | head -20
  fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
  if grep -qE -- "$1" "$2"; then pass "$3"; else
    fail "$3: /$1/ not found in:"; sed 's/^/    /' "$2" | head -20
  fi
}

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

#!/usr/bin/env bash
# `nqpsim sensitivity sample|analyze` for a model that is not nqpsim, through
# SALib-style text files: Sobol' indices of the Ishigami function (a = 7,
# b = 0.1; S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437) within 0.03
# at N = 8192 (4 bootstrap sds of the worst index, see test_sensitivity.c);
# Morris indices of a linear model exactly; bad files exit 2 with FILE:LINE.
. "$(dirname "$0")/lib.sh"
CHECK="$SRC/tests/e2e/check_sweep.py"
S="$NQPSIM sensitivity"

cat >"$SCRATCH/ishigami.txt" <<'TXT'
# name lower upper
x1 -3.141592653589793 3.141592653589793
x2 -3.141592653589793 3.141592653589793
x3 -3.141592653589793 3.141592653589793
TXT
expect_exit 0 "sensitivity --help" -- $S --help
expect_grep "usage: nqpsim sensitivity" "$SCRATCH/out.txt" "help shows the usage"
expect_exit 0 "sample sobol" -- $S sample sobol -p "$SCRATCH/ishigami.txt" -n 8192 -o "$SCRATCH/X.txt"
rows=$(grep -vc '^#' "$SCRATCH/X.txt")
[ "$rows" -eq $((8192 * 8)) ] && pass "N (2D + 2) rows with second order (SALib's default)" || fail "$rows rows"
expect_exit 0 "model evaluated outside nqpsim" -- $PY "$CHECK" ishigami "$SCRATCH/X.txt" "$SCRATCH/Y.txt"
expect_exit 0 "analyze sobol" -- $S analyze sobol -p "$SCRATCH/ishigami.txt" -Y "$SCRATCH/Y.txt" -r 200
cp "$SCRATCH/out.txt" "$SCRATCH/sobol.txt"
expect_grep "^Parameter S1 S1_conf ST ST_conf$" "$SCRATCH/sobol.txt" "SALib's table header"
expect_grep "^x1 x3 0\.2[0-9]+ " "$SCRATCH/sobol.txt" "second-order S13 near 0.2437"
expect_exit 0 "Ishigami indices within 0.03" -- $PY "$CHECK" indices "$SCRATCH/sobol.txt" ishigami 0.03
expect_exit 0 "first-order design" -- $S sample sobol -p "$SCRATCH/ishigami.txt" -n 1001 --max-order 1 -o "$SCRATCH/X1.txt"
expect_exit 2 "a first-order design read as second order" -- $S analyze sobol -p "$SCRATCH/ishigami.txt" -Y "$SCRATCH/X1.txt" -c 0
expect_grep "is not a multiple of 8" "$SCRATCH/err.txt" "row count explained"

cat >"$SCRATCH/linear.txt" <<'TXT'
x1 0 1
x2 1 3
x3 -2 2
TXT
expect_exit 0 "sample morris" -- $S sample morris -p "$SCRATCH/linear.txt" -n 12 -l 4 --seed 3 -o "$SCRATCH/M.txt"
expect_exit 0 "linear model" -- $PY "$CHECK" linear "$SCRATCH/M.txt" "$SCRATCH/MY.txt"
expect_exit 0 "analyze morris" -- $S analyze morris -p "$SCRATCH/linear.txt" -X "$SCRATCH/M.txt" -Y "$SCRATCH/MY.txt"
cp "$SCRATCH/out.txt" "$SCRATCH/morris.txt"
expect_exit 0 "Morris mu* = |c| (hi - lo) and sigma = 0" -- $PY "$CHECK" indices "$SCRATCH/morris.txt" linear 1e-9
expect_exit 0 "sample lhs" -- $S sample lhs -p "$SCRATCH/linear.txt" -n 100 --delimiter , -o "$SCRATCH/L.txt"
$PY -c "
import numpy as np, sys
x = np.loadtxt(sys.argv[1], delimiter=',')
ok = x.shape == (100, 3) and all(len(set((100 * (x[:, k] - lo) / (hi - lo)).astype(int))) == 100
                                  for k, (lo, hi) in enumerate([(0, 1), (1, 3), (-2, 2)]))
sys.exit(0 if ok else 1)" "$SCRATCH/L.txt" && pass "LHS: one point per stratum" || fail "LHS strata"

printf 'x1 0 1\nx2 3 1\n' >"$SCRATCH/badp.txt"
expect_exit 2 "inverted bounds" -- $S sample sobol -p "$SCRATCH/badp.txt" -n 8
expect_grep "badp.txt:2: x2: expected LOWER < UPPER" "$SCRATCH/err.txt" "bad bounds located"
printf 'x1 0 1\nx2 zero 1\n' >"$SCRATCH/badp2.txt"
expect_exit 2 "not a number" -- $S sample sobol -p "$SCRATCH/badp2.txt" -n 8
expect_grep "badp2.txt:2: expected NAME LOWER UPPER" "$SCRATCH/err.txt" "bad number located"
printf '1\n2\nx\n' >"$SCRATCH/badY.txt"
expect_exit 2 "bad output file" -- $S analyze sobol -p "$SCRATCH/linear.txt" -Y "$SCRATCH/badY.txt"
expect_grep "badY.txt:3: column 1: expected a number" "$SCRATCH/err.txt" "bad output located"
expect_exit 2 "morris without -X" -- $S analyze morris -p "$SCRATCH/linear.txt" -Y "$SCRATCH/MY.txt"
expect_exit 2 "unknown method" -- $S sample fast -p "$SCRATCH/linear.txt" -n 8
expect_exit 2 "odd Morris levels" -- $S sample morris -p "$SCRATCH/linear.txt" -n 8 -l 5
finish

#!/usr/bin/env bash
# `nqpsim sensitivity sample|analyze` for a model that is not nqpsim, through
# SALib-style text files: Sobol' indices of the Ishigami function (a = 7,
# b = 0.1; S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437) within 0.03
# at N = 8192 (4 bootstrap sds of the worst index, see test_sensitivity.c);
# Morris indices of a linear model exactly; bad files exit 2 with FILE:LINE.
# The Sobol' design is scrambled by default (SALib's sobol.sample); the
# plain sequence (--scramble 0) starts at SALib's saltelli.sample skip and is
# refused with skip 0 (its first block would be the origin).
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
expect_exit 0 "plain Sobol' points, as the tolerance was first made" -- $S sample sobol -p "$SCRATCH/ishigami.txt" -n 8192 --scramble 0 -o "$SCRATCH/Xp.txt"
expect_exit 0 "model on the plain design" -- $PY "$CHECK" ishigami "$SCRATCH/Xp.txt" "$SCRATCH/Yp.txt"
expect_exit 0 "analyze the plain design" -- $S analyze sobol -p "$SCRATCH/ishigami.txt" -Y "$SCRATCH/Yp.txt" -r 200
cp "$SCRATCH/out.txt" "$SCRATCH/sobol_plain.txt"
expect_exit 0 "plain design: Ishigami within 0.03" -- $PY "$CHECK" indices "$SCRATCH/sobol_plain.txt" ishigami 0.03
cmp -s "$SCRATCH/X.txt" "$SCRATCH/Xp.txt" && fail "scrambled = plain" || pass "scrambled design differs from the plain one"
$S sample sobol -p "$SCRATCH/ishigami.txt" -n 4 --seed 5 -o "$SCRATCH/Xs1.txt" 2>/dev/null
$S sample sobol -p "$SCRATCH/ishigami.txt" -n 4 --seed 5 -o "$SCRATCH/Xs2.txt" 2>/dev/null
cmp -s "$SCRATCH/Xs1.txt" "$SCRATCH/Xs2.txt" && pass "same seed, same scrambled design" || fail "scrambling not deterministic"
[ "$(grep -v '^#' "$SCRATCH/Xs1.txt" | head -8 | sort -u | wc -l)" -eq 8 ] && pass "the first block's 8 rows are distinct" || fail "degenerate first block"
expect_exit 2 "plain points with skip 0" -- $S sample sobol -p "$SCRATCH/ishigami.txt" -n 8 --scramble 0 --skip-values 0
expect_grep "first base sample the origin" "$SCRATCH/err.txt" "skip 0 unscrambled explained"
expect_exit 0 "N not a power of 2 warns" -- $S sample sobol -p "$SCRATCH/ishigami.txt" -n 1000 -o "$SCRATCH/Xw.txt"
expect_grep "warning: N = 1000 is not a power of 2" "$SCRATCH/err.txt" "power-of-2 warning"
expect_exit 0 "small N warns about the intervals" -- $S sample sobol -p "$SCRATCH/ishigami.txt" -n 16 -o "$SCRATCH/Xw.txt" --force
expect_grep "too few for 95% bootstrap confidence intervals" "$SCRATCH/err.txt" "small-N warning"
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

# SALib's read_param_file forms: commas, a group column NA, a dist column unif.
printf 'x1,0,1,NA,unif\nx2,1,3,NA\nx3,-2,2\n' >"$SCRATCH/salib.txt"
expect_exit 0 "SALib's comma form with NA and unif" -- $S sample lhs -p "$SCRATCH/salib.txt" -n 10 --seed 3 -o "$SCRATCH/Ls.txt"
$S sample lhs -p "$SCRATCH/linear.txt" -n 10 --seed 3 -o "$SCRATCH/Ll.txt" 2>/dev/null
diff <(grep -v '^#' "$SCRATCH/Ls.txt") <(grep -v '^#' "$SCRATCH/Ll.txt") >/dev/null && pass "same problem as the blank-separated file" || fail "comma form read differently"
printf 'x1,0,1,G1\nx2,1,3,G2\n' >"$SCRATCH/groups.txt"
expect_exit 2 "parameter groups refused" -- $S sample sobol -p "$SCRATCH/groups.txt" -n 8
expect_grep "groups.txt:1: x1: parameter groups are not supported" "$SCRATCH/err.txt" "groups named"
printf 'x1 0 1 NA norm\n' >"$SCRATCH/dist.txt"
expect_exit 2 "non-uniform distribution refused" -- $S sample sobol -p "$SCRATCH/dist.txt" -n 8
expect_grep "dist.txt:1: x1: expected uniform parameters" "$SCRATCH/err.txt" "distribution named"

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

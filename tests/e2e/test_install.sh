#!/usr/bin/env bash
# `cmake --install` (what `make install PREFIX=/opt/nqp DESTDIR=STAGE` runs)
# of the build that made $NQPSIM, staged under $SCRATCH/stage: every file
# in its place; nqpsim.pc written for the prefix; docs/examples/baseline.c
# compiled against the installed tree with pkg-config, against the shared
# library (rpath) and the static one, run, its output checked and its run
# file equal to `nqpsim run`'s; the shared library exports only nqp_*
# symbols, exactly the functions of nqpsim.h, under soname libnqpsim.so.0;
# the installed man page renders with `man -l` without warnings and names
# every command and every long option of the CLI's help.
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$NQPSIM")" && pwd)
STAGE=$SCRATCH/stage
PREFIX=/opt/nqp
ROOT=$STAGE$PREFIX
if [ ! -f "$BUILD/cmake_install.cmake" ] || [ ! -f "$BUILD/libnqpsim.so" ]; then
  echo "skip: $BUILD is not a build tree with libnqpsim"
  exit 77
fi

expect_exit 0 "cmake --install --prefix $PREFIX with DESTDIR" -- \
  env DESTDIR="$STAGE" cmake --install "$BUILD" --prefix "$PREFIX"
for f in bin/nqpsim lib/libnqpsim.a lib/libnqpsim.so lib/libnqpsim.so.0 lib/libnqpsim.so.0.1.0 \
  include/nqpsim.h lib/pkgconfig/nqpsim.pc share/man/man1/nqpsim.1 \
  share/doc/nqpsim/scenarios/anhui.yaml share/doc/nqpsim/scenarios/lever_talent.yaml \
  share/doc/nqpsim/scenarios/parameters.md; do
  if [ -e "$ROOT/$f" ]; then pass "installed $f"; else fail "missing $PREFIX/$f"; fi
done
n_yaml=$(ls "$SRC"/scenarios/*.yaml | wc -l)
n_inst=$(ls "$ROOT"/share/doc/nqpsim/scenarios/*.yaml | wc -l)
[ "$n_yaml" -eq "$n_inst" ] && pass "all $n_yaml embedded scenarios installed" ||
  fail "$n_inst of $n_yaml scenario files installed"
"$NQPSIM" schema >"$SCRATCH/schema.md"
cmp -s "$SCRATCH/schema.md" "$ROOT/share/doc/nqpsim/scenarios/parameters.md" &&
  pass "parameters.md is the output of nqpsim schema" || fail "parameters.md differs from nqpsim schema"
if [ -d "$SRC/python/nqpsim" ]; then
  [ -f "$ROOT/lib/python3/dist-packages/nqpsim/__init__.py" ] && pass "Python package installed" ||
    fail "lib/python3/dist-packages/nqpsim/__init__.py missing"
  [ -z "$(find "$ROOT/lib/python3/dist-packages/nqpsim" -name __pycache__ -o -name '*.pyc')" ] &&
    pass "no __pycache__ installed" || fail "__pycache__ or .pyc installed"
fi
"$ROOT/bin/nqpsim" --version >"$SCRATCH/version.txt" 2>&1
expect_grep '^nqpsim 0\.1\.0' "$SCRATCH/version.txt" "installed nqpsim runs"

# pkg-config against the staged tree: the file names the prefix, which
# --define-variable moves into the stage (the dependencies stay the system's)
expect_grep "^prefix=$PREFIX\$" "$ROOT/lib/pkgconfig/nqpsim.pc" "nqpsim.pc written for $PREFIX"
export PKG_CONFIG_PATH=$ROOT/lib/pkgconfig
pc() { pkg-config --define-variable=prefix="$ROOT" "$@"; }
pc --modversion nqpsim >"$SCRATCH/pc.txt" 2>&1
expect_grep '^0\.1\.0$' "$SCRATCH/pc.txt" "pkg-config --modversion nqpsim"
pc --cflags nqpsim >"$SCRATCH/pc_cflags.txt" 2>&1
expect_grep "^-I$ROOT/include" "$SCRATCH/pc_cflags.txt" "pkg-config --cflags names the installed include/"
pc --static --libs nqpsim >"$SCRATCH/pc_static.txt" 2>&1
expect_grep '-lhdf5_hl.*-fopenmp.*-lm' "$SCRATCH/pc_static.txt" "pkg-config --static names the private libraries"
expect_grep '-lyaml' "$SCRATCH/pc_static.txt" "pkg-config --static pulls in yaml-0.1"
SAN=()
grep -q '^NQP_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" && SAN=(-fsanitize=address,undefined)
read -r -a CFLAGS <<<"$(pc --cflags nqpsim)"
read -r -a LIBS <<<"$(pc --libs nqpsim)"
read -r -a SLIBS <<<"$(pc --static --libs nqpsim)"
EX=$SRC/docs/examples/baseline.c
expect_exit 0 "baseline.c compiles against the shared library" -- \
  cc "${SAN[@]}" -Wall -Wextra -Werror -o "$SCRATCH/ex_shared" "$EX" "${CFLAGS[@]}" "${LIBS[@]}" \
  -Wl,-rpath,"$ROOT/lib"
expect_exit 0 "baseline.c compiles against the static library" -- \
  cc "${SAN[@]}" -Wall -Wextra -Werror -o "$SCRATCH/ex_static" "$EX" "${CFLAGS[@]}" \
  -Wl,--as-needed -Wl,-Bstatic -lnqpsim -Wl,-Bdynamic "${SLIBS[@]}"
readelf -d "$SCRATCH/ex_shared" >"$SCRATCH/dyn_shared.txt"
readelf -d "$SCRATCH/ex_static" >"$SCRATCH/dyn_static.txt"
expect_grep 'NEEDED.*libnqpsim\.so\.0' "$SCRATCH/dyn_shared.txt" "shared example needs libnqpsim.so.0"
grep -q libnqpsim "$SCRATCH/dyn_static.txt" && fail "static example needs libnqpsim.so" ||
  pass "static example does not need libnqpsim.so"
ldd "$SCRATCH/ex_shared" >"$SCRATCH/ldd.txt"
expect_grep "libnqpsim\.so\.0 => $ROOT/lib/libnqpsim\.so\.0" "$SCRATCH/ldd.txt" "the rpath finds the installed library"

cd "$SCRATCH" || exit 1
for kind in shared static; do
  expect_exit 0 "ex_$kind runs" -- "$SCRATCH/ex_$kind" "$SCRATCH/ex_$kind.h5" seed=5
  cp "$SCRATCH/out.txt" "$SCRATCH/ex_$kind.txt"
done
OUT=$SCRATCH/ex_shared.txt
expect_grep '^libnqpsim 0\.1\.0 \(commit [0-9a-f]+' "$OUT" "the example prints the library version"
expect_grep '^scenario anhui: seed 5, 8 steps$' "$OUT" "the override reached the scenario"
for s in output tfp digital index_nqp; do
  expect_grep "^$s +step 7: [0-9.e+]+ " "$OUT" "the example prints $s at the last step"
done
expect_grep '^firms [0-9]+$' "$OUT" "the example prints the live firms"
expect_grep "^saved $SCRATCH/ex_shared\.h5\$" "$OUT" "the example saves its run file"
sed 's/ex_static/ex_shared/' "$SCRATCH/ex_static.txt" | cmp -s - "$OUT" &&
  pass "static and shared examples print the same" || fail "static and shared examples differ"
expect_exit 0 "nqpsim run with the same overrides" -- \
  "$NQPSIM" run -q --set scale=0.02 --set steps=8 --seed 5 -o "$SCRATCH/run.h5"
expect_exit 0 "the example's run file equals nqpsim run's" -- \
  $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/run.h5" "$SCRATCH/ex_shared.h5"
expect_exit 2 "a bad override fails with status 2" -- "$SCRATCH/ex_shared" x.h5 firm.no_such=1
expect_grep 'nqp_scenario_set: .*firm\.no_such' "$SCRATCH/err.txt" "nqp_last_error names the bad key"

# exported symbols: exactly the NQP_API functions of the header
nm -D --defined-only "$ROOT/lib/libnqpsim.so" | awk '{print $3}' | sort >"$SCRATCH/exported.txt"
grep -v '^nqp_' "$SCRATCH/exported.txt" >"$SCRATCH/foreign.txt"
[ -s "$SCRATCH/exported.txt" ] && [ ! -s "$SCRATCH/foreign.txt" ] && pass "only nqp_* symbols exported" ||
  { fail "symbols other than nqp_* exported:"; head "$SCRATCH/foreign.txt"; }
grep -oE '^NQP_API [^(]*\bnqp_[a-z_0-9]+\(' "$ROOT/include/nqpsim.h" | grep -oE 'nqp_[a-z_0-9]+\($' |
  tr -d '(' | sort >"$SCRATCH/declared.txt"
cmp -s "$SCRATCH/declared.txt" "$SCRATCH/exported.txt" &&
  pass "exported symbols are the $(wc -l <"$SCRATCH/declared.txt") functions of nqpsim.h" ||
  { fail "exports differ from the header:"; diff "$SCRATCH/declared.txt" "$SCRATCH/exported.txt" | head; }
readelf -d "$ROOT/lib/libnqpsim.so" >"$SCRATCH/soname.txt"
expect_grep 'SONAME.*\[libnqpsim\.so\.0\]' "$SCRATCH/soname.txt" "soname libnqpsim.so.0"

# the manual page
MAN=$ROOT/share/man/man1/nqpsim.1
MANWIDTH=100 man --warnings -l "$MAN" >"$SCRATCH/man.txt" 2>"$SCRATCH/man_err.txt"
[ -s "$SCRATCH/man.txt" ] && [ ! -s "$SCRATCH/man_err.txt" ] && pass "man -l renders without warnings" ||
  { fail "man -l:"; head "$SCRATCH/man_err.txt"; }
expect_grep '^NQPSIM\(1\)' "$SCRATCH/man.txt" "the page is nqpsim(1)"
# the source without font escapes, for words the renderer may hyphenate
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" >"$SCRATCH/man_src.txt"
missing=""
for c in run resume validate info compare report schema sweep sensitivity; do
  grep -q "^\.SS \"$c" "$SCRATCH/man_src.txt" || missing="$missing $c"
  for o in $("$NQPSIM" "$c" --help 2>&1 | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    grep -q -- "$o" "$SCRATCH/man_src.txt" || missing="$missing $c:$o"
  done
done
[ -z "$missing" ] && pass "the man page covers every command and long option" ||
  fail "the man page misses:$missing"
finish

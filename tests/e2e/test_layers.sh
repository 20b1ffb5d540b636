#!/usr/bin/env bash
# The architecture rules (layers.txt, tools/check_layers.py): the tree obeys
# them, and the checker catches each kind of violation, naming file and line.
. "$(dirname "$0")/lib.sh"
CHECK=(/usr/bin/python3 "$SRC/tools/check_layers.py")

expect_exit 0 "the source tree obeys its layers" -- "${CHECK[@]}" --root "$SRC"
expect_grep "check_layers: ok" "$SCRATCH/out.txt" "the checker says ok"
expect_grep "^layers, lowest first: base < config < world" "$SCRATCH/out.txt" "the order is read from layers.txt"

# a fake tree with one violation of each kind
T="$SCRATCH/tree"
mkdir -p "$T/low" "$T/high" "$T/tests"
cat >"$T/layers.txt" <<'TXT'
# lowest first
low   low   the bottom
high  high  the top
clients tests
TXT
printf '/* a.h: bottom.\n * Included by: anyone. */\n' >"$T/low/a.h"
printf '#include "low/a.h"\n#include "high/b.h"\nint a;\n' >"$T/low/a.c"
printf '/* b.h: top.\n * Private to: high/b.c */\n#include "high/c.h"\n' >"$T/high/b.h"
printf '/* c.h: says nothing about its includers. */\n#include "high/b.h"\n' >"$T/high/c.h"
printf '#include "high/b.h"\n' >"$T/high/b.c"
printf '#include "high/c.h"\n#include "high/b.h"\n' >"$T/high/c.c"
for i in $(seq 1 40); do echo "int x$i;"; done >"$T/high/big.c"

expect_exit 1 "a tree with violations fails" -- "${CHECK[@]}" --root "$T"
expect_grep "^low/a.c:2: includes high/b.h of layer .high. from layer .low. below it" "$SCRATCH/err.txt" \
  "an upward include is named with file and line"
expect_grep "^high/c.c:2: includes high/b.h, which is private to high/b.c" "$SCRATCH/err.txt" \
  "an include of a private header is refused"
expect_grep "^high/c.h:1: the header's top comment says neither" "$SCRATCH/err.txt" \
  "a header that does not say who may include it is refused"
expect_grep "modules include each other in a circle: high/b -> high/c" "$SCRATCH/err.txt" \
  "a circle of includes is found"
expect_grep "^high/: holds [0-9.]+% of the code" "$SCRATCH/err.txt" "a folder above 30% of the code is refused"
finish

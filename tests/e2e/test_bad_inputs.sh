#!/usr/bin/env bash
# Runs the hostile-input catalogue tests/bad_inputs/cases.tsv (format in
# tests/bad_inputs/README.md): each case must end with its exit code, print
# its expected message, never crash or hang (no signal, no sanitizer
# report, a time limit), and a failing case must leave no file under its
# final name. Corrupt and truncated HDF5 inputs are generated first, from
# a small run and a checkpoint of this build, into $SCRATCH/gen.
. "$(dirname "$0")/lib.sh"
IN="$SRC/tests/bad_inputs"
GEN="$SCRATCH/gen"
LIMIT=${NQP_CASE_TIMEOUT:-300}
mkdir -p "$GEN"

# ---- generated inputs
"$NQPSIM" run -q --set scale=0.02 --steps 4 -o "$GEN/run.h5" &&
  "$NQPSIM" run -q "$IN/one_firm.yaml" --steps 4 -o "$GEN/one_firm.h5" &&
  "$NQPSIM" run -q --set scale=0.02 --steps 6 --stop-at 3 -o "$GEN/ck.h5" 2>/dev/null ||
  fail "generating the HDF5 inputs"
: >"$GEN/empty.h5"
half() { head -c $(($(stat -c %s "$1") / 2)) "$1" >"$2"; }
half "$GEN/run.h5" "$GEN/run_truncated.h5"
half "$GEN/ck.ckpt.h5" "$GEN/ck_truncated.h5"
$PY - "$GEN" <<'PY' || fail "generating the corrupt checkpoints"
import shutil, sys, h5py, numpy as np
g = sys.argv[1]
def variant(name, edit):
    shutil.copy(g + "/ck.ckpt.h5", g + "/" + name)
    with h5py.File(g + "/" + name, "r+") as f:
        edit(f)
variant("ck_layout.h5", lambda f: f.attrs.__setitem__("layout", "world=1 firm_soa=2"))
variant("ck_status.h5", lambda f: f.attrs.__setitem__("status", "writing"))
variant("ck_step.h5", lambda f: f.attrs.__setitem__("step", np.int64(10**6)))
def poke(f):
    f["firms/ind"][0] = 999
variant("ck_ind.h5", poke)
def scenario(f):
    del f["scenario"]
    f.create_dataset("scenario", data="steps: [", dtype=h5py.string_dtype())
variant("ck_scenario.h5", scenario)
# flip one byte inside the stored (deflated, checksummed) data of firms/capital
shutil.copy(g + "/ck.ckpt.h5", g + "/ck_flipped.h5")
with h5py.File(g + "/ck.ckpt.h5", "r") as f:
    off = f["firms/capital"].id.get_offset() or f["firms/capital"].id.get_chunk_info(0).byte_offset
with open(g + "/ck_flipped.h5", "r+b") as f:
    f.seek(off + 16)
    b = f.read(1)
    f.seek(off + 16)
    f.write(bytes([b[0] ^ 0xFF]))
PY

# every lever switched on at full intensity, budget and amount
LEVERS_MAX=""
for l in $("$NQPSIM" schema | grep -oE '`government\.[a-z_]+\.enabled`' | tr -d '`' | sed 's/\.enabled$//'); do
  LEVERS_MAX+=" --set $l.enabled=true --set $l.intensity=1 --set $l.budget=1000000 --set $l.amount=1000000000"
done

# ---- one case
run_case() {
  local name=$1 want_rc=$2 tier=$3 cmd=$4 want=$5
  local out="$SCRATCH/cases/$name"
  mkdir -p "$out"
  cmd=${cmd//\{nqpsim\}/$NQPSIM}
  cmd=${cmd//\{in\}/$IN}
  cmd=${cmd//\{gen\}/$GEN}
  cmd=${cmd//\{out\}/$out}
  cmd=${cmd//\{levers_max\}/$LEVERS_MAX}
  # shellcheck disable=SC2086 # the command is split into words on purpose
  (cd "$out" && exec timeout "$LIMIT" env $cmd) >"$out/.stdout" 2>"$out/.stderr"
  local rc=$? problems=""
  [ "$rc" -eq 124 ] && problems+=" hung (killed after ${LIMIT}s);"
  [ "$rc" -ge 128 ] && problems+=" crashed (signal $((rc - 128)));"
  grep -qE "AddressSanitizer|LeakSanitizer|runtime error:|Segmentation fault" "$out/.stderr" &&
    problems+=" sanitizer report;"
  [ "$rc" -ne "$want_rc" ] && problems+=" exit $rc, expected $want_rc;"
  cat "$out/.stdout" "$out/.stderr" | grep -qE -- "$want" || problems+=" message /$want/ missing;"
  if [ "$want_rc" -ne 0 ]; then
    local left
    left=$(find "$out" -type f ! -name '.std*' ! -name '*.partial' | head -3)
    [ -n "$left" ] && problems+=" left a file under its final name: $left;"
  fi
  if [ -z "$problems" ]; then
    pass "$name (exit $rc)"
  elif [ "$tier" = xfail ]; then
    echo "xfail - $name (known bug):$problems"
  else
    fail "$name:$problems"
    sed 's/^/    /' "$out/.stderr" | head -5
  fi
}

while IFS=$'\t' read -r name code tier cmd want; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ "$tier" = full ] && [ -z "${NQP_FULL:-}" ]; then
    echo "skip - $name (NQP_FULL=1 runs it)"
    continue
  fi
  run_case "$name" "$code" "$tier" "$cmd" "$want"
done <"$IN/cases.tsv"
finish

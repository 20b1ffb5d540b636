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
def variant(name, edit):  # an edit through HDF5 by someone who recomputes the file checksum
    shutil.copy(g + "/ck.ckpt.h5", g + "/" + name)
    with h5py.File(g + "/" + name, "r+") as f:
        edit(f)
    seal(g + "/" + name)
T = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ (0x82F63B78 & -(c & 1))
    T.append(c)
def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = T[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF
def seal(path):  # the file checksum in the user block (output/checkpoint.h), recomputed
    with open(path, "r+b") as f:
        data = f.read()
        f.seek(0)
        f.write(b"NQPCKPT1" + len(data).to_bytes(8, "little") + crc32c(data[512:]).to_bytes(4, "little"))
def item(f, name):  # the canonical item of output/meta_hash.h
    if name.startswith("/"):
        v = f[name[1:]][()]
        return b"t" + (v if isinstance(v, bytes) else v.encode())
    v = f.attrs[name]
    if isinstance(v, (bytes, str)):
        return b"s" + (v if isinstance(v, bytes) else v.encode())
    if isinstance(v, (float, np.floating)):
        return b"f" + np.float64(v).tobytes()
    return b"i" + int(v).to_bytes(8, "little", signed=True)
def reseal(f):  # a forger who recomputes the checksums: the checks behind them must hold
    names = [t.split("=")[0] for t in f.attrs["meta_hash"].split()[1:]]
    f.attrs["meta_hash"] = " ".join(["crc32c:1"] + ["%s=%08x" % (n, crc32c(item(f, n))) for n in names])
def in_place(name, key, change, sealed=False):  # change the byte after KEY, as a bit flip would
    shutil.copy(g + "/ck.ckpt.h5", g + "/" + name)
    with open(g + "/" + name, "r+b") as f:
        data = bytearray(f.read())
        at = data.index(key) + len(key)
        data[at] = change(data[at])
        f.seek(0)
        f.write(data)
    if sealed:
        seal(g + "/" + name)
variant("ck_layout.h5", lambda f: f.attrs.__setitem__("layout", "world=1 firm_soa=2"))
variant("ck_status.h5", lambda f: f.attrs.__setitem__("status", "writing"))
variant("ck_step.h5", lambda f: (f.attrs.__setitem__("step", np.int64(10**6)), reseal(f)))
variant("ck_step_nohash.h5", lambda f: f.attrs.__setitem__("step", np.int64(10**6)))
variant("ck_nohash.h5", lambda f: f.attrs.__delitem__("meta_hash"))
# one byte of the stored scenario text (demand_growth: 0.1 -> 0.9) and
# of a string attribute (--stop-at 3 -> 4), in the file's global heap
in_place("ck_heap_scenario.h5", b"demand_growth: 0.", lambda b: b ^ 0x08)
in_place("ck_heap_sealed.h5", b"demand_growth: 0.", lambda b: b ^ 0x08, sealed=True)
in_place("ck_heap_attr.h5", b"--stop-at ", lambda b: b ^ 0x07, sealed=True)
# run files: one byte of the stored scenario (refused by compare and report);
# a file of an older version, without meta_hash (still read)
shutil.copy(g + "/run.h5", g + "/run_heap.h5")
with open(g + "/run_heap.h5", "r+b") as f:
    data = bytearray(f.read())
    at = data.index(b"demand_growth: 0.") + len(b"demand_growth: 0.")
    data[at] ^= 0x08
    f.seek(0)
    f.write(data)
shutil.copy(g + "/run.h5", g + "/run_label.h5")
with h5py.File(g + "/run_label.h5", "r+") as f:
    f["series/region/region"][0] = b"elsewhere"
shutil.copy(g + "/run.h5", g + "/run_nohash.h5")
with h5py.File(g + "/run_nohash.h5", "r+") as f:
    del f.attrs["meta_hash"]
def poke(f):
    f["firms/ind"][0] = 999
variant("ck_ind.h5", poke)
def scenario(f):
    del f["scenario"]
    f.create_dataset("scenario", data="steps: [", dtype=h5py.string_dtype())
    reseal(f)
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

#!/usr/bin/env bash
# Install every Debian package nqpsim needs to build, run and test.
# Idempotent: installs only what is missing. Needs root (or sudo) when
# something is missing. Called by `make run` and `make test`.
set -euo pipefail

PACKAGES=(
  build-essential   # gcc, make: the C compiler and OpenMP runtime (libgomp)
  g++               # the C++ compiler for the PCG reference comparison test
  cmake             # build system
  pkg-config        # finds libyaml and criterion
  git               # provenance: git commit in every output file
  libhdf5-dev       # HDF5 C library + high-level (H5LT, H5DS dimension scales)
  hdf5-tools        # h5diff/h5dump used by tests and users
  libyaml-dev       # YAML scenario parser
  libcriterion-dev  # C unit test framework
  libpcg-cpp-dev    # reference PCG C++ library for RNG conformance tests
  libopenmpi-dev    # optional MPI build (sweeps across machines)
  openmpi-bin       # mpirun for the MPI tests
  python3           # Python checks of the output
  python3-numpy     # ... arrays
  python3-pandas    # ... tables: the nqpsim package's firms() DataFrame, docs/python.md
  python3-h5py      # ... reading runs with h5py
  python3-xarray    # ... reading runs with xarray
  python3-netcdf4   # ... xarray's netcdf4 engine over HDF5
  clang-format      # code style check
  clang             # fuzzing: libFuzzer harnesses of the parsers (make fuzz, tests/fuzz/run.sh)
  libclang-rt-dev   # ... libFuzzer and the sanitizer runtimes for clang
  libomp-dev        # ... OpenMP runtime for the clang build of libnqp
  man-db            # man: the install test renders the installed man page (man -l)
  valgrind          # memcheck of small runs (make valgrind, make check-full)
  nodejs            # runs npm at build time and the browser test of the HTML reports
  npm               # installs Apache ECharts (inlined into every `nqpsim report`) and playwright-core
  chromium          # headless browser for the report test (tests/e2e/test_report_browser.sh)
  fonts-wqy-zenhei  # CJK font: Chinese labels in the report screenshots
  python3-matplotlib # plotting runs and sweeps from Python (tools/plot_run.py, docs/python.md)
)

# A package counts as present when installed or, for these, when its
# command is on the PATH (NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package: installing that would replace node).
declare -A COMMAND_OF=([nodejs]=node [npm]=npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if [ -n "${COMMAND_OF[$p]:-}" ] && command -v "${COMMAND_OF[$p]}" >/dev/null 2>&1; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing packages ${missing[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

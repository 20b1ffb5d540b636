# nqpsim: the two commands of the README, plus the longer tiers.
#   make run         install missing Debian packages, build (Release), run the Anhui baseline
#                    and write its HTML report (runs/anhui.html)
#   make test        install, build, run every test, then again under ASan+UBSan
#   make check-full  longer checks (large worlds, long horizons), valgrind, a short fuzz
#   make fuzz        coverage-guided fuzzing of the parsers, FUZZ_SECONDS per harness (clang)
#   make valgrind    valgrind memcheck of small runs (Release build)
#   make bench       throughput benchmarks (steps, and sweeps on threads and MPI ranks)
#   make test-mpi    build nqpsim with MPI (build-mpi) and run the MPI sweep test
#   make format      clang-format every C source
#   make install     build (Release) and install nqpsim, libnqpsim (.a, .so), nqpsim.h,
#                    nqpsim.pc, the man page, scenario docs and the Python package under
#                    PREFIX (default /usr/local), staged under DESTDIR if given:
#                    make install PREFIX=/opt/nqp DESTDIR=/tmp/stage
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD := build
ASAN := build-asan
MPI := build-mpi
CTEST := ctest --output-on-failure --no-tests=error

.PHONY: all deps build build-asan build-mpi run test test-release test-asan test-mpi check-full bench format clean fuzz valgrind install

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DNQP_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)

# nqpsim with the MPI sweep driver (Open MPI), for `mpirun -np N nqpsim sweep`.
build-mpi: deps
	@cmake -S . -B $(MPI) -DCMAKE_BUILD_TYPE=Release -DNQP_MPI=ON -DNQP_TESTS=OFF >/dev/null
	@cmake --build $(MPI) -j $(JOBS) --target nqpsim

run: build
	@mkdir -p runs
	./$(BUILD)/nqpsim run -o runs/anhui.h5 --force
	./$(BUILD)/nqpsim report runs/anhui.h5 -o runs/anhui.html

test: test-release test-asan test-mpi

test-release: build
	cd $(BUILD) && $(CTEST) -j 2

# Sanitizer tier: the unit tests and the end-to-end scripts on the ASan build.
test-asan: build-asan
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(CTEST) -L 'quick|e2e'

# MPI tier: the MPI sweep test (mpirun -np 1, 2, 3) on the MPI build.
test-mpi: build-mpi
	NQPSIM=$(CURDIR)/$(MPI)/nqpsim SRC=$(CURDIR) SCRATCH=$(CURDIR)/$(MPI)/e2e-scratch/sweep_mpi \
	  bash tests/e2e/test_sweep_mpi.sh

check-full: build
	cd $(BUILD) && NQP_FULL=1 $(CTEST) -j 2
	$(MAKE) valgrind
	$(MAKE) fuzz FUZZ_SECONDS=10

# Fuzzing (libFuzzer, ASan+UBSan) of the scenario, --set and sweep parsers from
# the seed corpus tests/fuzz/corpus/; crashes are kept in build-fuzz/crashes/.
FUZZ_SECONDS ?= 60
fuzz: deps
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# Valgrind memcheck (errors and definite leaks fail) of small runs, resume, error paths.
valgrind: build
	NQPSIM=$(CURDIR)/$(BUILD)/nqpsim bash tests/valgrind.sh

bench: build build-mpi
	./$(BUILD)/bench_throughput
	./$(BUILD)/bench_sweep --mpi $(MPI)/nqpsim

# cmake --install of the Release build; nqpsim.pc is written for PREFIX.
PREFIX ?= /usr/local
DESTDIR ?=
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

format:
	clang-format -i $$(git ls-files '*.c' '*.h' '*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN) $(MPI) build-fuzz

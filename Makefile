# nqpsim: the two commands of the README, plus the longer tiers.
#   make run         install missing Debian packages, build (Release), run the Anhui baseline
#   make test        install, build, run every test, then again under ASan+UBSan
#   make check-full  longer checks (large worlds, long horizons)
#   make bench       throughput benchmarks
#   make format      clang-format every C source
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD := build
ASAN := build-asan
CTEST := ctest --output-on-failure --no-tests=error

.PHONY: all deps build build-asan run test test-release test-asan check-full bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DNQP_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)

run: build
	@mkdir -p runs
	./$(BUILD)/nqpsim run -o runs/anhui.h5 --force

test: test-release test-asan

test-release: build
	cd $(BUILD) && $(CTEST) -j 2

# Sanitizer tier: the unit tests and the end-to-end scripts on the ASan build.
test-asan: build-asan
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(CTEST) -L 'quick|e2e'

check-full: build
	cd $(BUILD) && NQP_FULL=1 $(CTEST) -j 2

bench: build
	./$(BUILD)/bench_throughput

format:
	clang-format -i $$(git ls-files '*.c' '*.h' '*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN)

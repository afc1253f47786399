# Thin wrapper: every target installs what is missing, configures and builds first.
BUILD_DIR ?= build
JOBS      ?= $(shell nproc)
MAKEFLAGS += --no-print-directory
# ccache when present, decided as each recipe runs (after `setup` installed it), not when make
# reads this file: the very first build of a fresh machine already goes through ccache.
CMAKE_LAUNCHER = $$(command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all setup configure build run test bench fuzz clean

all: build

setup:
	@tools/setup.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_LAUNCHER) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: backtest the default synthetic market (200 symbols, 30 days).
run: build
	@$(BUILD_DIR)/winiswin --log-level warn backtest --out $(BUILD_DIR)/backtest

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The crash test: live trading against the loopback venue, killed at random and restarted
# (WINISWIN_SOAK_CYCLES times, default 20); not part of `make test`.
soak: build
	@$(BUILD_DIR)/tests/soak_tests

# TA-Lib (the comparator) is built once from npm, before configuring, so the bench links it.
bench: setup
	@tools/build_talib.sh
	@$(MAKE) build
	@$(BUILD_DIR)/bench/winiswin_bench --benchmark_counters_tabular=true $(BENCH_ARGS)

# libFuzzer on every parser family of the Binance codec, FUZZ_SECONDS each (clang, ASan).
# New inputs go to build-fuzz/corpus (the seeds in fuzz/corpus stay as committed); a crash
# leaves its input in build-fuzz/artifacts and stops the run.
FUZZ_DIR     ?= build-fuzz
FUZZ_SECONDS ?= 20
FUZZERS      := fuzz_rest_market fuzz_rest_orders fuzz_rest_account fuzz_market_stream fuzz_user_stream fuzz_query_string
fuzz: setup
	@cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DWINISWIN_FUZZ=ON $(CMAKE_LAUNCHER) >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target winiswin_fuzzers
	@mkdir -p $(FUZZ_DIR)/artifacts
	@for fuzzer in $(FUZZERS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$fuzzer; \
	  echo "fuzz: $$fuzzer for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/fuzz/$$fuzzer -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$fuzzer- $(FUZZ_DIR)/corpus/$$fuzzer fuzz/corpus/$$fuzzer \
	    2>$(FUZZ_DIR)/$$fuzzer.log || { tail -40 $(FUZZ_DIR)/$$fuzzer.log; exit 1; }; \
	  grep -E "stat::number_of_executed_units|stat::new_units_added" $(FUZZ_DIR)/$$fuzzer.log | tr '\n' ' '; echo; \
	done

clean:
	@rm -rf $(BUILD_DIR)

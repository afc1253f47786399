# Thin wrapper: every target installs what is missing, configures and builds first.
BUILD_DIR ?= build
JOBS      ?= $(shell nproc)
MAKEFLAGS += --no-print-directory
CMAKE_LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

.PHONY: all setup configure build run test bench clean

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

# TA-Lib (the comparator) is built once from npm, before configuring, so the bench links it.
bench: setup
	@tools/build_talib.sh
	@$(MAKE) build
	@$(BUILD_DIR)/bench/winiswin_bench --benchmark_counters_tabular=true $(BENCH_ARGS)

clean:
	@rm -rf $(BUILD_DIR)

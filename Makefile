# NormForge: setup, build, test, generate, lint, synth, bench.
# Every goal that needs the HDL tools depends on `setup`, which installs them only when missing.
SWIFT      ?= swift
CONFIG     ?= release
SWIFTFLAGS ?= -c $(CONFIG)
BIN         = $(shell $(SWIFT) build $(SWIFTFLAGS) --show-bin-path)/normforge

.PHONY: setup build run test test-long generate generate-bfp lint synth bench clean bench-cosim testbenches bench-softfloat precision

setup:
	@./scripts/setup-tools.sh

build: setup
	$(SWIFT) build $(SWIFTFLAGS) --product normforge

# The main job on the default configuration.
run: build
	$(BIN) formats

# The whole default test suite (kept well under 30 minutes on 2 cores).
test: setup
	$(SWIFT) test $(SWIFTFLAGS)

clean:
	rm -rf .build

# Regenerates the checked-in circuits under generated/ (each generator's test rewrites its files).
generate: generate-bfp

generate-bfp:
	NORMFORGE_REGENERATE=1 $(SWIFT) test $(SWIFTFLAGS) --filter BFPGeneratedFilesTests/checkedInFilesAreCurrent

# Every checked-in SystemVerilog file: generated/ and the example designs (their golden files,
# which the HDL tests keep identical to what the DSL emits). One module per file; submodules are
# found in the same directory.
SV_DIRS = generated Tests/HDLTests/Golden

lint: setup
	@set -e; for dir in $(SV_DIRS); do \
	  for f in $$dir/*.sv; do [ -e "$$f" ] || continue; \
	    echo "lint $$f"; verilator --lint-only -Wall -y $$dir $$f; done; done

synth: setup
	@set -e; for dir in $(SV_DIRS); do \
	  for f in $$dir/*.sv; do [ -e "$$f" ] || continue; top=$$(basename $$f .sv); \
	    echo "synth $$f"; yosys -q -p "read_verilog -sv $$dir/*.sv; synth -top $$top"; done; done

# Co-simulation benchmark: in-process Verilator bridge vs hand-written C++ harness vs Icarus,
# and Verilator compile time cold vs cached. Prints a table, writes bench-results/cosim.json.
bench-cosim: setup
	$(SWIFT) build $(SWIFTFLAGS) --product normforge
	$(BIN) bench cosim --output bench-results/cosim.json

# Every benchmark.
bench: bench-cosim bench-softfloat

# Regenerates the checked-in example testbenches under testbenches/icarus/.
testbenches: setup
	NORMFORGE_REGENERATE=1 $(SWIFT) test $(SWIFTFLAGS) --filter IcarusTests/checkedInExampleIsCurrentAndPasses

# The whole suite with the long sweeps (10M random FP16/BF16 pairs, larger exact samples).
test-long: setup
	NORMFORGE_LONG=1 $(SWIFT) test $(SWIFTFLAGS)

# Soft-float throughput (ops/s, thread CPU time) against native Float/Float16. Prints a table,
# writes bench-results/softfloat.json.
bench-softfloat:
	$(SWIFT) build $(SWIFTFLAGS) --product normforge
	$(BIN) bench softfloat --output bench-results/softfloat.json

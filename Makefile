# NormForge: setup, build, test, generate, lint, synth, bench.
# Every goal that needs the HDL tools depends on `setup`, which installs them only when missing.
# The project's pinned tools (.venv/bin, written by `make setup`) come first on PATH.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
SWIFT      ?= swift
CONFIG     ?= release
SWIFTFLAGS ?= -c $(CONFIG)
BIN         = $(shell $(SWIFT) build $(SWIFTFLAGS) --show-bin-path)/normforge

REGRESS_PHONY = regress test-slurm explore
.PHONY: $(REGRESS_PHONY) python test-python bench-python accuracy accuracy-fashion-mnist accuracy-transformer synth-rangebn-area synth-asic cocotb coverage report report-check fuzz setup build run synth-iternorm-p64 synth-precision-modes precision-plot precision-search test test-long generate generate-bfp generate-iternorm generate-rangebn cosim-rangebn bench-iternorm test-iternorm-p64 lint synth bench clean bench-cosim testbenches bench-softfloat precision bench-fpunits

setup:
	@./scripts/setup-tools.sh

build: setup
	$(SWIFT) build $(SWIFTFLAGS) --product normforge

# The main job: generate the default IterNorm macro (FP32 LayerNorm, 64 lanes, d_max 1024, K = 5),
# co-simulate it bit-exact against the golden model at d = 64 and d = 1024, synthesize it with
# Yosys (generic and Xilinx 7, ~3 min the first time, cached after) and measure its precision
# against FP64: a one-screen summary.
run: build
	$(BIN) flow iternorm --out .build/iternorm-default

# The whole default test suite (kept well under 30 minutes on 2 cores): the Python package's
# tests, then the Swift suite.
test: setup test-python
	$(SWIFT) test $(SWIFTFLAGS)

# The Python package normforge (python/): its C ABI library built self-contained and copied into
# the package, the package installed (editable) with its pinned numpy and pytest into .venv.
python: setup
	@SWIFT=$(SWIFT) ./scripts/setup-python.sh

# The Python package's tests (python/tests), against the Swift golden model through the built
# normforge CLI. pytest's exit code 5 (no tests collected) is not a failure.
test-python: python
	$(SWIFT) build $(SWIFTFLAGS) --product normforge
	@NORMFORGE_CLI=$(BIN) .venv/bin/python -m pytest -q python/tests; rc=$$?; \
	 if [ $$rc -eq 5 ]; then echo "test-python: no tests collected"; rc=0; fi; exit $$rc

# Throughput of the Python package's golden models (iternorm FP32/BF16 at d = 768 and 4096,
# bfp.quantize, cast; numpy's LayerNorm for scale), one thread: bench-results/python.json.
bench-python: python
	@mkdir -p bench-results
	.venv/bin/python python/benchmarks/bench.py --output bench-results/python.json

# Model-level accuracy with the circuits' arithmetic in training (python/accuracy/, docs/python.md
# "Accuracy"): Fashion-MNIST with FP32 BatchNorm2d against RangeBatchNorm2d at MXINT8, MXFP8-E4M3
# and HBFP8, and a character transformer on the fortunes with nn.LayerNorm against IterNorm FP32,
# BF16, BF16 wide and FISR; 3 seeds each, both cores. JSON in docs/data/accuracy-*.json.
accuracy: accuracy-fashion-mnist accuracy-transformer

accuracy-fashion-mnist: python
	.venv/bin/python python/accuracy/fashion_mnist.py --json docs/data/accuracy-fashion-mnist.json

accuracy-transformer: python
	.venv/bin/python python/accuracy/char_transformer.py --json docs/data/accuracy-char-transformer.json

clean:
	rm -rf .build .build-python

# Regenerates the checked-in circuits under generated/ (each generator's test rewrites its files).
generate: generate-bfp generate-iternorm generate-rangebn

generate-iternorm:
	NORMFORGE_REGENERATE=1 $(SWIFT) test $(SWIFTFLAGS) --filter IterNormGeneratedFilesTests/checkedInFilesAreCurrent

generate-bfp:
	NORMFORGE_REGENERATE=1 $(SWIFT) test $(SWIFTFLAGS) --filter BFPGeneratedFilesTests/checkedInFilesAreCurrent

generate-rangebn:
	NORMFORGE_REGENERATE=1 $(SWIFT) test $(SWIFTFLAGS) --filter RangeBatchNormGeneratedFilesTests/checkedInFilesAreCurrent

# The checked-in range-BN configuration, >= 1e5 random blocks on Verilator (JSON on stdout).
cosim-rangebn: build
	$(BIN) cosim range-bn --blocks 100000 --seed 2026 --json

# Every checked-in SystemVerilog file: generated/ and the example designs (their expected files,
# which the HDL tests keep identical to what the DSL emits). One module per file; submodules are
# found in the same directory.
SV_DIRS = generated Tests/HDLTests/ExpectedVerilog

lint: setup
	@set -e; for dir in $(SV_DIRS); do \
	  for f in $$dir/*.sv; do [ -e "$$f" ] || continue; \
	    echo "lint $$f"; verilator --lint-only -Wall -y $$dir $$f; done; done

# Memories stay `$mem` cells (YosysRunner's keepMemories script): mapping the 64-lane macros'
# buffers to flip-flops takes 15 minutes each and proves nothing more.
synth: setup
	@set -e; for dir in $(SV_DIRS); do \
	  for f in $$dir/*.sv; do [ -e "$$f" ] || continue; top=$$(basename $$f .sv); \
	    echo "synth $$f"; yosys -q -p "read_verilog -sv $$dir/*.sv; synth -top $$top -run :fine; \
	      opt -fast -full; opt -full; techmap; opt -fast; abc -fast; opt -fast; check -assert"; done; done

# Co-simulation benchmark: in-process Verilator bridge vs hand-written C++ harness vs Icarus,
# and Verilator compile time cold vs cached. Prints a table, writes bench-results/cosim.json.
bench-cosim: setup
	$(SWIFT) build $(SWIFTFLAGS) --product normforge
	$(BIN) bench cosim --output bench-results/cosim.json

# IterNorm latency and streaming rate vs d (default macro, co-simulated): one JSON report per d in
# bench-results/iternorm[-s<SLOTS>].json, a table on stdout. `make bench-iternorm SLOTS=6`: six
# vector slots (full rate at d = 1024).
SLOTS ?= 3
ITERNORM_BENCH = bench-results/iternorm$(if $(filter 3,$(SLOTS)),,-s$(SLOTS))
bench-iternorm: build
	@mkdir -p bench-results
	@echo "d      latency  cycles/vector  mismatches"; \
	 echo "[" > $(ITERNORM_BENCH).json; sep=""; \
	 for d in 64 128 256 512 768 1024; do \
	   $(BIN) cosim iternorm --d $$d --vectors 24 --slots $(SLOTS) --json > $(ITERNORM_BENCH)-$$d.json || exit 1; \
	   printf "%-6s %-8s %-14s %s\n" $$d \
	     $$(sed -n 's/.*"latency_cycles" : \([0-9]*\).*/\1/p' $(ITERNORM_BENCH)-$$d.json) \
	     $$(sed -n 's/.*"cycles_per_vector" : \([0-9.]*\).*/\1/p' $(ITERNORM_BENCH)-$$d.json) \
	     $$(sed -n 's/.*"mismatches" : \([0-9]*\).*/\1/p' $(ITERNORM_BENCH)-$$d.json); \
	   printf "%s" "$$sep" >> $(ITERNORM_BENCH).json; cat $(ITERNORM_BENCH)-$$d.json >> $(ITERNORM_BENCH).json; \
	   rm $(ITERNORM_BENCH)-$$d.json; sep=","; \
	 done; echo "]" >> $(ITERNORM_BENCH).json

# Every benchmark.
bench: bench-cosim bench-softfloat bench-iternorm bench-fpunits

# Regenerates the checked-in example testbenches under testbenches/icarus/.
testbenches: setup
	NORMFORGE_REGENERATE=1 $(SWIFT) test $(SWIFTFLAGS) --filter IcarusTests/checkedInExampleIsCurrentAndPasses

# The whole suite with the long sweeps (10M random FP16/BF16 pairs, larger exact samples).
test-long: setup
	NORMFORGE_LONG=1 $(SWIFT) test $(SWIFTFLAGS)

# The 64-lane, d_max 1024 IterNorm macro (FP32 LayerNorm, BF16 RMSNorm) co-simulated at d = 64
# and 1024 (also part of the default suite; models built at -O0).
test-iternorm-p64: setup
	$(SWIFT) test $(SWIFTFLAGS) --filter IterNormMacroTests/full

# Soft-float throughput (ops/s, thread CPU time) against native Float/Float16. Prints a table,
# writes bench-results/softfloat.json.
bench-softfloat:
	$(SWIFT) build $(SWIFTFLAGS) --product normforge
	$(BIN) bench softfloat --output bench-results/softfloat.json

# Precision report (IterNorm vs FISR vs naive vs FP64) for FP32, FP16 and BF16: tables on stdout,
# JSON in bench-results/precision-<format>.json.
precision:
	$(SWIFT) build $(SWIFTFLAGS) --product normforge
	@set -e; for f in fp32 fp16 bf16; do $(BIN) precision --format $$f --output bench-results/precision-$$f.json; done

# The accuracy-area trade-off (docs/precision.md): Yosys figures of the 64-lane LayerNorm macro in
# each arithmetic mode (FP32: fp32, wide; BF16: same, fp32, wide; ~3-6 min each the first time,
# cached after) into docs/data/, then README's plot from them and the precision sweep.
PRECISION_MODES = fp32:fp32 fp32:wide bf16:same bf16:fp32 bf16:wide
synth-precision-modes: build
	@mkdir -p docs/data
	@set -e; for spec in $(PRECISION_MODES); do f=$${spec%%:*}; a=$${spec#*:}; echo "== $$f $$a"; \
	  $(BIN) synth iternorm --format $$f --accumulate $$a --json > docs/data/synth-iternorm-p64-$$f-layernorm-$$a.json; done

# The adversarial search of docs/precision.md at its figures: the wide LayerNorm at 1e5 model
# evaluations per (format, d) over the OPT lengths and non-powers of two, the wide RMSNorm, d up to
# 16384 at 2e4, and the default mode for the docs (~1.5 h on 2 cores). JSON in bench-results/.
SEARCH_LN_DIMS = 768,1024,1536,2048,2560,3072,4096,5120,6144,7168,9216,12288
precision-search: build
	@mkdir -p bench-results
	$(BIN) precision --search --accumulate wide --mode layernorm --dims $(SEARCH_LN_DIMS) --evaluations 100000 --seed 1 --output bench-results/precision-search-wide-layernorm.json
	$(BIN) precision --search --accumulate wide --mode rmsnorm --dims 768,1536,3072,12288 --evaluations 100000 --seed 1 --output bench-results/precision-search-wide-rmsnorm.json
	$(BIN) precision --search --accumulate wide --dims 14336,16384 --evaluations 20000 --seed 1 --output bench-results/precision-search-wide-16k.json
	$(BIN) precision --search --dims 768,3072 --evaluations 10000 --seed 1 --output bench-results/precision-search-default.json

precision-plot: build
	$(BIN) precision --format fp32 --format bf16 --output bench-results/precision-plot.json \
	  --plot docs/precision-tradeoff.svg $(foreach spec,$(PRECISION_MODES),--area docs/data/synth-iternorm-p64-$(subst :,-layernorm-,$(spec)).json) > /dev/null

# Range BN against the conventional baseline (docs/bfp.md): Yosys generic cells and Xilinx
# LUT/FF/DSP of the forward and training units of both, at the test size and the checked-in size,
# into docs/data/, then the table (~17 min on 2 cores; each run synthesizes its own unit modules).
RANGEBN_AREA_JOBS ?= 2
synth-rangebn-area: build
	@mkdir -p docs/data
	@for size in small checked; do for unit in range conventional; do for pass in forward backward; do \
	   echo "$$size $$unit $$pass"; done; done; done | xargs -P $(RANGEBN_AREA_JOBS) -L 1 sh -c '\
	   case $$0 in small) shape="--channels 8 --positions 16 --chunks 4 --block 8 --lanes 4";; *) shape="";; esac; \
	   conventional=""; [ $$1 = conventional ] && conventional=--conventional; \
	   $(BIN) synth range-bn --pass $$2 $$conventional $$shape --no-cache --json > docs/data/synth-rangebn-$$0-$$1-$$2.json \
	     && echo "synth-rangebn-area: $$0 $$1 $$2 done" >&2'
	python3 scripts/rangebn-area-table.py docs/data/synth-rangebn-*.json --json bench-results/rangebn-area.json

# Standard cells (docs/asic.md): small BFP converters and IterNorm mapped to the OSU
# 0.18 um cells, timed and powered with OpenSTA (hierarchy kept, cached after): JSON reports in
# docs/data/asic-*.json, the table of docs/measurements.md on stdout. The range-BN forward units
# (range and the conventional baseline) at a small configuration:
ASIC_RANGEBN = --channels 4 --positions 8 --chunks 2 --block 4 --lanes 2
synth-asic: build
	@mkdir -p docs/data
	@set -e; start=$$(date +%s); \
	 $(BIN) synth bfp-convert --preset mxint8 --lanes 4 --asic --json > docs/data/asic-bfp-convert-mxint8-p4.json; \
	 $(BIN) synth bfp-deconvert --preset mxint8 --lanes 4 --asic --json > docs/data/asic-bfp-deconvert-mxint8-p4.json; \
	 $(BIN) synth iternorm --lanes 2 --d-max 8 --asic --json > docs/data/asic-iternorm-fp32-ln-p2-d8.json; \
	 $(BIN) synth range-bn $(ASIC_RANGEBN) --asic --json > docs/data/asic-rangebn-c4-n8-p2.json; \
	 $(BIN) synth range-bn $(ASIC_RANGEBN) --conventional --asic --json > docs/data/asic-conventional-bn-c4-n8-p2.json; \
	 python3 scripts/asic-table.py docs/data/asic-*.json; echo "synth-asic: wall $$(( $$(date +%s) - start )) s"

# FP units: Yosys generic synth of every single-cycle unit (fp32, bf16, fp16): cells and
# ltp -noff depth against the format's multiplier. Prints a table, writes bench-results/fpunits.json.
bench-fpunits: build
	$(BIN) bench fpunits --output bench-results/fpunits.json

# Yosys figures of the four checked-in 64-lane configurations (hierarchy kept, memories as $mem;
# ~3 min each the first time, cached after): bench-results/synth-iternorm-<format>-<mode>.json.
synth-iternorm-p64: build
	@mkdir -p bench-results
	@set -e; for f in fp32 bf16; do for m in layernorm rmsnorm; do \
	  echo "== $$f $$m"; $(BIN) synth iternorm --format $$f --mode $$m --json > bench-results/synth-iternorm-$$f-$$m.json; \
	  $(BIN) synth iternorm --format $$f --mode $$m; done; done

# Regression at scale: the five checked-in 64-lane macros (FP32/BF16 x LayerNorm/RMSNorm, d_max
# 1024, and FP32 LayerNorm in the wide mode), REGRESS_VECTORS vectors each (edge classes and the three random distributions, d drawn
# from every legal length), each run cut into REGRESS_SHARDS shards by `normforge regress plan`,
# the shards run by make -j REGRESS_JOBS, then merged (exit 1 on any mismatch or missing shard).
# Results: $(REGRESS_DIR)/<macro>/{shard-*.json,merged.json}. Wall time on 2 cores: README.
# The IterNorm design space (issue #25): every point co-simulated, mapped to the OSU 0.18 um
# cells and timed, as shard jobs of one plan (make -j, like regress); then the table and the two
# Pareto plots (docs/data/explore-iternorm.json and docs/pareto-*.svg). The mapping is
# cached per point; a 64-lane point takes about 20 minutes and 10 GB the first time.
EXPLORE_LANES   ?= 4,8,16,32,64
EXPLORE_FORMATS ?= fp32,bf16
EXPLORE_ACC     ?= fp32,wide
EXPLORE_SHARDS  ?= 20
EXPLORE_JOBS    ?= $(shell nproc)
EXPLORE_DIR     ?= bench-results/explore-iternorm
explore: build
	@set -e; start=$$(date +%s); \
	 $(BIN) explore plan iternorm --lanes $(EXPLORE_LANES) --formats $(EXPLORE_FORMATS) --accumulate $(EXPLORE_ACC) \
	   --shards $(EXPLORE_SHARDS) --out $(EXPLORE_DIR) > /dev/null; \
	 $(MAKE) --no-print-directory -s -k -j $(EXPLORE_JOBS) -f $(EXPLORE_DIR)/Makefile > $(EXPLORE_DIR)/make.log 2>&1 || true; \
	 status=0; $(BIN) explore merge $(EXPLORE_DIR) || status=1; \
	 cp $(EXPLORE_DIR)/explore.json docs/data/explore-iternorm.json; \
	 cp $(EXPLORE_DIR)/pareto-area-latency.svg $(EXPLORE_DIR)/pareto-energy-area.svg docs/; \
	 echo "explore: wall $$(( $$(date +%s) - start )) s, $(EXPLORE_JOBS) jobs at a time"; exit $$status

REGRESS_VECTORS ?= 1000000
REGRESS_SHARDS  ?= 8
REGRESS_JOBS    ?= $(shell nproc)
REGRESS_SEED    ?= 2026
REGRESS_DIR     ?= bench-results/regress
REGRESS_MACROS  ?= fp32-layernorm fp32-rmsnorm bf16-layernorm bf16-rmsnorm fp32-layernorm-wide
regress: build
	@set -e; start=$$(date +%s); status=0; \
	 for m in $(REGRESS_MACROS); do \
	   echo "== $$m: $(REGRESS_VECTORS) vectors in $(REGRESS_SHARDS) shards, make -j $(REGRESS_JOBS)"; \
	   rest=$${m#*-}; accumulate=fp32; case $$rest in *-wide) accumulate=wide;; esac; \
	   $(BIN) regress plan iternorm --format $${m%%-*} --mode $${rest%%-*} --accumulate $$accumulate --d all --vectors $(REGRESS_VECTORS) \
	     --seed $(REGRESS_SEED) --shards $(REGRESS_SHARDS) --out $(REGRESS_DIR)/$$m > /dev/null; \
	   $(MAKE) --no-print-directory -s -k -j $(REGRESS_JOBS) -f $(REGRESS_DIR)/$$m/Makefile > $(REGRESS_DIR)/$$m/make.log 2>&1 || true; \
	   $(BIN) regress merge $(REGRESS_DIR)/$$m --json > $(REGRESS_DIR)/$$m/merged.json || status=1; \
	   $(BIN) regress merge $(REGRESS_DIR)/$$m || true; \
	 done; \
	 echo "regress: wall $$(( $$(date +%s) - start )) s for $(REGRESS_MACROS)"; exit $$status

# The Slurm path for real: a throw-away single-node Slurm cluster on loopback (installed with
# apt-get when missing: slurm-wlm, munge), a small plan submitted as an array job, then merged.
SLURM_DIR = .build/test-slurm
test-slurm: build
	@rm -rf $(SLURM_DIR)
	$(BIN) regress plan iternorm --lanes 2 --d-max 16 --d all --vectors 20000 --seed 7 --shards 4 --out $(SLURM_DIR)
	./scripts/test-slurm.sh $(SLURM_DIR)
	$(BIN) regress merge $(SLURM_DIR)

# The cocotb testbench (testbenches/cocotb/) on a small IterNorm macro and an MXFP8 converter, on
# Icarus and on the pinned Verilator: the macros checked from `normforge vectors` files alone.
COCOTB_DIR = .build/cocotb
cocotb: build
	@set -e; rm -rf $(COCOTB_DIR); \
	 $(BIN) generate iternorm --lanes 4 --d-max 16 --out $(COCOTB_DIR)/iternorm/rtl > /dev/null; \
	 $(BIN) vectors iternorm --lanes 4 --d-max 16 --count 200 --seed 7 --out $(COCOTB_DIR)/iternorm/vectors > /dev/null; \
	 $(BIN) generate bfp-convert --preset mxfp8-e4m3 --lanes 8 --out $(COCOTB_DIR)/bfp/rtl > /dev/null; \
	 $(BIN) vectors bfp-convert --preset mxfp8-e4m3 --lanes 8 --blocks 200 --seed 7 --out $(COCOTB_DIR)/bfp/vectors > /dev/null; \
	 for sim in icarus verilator; do for c in iternorm bfp; do \
	   python3 testbenches/cocotb/run.py --simulator $$sim --seed 7 --rtl $(COCOTB_DIR)/$$c/rtl \
	     --vectors $(COCOTB_DIR)/$$c/vectors --build-dir $(COCOTB_DIR)/$$c/build-$$sim > $(COCOTB_DIR)/$$c-$$sim.log 2>&1 \
	     || { tail -30 $(COCOTB_DIR)/$$c-$$sim.log; exit 1; }; \
	   grep -h "output beats checked" $(COCOTB_DIR)/$$c-$$sim.log | sed 's/.*INFO *[^ ]* //'; tail -1 $(COCOTB_DIR)/$$c-$$sim.log; \
	 done; done

# Coverage closure run (docs/coverage.md): the FP32 LayerNorm macro at 8 lanes, every length up to
# 256, with back-pressure, on a Verilator coverage build: line/toggle figures, every functional
# point's hits, lcov tracefile and genhtml pages in .build/coverage/.
coverage: build
	$(BIN) cosim iternorm --lanes 8 --d-max 256 --d all --vectors 3000 --back-pressure 0.3 --cxx-opt 0 \
	  --coverage .build/coverage

# The HTML report of the default macro (docs/report-iternorm.png is its screenshot): co-simulation
# at d = 64..1024, precision, Yosys area and paths per unit (~6 min the first time, synthesis cached).
report: build
	$(BIN) report iternorm --out .build/report --screenshot .build/report/report.png

# The report checked as a person would see it: a small macro's page rendered by headless Chromium
# and the PNG decoded and required to be non-blank (scripts/png-check.py).
report-check: build
	$(BIN) report iternorm --format bf16 --lanes 2 --d-max 8 --no-xilinx --report-vectors 6 --report-trials 2 \
	  --out .build/report-check --screenshot .build/report-check/report.png
	python3 scripts/png-check.py .build/report-check/report.png --min-ink 0.02 --min-colours 50

# Differential fuzzing of the DSL (docs/fuzzing.md): random legal designs on the IR simulator,
# Verilator, Icarus and Yosys's netlist, every output every cycle; Verilator -Wall, slang and
# Yosys on every batch; one illegal mutant per design. FUZZ_DESIGNS designs cut into FUZZ_SHARDS
# shards (`fuzz dsl --first K --designs N`) run FUZZ_JOBS at a time, then merged (exit 1 on any
# failure). Results: $(FUZZ_DIR)/{shard-*.json,merged.json}. Wall time on 2 cores: README.
FUZZ_DESIGNS ?= 10000
FUZZ_SHARDS  ?= 20
FUZZ_JOBS    ?= $(shell nproc)
FUZZ_CYCLES  ?= 1000
FUZZ_SEED    ?= 2026
FUZZ_DIR     ?= bench-results/fuzz
fuzz: build
	@rm -rf $(FUZZ_DIR); mkdir -p $(FUZZ_DIR); start=$$(date +%s); \
	 per=$$(( ($(FUZZ_DESIGNS) + $(FUZZ_SHARDS) - 1) / $(FUZZ_SHARDS) )); \
	 for k in $$(seq 0 $$(( $(FUZZ_SHARDS) - 1 ))); do \
	   first=$$(( k * per )); n=$$(( $(FUZZ_DESIGNS) - first < per ? $(FUZZ_DESIGNS) - first : per )); \
	   [ $$n -gt 0 ] && echo "$$first $$n $$k"; \
	 done | xargs -P $(FUZZ_JOBS) -L 1 sh -c '$(BIN) fuzz dsl --seed $(FUZZ_SEED) --first $$0 --designs $$1 --batch 50 \
	   --cycles $(FUZZ_CYCLES) --json > $(FUZZ_DIR)/shard-$$2.json 2> $(FUZZ_DIR)/shard-$$2.log; echo "fuzz: shard $$2 done" >&2'; \
	 status=0; $(BIN) fuzz merge $(FUZZ_DIR)/shard-*.json --json > $(FUZZ_DIR)/merged.json || status=1; \
	 $(BIN) fuzz merge $(FUZZ_DIR)/shard-*.json || true; \
	 echo "fuzz: wall $$(( $$(date +%s) - start )) s for $(FUZZ_DESIGNS) designs, $(FUZZ_JOBS) jobs"; exit $$status

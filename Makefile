# NormForge: setup, build, test, generate, lint, synth, bench.
# Every goal that needs the HDL tools depends on `setup`, which installs them only when missing.
SWIFT      ?= swift
CONFIG     ?= release
SWIFTFLAGS ?= -c $(CONFIG)
BIN         = $(shell $(SWIFT) build $(SWIFTFLAGS) --show-bin-path)/normforge

.PHONY: setup build run test test-long generate lint synth bench clean

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

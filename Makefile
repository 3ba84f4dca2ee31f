# wasmvs top level. Every target first runs scripts/setup.sh (idempotent, fast when
# nothing is missing). Each folder builds itself into build/ with its own Makefile:
#   workloads/ -> build/workloads/{native,native-clang,wasm}/
#   runtime/   -> build/runtime/ (libwasmrt.a), build/bin/wasmrt
#   harness/   -> build/harness/, build/bin/wasmvs
# `make check` runs every folder's tests and closes with one "N passed, N failed" line.

MAKEFLAGS += --no-print-directory
SUBDIRS := workloads runtime harness

.PHONY: all setup build run reproduce check bench bench-engine fuzz clean $(SUBDIRS)

all: setup
	@$(MAKE) build

setup:
	@scripts/setup.sh

build: $(SUBDIRS)

workloads:
	@$(MAKE) -C workloads
runtime:
	@$(MAKE) -C runtime
harness: runtime workloads
	@$(MAKE) -C harness

# The default scenario suite, then the report.
run: all
	@scripts/run-suite.sh

# The scenarios behind every published table, then a report that opens with each
# published figure beside the one measured here and a verdict.
reproduce: all
	@scripts/reproduce.sh

check: all
	@scripts/run-tests.sh $(SUBDIRS)

bench: all
	@$(MAKE) -C runtime bench
	@$(MAKE) -C harness bench

bench-engine: all
	@$(MAKE) -C runtime bench

fuzz: all
	@$(MAKE) -C runtime fuzz

clean:
	rm -rf build

# bench/bench.mk: the engine benchmark (included by runtime/Makefile).
#   build/runtime/bench/native-gcc/K     gcc -O2 kernel + bench_native_main.c
#   build/runtime/bench/native-clang/K   clang -O2, the same optimizer as the Wasm build
#   build/runtime/bench/wasm/K.wasm      clang --target=wasm32-wasi -O2, freestanding,
#                                        exporting uint64_t run(uint32_t n)
#   build/runtime/bench/wasm/K-simd.wasm the same with -msimd128 (clang's auto-
#                                        vectorizer on 128-bit SIMD), for the kernels in
#                                        BENCH_SIMD_KERNELS (the others come out with no
#                                        v128 instruction: sieve, hash, sort, fib)
#   build/runtime/bench/bench-engine     the driver (against libwasmrt.a, -O2)
# `make bench` (top level: `make bench-engine`) prints the table and writes
# build/runtime/bench/engine-bench.json; `make check` runs the checksum-only smoke.
# BENCH_TIERS (default "interp node") adds the interpreter's and V8's columns.

BENCH_OUT      := $(B)/bench
# fib as the harness runs it: workloads/fib.c built by workloads/Makefile (WASI)
BENCH_WORKLOADS := $(TOP)/build/workloads
BENCH_KERNELS  := fib matmul sieve hash memops sort printf
BENCH_SIMD_KERNELS := matmul memops
BENCH_REPS     ?= 5
BENCH_ONLY     ?=
BENCH_BOUNDS   ?= guard
# the other columns of `make bench`: the interpreter, and node's V8 when node is installed
BENCH_TIERS    ?= interp node
BENCH_TIER_FLAGS = $(if $(filter interp,$(BENCH_TIERS)),--interp) \
  $(if $(and $(filter node,$(BENCH_TIERS)),$(shell command -v node)),--node bench/bench_node.mjs)
BENCH_GCC_FLAGS   := -O2 -Wall -Wextra -Werror
BENCH_CLANG_FLAGS := -O2 -Wall -Wextra -Werror
BENCH_WASM_FLAGS  := --target=wasm32-wasi -O2 -Wall -Wextra -Werror -nostartfiles \
                     -Wl,--no-entry -Wl,--export=run -Wl,--strip-debug
BENCH_WASM_BULK   := -mbulk-memory
BENCH_WASM_SIMD   := -msimd128

BENCH_NATIVE_MAIN := bench/bench_native_main.c
BENCH_BINS := $(BENCH_KERNELS:%=$(BENCH_OUT)/native-gcc/%) \
              $(BENCH_KERNELS:%=$(BENCH_OUT)/native-clang/%) \
              $(BENCH_KERNELS:%=$(BENCH_OUT)/wasm/%.wasm) $(BENCH_OUT)/wasm/memops-bulk.wasm \
              $(BENCH_SIMD_KERNELS:%=$(BENCH_OUT)/wasm/%-simd.wasm)
BENCH_DRIVER_SRCS := bench/bench_main.c bench/bench_runner.c bench/bench_kernels.c
BENCH_DRIVER_OBJS := $(BENCH_DRIVER_SRCS:%.c=$(B)/obj/%.o)
BENCH_DRIVER := $(BENCH_OUT)/bench-engine

ALL     += $(BENCH_BINS) $(BENCH_DRIVER) $(BENCH_OUT)/flags.json
CHECKS  += bench-smoke
BENCHES += bench-engine-run

$(BENCH_OUT)/native-gcc/%: bench/kernels/%.c $(BENCH_NATIVE_MAIN)
	@mkdir -p $(dir $@)
	gcc $(BENCH_GCC_FLAGS) $^ -o $@
$(BENCH_OUT)/native-clang/%: bench/kernels/%.c $(BENCH_NATIVE_MAIN)
	@mkdir -p $(dir $@)
	clang $(BENCH_CLANG_FLAGS) $^ -o $@
$(BENCH_OUT)/wasm/%-simd.wasm: bench/kernels/%.c
	@mkdir -p $(dir $@)
	clang $(BENCH_WASM_FLAGS) $(BENCH_WASM_SIMD) $< -o $@
$(BENCH_OUT)/wasm/%.wasm: bench/kernels/%.c
	@mkdir -p $(dir $@)
	clang $(BENCH_WASM_FLAGS) $< -o $@
$(BENCH_OUT)/wasm/memops-bulk.wasm: bench/kernels/memops.c
	@mkdir -p $(dir $@)
	clang $(BENCH_WASM_FLAGS) $(BENCH_WASM_BULK) $< -o $@
$(BENCH_OUT)/flags.json: bench/bench.mk
	@mkdir -p $(dir $@)
	@printf '{"native_gcc":"gcc %s","native_clang":"clang %s","wasm":"clang %s","wasm_bulk":"clang %s %s","wasm_simd":"clang %s %s"}\n' \
	  "$(BENCH_GCC_FLAGS)" "$(BENCH_CLANG_FLAGS)" "$(BENCH_WASM_FLAGS)" "$(BENCH_WASM_FLAGS)" \
	  "$(BENCH_WASM_BULK)" "$(BENCH_WASM_FLAGS)" "$(BENCH_WASM_SIMD)" > $@

$(BENCH_DRIVER): $(BENCH_DRIVER_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(OPTFLAGS) $(BENCH_DRIVER_OBJS) $(LIB) -ljansson $(LDLIBS_LIB) -o $@

.PHONY: bench-smoke bench-engine-run
bench-smoke: $(BENCH_BINS) $(BENCH_DRIVER)
	$(BENCH_DRIVER) --dir $(BENCH_OUT) --workloads $(BENCH_WORKLOADS) --bounds $(BENCH_BOUNDS) --smoke
bench-engine-run: $(BENCH_BINS) $(BENCH_DRIVER) $(BENCH_OUT)/flags.json
	$(BENCH_DRIVER) --dir $(BENCH_OUT) --workloads $(BENCH_WORKLOADS) --bounds $(BENCH_BOUNDS) \
	  --reps $(BENCH_REPS) $(BENCH_TIER_FLAGS) \
	  $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) --flags $(BENCH_OUT)/flags.json \
	  --json $(BENCH_OUT)/engine-bench.json

-include $(BENCH_DRIVER_OBJS:.o=.d)

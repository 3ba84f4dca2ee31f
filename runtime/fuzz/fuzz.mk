# fuzz/fuzz.mk: the libFuzzer target over wasmrt (included by runtime/Makefile).
# The engine sources are compiled here with clang and coverage instrumentation, apart
# from libwasmrt.a:  build/runtime/fuzz/wasmrt-fuzz
#   make -C runtime fuzz [FUZZ_SECONDS=600]   a long run (corpus kept in build/runtime/fuzz)
#   make -C runtime check                     includes a 30 s smoke (fuzz-smoke)
# Seeds: every module wast2json wrote for the spec tests. A crash leaves the input in
# build/runtime/fuzz/artifacts/; replay with build/runtime/fuzz/wasmrt-fuzz FILE.
# WASMRT_FUZZ_CONTRACT=0 skips the error-contract checks (offset, status set) and
# looks only for crashes, hangs and sanitizer reports.
# The target is differential: each input runs on the interpreter and on the compiler
# (WASMRT_MODE_INTERP / WASMRT_MODE_JIT) and any observable difference is a finding.
# WASMRT_FUZZ_DIFF=0 runs the default tier alone; WASMRT_FUZZ_NAN_BITS=0 takes any NaN
# result for any other (to look past a known payload difference). Minimised findings
# that were not fixed yet: fuzz/findings/*.wasm (and .wat).

FUZZ_OUT     := $(B)/fuzz
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_CC      := clang
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -O1 -g -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_ENGINE_OBJS := $(LIB_SRCS:%.c=$(FUZZ_OUT)/obj/%.o)
FUZZ_TARGET_OBJS := $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(wildcard fuzz/*.c))
FUZZER       := $(FUZZ_OUT)/wasmrt-fuzz
FUZZ_SEEDS   := $(FUZZ_OUT)/seeds

ALL    += $(FUZZER)
CHECKS += fuzz-smoke
FUZZ   += fuzz-run

# Engine code: warnings are its owners' gate (gcc -Werror in the library build).
$(FUZZ_OUT)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_COV_CFLAGS) -MMD -MP -c $< -o $@

# The interpreter keeps its coverage counters but not the comparison tracing: with a
# call into libFuzzer on every compare of its dispatch loop (the fuel check among
# them), a call burning its fuel took 100-200 ms and often ran into the 200 ms
# deadline, which ends the interp-vs-jit comparison (a fifth of the corpus went
# uncompared; the corpus replayed in 85 s, without the tracing in 30 s).
$(FUZZ_OUT)/obj/src/interp.o: FUZZ_COV_CFLAGS := -fno-sanitize-coverage=trace-cmp
$(FUZZ_OUT)/obj/src/interp.o: fuzz/fuzz.mk

$(FUZZ_OUT)/obj/fuzz/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Werror -MMD -MP -c $< -o $@
$(FUZZER): $(FUZZ_ENGINE_OBJS) $(FUZZ_TARGET_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ $(LDLIBS_LIB) -o $@

-include $(FUZZ_ENGINE_OBJS:.o=.d) $(FUZZ_TARGET_OBJS:.o=.d)

# Seeds are copied (libFuzzer never writes to them); refreshed when the spec output is.
$(FUZZ_SEEDS)/.stamp: $(SPEC_JSON) | spec-source
	@rm -rf $(FUZZ_SEEDS) && mkdir -p $(FUZZ_SEEDS)
	@cp $(SPEC_OUT)/*.wasm $(FUZZ_SEEDS)/
	@touch $@

.PHONY: fuzz-smoke fuzz-run
fuzz-smoke: $(FUZZER) $(FUZZ_SEEDS)/.stamp
	@fuzz/fuzz_run.sh $(FUZZER) $(FUZZ_SMOKE_SECONDS) $(FUZZ_OUT)/smoke $(FUZZ_SEEDS)
fuzz-run: $(FUZZER) $(FUZZ_SEEDS)/.stamp
	@fuzz/fuzz_run.sh $(FUZZER) $(FUZZ_SECONDS) $(FUZZ_OUT) $(FUZZ_SEEDS)

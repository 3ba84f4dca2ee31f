# tests/wasi/wasi.mk: the WASI tests (included by runtime/Makefile).
#   build/runtime/wasi-tests/NAME.wasm   tests/wasi/NAME.c, clang --target=wasm32-wasi
#   build/runtime/wasi-tests/wasmrt-asan the command linked with libwasmrt-asan.a
#   build/runtime/wasi-tests/test_wasi_embed-asan  the embedding API test (cmocka)
#   build/runtime/wasi-tests/bench_coldstart       `make bench`: wasmrt run hello vs native
# `make check` runs tests/wasi/run-tests.sh with build/bin/wasmrt (everything: CLI,
# WASI programs, sandbox escapes, HTTP through --listen, workloads against native),
# then the WASI programs again under the ASan/UBSan build of the command.
WASI_TEST_OUT   := $(B)/wasi-tests
WASI_EMBED_SRC  := tests/wasi/test_wasi_embed.c
WASI_BENCH_SRC  := tests/wasi/bench_coldstart.c
WASI_TEST_SRCS  := $(filter-out $(WASI_EMBED_SRC) $(WASI_BENCH_SRC),$(wildcard tests/wasi/*.c))
WASI_TEST_WASM  := $(WASI_TEST_SRCS:tests/wasi/%.c=$(WASI_TEST_OUT)/%.wasm)
WASI_TEST_CFLAGS := --target=wasm32-wasi -O2 -Wall -Wextra -Werror
WASI_ASAN_CLI   := $(WASI_TEST_OUT)/wasmrt-asan
WASI_ASAN_ENV   := ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1 \
                   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

WASI_EMBED_TEST := $(WASI_TEST_OUT)/test_wasi_embed-asan

WASI_BENCH      := $(WASI_TEST_OUT)/bench_coldstart
WASI_BENCH_RUNS ?= 500

ALL     += $(WASI_TEST_WASM) $(WASI_ASAN_CLI) $(WASI_EMBED_TEST) $(WASI_BENCH)
CHECKS  += wasi-check
BENCHES += wasi-bench

$(WASI_TEST_OUT)/%.wasm: tests/wasi/%.c tests/wasi/check.h
	@mkdir -p $(dir $@)
	clang $(WASI_TEST_CFLAGS) $< -o $@

$(WASI_ASAN_CLI): $(CLI_SRCS:%.c=$(B)/asan/%.o) $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ASANFLAGS) $^ $(LDLIBS_LIB) -o $@
# the command's ASan objects follow header changes too (wasmrt.h's structs)
-include $(CLI_SRCS:%.c=$(B)/asan/%.d)

$(WASI_EMBED_TEST): $(WASI_EMBED_SRC) $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(ASANFLAGS) $< $(ASAN_LIB) -lcmocka $(LDLIBS_LIB) -o $@

$(WASI_BENCH): $(WASI_BENCH_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPTFLAGS) $< -o $@

.PHONY: wasi-check wasi-bench
wasi-bench: $(CLI_BIN) $(WASI_BENCH)
	-@$(MAKE) --no-print-directory -s -C $(TOP)/workloads all >/dev/null 2>&1
	@printf '{"name":"wasmvs","n":41}\n' > $(WASI_TEST_OUT)/hello-input.json
	$(WASI_BENCH) $(WASI_BENCH_RUNS) $(WASI_TEST_OUT)/hello-input.json $(CLI_BIN) \
	  $(TOP)/build/workloads/wasm/hello.wasm $(TOP)/build/workloads/native/hello
wasi-check: $(CLI_BIN) $(WASI_TEST_WASM) $(WASI_ASAN_CLI) $(WASI_EMBED_TEST)
	-@$(MAKE) --no-print-directory -s -C $(TOP)/workloads all >/dev/null 2>&1
	$(WASI_ASAN_ENV) $(WASI_EMBED_TEST) $(WASI_TEST_OUT) $(TOP)/build/workloads/wasm
	tests/wasi/run-tests.sh $(CLI_BIN) $(WASI_TEST_OUT) $(TOP)/build/workloads wasi
	$(WASI_ASAN_ENV) tests/wasi/run-tests.sh $(WASI_ASAN_CLI) $(WASI_TEST_OUT) \
	  $(TOP)/build/workloads wasi-asan

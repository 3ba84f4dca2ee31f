# tests/tests.mk: the engine's unit tests (cmocka), included by runtime/Makefile.
#   build/runtime/tests/wat/NAME.wasm     tests/wat/NAME.wat through wat2wasm
#   build/runtime/tests/NAME              tests/NAME.c against libwasmrt.a (-O2)
#   build/runtime/tests/NAME-asan         the same against libwasmrt-asan.a
# `make check` runs both builds of every test; the ASan run lets the engine install
# its SIGSEGV handler (guard-page traps) and still reports faults it passes on.

UNIT_SRCS  := $(wildcard tests/test_*.c)
UNIT_NAMES := $(UNIT_SRCS:tests/%.c=%)
UNIT_WAT   := $(wildcard tests/wat/*.wat)
UNIT_WASM  := $(UNIT_WAT:tests/wat/%.wat=$(B)/tests/wat/%.wasm)
UNIT_BINS  := $(UNIT_NAMES:%=$(B)/tests/%) $(UNIT_NAMES:%=$(B)/tests/%-asan)
UNIT_DEFS  := -DTEST_WAT_DIR='"$(abspath $(B)/tests/wat)"'
UNIT_ASAN_ENV := ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

ALL    += $(UNIT_BINS) $(UNIT_WASM)
CHECKS += unit-check

# names in the name section, for the tests that check a trap names its function
$(B)/tests/wat/test_trap_func.wasm: WAT2WASM_FLAGS := --debug-names
# invalid on purpose, for the validation cache test
$(B)/tests/wat/test_cache_invalid.wasm: WAT2WASM_FLAGS := --no-check
$(UNIT_WASM): $(B)/tests/wat/%.wasm: tests/wat/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $(WAT2WASM_FLAGS) $< -o $@
$(UNIT_NAMES:%=$(B)/tests/%): $(B)/tests/%: tests/%.c tests/test_util.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPTFLAGS) $(UNIT_DEFS) $< $(LIB) -lcmocka $(LDLIBS_LIB) -o $@
$(UNIT_NAMES:%=$(B)/tests/%-asan): $(B)/tests/%-asan: tests/%.c tests/test_util.h $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(ASANFLAGS) $(UNIT_DEFS) $< $(ASAN_LIB) -lcmocka $(LDLIBS_LIB) -o $@

.PHONY: unit-check
unit-check: $(UNIT_BINS) $(UNIT_WASM)
	@rc=0; for t in $(UNIT_NAMES); do \
	  echo "== unit: $$t"; $(B)/tests/$$t || rc=1; \
	  echo "== unit: $$t (ASan+UBSan)"; $(UNIT_ASAN_ENV) $(B)/tests/$$t-asan || rc=1; \
	done; exit $$rc

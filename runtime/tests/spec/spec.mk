# tests/spec/spec.mk: the spec-test runner (included by runtime/Makefile).
#   build/runtime/spec/NAME.json + NAME.N.wasm   wast2json of ../shared/wasm-spec-tests
#   build/runtime/tests/spec/spec-runner         against libwasmrt.a (-O2)
#   build/runtime/tests/spec/spec-runner-asan    against libwasmrt-asan.a
# `make check` runs the ASan runner with guard-page bounds in both execution modes and
# the -O2 runner in both bounds modes and both execution modes (the compiling tier,
# the default, and the interpreter), and once more in the compiling tier without AVX
# (WASMRT_JIT_NO_AVX=1: the SSE forms of the SIMD operations AVX would take). One script alone: build/runtime/tests/spec/spec-runner --dir
# build/runtime/spec --file address -v

# beside the repository, or beside the folder of worktrees a repository sits in
SPEC_SRC_DIR  ?= $(firstword $(wildcard $(TOP)/../shared/wasm-spec-tests \
                   $(TOP)/../../shared/wasm-spec-tests) $(TOP)/../shared/wasm-spec-tests)
SPEC_OUT      := $(B)/spec
SPEC_WAST     := $(wildcard $(SPEC_SRC_DIR)/*.wast)
SPEC_JSON     := $(SPEC_WAST:$(SPEC_SRC_DIR)/%.wast=$(SPEC_OUT)/%.json)
SPEC_SRCS     := tests/spec/spec_main.c tests/spec/spec_script.c tests/spec/spec_value.c \
                 tests/spec/spec_host.c
SPEC_OBJS     := $(SPEC_SRCS:%.c=$(B)/obj/%.o)
SPEC_ASAN_OBJS := $(SPEC_SRCS:%.c=$(B)/asan/%.o)
SPEC_RUNNER   := $(B)/tests/spec/spec-runner
SPEC_RUNNER_ASAN := $(B)/tests/spec/spec-runner-asan
SPEC_VALUE_TEST  := $(B)/tests/spec/spec-value-test
# The engine turns faults in guard pages into traps with its own SIGSEGV handler;
# ASan must let it install one (and still reports faults the engine passes on).
SPEC_ASAN_ENV := ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=0 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

ALL    += $(SPEC_RUNNER) $(SPEC_RUNNER_ASAN) $(SPEC_VALUE_TEST)
CHECKS += spec-value-test spec-check

$(SPEC_OUT)/%.json: $(SPEC_SRC_DIR)/%.wast
	@mkdir -p $(dir $@)
	@wast2json $< -o $@

.PHONY: spec-convert spec-check spec-source spec-value-test
spec-source:
	@test -d $(SPEC_SRC_DIR) || { echo "spec: $(SPEC_SRC_DIR) is missing: clone the shared" \
	  "folder (wasm-spec-tests) beside the repository"; exit 1; }
spec-convert: spec-source $(SPEC_JSON)

$(SPEC_RUNNER): $(SPEC_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(OPTFLAGS) $(SPEC_OBJS) $(LIB) -ljansson $(LDLIBS_LIB) -o $@
$(SPEC_RUNNER_ASAN): $(SPEC_ASAN_OBJS) $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ASANFLAGS) $(SPEC_ASAN_OBJS) $(ASAN_LIB) -ljansson $(LDLIBS_LIB) -o $@

# The runner's own rules for values and NaN classes (cmocka).
$(SPEC_VALUE_TEST): $(B)/obj/tests/spec/spec_value_test.o $(B)/obj/tests/spec/spec_value.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(OPTFLAGS) $^ -lcmocka -ljansson $(LDLIBS_LIB) -o $@
spec-value-test: $(SPEC_VALUE_TEST)
	$(SPEC_VALUE_TEST)

spec-check: spec-convert $(SPEC_RUNNER) $(SPEC_RUNNER_ASAN)
	@rc=0; \
	for mode in jit interp; do \
	  echo "== spec: ASan+UBSan build, --bounds guard --mode $$mode"; \
	  $(SPEC_ASAN_ENV) $(SPEC_RUNNER_ASAN) --dir $(SPEC_OUT) --timeout 60 --bounds guard \
	    --mode $$mode || rc=1; \
	  for bounds in explicit guard; do \
	    echo "== spec: -O2 build, --bounds $$bounds --mode $$mode"; \
	    $(SPEC_RUNNER) --dir $(SPEC_OUT) --timeout 60 --bounds $$bounds --mode $$mode || rc=1; \
	  done; \
	done; \
	echo "== spec: -O2 build, --bounds guard --mode jit, SSE only (WASMRT_JIT_NO_AVX=1)"; \
	WASMRT_JIT_NO_AVX=1 $(SPEC_RUNNER) --dir $(SPEC_OUT) --timeout 60 --bounds guard \
	  --mode jit || rc=1; \
	exit $$rc

-include $(SPEC_OBJS:.o=.d) $(SPEC_ASAN_OBJS:.o=.d) $(B)/obj/tests/spec/spec_value_test.d

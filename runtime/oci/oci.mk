# oci/oci.mk: the OCI runtime (included by runtime/Makefile).
#   build/bin/wasmrt-oci              oci/*.c, cli/cli_listen.c and the engine, linked
#                                     statically (glibc: Debian's static jansson and
#                                     libseccomp are built against it), so a container
#                                     start pays no dynamic loading
#   build/runtime/oci/test_oci_units  oci/tests/test_oci_units.c (cmocka), and -asan
#   build/runtime/oci/wasm/NAME.wasm  oci/tests/wasm/NAME.c, the tests' guests
# `make check` runs the unit tests (both builds), oci/tests/run-tests.sh (the command on
# bundles) and oci/tests/docker-tests.sh (containers through dockerd with the runtime
# registered); the last two skip, saying why, without root or Docker.
OCI_SRCS      := $(wildcard oci/*.c)
OCI_OBJS      := $(OCI_SRCS:%.c=$(B)/obj/%.o) $(B)/obj/cli/cli_listen.o
OCI_ASAN_OBJS := $(filter-out $(B)/asan/oci/main.o,$(OCI_SRCS:%.c=$(B)/asan/%.o)) \
                 $(B)/asan/cli/cli_listen.o
OCI_BIN       := $(BIN)/wasmrt-oci
OCI_LDLIBS    := -ljansson -lseccomp
OCI_OUT       := $(B)/oci
OCI_UNIT      := $(OCI_OUT)/test_oci_units
OCI_WASM_SRCS := $(wildcard oci/tests/wasm/*.c)
OCI_WASM      := $(OCI_WASM_SRCS:oci/tests/wasm/%.c=$(OCI_OUT)/wasm/%.wasm)

ALL     += $(OCI_BIN) $(OCI_UNIT) $(OCI_UNIT)-asan $(OCI_WASM)
RUN_ALL += $(OCI_BIN)
CHECKS += oci-check

$(OCI_BIN): $(OCI_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(OPTFLAGS) -static $(OCI_OBJS) $(LIB) $(OCI_LDLIBS) $(LDLIBS_LIB) -o $@

$(OCI_UNIT): oci/tests/test_oci_units.c $(filter-out $(B)/obj/oci/main.o,$(OCI_OBJS)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPTFLAGS) $^ $(OCI_LDLIBS) -lcmocka $(LDLIBS_LIB) -o $@
$(OCI_UNIT)-asan: oci/tests/test_oci_units.c $(OCI_ASAN_OBJS) $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(ASANFLAGS) $^ $(OCI_LDLIBS) -lcmocka $(LDLIBS_LIB) -o $@

$(OCI_OUT)/wasm/%.wasm: oci/tests/wasm/%.c
	@mkdir -p $(dir $@)
	clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror $< -o $@

.PHONY: oci-check
oci-check: $(OCI_BIN) $(OCI_UNIT) $(OCI_UNIT)-asan $(OCI_WASM)
	@echo "== oci: units"; $(OCI_UNIT)
	@echo "== oci: units (ASan+UBSan)"; ASAN_OPTIONS=detect_leaks=1 $(OCI_UNIT)-asan
	@echo "== oci: the command on bundles"; \
	  oci/tests/run-tests.sh $(abspath $(OCI_BIN)) $(abspath $(OCI_OUT)/wasm)
	@echo "== oci: containers through dockerd"; \
	  oci/tests/docker-tests.sh $(abspath $(OCI_BIN)) $(abspath $(OCI_OUT)/wasm)

-include $(OCI_OBJS:.o=.d) $(OCI_ASAN_OBJS:.o=.d)

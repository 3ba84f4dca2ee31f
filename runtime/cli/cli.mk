# cli/cli.mk: the `wasmrt` command (included by runtime/Makefile).
#   build/bin/wasmrt   cli/*.c and the engine, linked statically: a static binary
#                      skips the dynamic loader, which is most of a hello's cold start.
# With musl-gcc (Debian's musl-tools, which scripts/setup.sh installs) the command is
# linked against musl: glibc's static start-up probes the CPU's caches with cpuid,
# a VM exit each on a virtual machine (~0.2 ms of a 0.5 ms static hello here), and
# resolves its string functions, none of which a command started once per module
# needs. The engine is compiled a second time for it, with the kernel's UAPI headers
# (linux/openat2.h) beside musl's. Without musl-gcc it links glibc statically; the
# tests, the benchmarks and the harness's in-process target use libwasmrt.a (glibc).
CLI_SRCS    := $(wildcard cli/*.c)
CLI_OBJS    := $(CLI_SRCS:%.c=$(B)/obj/%.o)
CLI_BIN     := $(BIN)/wasmrt
CLI_LDFLAGS ?= -static
CLI_MUSL_CC := $(shell command -v musl-gcc 2>/dev/null)

ALL += $(CLI_BIN)
RUN_ALL += $(CLI_BIN)

ifneq ($(CLI_MUSL_CC),)
CLI_MUSL_INC  := $(B)/musl/include
CLI_MUSL_OBJS := $(LIB_SRCS:%.c=$(B)/musl/%.o) $(CLI_SRCS:%.c=$(B)/musl/%.o)
$(CLI_MUSL_INC)/.stamp:
	@mkdir -p $(dir $@)
	ln -sfn /usr/include/linux $(CLI_MUSL_INC)/linux
	ln -sfn /usr/include/asm-generic $(CLI_MUSL_INC)/asm-generic
	ln -sfn /usr/include/$(shell gcc -print-multiarch)/asm $(CLI_MUSL_INC)/asm
	@touch $@
$(B)/musl/%.o: %.c $(CLI_MUSL_INC)/.stamp
	@mkdir -p $(dir $@)
	$(CLI_MUSL_CC) $(CFLAGS_BASE) $(OPTFLAGS) -isystem $(CLI_MUSL_INC) -c $< -o $@
$(CLI_BIN): $(CLI_MUSL_OBJS)
	@mkdir -p $(dir $@)
	$(CLI_MUSL_CC) $(OPTFLAGS) $(CLI_LDFLAGS) -Wl,--build-id $(CLI_MUSL_OBJS) $(LDLIBS_LIB) -o $@
-include $(CLI_MUSL_OBJS:.o=.d)
else
$(CLI_BIN): $(CLI_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(OPTFLAGS) $(CLI_LDFLAGS) $(CLI_OBJS) $(LIB) $(LDLIBS_LIB) -o $@
endif

-include $(CLI_OBJS:.o=.d)

# cli/cli.mk: the `wasmrt` command (included by runtime/Makefile).
#   build/bin/wasmrt   cli/*.c linked with libwasmrt.a, statically: a static binary
#                      skips the dynamic loader, which is most of a hello's cold start.
CLI_SRCS    := $(wildcard cli/*.c)
CLI_OBJS    := $(CLI_SRCS:%.c=$(B)/obj/%.o)
CLI_BIN     := $(BIN)/wasmrt
CLI_LDFLAGS ?= -static

ALL += $(CLI_BIN)

$(CLI_BIN): $(CLI_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(OPTFLAGS) $(CLI_LDFLAGS) $(CLI_OBJS) $(LIB) $(LDLIBS_LIB) -o $@

-include $(CLI_OBJS:.o=.d)

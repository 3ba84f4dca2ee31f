/* cli.h: what the files of the `wasmrt` command share: the subcommands, the exit
 * statuses, and loading a module file with errors a person can act on. */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>

#include "wasmrt.h"

/* Exit statuses of `wasmrt` itself; a guest's own proc_exit code passes through. */
enum {
    CLI_EXIT_ERROR = 1,     /* unreadable or invalid module, link failure, host error */
    CLI_EXIT_USAGE = 2,     /* bad command line */
    CLI_EXIT_TIMEOUT = 124, /* --timeout expired (as timeout(1) reports it) */
    CLI_EXIT_TRAP = 134,    /* the guest trapped (128 + SIGABRT, as wasmtime reports it) */
};

/* `wasmrt run ...` and `wasmrt inspect ...`; argv[0] is the subcommand's name. */
int cli_run(int argc, char **argv);
int cli_inspect(int argc, char **argv);
/* `wasmrt bench-instantiate MODULE [RUNS]`: in-process load/instantiate/start times. */
int cli_bench_instantiate(int argc, char **argv);
/* `wasmrt compile [OPTIONS] MODULE.wasm -o MODULE.cwasm` */
int cli_compile(int argc, char **argv);

/* The value of option argv[*i] when it is "--name VALUE" (then *i moves past it) or
 * "--name=VALUE"; NULL when it is another option; "" (after saying so) when the value
 * is missing. */
const char *cli_option_value(const char *command, int argc, char **argv, int *i, const char *name);
/* Binds and listens on "A.B.C.D:PORT", "localhost:PORT" or "[v6]:PORT"; returns the
 * socket, or -1 with why filled (a bad address, or the system's reason). For port 0,
 * *chosen_port gets the port the kernel picked (0 otherwise). */
int cli_listen(const char *spec, int *chosen_port, char *why, size_t why_size);

/* Reads and loads a module (a .wasm, or a compiled .cwasm), printing "wasmrt: <path>: <what went
 * wrong>" on failure. */
wasmrt_status cli_module_load(wasmrt_engine *engine, const char *path, wasmrt_module **out);
/* Prints an engine error as "wasmrt: <context>: <kind>: <message> (offset, function)". */
void cli_print_error(const char *context, const wasmrt_error *error);

#endif

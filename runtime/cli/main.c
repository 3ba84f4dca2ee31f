/* main.c: the `wasmrt` command line: picks the subcommand (run, inspect) and answers
 * --help and --version. `wasmrt MODULE.wasm ...` is short for `wasmrt run`, as with
 * wasmtime. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void cli_usage(FILE *out)
{
    fputs("usage: wasmrt run [OPTIONS] MODULE.wasm|MODULE.cwasm [ARGS...]\n"
          "       wasmrt compile [--bounds guard|explicit] [--metered] MODULE.wasm -o "
          "MODULE.cwasm\n"
          "       wasmrt inspect MODULE.wasm\n"
          "       wasmrt --version | --help\n"
          "\n"
          "run: runs a WASI (preview1) command module; the exit status is the guest's\n"
          "exit code (1 for a load or link error, 124 on --timeout, 134 on a trap).\n"
          "  --dir HOST[::GUEST]   give the guest the host directory HOST, seen as GUEST\n"
          "                        (default: the HOST text); repeatable\n"
          "  --env KEY=VALUE       set a guest environment variable; --env KEY passes the\n"
          "                        host's value; repeatable\n"
          "  --listen ADDR:PORT    listen on a TCP address and give the guest the socket\n"
          "                        as the fd after the preopened directories (LISTEN_FDS);\n"
          "                        port 0 picks a free port and prints it on stderr\n"
          "  --max-memory BYTES    limit each linear memory (k, m, g suffixes allowed)\n"
          "  --timeout SECONDS     stop the guest after this much wall-clock time\n"
          "  --cache-dir DIR       the validation and code cache (default:\n"
          "                        $WASMRT_CACHE_DIR, else $XDG_CACHE_HOME/wasmrt or\n"
          "                        ~/.cache/wasmrt)\n"
          "  --no-cache            neither use nor fill the cache\n"
          "  --interp              run the interpreter only (default on x86-64: each\n"
          "                        function is compiled to machine code on its first call)\n"
          "A cold start reads the module, decodes it, validates it (every function body is\n"
          "type-checked unless the cache holds an entry for these exact bytes: then only\n"
          "the module-level checks run), instantiates it, and compiles each function to\n"
          "machine code on its first call (type-checking it again) while _start runs,\n"
          "unless an earlier run left that code in the cache: the run stores what it\n"
          "compiled when the guest exits, and the next start maps it.\n"
          "compile: compiles every function of a module and writes a compiled module that\n"
          "run runs without compiling; it serves this build of wasmrt only, with the\n"
          "bounds mode it was compiled for (default: guard pages), and --metered for runs\n"
          "with --timeout.\n"
          "inspect: prints a module's sections, imports, exports, memory and sizes.\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *command = argv[1];
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
        strcmp(command, "help") == 0) {
        cli_usage(stdout);
        return 0;
    }
    if (strcmp(command, "--version") == 0 || strcmp(command, "-V") == 0) {
        printf("wasmrt %s\n", WASMRT_VERSION);
        return 0;
    }
    if (strcmp(command, "run") == 0) return cli_run(argc - 1, argv + 1);
    if (strcmp(command, "inspect") == 0) return cli_inspect(argc - 1, argv + 1);
    if (strcmp(command, "compile") == 0) return cli_compile(argc - 1, argv + 1);
    if (strcmp(command, "bench-instantiate") == 0)
        return cli_bench_instantiate(argc - 1, argv + 1);
    size_t len = strlen(command);
    if ((len > 5 && strcmp(command + len - 5, ".wasm") == 0) ||
        (len > 6 && strcmp(command + len - 6, ".cwasm") == 0))
        return cli_run(argc, argv);
    fprintf(stderr,
            "wasmrt: expected a command (run, compile, inspect, --help, --version), found '%s'\n",
            command);
    return CLI_EXIT_USAGE;
}

/* main.c: the `wasmrt` command line: picks the subcommand (run, inspect) and answers
 * --help and --version. `wasmrt MODULE.wasm ...` is short for `wasmrt run`, as with
 * wasmtime. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void cli_usage(FILE *out)
{
    fputs("usage: wasmrt run [OPTIONS] MODULE.wasm [ARGS...]\n"
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
          "the module-level checks run), instantiates it, and translates each function on\n"
          "its first call (type-checking it again) while _start runs, unless an earlier\n"
          "run left its translation in the cache: the run stores what it translated when\n"
          "the guest exits, and the next start adopts it. Compiling the translation to\n"
          "machine code is not cached: it is a single quick pass.\n"
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
    if (strcmp(command, "bench-instantiate") == 0)
        return cli_bench_instantiate(argc - 1, argv + 1);
    size_t len = strlen(command);
    if (len > 5 && strcmp(command + len - 5, ".wasm") == 0) return cli_run(argc, argv);
    fprintf(stderr, "wasmrt: expected a command (run, inspect, --help, --version), found '%s'\n",
            command);
    return CLI_EXIT_USAGE;
}

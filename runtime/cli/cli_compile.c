/* cli_compile.c: `wasmrt compile [OPTIONS] MODULE.wasm -o MODULE.cwasm`: compiles every
 * function of a module to machine code and writes a compiled module that `wasmrt run`
 * runs without compiling (src/jit/aot.c). The file serves this build of wasmrt only,
 * with the bounds mode and metering it was compiled for: --metered for runs with
 * --timeout. Prints what it wrote: functions compiled, bytes of machine code and of
 * the file, and how long compiling took. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cli_compile_usage(void)
{
    fputs("usage: wasmrt compile [--bounds guard|explicit] [--metered] MODULE.wasm -o "
          "MODULE.cwasm\n",
          stderr);
    return CLI_EXIT_USAGE;
}

int cli_compile(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    wasmrt_config config;
    wasmrt_config_default(&config);
    config.mode = WASMRT_MODE_JIT;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_option_value("compile", argc, argv, &i, "-o")) ||
            (v = cli_option_value("compile", argc, argv, &i, "--output"))) {
            if (!*v) return cli_compile_usage();
            out = v;
        } else if ((v = cli_option_value("compile", argc, argv, &i, "--bounds"))) {
            if (strcmp(v, "guard") == 0) {
                config.bounds = WASMRT_BOUNDS_GUARD;
            } else if (strcmp(v, "explicit") == 0) {
                config.bounds = WASMRT_BOUNDS_EXPLICIT;
            } else {
                fprintf(stderr,
                        "wasmrt compile: --bounds: expected guard or explicit, found '%s'\n", v);
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--metered") == 0) {
            config.deadline_ns = 1; /* compiled with the checks --timeout needs */
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "wasmrt compile: unknown option '%s'\n", argv[i]);
            return cli_compile_usage();
        } else if (!in) {
            in = argv[i];
        } else {
            fprintf(stderr, "wasmrt compile: expected one module, found '%s' after '%s'\n", argv[i],
                    in);
            return CLI_EXIT_USAGE;
        }
    }
    if (!in || !out) return cli_compile_usage();
    wasmrt_engine *engine;
    wasmrt_module *module;
    wasmrt_error error;
    if (wasmrt_engine_new(&config, &engine, &error) != WASMRT_OK) {
        cli_print_error("compile", &error);
        return CLI_EXIT_ERROR;
    }
    if (cli_module_load(engine, in, &module) != WASMRT_OK) {
        wasmrt_engine_free(engine);
        return CLI_EXIT_ERROR;
    }
    double t0 = cli_now();
    wasmrt_status s = wasmrt_module_write_compiled(module, out, &error);
    double t1 = cli_now();
    int rc = 0;
    if (s != WASMRT_OK) {
        cli_print_error(in, &error);
        rc = CLI_EXIT_ERROR;
    } else {
        wasmrt_module_stats stats;
        wasmrt_module_get_stats(module, &stats);
        struct stat st;
        long long size = stat(out, &st) == 0 ? (long long)st.st_size : -1;
        printf("wasmrt compile: %s: %u functions compiled (%zu bytes of code section) in "
               "%.2f ms, %.1f MB/s -> %s (%lld bytes)\n",
               in, stats.compiled_function_count - stats.interpreted_function_count,
               stats.code_size, (t1 - t0) * 1e3,
               t1 > t0 ? (double)stats.code_size / (t1 - t0) / 1e6 : 0.0, out, size);
        if (stats.interpreted_function_count)
            printf("wasmrt compile: %u functions left to the interpreter (SIMD without "
                   "SSSE3 and SSE4.1)\n",
                   stats.interpreted_function_count);
    }
    wasmrt_module_free(module);
    wasmrt_engine_free(engine);
    return rc;
}

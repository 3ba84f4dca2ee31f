/* cli_bench.c: `wasmrt bench-instantiate MODULE [RUNS]` (not in --help: a measuring
 * tool for engine work). It times, in this process, what an embedder pays:
 *   load         wasmrt_module_load of the file's bytes (decode + validate), or for a
 *                compiled module (.cwasm) wasmrt_module_load_compiled of the file (map
 *                the machine code, decode)
 *   instantiate  a WASI context + wasmrt_instance_new on a shared linker
 *   start        wasmrt_wasi_run_command (_start), stdin from a file, stdout to
 *                /dev/null, both reopened per run so each instance reads from the start
 * and prints the median and p90 of each, plus instantiate+start together. With
 * WASMRT_CACHE_DIR set (non-empty) loads use that validation cache. The input
 * given to the guest is {"name":"wasmvs","n":41}, the cold-start workload's line. */
#include "cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bench_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void bench_print(const char *what, uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, bench_cmp);
    printf("%-22s median %8.2f us  p10 %8.2f us  p90 %8.2f us  (%d runs)\n", what,
           (double)ns[n / 2] / 1e3, (double)ns[n / 10] / 1e3, (double)ns[n * 9 / 10] / 1e3, n);
}

/* Reads the whole file into memory (the bytes an embedder would hand over). */
static uint8_t *bench_read(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
        fprintf(stderr, "wasmrt bench-instantiate: %s: cannot read the module\n", path);
        if (fd >= 0) close(fd);
        return NULL;
    }
    uint8_t *buf = malloc((size_t)st.st_size);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r <= 0) {
            free(buf);
            buf = NULL;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    *size = got;
    return buf;
}

int cli_bench_instantiate(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: wasmrt bench-instantiate MODULE.wasm [RUNS]\n");
        return CLI_EXIT_USAGE;
    }
    int runs = argc == 3 ? atoi(argv[2]) : 2000;
    if (runs < 10) runs = 10;
    size_t size = 0;
    uint8_t *bytes = bench_read(argv[1], &size);
    if (!bytes) return CLI_EXIT_ERROR;
    int compiled = size >= 8 && memcmp(bytes, "wasmrtAO", 8) == 0;
    char input_path[] = "/tmp/wasmrt-bench-XXXXXX";
    int input_fd = mkstemp(input_path);
    static const char line[] = "{\"name\":\"wasmvs\",\"n\":41}\n";
    if (input_fd < 0 || write(input_fd, line, sizeof line - 1) != (ssize_t)(sizeof line - 1)) {
        fprintf(stderr, "wasmrt bench-instantiate: cannot write the input file\n");
        free(bytes);
        return CLI_EXIT_ERROR;
    }
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

    uint64_t *load = calloc((size_t)runs, sizeof *load);
    uint64_t *inst = calloc((size_t)runs, sizeof *inst);
    uint64_t *start = calloc((size_t)runs, sizeof *start);
    uint64_t *both = calloc((size_t)runs, sizeof *both);
    wasmrt_config config;
    wasmrt_config_default(&config);
    const char *cache = getenv("WASMRT_CACHE_DIR");
    config.cache_dir = cache && *cache ? cache : NULL;
    wasmrt_error error;
    memset(&error, 0, sizeof error);
    wasmrt_engine *engine = NULL;
    wasmrt_module *module = NULL;
    wasmrt_linker *linker = NULL;
    int rc = CLI_EXIT_ERROR;
    if (!load || !inst || !start || !both || null_fd < 0 ||
        wasmrt_engine_new(&config, &engine, &error) != WASMRT_OK)
        goto out;
    for (int i = 0; i < runs; i++) {
        uint64_t t0 = bench_now_ns();
        /* a compiled module loads from its file, mapped (wasmrt_module_load_compiled) */
        wasmrt_status ls = compiled
                               ? wasmrt_module_load_compiled(engine, argv[1], &module, &error)
                               : wasmrt_module_load(engine, bytes, size, &module, &error);
        if (ls != WASMRT_OK) {
            cli_print_error(argv[1], &error);
            goto out;
        }
        load[i] = bench_now_ns() - t0;
        if (i + 1 < runs) {
            wasmrt_module_free(module);
            module = NULL;
        }
    }
    if (wasmrt_linker_new(engine, &linker, &error) != WASMRT_OK ||
        wasmrt_wasi_define(linker, NULL, &error) != WASMRT_OK) {
        cli_print_error("linker", &error);
        goto out;
    }
    char *guest_argv[] = {argv[1]};
    for (int i = 0; i < runs; i++) {
        lseek(input_fd, 0, SEEK_SET);
        wasmrt_wasi_config wc;
        wasmrt_wasi_config_default(&wc);
        wc.argc = 1;
        wc.argv = (const char *const *)guest_argv;
        wc.stdin_fd = input_fd;
        wc.stdout_fd = null_fd;
        wasmrt_wasi *wasi = NULL;
        wasmrt_instance *instance = NULL;
        int exit_code = -1;
        uint64_t t0 = bench_now_ns();
        wasmrt_status s = wasmrt_wasi_new(&wc, &wasi, &error);
        if (s == WASMRT_OK) s = wasmrt_instance_new(linker, module, &instance, &error);
        if (s == WASMRT_OK) wasmrt_instance_set_user(instance, wasi);
        uint64_t t1 = bench_now_ns();
        if (s == WASMRT_OK) s = wasmrt_wasi_run_command(instance, &exit_code, &error);
        uint64_t t2 = bench_now_ns();
        if (instance) wasmrt_instance_free(instance);
        wasmrt_wasi_free(wasi);
        if (s != WASMRT_OK || exit_code != 0) {
            if (s != WASMRT_OK) cli_print_error(argv[1], &error);
            else fprintf(stderr, "wasmrt bench-instantiate: the guest exited %d\n", exit_code);
            goto out;
        }
        inst[i] = t1 - t0;
        start[i] = t2 - t1;
        both[i] = t2 - t0;
    }
    wasmrt_module_stats stats;
    wasmrt_module_get_stats(module, &stats);
    printf("functions: %u defined, %u translated after the runs\n", stats.function_count,
           stats.compiled_function_count);
    /* the first instance pays what a cold start does beyond loading: translating the
       functions it calls (lazy) and building the memory image */
    printf("first run: load %.2f us, instantiate %.2f us, start %.2f us\n",
           (double)load[0] / 1e3, (double)inst[0] / 1e3, (double)start[0] / 1e3);
    bench_print("load (decode+validate)", load, runs);
    bench_print("instantiate", inst, runs);
    bench_print("start (_start)", start, runs);
    bench_print("instantiate+start", both, runs);
    rc = 0;
out:
    if (linker) wasmrt_linker_free(linker);
    if (module) wasmrt_module_free(module);
    if (engine) wasmrt_engine_free(engine);
    free(load);
    free(inst);
    free(start);
    free(both);
    free(bytes);
    if (null_fd >= 0) close(null_fd);
    if (input_fd >= 0) close(input_fd);
    unlink(input_path);
    return rc;
}

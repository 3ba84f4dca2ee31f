/* bench_runner.c: one timed run of a kernel. Natively: the binary as a child process
 * (a kernel times its own run(n) call), and so under node (bench_node.mjs). In wasmrt: a fresh
 * engine, the module loaded from memory, instantiated (with WASI for a command module), run(n) or
 * _start called; each phase timed on CLOCK_MONOTONIC. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static double bench_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Runs argv (its last word the size n, written here) and reads "CHECKSUM [NS]". */
static int bench_exec_run(char **argv, int argc, uint32_t n, uint64_t *checksum, double *ns,
                          char *err, size_t err_size)
{
    int fds[2];
    char arg[16];
    snprintf(arg, sizeof arg, "%" PRIu32, n);
    argv[argc - 1] = arg;
    const char *binary = argv[0];
    if (pipe(fds) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    double start = bench_now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execvp(binary, argv);
        fprintf(stderr, "bench: exec %s: %s\n", binary, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    char out[128];
    size_t len = 0;
    ssize_t got;
    while (len < sizeof out - 1 && (got = read(fds[0], out + len, sizeof out - 1 - len)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) break;
        len += (size_t)got;
    }
    out[len] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    double wall = bench_now_ns() - start;
    uint64_t sum;
    int64_t t;
    int fields = sscanf(out, "%" SCNu64 " %" SCNd64, &sum, &t);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || fields < 1) {
        snprintf(err, err_size,
                 "%s %s: expected exit 0 and \"CHECKSUM [NS]\", got status %d, output '%.60s'",
                 binary, arg, status, out);
        return -1;
    }
    *checksum = sum;
    *ns = fields == 2 ? (double)t : wall;
    return 0;
}

int bench_native_run(const char *binary, uint32_t n, uint64_t *checksum, double *ns, char *err,
                     size_t err_size)
{
    char *argv[] = {(char *)binary, NULL, NULL};
    return bench_exec_run(argv, 2, n, checksum, ns, err, err_size);
}

int bench_node_run(const char *script, const char *wasm, uint32_t n, uint64_t *checksum, double *ns,
                   char *err, size_t err_size)
{
    char *argv[] = {"node", (char *)script, (char *)wasm, NULL, NULL};
    return bench_exec_run(argv, 4, n, checksum, ns, err, err_size);
}

static int bench_read_file(const char *path, uint8_t **bytes, size_t *size, char *err,
                           size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    int failed = ferror(f) || !buf;
    fclose(f);
    if (failed) {
        free(buf);
        snprintf(err, err_size, "%s: read failed", path);
        return -1;
    }
    *bytes = buf;
    *size = len;
    return 0;
}

/* Gives the module a WASI context for `NAME n` whose stdout is the pipe out[1]. */
static wasmrt_status bench_wasi_prepare(wasmrt_linker *linker, const char *path, uint32_t n,
                                        int out[2], wasmrt_wasi **wasi, wasmrt_error *error)
{
    static char arg[16];
    const char *argv[2] = {path, arg};
    wasmrt_wasi_config config;
    snprintf(arg, sizeof arg, "%" PRIu32, n);
    if (pipe(out) != 0) {
        error->status = WASMRT_ERR_IO;
        snprintf(error->message, sizeof error->message, "pipe: %s", strerror(errno));
        return WASMRT_ERR_IO;
    }
    wasmrt_wasi_config_default(&config);
    config.argc = 2;
    config.argv = argv;
    config.stdout_fd = out[1];
    wasmrt_status st = wasmrt_wasi_new(&config, wasi, error);
    if (st == WASMRT_OK) st = wasmrt_wasi_define(linker, *wasi, error);
    return st;
}

/* A freestanding kernel that calls libc (printf's snprintf) links wasi-libc's stdio,
 * which imports fd_write and friends although run(n) never calls them: a context with
 * nothing but the host's stdio satisfies the imports. */
static wasmrt_status bench_wasi_bare(wasmrt_linker *linker, wasmrt_wasi **wasi, wasmrt_error *error)
{
    wasmrt_wasi_config config;
    wasmrt_wasi_config_default(&config);
    wasmrt_status st = wasmrt_wasi_new(&config, wasi, error);
    if (st == WASMRT_OK) st = wasmrt_wasi_define(linker, *wasi, error);
    return st;
}

/* Runs _start; the checksum is the number the command printed (already in the pipe,
 * which holds far more than one line). */
static int bench_wasi_finish(wasmrt_instance *instance, int out[2], uint64_t *checksum,
                             wasmrt_error *error, char *err, size_t err_size)
{
    int exit_code = -1;
    if (wasmrt_wasi_run_command(instance, &exit_code, error) != WASMRT_OK) return -1;
    char buf[128];
    close(out[1]);
    out[1] = -1;
    ssize_t len = read(out[0], buf, sizeof buf - 1);
    buf[len > 0 ? len : 0] = '\0';
    if (exit_code != 0 || sscanf(buf, "%" SCNu64, checksum) != 1) {
        snprintf(err, err_size, "expected exit 0 and a number on stdout, got exit %d, '%.60s'",
                 exit_code, buf);
        return -2;
    }
    return 0;
}

static int bench_module_run(const char *path, wasmrt_bounds_mode bounds, wasmrt_exec_mode mode,
                            uint32_t n, int wasi_command, uint64_t *checksum,
                            bench_wasm_times *times, char *err, size_t err_size)
{
    uint8_t *bytes;
    size_t size;
    if (bench_read_file(path, &bytes, &size, err, err_size) != 0) return -1;

    wasmrt_config config;
    wasmrt_config_default(&config);
    config.bounds = bounds;
    config.mode = mode;
    config.lazy_compile = 0; /* so that compiling is timed with loading, not executing */
    wasmrt_engine *engine = NULL;
    wasmrt_module *module = NULL;
    wasmrt_linker *linker = NULL;
    wasmrt_instance *instance = NULL;
    wasmrt_wasi *wasi = NULL;
    int out[2] = {-1, -1};
    wasmrt_error error = {0};
    const char *phase = "engine";
    int rc = -1;

    if (wasmrt_engine_new(&config, &engine, &error) != WASMRT_OK) goto out;
    phase = "load";
    double t0 = bench_now_ns();
    if (wasmrt_module_load(engine, bytes, size, &module, &error) != WASMRT_OK) goto out;
    double t1 = bench_now_ns();
    phase = "instantiate";
    if (wasmrt_linker_new(engine, &linker, &error) != WASMRT_OK ||
        (wasi_command && bench_wasi_prepare(linker, path, n, out, &wasi, &error) != WASMRT_OK) ||
        (!wasi_command && bench_wasi_bare(linker, &wasi, &error) != WASMRT_OK) ||
        wasmrt_instance_new(linker, module, &instance, &error) != WASMRT_OK)
        goto out;
    double t2 = bench_now_ns();
    phase = "run";
    wasmrt_value arg = wasmrt_i32((int32_t)n), result = wasmrt_i64(0);
    if (wasi_command) {
        int finished = bench_wasi_finish(instance, out, checksum, &error, err, err_size);
        if (finished == -2) goto out_quiet;
        if (finished != 0) goto out;
        result = wasmrt_i64((int64_t)*checksum);
    } else if (wasmrt_instance_call(instance, "run", &arg, 1, &result, 1, &error) != WASMRT_OK) {
        goto out;
    }
    double t3 = bench_now_ns();
    if (result.type != WASMRT_I64) {
        snprintf(err, err_size, "%s: run returned type 0x%x, expected i64", path,
                 (unsigned)result.type);
        goto out_quiet;
    }
    *checksum = (uint64_t)result.of.i64;
    times->load_ns = t1 - t0;
    times->instantiate_ns = t2 - t1;
    times->execute_ns = t3 - t2;
    rc = 0;
out:
    if (rc != 0)
        snprintf(err, err_size, "%s: %s: %s (%s): %s", path, phase,
                 wasmrt_status_name(error.status) ? wasmrt_status_name(error.status) : "?",
                 error.trap ? wasmrt_trap_name(error.trap) : "no trap", error.message);
out_quiet:
    if (instance) wasmrt_instance_free(instance);
    if (linker) wasmrt_linker_free(linker);
    if (wasi) wasmrt_wasi_free(wasi);
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0) close(out[i]);
    }
    if (module) wasmrt_module_free(module);
    if (engine) wasmrt_engine_free(engine);
    free(bytes);
    return rc;
}

int bench_wasm_run(const char *path, wasmrt_bounds_mode bounds, wasmrt_exec_mode mode, uint32_t n,
                   uint64_t *checksum, bench_wasm_times *times, char *err, size_t err_size)
{
    return bench_module_run(path, bounds, mode, n, 0, checksum, times, err, err_size);
}

int bench_wasi_run(const char *path, wasmrt_bounds_mode bounds, wasmrt_exec_mode mode, uint32_t n,
                   uint64_t *checksum, bench_wasm_times *times, char *err, size_t err_size)
{
    return bench_module_run(path, bounds, mode, n, 1, checksum, times, err, err_size);
}

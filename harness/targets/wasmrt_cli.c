/* wasmrt_cli.c: the `wasmrt-cli` targets. `wasmrt run MODULE.wasm ARGS...` as a separate
 * process, exactly as a user starts it. `wasmrt-cli` passes --no-cache: the engine reads,
 * decodes, validates and compiles the module on every start, so each sample is a cold
 * start from the module file with the page cache as the run leaves it.
 * `wasmrt-cli:interp` is `wasmrt-cli` with --interp: the interpreter instead of the
 * machine code the engine compiles by default, to compare the two tiers.
 * `wasmrt-cli:cached` gives the engine a cache directory of this run's own, warmed once
 * outside the timed region, as a user's second start of the same module finds it: the
 * start skips type-checking the bodies and maps the machine code the warming run compiled
 * (a function no earlier run reached is still compiled on its first call).
 * `wasmrt-cli:aot` compiles the module once before the first sample (`wasmrt compile`,
 * outside every sample; its time and the file's size in details.aot, the file's size as
 * details.artifact.cache_bytes) and each sample runs the compiled module
 * (`wasmrt run --no-cache NAME.cwasm`): no compiling at start.
 * `wasmrt-cli:simd` is `wasmrt-cli` on the workload's -msimd128 build.
 * The module is build/workloads/wasm/NAME.wasm (NAME-simd.wasm for :simd), built from
 * the same source as the native binary. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"
#include "../target.h"
#include "command.h"

typedef struct target_wasmrt_cli {
    char engine[4096]; /* build/bin/wasmrt */
    char module[4096];
    char cache_dir[4096]; /* wasmrt-cli:cached: the run's own cache directory */
    char aot_dir[4096];   /* wasmrt-cli:aot: the run's folder of compiled modules */
    int interp;           /* wasmrt-cli:interp: --interp */
    int simd;             /* wasmrt-cli:simd: the -msimd128 build */
} target_wasmrt_cli;

/* The command line; argv has room for WORKLOAD_MAX_ARGS + 8 entries. A server (httpd)
 * gets its address as `--listen ADDR:PORT`: the engine binds and hands the guest the
 * socket, as WASI cannot bind, so the address is not among the module's arguments. */
static void target_wasmrt_cli_argv(target_wasmrt_cli *state, const workload_invocation *w,
                                   char **argv)
{
    size_t n = 0;
    argv[n++] = state->engine;
    argv[n++] = "run";
    if (state->cache_dir[0]) {
        argv[n++] = "--cache-dir";
        argv[n++] = state->cache_dir;
    } else {
        argv[n++] = "--no-cache";
    }
    if (state->interp)
        argv[n++] = "--interp";
    if (w->serves_http) {
        argv[n++] = "--listen";
        argv[n++] = w->args[0];
    }
    argv[n++] = state->module;
    for (size_t i = w->serves_http ? 1 : 0; i < w->arg_count; i++)
        argv[n++] = w->args[i];
    argv[n] = NULL;
}

static int target_wasmrt_cli_probe(target *t, wasmvs_error *why)
{
    target_wasmrt_cli *state = t->state;
    snprintf(state->engine, sizeof state->engine, "%s/build/bin/wasmrt", paths_root());
    if (access(state->engine, X_OK) != 0)
        return wasmvs_fail(why, "%s: the engine is not built (run make -C runtime)",
                           state->engine);
    char *argv[] = {state->engine, "--version", NULL};
    char *line = process_first_line(argv);
    if (!line)
        return wasmvs_fail(why, "%s --version: expected a version line, found none",
                           state->engine);
    snprintf(t->version, sizeof t->version, "%s", line);
    free(line);
    return 0;
}

/* The bytes the cache directory holds: the validation entry and the machine code. */
static long long target_wasmrt_cli_cache_bytes(const char *dir)
{
    long long total = 0;
    DIR *d = opendir(dir);
    struct dirent *entry;
    struct stat info;
    while (d && (entry = readdir(d)) != NULL)
        if (entry->d_name[0] != '.' && fstatat(dirfd(d), entry->d_name, &info, 0) == 0)
            total += (long long)info.st_size;
    if (d) closedir(d);
    return total;
}

/* :aot: `wasmrt compile` of state->module into the run's folder, timed; state->module
 * becomes the compiled module. */
static int target_wasmrt_cli_compile(target *t, target_wasmrt_cli *state, wasmvs_error *err)
{
    char out[4096];
    paths_in_folder_with_extension(state->aot_dir, state->module, "cwasm", out, sizeof out);
    char *argv[] = {state->engine, "compile", state->module, "-o", out, NULL};
    process_spec spec = {.argv = argv, .timeout_s = 120};
    process_result result;
    if (process_run(&spec, &result, err) != 0)
        return wasmvs_wrap(err, "%s: wasmrt compile", t->name);
    int ok = result.end == PROCESS_EXITED && result.exit_code == 0;
    if (!ok) {
        char how[128];
        process_describe_end(&result, how, sizeof how);
        wasmvs_fail(err, "%s: wasmrt compile %s: %s: %.300s", t->name, state->module, how,
                    result.err ? result.err : "");
        process_result_free(&result);
        return -1;
    }
    struct stat st, mod;
    json_object_set_new(t->details, "aot",
                        json_pack("{s:s, s:f, s:I, s:I, s:s}", "file", out, "compile_ms",
                                  (double)result.wall_ns / 1e6, "file_bytes",
                                  (json_int_t)(stat(out, &st) == 0 ? st.st_size : -1),
                                  "module_bytes",
                                  (json_int_t)(stat(state->module, &mod) == 0 ? mod.st_size : -1),
                                  "compile_output", result.out ? result.out : ""));
    process_result_free(&result);
    target_record_artifact(t, "cache_bytes", out);
    memcpy(state->module, out, sizeof out);
    return 0;
}

static int target_wasmrt_cli_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_wasmrt_cli *state = t->state;
    if (target_command_module(t, w, state->simd ? "-simd" : "", state->module,
                              sizeof state->module, err) != 0)
        return -1;
    target_record_artifact(t, "runtime_bytes", state->engine);
    json_object_set_new(t->details, "build",
                        json_string(state->simd ? "the workload's -msimd128 build (128-bit SIMD)"
                                                : "the workload's scalar build"));
    if (state->aot_dir[0]) {
        if (target_wasmrt_cli_compile(t, state, err) != 0) return -1;
        target_command_details(t, "launch of wasmrt --no-cache on the module compiled ahead "
                                  "of time (details.aot: once, before the first sample): it "
                                  "maps the machine code, decodes the module and runs; "
                                  "page cache warm unless drop_caches");
        return 0;
    }
    if (!state->cache_dir[0]) {
        target_command_details(t, state->interp
                                      ? "launch of wasmrt --no-cache --interp, which reads, "
                                        "decodes, validates and translates the module file "
                                        "every time and runs it in the interpreter; page cache "
                                        "warm unless drop_caches"
                                      : "launch of wasmrt --no-cache, which reads, decodes, "
                                        "validates and compiles to machine code "
                                        "every time; page cache warm unless drop_caches");
        return 0;
    }
    target_command_details(t, "launch of wasmrt with a cache directory warmed before the "
                              "first sample (bodies not type-checked again; the machine "
                              "code the warming run compiled mapped, other functions "
                              "compiled on first call); page cache warm unless drop_caches");
    json_object_set_new(t->details, "cache_dir", json_string(state->cache_dir));
    if (w->long_lived) return 0; /* the first instance warms it; nothing to run to an end */
    char *argv[WORKLOAD_MAX_ARGS + 8];
    target_wasmrt_cli_argv(state, w, argv);
    target_outcome warm = {0};
    if (target_command_run(t, argv, w, 60, &warm, err) != 0)
        return wasmvs_wrap(err, "%s: warming the cache", t->name);
    target_outcome_free(&warm);
    target_record_artifact_bytes(t, "cache_bytes", target_wasmrt_cli_cache_bytes(state->cache_dir));
    return 0;
}

static int target_wasmrt_cli_run_once(target *t, const workload_invocation *w, double timeout_s,
                                      target_outcome *outcome, wasmvs_error *err)
{
    char *argv[WORKLOAD_MAX_ARGS + 8];
    target_wasmrt_cli_argv(t->state, w, argv);
    return target_command_run(t, argv, w, timeout_s, outcome, err);
}

static int target_wasmrt_cli_start(target *t, const workload_invocation *w, double timeout_s,
                                   target_instance *instance, wasmvs_error *err)
{
    char *argv[WORKLOAD_MAX_ARGS + 8];
    target_wasmrt_cli_argv(t->state, w, argv);
    return target_command_start(argv, w, timeout_s, instance, err);
}

static void target_wasmrt_cli_stop(target *t, target_instance *instance)
{
    (void)t;
    target_command_stop(instance);
}

static void target_wasmrt_cli_destroy(target *t)
{
    target_wasmrt_cli *state = t->state;
    if (state && state->cache_dir[0]) paths_remove_flat_directory(state->cache_dir);
    if (state && state->aot_dir[0]) paths_remove_flat_directory(state->aot_dir);
    free(t->state);
    t->state = NULL;
}

static const target_ops target_wasmrt_cli_ops = {
    .probe = target_wasmrt_cli_probe,
    .prepare = target_wasmrt_cli_prepare,
    .run_once = target_wasmrt_cli_run_once,
    .start = target_wasmrt_cli_start,
    .stop = target_wasmrt_cli_stop,
    .destroy = target_wasmrt_cli_destroy,
};

int target_wasmrt_cli_init(target *t, wasmvs_error *err)
{
    t->state = calloc(1, sizeof(target_wasmrt_cli));
    if (!t->state) return wasmvs_fail(err, "%s: out of memory", t->name);
    t->ops = &target_wasmrt_cli_ops;
    t->counts_perf = true;
    ((target_wasmrt_cli *)t->state)->interp = strcmp(t->variant, "interp") == 0;
    ((target_wasmrt_cli *)t->state)->simd = strcmp(t->variant, "simd") == 0;
    if (strcmp(t->variant, "aot") == 0) {
        target_wasmrt_cli *state = t->state;
        snprintf(state->aot_dir, sizeof state->aot_dir, "%s/build/harness/wasmrt-aot-cli/%d",
                 paths_root(), (int)getpid());
        if (paths_make_directories(state->aot_dir, err) != 0)
            return wasmvs_wrap(err, "%s: the folder of compiled modules", t->name);
    }
    if (strcmp(t->variant, "cached") == 0) {
        target_wasmrt_cli *state = t->state;
        /* Per harness process, so no earlier run's entries count as warm. */
        snprintf(state->cache_dir, sizeof state->cache_dir, "%s/build/harness/wasmrt-cache/%d",
                 paths_root(), (int)getpid());
        if (paths_make_directories(state->cache_dir, err) != 0)
            return wasmvs_wrap(err, "%s: cache directory", t->name);
    }
    return 0;
}

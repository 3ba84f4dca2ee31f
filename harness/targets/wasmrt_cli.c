/* wasmrt_cli.c: the `wasmrt-cli` target. `wasmrt run MODULE.wasm ARGS...` as a separate
 * process, exactly as a user starts it: the engine reads, decodes, validates and
 * compiles the module on every start (it keeps no compiled cache), so each sample is a
 * cold start from the module file with the page cache as the run leaves it. The module
 * is build/workloads/wasm/NAME.wasm, built from the same source as the native binary. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"
#include "../target.h"
#include "command.h"

typedef struct target_wasmrt_cli {
    char engine[4096]; /* build/bin/wasmrt */
    char module[4096];
} target_wasmrt_cli;

/* The command line; argv has room for WORKLOAD_MAX_ARGS + 5 entries. A server (httpd)
 * gets its address as `--listen ADDR:PORT`: the engine binds and hands the guest the
 * socket, as WASI cannot bind, so the address is not among the module's arguments. */
static void target_wasmrt_cli_argv(target_wasmrt_cli *state, const workload_invocation *w,
                                   char **argv)
{
    size_t n = 0;
    argv[n++] = state->engine;
    argv[n++] = "run";
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

static int target_wasmrt_cli_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_wasmrt_cli *state = t->state;
    if (target_command_module(t, w, "", state->module, sizeof state->module, err) != 0)
        return -1;
    target_command_details(t, "fork/exec of wasmrt, which reads, decodes, validates and "
                              "compiles the module file every time (no compiled cache); "
                              "page cache warm unless drop_caches");
    return 0;
}

static int target_wasmrt_cli_run_once(target *t, const workload_invocation *w, double timeout_s,
                                      target_outcome *outcome, wasmvs_error *err)
{
    char *argv[WORKLOAD_MAX_ARGS + 5];
    target_wasmrt_cli_argv(t->state, w, argv);
    return target_command_run(argv, w, timeout_s, outcome, err);
}

static int target_wasmrt_cli_start(target *t, const workload_invocation *w, double timeout_s,
                                   target_instance *instance, wasmvs_error *err)
{
    char *argv[WORKLOAD_MAX_ARGS + 5];
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
    return 0;
}

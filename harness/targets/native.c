/* native.c: the baseline target. Launch (clone + exec) of the workload's static binary
 * (build/workloads/native/NAME, gcc -O2; native-clang: build/workloads/native-clang/NAME,
 * clang -O2) through the harness's process launcher, with rusage and perf counters. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"
#include "../target.h"
#include "command.h"

static const char *target_native_directory(const target *t)
{
    return strcmp(t->variant, "clang") == 0 ? "native-clang" : "native";
}

/* The flags the workloads were built with, from build/workloads/flags.json. */
static void target_native_flags(const target *t, char *out, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/build/workloads/flags.json", paths_root());
    json_t *flags = json_load_file(path, 0, NULL);
    const char *text = json_string_value(
        json_object_get(flags, strcmp(t->variant, "clang") == 0 ? "native_clang" : "native"));
    snprintf(out, size, "%s", text ? text : t->variant);
    json_decref(flags);
}

static int target_native_probe(target *t, wasmvs_error *why)
{
    char path[4096];
    paths_workload(target_native_directory(t), "hello", path, sizeof path);
    if (access(path, X_OK) != 0)
        return wasmvs_fail(why, "%s: workload binaries not built (run make -C workloads)", path);
    char flags[200];
    target_native_flags(t, flags, sizeof flags);
    snprintf(t->version, sizeof t->version, "static binary, %s", flags);
    return 0;
}

static int target_native_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    char path[4096];
    paths_workload(target_native_directory(t), w->name, path, sizeof path);
    if (access(path, X_OK) != 0)
        return wasmvs_fail(err, "%s: expected an executable workload binary, found none", path);
    json_object_set_new(t->details, "binary", json_string(path));
    target_record_artifact(t, "binary_bytes", path);
    json_object_set_new(t->details, "cold_start",
                        json_string("launch (clone + exec) of a static binary; page cache warm"));
    return 0;
}

/* The workload's command line; path holds the binary's path (4096 bytes). */
static void target_native_argv(const target *t, const workload_invocation *w, char *path,
                               char **argv)
{
    paths_workload(target_native_directory(t), w->name, path, 4096);
    argv[0] = path;
    for (size_t i = 0; i < w->arg_count; i++)
        argv[i + 1] = w->args[i];
    argv[w->arg_count + 1] = NULL;
}

static int target_native_run_once(target *t, const workload_invocation *w, double timeout_s,
                                  target_outcome *outcome, wasmvs_error *err)
{
    char path[4096], *argv[WORKLOAD_MAX_ARGS + 2];
    target_native_argv(t, w, path, argv);
    process_spec spec = {.argv = argv,
                         .stdin_data = w->stdin_data,
                         .stdin_length = w->stdin_length,
                         .timeout_s = timeout_s,
                         .count_perf = t->counts_perf};
    process_result result;
    if (process_run(&spec, &result, err) != 0) return -1;
    target_outcome_from_process(outcome, &result);
    return 0;
}

/* A long-lived instance: the binary spawned in its own process group, its stdout in a
 * file watched for the ready line. */
static int target_native_start(target *t, const workload_invocation *w, double timeout_s,
                               target_instance *instance, wasmvs_error *err)
{
    char path[4096], *argv[WORKLOAD_MAX_ARGS + 2];
    target_native_argv(t, w, path, argv);
    return target_command_start(argv, w, timeout_s, instance, err);
}

static void target_native_stop(target *t, target_instance *instance)
{
    (void)t;
    target_command_stop(instance);
}

static const target_ops target_native_ops = {
    .probe = target_native_probe,
    .prepare = target_native_prepare,
    .run_once = target_native_run_once,
    .start = target_native_start,
    .stop = target_native_stop,
};

int target_native_init(target *t, wasmvs_error *err)
{
    (void)err;
    t->ops = &target_native_ops;
    t->counts_perf = true;
    return 0;
}

/* noop.c: the `noop` target, the harness's noise floor. Every sample launches
 * build/workloads/native/noop, an empty static binary that exits 0 at once (no C
 * library), whatever the scenario's workload, through the same launcher and with the
 * same stdin as `native` (target_command_run): what it measures is what launching
 * anything costs here.
 * `wasmvs run` adds it to every one-shot scenario as the noise probe (README,
 * "Validity"); it may also be named as a target. Its samples are judged by exit status
 * 0 and empty output, not by the workload's expected answer. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../paths.h"
#include "../target.h"
#include "command.h"

static void target_noop_path(char *out, size_t size)
{
    paths_workload("native", "noop", out, size);
}

static int target_noop_probe(target *t, wasmvs_error *why)
{
    char path[4096];
    target_noop_path(path, sizeof path);
    if (access(path, X_OK) != 0)
        return wasmvs_fail(why, "%s: the empty binary is not built (run make -C workloads)", path);
    snprintf(t->version, sizeof t->version, "empty static binary (exit 0, no C library)");
    return 0;
}

static int target_noop_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    (void)w;
    char path[4096];
    target_noop_path(path, sizeof path);
    json_object_set_new(t->details, "binary", json_string(path));
    target_record_artifact(t, "binary_bytes", path);
    json_object_set_new(t->details, "cold_start",
                        json_string("launch (clone + exec) of an empty static binary: the "
                                    "harness's launch floor; page cache warm"));
    (void)err;
    return 0;
}

static int target_noop_run_once(target *t, const workload_invocation *w, double timeout_s,
                                target_outcome *outcome, wasmvs_error *err)
{
    char path[4096];
    target_noop_path(path, sizeof path);
    char *argv[] = {path, NULL};
    return target_command_run(t, argv, w, timeout_s, outcome, err);
}

static const target_ops target_noop_ops = {
    .probe = target_noop_probe,
    .prepare = target_noop_prepare,
    .run_once = target_noop_run_once,
};

int target_noop_init(target *t, wasmvs_error *err)
{
    (void)err;
    t->ops = &target_noop_ops;
    t->counts_perf = true;
    t->runs_workload = false;
    return 0;
}

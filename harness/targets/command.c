/* command.c: one process per instance, from a command line (see command.h). */
#include "command.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"

int target_command_run(const target *t, char *const *argv, const workload_invocation *w,
                       double timeout_s, target_outcome *outcome, wasmvs_error *err)
{
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

int target_command_start(char *const *argv, const workload_invocation *w, double timeout_s,
                         target_instance *instance, wasmvs_error *err)
{
    if (target_instance_output_file(instance, err) != 0) return -1;
    process_spec spec = {.argv = argv, .output_path = instance->output};
    pid_t pid;
    if (process_spawn(&spec, &pid, err) != 0) return -1;
    instance->main_pid = instance->tree_root = pid;
    if (process_wait_file_text(instance->output, w->expected_stdout, timeout_s, pid, err) != 0) {
        process_stop(pid, 1.0);
        return -1;
    }
    return 0;
}

void target_command_stop(target_instance *instance)
{
    process_stop(instance->main_pid, 2.0);
}

int target_command_module(target *t, const workload_invocation *w, const char *suffix,
                          char *path, size_t size, wasmvs_error *err)
{
    char name[96];
    snprintf(name, sizeof name, "%s%s.wasm", w->name, suffix);
    paths_workload("wasm", name, path, size);
    if (access(path, R_OK) != 0)
        return wasmvs_fail(err, "%s: expected the workload's module, found none (run make -C "
                                "workloads)",
                           path);
    json_object_set_new(t->details, "module", json_string(path));
    target_record_artifact(t, "wasm_bytes", path);
    return 0;
}

size_t target_command_wasm_listen(const workload_invocation *w, char *env, size_t size)
{
    env[0] = '\0';
    if (!w->serves_http || w->arg_count < 1) return 0;
    snprintf(env, size, "WASMRT_LISTEN=%s", w->args[0]);
    return 1;
}

void target_command_details(target *t, const char *cold_start)
{
    json_object_set_new(t->details, "execution_model", json_string("process per instance"));
    json_object_set_new(t->details, "idle_definition", json_string("process blocked waiting"));
    json_object_set_new(t->details, "cold_start", json_string(cold_start));
}

/* command.h: the shared half of the targets whose every instance is one process started
 * from a command line (wasmrt-cli, wasm-cli:NAME): a one-shot sample through the
 * process launcher, and a long-lived instance spawned in its own process group whose
 * stdout is watched for the ready line. The targets only build the command line. */
#ifndef WASMVS_TARGETS_COMMAND_H
#define WASMVS_TARGETS_COMMAND_H

#include "../target.h"

/* Runs argv once with the workload's stdin, bounded by timeout_s, into outcome. */
int target_command_run(char *const *argv, const workload_invocation *w, double timeout_s,
                       target_outcome *outcome, wasmvs_error *err);

/* Spawns argv and waits until its output holds the workload's ready line. */
int target_command_start(char *const *argv, const workload_invocation *w, double timeout_s,
                         target_instance *instance, wasmvs_error *err);

/* Ends a started instance's process group and reaps it. */
void target_command_stop(target_instance *instance);

#endif

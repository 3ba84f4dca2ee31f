/* command.h: the shared half of the targets whose every instance is one process started
 * from a command line (wasmrt-cli, wasm-cli:NAME): a one-shot sample through the
 * process launcher, and a long-lived instance spawned in its own process group whose
 * stdout is watched for the ready line. The targets only build the command line. */
#ifndef WASMVS_TARGETS_COMMAND_H
#define WASMVS_TARGETS_COMMAND_H

#include "../target.h"

/* Runs argv once with the workload's stdin, bounded by timeout_s, into outcome; with perf
 * counters when t counts them. */
int target_command_run(const target *t, char *const *argv, const workload_invocation *w,
                       double timeout_s, target_outcome *outcome, wasmvs_error *err);

/* Spawns argv and waits until its output holds the workload's ready line. */
int target_command_start(char *const *argv, const workload_invocation *w, double timeout_s,
                         target_instance *instance, wasmvs_error *err);

/* The workload's module, build/workloads/wasm/NAME{suffix}.wasm, into path (size bytes),
 * recorded as details.module; fails when it is not built. Every Wasm target runs it. */
int target_command_module(target *t, const workload_invocation *w, const char *suffix,
                          char *path, size_t size, wasmvs_error *err);

/* A server run as a Wasm module by an OCI runtime (runc:wasmrt, docker:wasmrt): its
 * address goes into env as "WASMRT_LISTEN=ADDR:PORT", for the runtime to bind, as
 * `wasmrt run --listen` does, and is not among the module's arguments. Returns the
 * index of the first argument to pass (1 for a server, 0 otherwise); env is "" then. */
size_t target_command_wasm_listen(const workload_invocation *w, char *env, size_t size);

/* Records what one instance of a process-per-instance Wasm target is, and its cold start. */
void target_command_details(target *t, const char *cold_start);

/* Ends a started instance's process group and reaps it. */
void target_command_stop(target_instance *instance);

#endif

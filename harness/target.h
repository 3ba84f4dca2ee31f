/* target.h: the one interface every backend implements (native, runc, docker; later
 * the Wasm engine in-process, its CLI and external runtimes). A target is created by
 * name from the registry (targets/registry.c: one line per target kind), probed once
 * (available? which version? if not, why), prepared once per workload outside the
 * timed region (bundle, image, cache), then asked for samples; cleanup removes every
 * instance it still has, also after Ctrl-C.
 *
 * Adding a target = one new file in targets/ implementing target_ops, plus one line in
 * the registry table. Nothing else changes. */
#ifndef WASMVS_TARGET_H
#define WASMVS_TARGET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "workload.h"

typedef struct target target;

/* What one sample produced, before the harness checks the output. */
typedef struct target_outcome {
    bool exited;     /* the instance ran to its end by itself */
    int exit_code;   /* valid when exited */
    bool cancelled;  /* stopped because the run was interrupted */
    char how[128];   /* how it ended, in words, when !exited ("timed out", "signal 9") */
    char *out;       /* stdout, malloc'ed, NUL-terminated */
    char *err;       /* stderr, malloc'ed, NUL-terminated (may be NULL) */
    json_t *metrics; /* at least wall_ns; anything else the target can measure */
    json_t *phases;  /* target-specific phase timings (object), or NULL */
} target_outcome;

/* A long-lived instance (density, HTTP): started, ready, kept until stopped. */
typedef struct target_instance {
    pid_t main_pid;   /* the workload's own process (a container's init) */
    pid_t tree_root;  /* where its memory is summed from: main_pid, or Docker's shim */
    char id[96];      /* the container id, or "" */
    char output[256]; /* a file holding the instance's stdout, or "" */
    double start_ns;  /* from the start call until the instance said it was ready */
    /* How this instance was made where the target varies it per instance (wasmrt: its
     * bounds checks, "guard" or "explicit"), else "". */
    char mode[16];
} target_instance;

/* One request served by a fresh instance (serverless): the instance reads input as its
 * stdin and its stdout is the answer. */
typedef struct target_request {
    const char *input;
    size_t input_length;
    /* filled by serve */
    bool exited;     /* the instance ran to its end by itself */
    int exit_code;   /* valid when exited */
    char how[128];   /* how it ended, in words, when !exited */
    const char *out; /* its stdout; the target's buffer, valid until the next request */
    size_t out_length;
    /* from the start of the request until the fresh instance could run its code (the
     * engine's instance made; a process exec'd; a container started); 0 = not known */
    uint64_t instantiate_ns;
} target_request;

typedef struct target_ops {
    /* 0 when the target can run here; fills t->version. Else -1, with why filled. */
    int (*probe)(target *t, wasmvs_error *why);
    /* Once per workload, untimed: build bundles, import images, compile. */
    int (*prepare)(target *t, const workload_invocation *w, wasmvs_error *err);
    /* One cold instance: launch, wait for the end (bounded by timeout_s), collect its
     * output and metrics. Returns -1 only when the sample could not be attempted. */
    int (*run_once)(target *t, const workload_invocation *w, double timeout_s,
                    target_outcome *outcome, wasmvs_error *err);
    /* Long-lived instances; NULL when the target cannot keep one. start returns once the
     * instance wrote its ready line (the workload's expected stdout), within timeout_s;
     * stop ends it and removes everything it left. Call them through
     * target_instance_start/stop, which keep the list that clean-up works through. */
    int (*start)(target *t, const workload_invocation *w, double timeout_s,
                 target_instance *instance, wasmvs_error *err);
    void (*stop)(target *t, target_instance *instance);
    /* Serverless (serverless.c): called in the front end's process, a fork of wasmvs made
     * after prepare. serve_open loads once what every request shares (the engine and the
     * module; a connection of the front end's own to the daemon); serve runs one request
     * on a fresh instance made, run and freed for it. Either may be NULL: without serve
     * the front end takes each request as a run_once sample (a process, a container per
     * request), with the workload's stdin replaced by the request's input. */
    int (*serve_open)(target *t, const workload_invocation *w, wasmvs_error *err);
    int (*serve)(target *t, target_request *request, wasmvs_error *err);
    /* Removes everything this target started and did not remove yet. Idempotent. */
    void (*cleanup)(target *t);
    /* Frees t->state (after cleanup). */
    void (*destroy)(target *t);
} target_ops;

struct target {
    const target_ops *ops;
    char name[64];               /* as the user wrote it: "docker:host" */
    char variant[32];            /* the registry's argument for this name: "host" */
    char version[256];           /* filled by probe */
    bool counts_perf;            /* samples carry perf counters of the instance's process tree
                                    (the serverless front end turns them off in its copy) */
    bool runs_workload;          /* false for `noop`: its samples are checked for exit 0 only */
    json_t *details;             /* facts recorded with the target's results (owned) */
    void *state;                 /* the implementation's own */
    target_instance **instances; /* live long-lived instances */
    size_t instance_count;
};

/* Creates the target called name. Errors list the known names. */
int target_create(const char *name, target **out, wasmvs_error *err);

/* Stops its live instances, cleans up, destroys and frees. NULL is fine. */
void target_free(target *t);

/* 1 when name is a registered target. */
int target_exists(const char *name);

/* The registered names, comma-separated, for messages and `wasmvs targets`. */
const char *target_names(void);

void target_outcome_free(target_outcome *outcome);

struct process_result;
/* Moves a finished process's output and metrics into outcome (for process targets). */
void target_outcome_from_process(target_outcome *outcome, struct process_result *result);

/* Starts a long-lived instance (see target_ops.start) and records it as live; fills
 * *out. Fails, saying so, on targets without long-lived instances. */
int target_instance_start(target *t, const workload_invocation *w, double timeout_s,
                          target_instance **out, wasmvs_error *err);

/* Adds the instance's memory to metrics: pss_kib, rss_kib and processes over its tree,
 * cgroup_memory_bytes where it has a memory cgroup. */
int target_instance_measure(const target_instance *instance, json_t *metrics, wasmvs_error *err);

/* For start implementations: a fresh file for the instance's stdout, in a directory of
 * this wasmvs process; its path goes to instance->output. Removed by the stop. */
int target_instance_output_file(target_instance *instance, wasmvs_error *err);

/* Records what a user ships to run the workload on this target, for the report beside the
 * published artifact sizes: details.artifact.KEY = the size in bytes of the file at path
 * (nothing when it cannot be read), or the given bytes. Keys: wasm_bytes (the module),
 * cache_bytes (compiled code kept for later starts), binary_bytes (the native binary),
 * image_bytes (the container image as the daemon reports it), runtime_bytes (the engine
 * command that runs the module). */
void target_record_artifact(target *t, const char *key, const char *path);
void target_record_artifact_bytes(target *t, const char *key, long long bytes);

/* Stops and forgets one instance; NULL is fine. */
void target_instance_stop(target *t, target_instance *instance);

#endif

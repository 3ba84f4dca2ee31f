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

typedef struct target_ops {
    /* 0 when the target can run here; fills t->version. Else -1, with why filled. */
    int (*probe)(target *t, wasmvs_error *why);
    /* Once per workload, untimed: build bundles, import images, compile. */
    int (*prepare)(target *t, const workload_invocation *w, wasmvs_error *err);
    /* One cold instance: launch, wait for the end (bounded by timeout_s), collect its
     * output and metrics. Returns -1 only when the sample could not be attempted. */
    int (*run_once)(target *t, const workload_invocation *w, double timeout_s,
                    target_outcome *outcome, wasmvs_error *err);
    /* Removes everything this target started and did not remove yet. Idempotent. */
    void (*cleanup)(target *t);
    /* Frees t->state (after cleanup). */
    void (*destroy)(target *t);
} target_ops;

struct target {
    const target_ops *ops;
    char name[64];     /* as the user wrote it: "docker:host" */
    char variant[32];  /* the registry's argument for this name: "host" */
    char version[256]; /* filled by probe */
    bool counts_perf;  /* samples carry perf counters of the instance's process tree */
    json_t *details;   /* facts recorded with the target's results (owned) */
    void *state;       /* the implementation's own */
};

/* Creates the target called name. Errors list the known names. */
int target_create(const char *name, target **out, wasmvs_error *err);

/* Cleans up, destroys and frees. NULL is fine. */
void target_free(target *t);

/* 1 when name is a registered target. */
int target_exists(const char *name);

/* The registered names, comma-separated, for messages and `wasmvs targets`. */
const char *target_names(void);

/* Calls cleanup on every live target: the run's cancellation path. */
void target_cleanup_all(void);

void target_outcome_free(target_outcome *outcome);

#endif

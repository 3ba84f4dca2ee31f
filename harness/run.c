/* run.c: the `wasmvs run` loop (see run.h). */
#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cancel.h"
#include "density.h"
#include "http.h"
#include "meters/clock.h"
#include "meters/host.h"
#include "meters/perf.h"
#include "paths.h"
#include "progress.h"
#include "results.h"
#include "scenario.h"
#include "serverless.h"
#include "table.h"
#include "target.h"

typedef struct run_target {
    target *target;  /* NULL when unavailable */
    json_t *entry;   /* the target's entry in the results document */
    size_t failures; /* failed samples so far, to keep stderr short */
} run_target;

typedef struct run_step {
    size_t target;
    bool warmup;
} run_step;

/* xorshift64: the run order needs no statistical quality, only a recorded seed. */
static uint64_t run_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static void run_shuffle(run_step *steps, size_t count, uint64_t *state)
{
    for (size_t i = count; i > 1; i--) {
        size_t j = (size_t)(run_random(state) % i);
        run_step swap = steps[i - 1];
        steps[i - 1] = steps[j];
        steps[j] = swap;
    }
}

/* Warm-up rounds, then measured rounds; every round holds each available target once,
 * in its own shuffled order. */
static run_step *run_plan(const run_target *targets, size_t target_count, int warmup,
                          int repetitions, uint64_t seed, size_t *count)
{
    size_t available = 0;
    for (size_t i = 0; i < target_count; i++)
        available += targets[i].target != NULL;
    size_t rounds = (size_t)warmup + (size_t)repetitions;
    run_step *steps = malloc((rounds * available + 1) * sizeof *steps);
    if (!steps) return NULL;
    uint64_t state = seed ? seed : 1;
    *count = 0;
    for (size_t round = 0; round < rounds; round++) {
        run_step *start = steps + *count;
        for (size_t i = 0; i < target_count; i++)
            if (targets[i].target) steps[(*count)++] = (run_step){i, round < (size_t)warmup};
        run_shuffle(start, available, &state);
    }
    return steps;
}

static void run_show_failure(run_target *rt, const char *error, const char *out, const char *err)
{
    rt->failures++;
    if (rt->failures > 3) {
        if (rt->failures == 4)
            fprintf(stderr, "%s: more samples failed; all are in the results file\n",
                    rt->target->name);
        return;
    }
    fprintf(stderr, "%s: sample failed: %s\n", rt->target->name, error);
    if (out && *out) fprintf(stderr, "  stdout: %.500s%s", out, strchr(out, '\n') ? "" : "\n");
    if (err && *err) fprintf(stderr, "  stderr: %.500s%s", err, strchr(err, '\n') ? "" : "\n");
}

/* Writes back dirty pages and empties the page cache, so the next sample reads its
 * binary, image or module from disk (the scenario's drop_caches). Root only. */
static int run_drop_caches(void)
{
    sync();
    FILE *file = fopen("/proc/sys/vm/drop_caches", "w");
    if (!file) return -1;
    int written = fputs("3\n", file) >= 0;
    return fclose(file) == 0 && written ? 0 : -1;
}

/* Takes one sample and records it. Returns false when the run was cancelled during it
 * (that sample is not recorded: it did not end by itself). */
static bool run_take_sample(run_target *rt, const scenario *s, bool warmup, progress *bar)
{
    target_outcome outcome;
    memset(&outcome, 0, sizeof outcome);
    wasmvs_error err = {{0}};
    if (s->drop_caches) run_drop_caches(); /* checked writable before the first sample */
    if (rt->target->ops->run_once(rt->target, &s->invocation, s->timeout_s, &outcome, &err) != 0) {
        if (cancel_requested()) return false;
        progress_clear(bar);
        run_show_failure(rt, err.message, NULL, NULL);
        results_add_sample(rt->entry, warmup, false, err.message, NULL, NULL, NULL);
        return true;
    }
    if (outcome.cancelled || cancel_requested()) {
        target_outcome_free(&outcome);
        return false;
    }
    char why[600];
    bool ok = false;
    if (!outcome.exited)
        snprintf(why, sizeof why, "the instance did not exit normally: %s", outcome.how);
    else
        ok = workload_check(&s->invocation, outcome.exit_code, outcome.out, why, sizeof why) == 0;
    if (!ok) {
        progress_clear(bar);
        run_show_failure(rt, why, outcome.out, outcome.err);
    }
    json_t *metrics = outcome.metrics ? json_incref(outcome.metrics) : json_object();
    json_t *phases = outcome.phases ? json_incref(outcome.phases) : NULL;
    json_t *sample = results_add_sample(rt->entry, warmup, ok, ok ? NULL : why,
                                        ok ? NULL : outcome.out, metrics, phases);
    if (!ok && outcome.err && *outcome.err)
        json_object_set_new(sample, "stderr", json_string(outcome.err));
    target_outcome_free(&outcome);
    return true;
}

/* Probes and prepares one target; on failure records it as skipped with the reason. */
static void run_open_target(json_t *doc, const scenario *s, const char *name, run_target *rt)
{
    memset(rt, 0, sizeof *rt);
    wasmvs_error err = {{0}};
    target *t = NULL;
    if (target_create(name, &t, &err) != 0) {
        rt->entry = results_add_target(doc, name, false, NULL, err.message, NULL);
        return;
    }
    int status = t->ops->probe(t, &err);
    if (status == 0 && cancel_requested())
        status = wasmvs_fail(&err, "interrupted before it was prepared");
    if (status == 0) {
        fprintf(stderr, "%s: preparing (%s)\n", name, t->version);
        status = t->ops->prepare(t, &s->invocation, &err);
        if (status != 0) wasmvs_wrap(&err, "prepare failed");
    }
    if (status != 0) {
        fprintf(stderr, "%s: skipped: %s\n", name, err.message);
        rt->entry = results_add_target(doc, name, false, t->version[0] ? t->version : NULL,
                                       err.message, json_deep_copy(t->details));
        target_free(t);
        return;
    }
    rt->target = t;
    rt->entry = results_add_target(doc, name, true, t->version, NULL, NULL);
    json_t *available, *missing;
    meter_perf_availability(&available, &missing);
    if (!t->counts_perf) { /* the instance runs outside our process tree (a daemon's child) */
        json_array_extend(missing, available);
        json_array_clear(available);
    }
    results_set_counters(rt->entry, available, missing);
}

static int run_execute(scenario *s, const run_options *options)
{
    /* 63 bits, so the seed recorded as a JSON integer is exactly the one used */
    uint64_t seed = (options->seed ? options->seed : (meter_clock_ns() ^ (uint64_t)time(NULL))) &
                    0x7fffffffffffffffull;
    char *commit = meter_host_git_commit();
    json_t *doc = results_new(json_incref(s->json), meter_host_facts(), commit);
    free(commit);
    json_object_set_new(
        doc, "run",
        json_pack("{s:s, s:I, s:i, s:i}", "order",
                  strcmp(s->kind, "http") == 0 || strcmp(s->kind, "serverless") == 0
                      ? "targets in turn, one server at a time"
                  : strcmp(s->kind, "density") == 0 ? "targets in turn, one sweep at a time"
                                                    : "shuffled rounds",
                  "seed", (json_int_t)seed, "warmup", s->warmup, "repetitions", s->repetitions));
    json_object_set_new(json_object_get(doc, "run"), "drop_caches", json_boolean(s->drop_caches));
    if (s->drop_caches && run_drop_caches() != 0) {
        fprintf(stderr, "wasmvs: %s: drop_caches: cannot write /proc/sys/vm/drop_caches (root "
                        "only)\n", s->file);
        json_decref(doc);
        return 2;
    }

    run_target targets[SCENARIO_MAX_TARGETS];
    for (size_t i = 0; i < s->target_count; i++)
        run_open_target(doc, s, s->targets[i], &targets[i]);

    bool http = strcmp(s->kind, "http") == 0; /* one server at a time: http.c */
    for (size_t i = 0; http && i < s->target_count && !cancel_requested(); i++)
        if (targets[i].target && http_measure_target(targets[i].target, s, targets[i].entry) > 0)
            targets[i].failures++;
    bool serverless = strcmp(s->kind, "serverless") == 0; /* a front end at a time */
    for (size_t i = 0; serverless && i < s->target_count && !cancel_requested(); i++)
        if (targets[i].target &&
            serverless_measure_target(targets[i].target, s, targets[i].entry) > 0)
            targets[i].failures++;
    bool density = strcmp(s->kind, "density") == 0; /* one sweep at a time: density.c */
    for (size_t i = 0; density && i < s->target_count && !cancel_requested(); i++) {
        wasmvs_error sweep_err = {{0}};
        if (targets[i].target &&
            density_sweep(s, targets[i].target, targets[i].entry, &sweep_err) != 0) {
            fprintf(stderr, "%s: %s\n", targets[i].target->name, sweep_err.message);
            targets[i].failures++;
        }
    }
    size_t step_count = 0;
    run_step *steps = http || density || serverless ? NULL
                                                    : run_plan(targets, s->target_count, s->warmup,
                                                               s->repetitions, seed, &step_count);
    progress bar;
    progress_start(&bar, step_count);
    for (size_t i = 0; steps && i < step_count && !cancel_requested(); i++) {
        run_target *rt = &targets[steps[i].target];
        char label[96];
        snprintf(label, sizeof label, "%s%s", rt->target->name,
                 steps[i].warmup ? " (warm-up)" : "");
        if (!run_take_sample(rt, s, steps[i].warmup, &bar)) break;
        progress_step(&bar, label);
    }
    progress_clear(&bar);
    free(steps);

    bool interrupted = cancel_requested();
    if (interrupted) fprintf(stderr, "interrupted: removing what was started\n");
    int status = 0;
    size_t available = 0;
    for (size_t i = 0; i < s->target_count; i++) {
        if (!targets[i].target) continue;
        available++;
        json_object_update(json_object_get(targets[i].entry, "details"),
                           targets[i].target->details);
        if (targets[i].failures > 0) status = 1;
        target_free(targets[i].target);
        targets[i].target = NULL;
    }
    results_finish(doc, interrupted);
    size_t i; /* an available target that ends without one good sample has failed */
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        if (!interrupted && !density && json_is_true(json_object_get(entry, "available")) &&
            json_object_size(json_object_get(entry, "summary")) == 0)
            status = 1;
    }
    if (available == 0) {
        fprintf(stderr, "wasmvs: no target of this scenario can run here\n");
        status = 1;
    }
    char path[4096];
    if (options->out)
        snprintf(path, sizeof path, "%s", options->out);
    else
        results_default_path(paths_root(), s->name, path, sizeof path);
    wasmvs_error err = {{0}};
    if (results_write(doc, path, &err) != 0) {
        fprintf(stderr, "wasmvs: %s\n", err.message);
        status = 1;
    } else {
        fprintf(stderr, "results: %s\n", path);
    }
    if (density)
        density_table_print(stdout, doc);
    else
        table_print(stdout, doc, http || serverless ? "requests_per_s" : "wall_ns");
    if (http) http_print_note(stdout, doc);
    if (serverless) serverless_print_note(stdout, doc);
    json_decref(doc);
    return interrupted ? 128 + cancel_signal() : status;
}

int run_scenario(const run_options *options)
{
    scenario s;
    wasmvs_error err = {{0}};
    if (scenario_load(options->scenario_path, &s, &err) != 0) {
        fprintf(stderr, "wasmvs: %s\n", err.message);
        return 2;
    }
    if (options->targets && scenario_set_targets(&s, options->targets, &err) != 0) {
        fprintf(stderr, "wasmvs: %s\n", err.message);
        scenario_free(&s);
        return 2;
    }
    if (options->repetitions >= 1) {
        s.repetitions = options->repetitions;
        json_object_set_new(s.json, "repetitions", json_integer(s.repetitions));
    }
    if (options->warmup >= 0) {
        s.warmup = options->warmup;
        json_object_set_new(s.json, "warmup", json_integer(s.warmup));
    }
    cancel_install();
    int status = run_execute(&s, options);
    scenario_free(&s);
    return status;
}

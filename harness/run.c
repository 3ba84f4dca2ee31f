/* run.c: the `wasmvs run` loop (see run.h). One plan (plan.h) orders the steps of every
 * scenario kind: warm-up, repetitions, shuffled rounds or targets in turn, adaptive
 * stopping. The kind (the table below) says what one step measures and what opens and
 * closes a target around its steps. */
#include "run.h"

#include <math.h>
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
#include "plan.h"
#include "progress.h"
#include "results.h"
#include "scenario.h"
#include "serverless.h"
#include "table.h"
#include "target.h"
#include "validity.h"

typedef struct run_target {
    target *target;  /* NULL when unavailable */
    json_t *entry;   /* the target's entry in the results document */
    size_t failures; /* failed steps so far, to keep stderr short and set the exit status */
    bool opened;     /* the kind's open succeeded and its close has not run yet */
    void *session;   /* the kind's state between open and close (http: the server's
                        session; serverless: the front end's) */
} run_target;

typedef enum run_step_status {
    RUN_STEP_GOOD,
    RUN_STEP_FAILED,    /* recorded; the target goes on */
    RUN_STEP_ENDED,     /* recorded; the target can take no more steps */
    RUN_STEP_CANCELLED, /* the run was interrupted during the step */
} run_step_status;

/* A scenario kind: what one step of one target measures. */
typedef struct run_kind {
    const char *name;
    const char *metric; /* the figure of one step: adaptive stopping and the table watch it */
    bool repeats;       /* false: one step per target (no warm-up, repetitions, stop rule) */
    bool noise_probe;   /* the `noop` probe takes part in the rounds */
    bool (*in_turn)(const scenario *s); /* NULL: interleaved rounds */
    /* Before the target's first step; 0, else a failure (recorded, the target is done),
     * or -1 when interrupted. NULL: nothing to open. */
    int (*open)(run_target *rt, scenario *s);
    run_step_status (*step)(run_target *rt, scenario *s, bool warmup, progress *bar);
    /* After its last step (also after an interruption); NULL: nothing to close. */
    void (*close)(run_target *rt, scenario *s);
    void (*print)(FILE *out, json_t *doc);
} run_kind;

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

/* ---- oneshot: one cold instance run to its exit ---- */

/* Whether the sample answered as it must: the workload's expected output, or for the
 * noop probe exit status 0 and nothing written. */
static bool run_sample_good(const target *t, const scenario *s, const target_outcome *outcome,
                            char *why, size_t size)
{
    if (!outcome->exited) {
        snprintf(why, size, "the instance did not exit normally: %s", outcome->how);
        return false;
    }
    if (t->runs_workload)
        return workload_check(&s->invocation, outcome->exit_code, outcome->out, why, size) == 0;
    if (outcome->exit_code == 0 && (!outcome->out || !*outcome->out)) return true;
    snprintf(why, size, "expected exit status 0 and no output from the empty binary, found %d",
             outcome->exit_code);
    return false;
}

static run_step_status run_oneshot_step(run_target *rt, scenario *s, bool warmup, progress *bar)
{
    target_outcome outcome;
    memset(&outcome, 0, sizeof outcome);
    wasmvs_error err = {{0}};
    if (s->drop_caches) run_drop_caches(); /* checked writable before the first sample */
    if (rt->target->ops->run_once(rt->target, &s->invocation, s->timeout_s, &outcome, &err) != 0) {
        if (cancel_requested()) return RUN_STEP_CANCELLED;
        progress_clear(bar);
        run_show_failure(rt, err.message, NULL, NULL);
        results_add_sample(rt->entry, warmup, false, err.message, NULL, NULL, NULL);
        return RUN_STEP_FAILED;
    }
    if (outcome.cancelled || cancel_requested()) { /* it did not end by itself: not kept */
        target_outcome_free(&outcome);
        return RUN_STEP_CANCELLED;
    }
    char why[600];
    bool ok = run_sample_good(rt->target, s, &outcome, why, sizeof why);
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
    return ok ? RUN_STEP_GOOD : RUN_STEP_FAILED;
}

static void run_oneshot_print(FILE *out, json_t *doc)
{
    table_print(out, doc, "wall_ns");
}

/* ---- http: a server per target under load; serverless: a front end per target ---- */

/* A round's result as a step: 1 good, 0 failed (the target goes on while its server
 * runs), -1 interrupted. */
static run_step_status run_round_status(run_target *rt, int good, bool server_alive)
{
    if (good < 0) return RUN_STEP_CANCELLED;
    if (good > 0) return RUN_STEP_GOOD;
    rt->failures++;
    return server_alive ? RUN_STEP_FAILED : RUN_STEP_ENDED;
}

static bool run_http_in_turn(const scenario *s)
{
    return !http_servers_side_by_side(s);
}

static int run_http_open(run_target *rt, scenario *s)
{
    http_session *session = NULL;
    int status = http_session_open(rt->target, s, rt->entry, &session);
    rt->session = session;
    return status;
}

static run_step_status run_http_step(run_target *rt, scenario *s, bool warmup, progress *bar)
{
    (void)s;
    progress_clear(bar);
    int good = http_session_round(rt->session, warmup, NULL);
    return run_round_status(rt, good, good == 0 && http_session_alive(rt->session));
}

static void run_http_close(run_target *rt, scenario *s)
{
    (void)s;
    http_session_close(rt->session);
    rt->session = NULL;
}

static void run_http_print(FILE *out, json_t *doc)
{
    table_print(out, doc, "requests_per_s");
    http_print_note(out, doc);
}

/* One front end at a time: each round's MemAvailable drop is machine-wide, and an idle
 * front end started beside it would be counted in it. */
static bool run_serverless_in_turn(const scenario *s)
{
    (void)s;
    return true;
}

static int run_serverless_open(run_target *rt, scenario *s)
{
    serverless_session *session = NULL;
    int status = serverless_session_open(rt->target, s, rt->entry, &session);
    rt->session = session;
    return status;
}

static run_step_status run_serverless_step(run_target *rt, scenario *s, bool warmup, progress *bar)
{
    (void)s;
    progress_clear(bar);
    int good = serverless_session_round(rt->session, warmup);
    return run_round_status(rt, good, good == 0 && serverless_session_alive(rt->session));
}

static void run_serverless_close(run_target *rt, scenario *s)
{
    (void)s;
    serverless_session_close(rt->session);
    rt->session = NULL;
}

static void run_serverless_print(FILE *out, json_t *doc)
{
    table_print(out, doc, "requests_per_s");
    serverless_print_note(out, doc);
}

/* ---- density: one sweep per target ---- */

static run_step_status run_density_step(run_target *rt, scenario *s, bool warmup, progress *bar)
{
    (void)warmup;
    progress_clear(bar);
    wasmvs_error err = {{0}};
    if (density_sweep(s, rt->target, rt->entry, &err) == 0)
        return cancel_requested() ? RUN_STEP_CANCELLED : RUN_STEP_GOOD;
    if (cancel_requested()) return RUN_STEP_CANCELLED;
    fprintf(stderr, "%s: %s\n", rt->target->name, err.message);
    rt->failures++;
    return RUN_STEP_ENDED;
}

static const run_kind run_kinds[] = {
    {"oneshot", "wall_ns", true, true, NULL, NULL, run_oneshot_step, NULL, run_oneshot_print},
    {"http", "requests_per_s", true, false, run_http_in_turn, run_http_open, run_http_step,
     run_http_close, run_http_print},
    {"serverless", "requests_per_s", true, false, run_serverless_in_turn, run_serverless_open,
     run_serverless_step, run_serverless_close, run_serverless_print},
    {"density", NULL, false, false, NULL, NULL, run_density_step, NULL, density_table_print},
};

static const run_kind *run_kind_of(const scenario *s)
{
    for (size_t i = 0; i < sizeof run_kinds / sizeof *run_kinds; i++)
        if (strcmp(run_kinds[i].name, s->kind) == 0) return &run_kinds[i];
    return &run_kinds[0];
}

/* ---- targets ---- */

static void run_record_counters(run_target *rt)
{
    json_t *available, *missing;
    if (!meter_perf_attaching()) { /* not asked for: rusage's page faults and switches */
        results_set_counters(rt->entry, json_array(), json_array());
        return;
    }
    meter_perf_availability(&available, &missing);
    if (!rt->target->counts_perf) { /* the instance runs outside our process tree */
        json_array_extend(missing, available);
        json_array_clear(available);
    }
    results_set_counters(rt->entry, available, missing);
}

/* Probes and prepares one target; on failure records it as skipped with the reason.
 * The noise probe (probe true) gets the document's noise_probe entry, and is left out
 * quietly when it cannot run. */
static void run_open_target(json_t *doc, const scenario *s, const char *name, bool probe,
                            run_target *rt)
{
    memset(rt, 0, sizeof *rt);
    wasmvs_error err = {{0}};
    target *t = NULL;
    if (target_create(name, &t, &err) != 0) {
        if (!probe) rt->entry = results_add_target(doc, name, false, NULL, err.message, NULL);
        return;
    }
    int status = t->ops->probe(t, &err);
    if (status == 0 && cancel_requested())
        status = wasmvs_fail(&err, "interrupted before it was prepared");
    if (status == 0) {
        if (!probe) fprintf(stderr, "%s: preparing (%s)\n", name, t->version);
        status = t->ops->prepare(t, &s->invocation, &err);
        if (status != 0) wasmvs_wrap(&err, "prepare failed");
    }
    if (status != 0) {
        fprintf(stderr, "%s: %s: %s\n", probe ? "noise probe (noop)" : name,
                probe ? "left out, no launch floor in this result" : "skipped", err.message);
        if (!probe)
            rt->entry = results_add_target(doc, name, false, t->version[0] ? t->version : NULL,
                                           err.message, json_deep_copy(t->details));
        target_free(t);
        return;
    }
    rt->target = t;
    json_object_set_new(t->details, "launched_by_harness", json_boolean(t->counts_perf));
    rt->entry = probe ? results_add_noise_probe(doc, t->version)
                      : results_add_target(doc, name, true, t->version, NULL, NULL);
    run_record_counters(rt);
}

static void run_close_target(const run_kind *kind, run_target *rt, scenario *s)
{
    if (!rt->opened) return;
    rt->opened = false;
    if (kind->close) kind->close(rt, s);
}

/* The value of the kind's metric in the sample the last step added, or NaN. */
static double run_last_value(const run_target *rt, const char *metric, size_t samples_before)
{
    json_t *samples = json_object_get(rt->entry, "samples");
    if (!metric || json_array_size(samples) <= samples_before) return NAN;
    json_t *sample = json_array_get(samples, json_array_size(samples) - 1);
    json_t *value = json_object_get(json_object_get(sample, "metrics"), metric);
    return json_is_true(json_object_get(sample, "ok")) && json_is_number(value)
               ? json_number_value(value)
               : NAN;
}

/* Takes every step the plan gives; returns the plan (for the stop reasons), or NULL. */
static plan *run_steps(const run_kind *kind, scenario *s, run_target *targets, size_t count,
                       uint64_t seed)
{
    bool active[SCENARIO_MAX_TARGETS + 1];
    for (size_t i = 0; i < count; i++)
        active[i] = targets[i].target != NULL;
    plan_options options = {.target_count = count,
                            .active = active,
                            .warmup = kind->repeats ? s->warmup : 0,
                            .repetitions = kind->repeats ? s->repetitions : 1,
                            .in_turn = kind->in_turn && kind->in_turn(s),
                            .seed = seed};
    if (kind->repeats) options.stop = s->stop;
    plan *p = plan_new(&options);
    if (!p) {
        fprintf(stderr, "wasmvs: out of memory for the run plan\n");
        return NULL;
    }
    progress bar;
    progress_start(&bar, plan_steps_expected(p));
    plan_step step;
    while (!cancel_requested() && plan_next(p, &step)) {
        run_target *rt = &targets[step.target];
        if (!rt->opened && kind->open) {
            int opened = kind->open(rt, s);
            if (opened != 0) {
                if (opened > 0) rt->failures++;
                plan_retire(p, step.target,
                            opened < 0 ? "interrupted" : "its instance did not start");
                continue;
            }
        }
        rt->opened = true;
        size_t before = json_array_size(json_object_get(rt->entry, "samples"));
        run_step_status status = kind->step(rt, s, step.warmup, &bar);
        if (status == RUN_STEP_CANCELLED) break;
        if (!step.warmup)
            plan_record(p, step.target, status == RUN_STEP_GOOD,
                        run_last_value(rt, kind->metric, before));
        if (status == RUN_STEP_ENDED) plan_retire(p, step.target, "its instance ended");
        char label[96];
        snprintf(label, sizeof label, "%s%s", rt->target->name, step.warmup ? " (warm-up)" : "");
        progress_step(&bar, label);
        if (plan_target_done(p, step.target)) run_close_target(kind, rt, s);
    }
    progress_clear(&bar);
    for (size_t i = 0; i < count; i++) {
        if (!plan_target_done(p, i)) plan_retire(p, i, "interrupted");
        run_close_target(kind, &targets[i], s);
    }
    return p;
}

static int run_execute(scenario *s, const run_options *options)
{
    const run_kind *kind = run_kind_of(s);
    /* 63 bits, so the seed recorded as a JSON integer is exactly the one used */
    uint64_t seed = (options->seed ? options->seed : (meter_clock_ns() ^ (uint64_t)time(NULL))) &
                    0x7fffffffffffffffull;
    char *commit = meter_host_git_commit();
    json_t *doc = results_new(json_incref(s->json), meter_host_facts(), commit);
    free(commit);
    bool in_turn = kind->in_turn && kind->in_turn(s);
    json_object_set_new(
        doc, "run",
        json_pack("{s:s, s:I, s:i, s:i, s:o}", "order",
                  !kind->repeats ? "one step per target, targets in shuffled order"
                  : in_turn      ? "targets in turn (shuffled), every step of one before the next"
                                 : "shuffled rounds",
                  "seed", (json_int_t)seed, "warmup", s->warmup, "repetitions", s->repetitions,
                  "stop", kind->repeats ? plan_stop_rule_json(&s->stop) : json_null()));
    json_object_set_new(json_object_get(doc, "run"), "drop_caches", json_boolean(s->drop_caches));
    json_object_set_new(json_object_get(doc, "run"), "perf_counters",
                        json_boolean(s->perf_counters));
    if (s->drop_caches && run_drop_caches() != 0) {
        fprintf(stderr,
                "wasmvs: %s: drop_caches: cannot write /proc/sys/vm/drop_caches (root "
                "only)\n",
                s->file);
        json_decref(doc);
        return 2;
    }

    meter_perf_set_attach(s->perf_counters); /* they cost the counted process time */
    validity_watch watch;
    validity_watch_begin(&watch);
    run_target targets[SCENARIO_MAX_TARGETS + 1];
    size_t count = s->target_count;
    bool probe = kind->noise_probe;
    for (size_t i = 0; i < s->target_count; i++) {
        run_open_target(doc, s, s->targets[i], false, &targets[i]);
        probe &= strcmp(s->targets[i], "noop") != 0; /* named: its samples are the floor */
    }
    if (probe) run_open_target(doc, s, "noop", true, &targets[count++]);

    plan *p = run_steps(kind, s, targets, count, seed);

    bool interrupted = cancel_requested();
    if (interrupted) fprintf(stderr, "interrupted: removing what was started\n");
    int status = p ? 0 : 1;
    size_t available = 0;
    for (size_t i = 0; i < count; i++) {
        if (!targets[i].target) continue;
        available += i < s->target_count;
        json_object_update(json_object_get(targets[i].entry, "details"),
                           targets[i].target->details);
        if (p && kind->repeats)
            json_object_set_new(targets[i].entry, "stop", plan_target_stop_json(p, i));
        if (targets[i].failures > 0 && i < s->target_count) status = 1;
        target_free(targets[i].target);
        targets[i].target = NULL;
    }
    plan_free(p);
    results_finish(doc, interrupted);
    validity_assess(doc, kind->metric, &watch);
    size_t i; /* an available target that ends without one good sample has failed */
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        if (!interrupted && kind->repeats && json_is_true(json_object_get(entry, "available")) &&
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
    kind->print(stdout, doc);
    json_decref(doc);
    meter_perf_set_attach(true);
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
    if (options->target_ci_pct > 0) {
        if (strcmp(s.kind, "density") == 0) {
            fprintf(stderr, "wasmvs: --target-ci: expected a scenario whose steps repeat "
                            "(oneshot, http, serverless), found kind \"density\" (one sweep per "
                            "target)\n");
            scenario_free(&s);
            return 2;
        }
        s.stop.ci_width_pct = options->target_ci_pct;
    }
    if (options->perf_counters) {
        s.perf_counters = true;
        json_object_set_new(s.json, "perf_counters", json_true());
    }
    if (s.stop.ci_width_pct > 0) {
        if (s.stop.max_repetitions < s.repetitions) s.stop.max_repetitions = s.repetitions;
        json_object_set_new(s.json, "stop", plan_stop_rule_json(&s.stop));
    }
    cancel_install();
    int status = run_execute(&s, options);
    scenario_free(&s);
    return status;
}

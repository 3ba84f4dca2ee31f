/* plan.h: the order in which `wasmvs run` takes its steps, the same for every scenario
 * kind; the kind decides what one step measures (run.c).
 *
 * Rounds: each round holds every target still measuring once, in a fresh random order
 * (xorshift from a recorded seed), so drift, caches and daemon state hit all targets
 * alike. The first `warmup` rounds are warm-up. Measured rounds go on until each target
 * has `repetitions` measured steps, or, with a stop rule (adaptive stopping), until the
 * 95% bootstrap interval of the median of its good values is at most `ci_width_pct` of
 * that median (checked once it has `repetitions` steps, and at least
 * PLAN_STOP_MIN_VALUES good values), or it has `max_repetitions` measured steps, or the
 * run has lasted `max_seconds`. A target that reached its bound leaves the rounds; the
 * others go on among themselves. "In turn" plans take every step of one target before
 * the next (shuffled) target, for kinds whose targets cannot run side by side. The plan
 * records why each target stopped. */
#ifndef WASMVS_PLAN_H
#define WASMVS_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAN_STOP_MIN_VALUES 5
#define PLAN_DEFAULT_MAX_REPETITIONS 200
#define PLAN_DEFAULT_MAX_SECONDS 120.0

typedef struct plan_stop_rule {
    double ci_width_pct; /* (ci_high - ci_low) / median * 100; <= 0: no adaptive stopping */
    int max_repetitions; /* measured steps per target, at most */
    double max_seconds;  /* from the first step, for the whole plan */
} plan_stop_rule;

typedef struct plan_options {
    size_t target_count;
    const bool *active; /* target_count flags: which targets take part */
    int warmup;         /* warm-up rounds */
    int repetitions;    /* measured steps per target; the minimum with a stop rule */
    plan_stop_rule stop;
    bool in_turn; /* every step of one target, then the next */
    uint64_t seed;
} plan_options;

typedef struct plan_step {
    size_t target;
    bool warmup;
} plan_step;

typedef struct plan plan;

/* NULL when out of memory. */
plan *plan_new(const plan_options *options);
void plan_free(plan *p);

/* The next step, or false when every target is done (or the plan was ended). */
bool plan_next(plan *p, plan_step *step);

/* After a measured step of target: ok and its value of the stopping metric (ignored when
 * not ok). May end the target (plan_target_done). */
void plan_record(plan *p, size_t target, bool ok, double value);

/* Ends a target early, with the reason (its instance died, the run was interrupted). */
void plan_retire(plan *p, size_t target, const char *reason);

/* Whether the target takes no more steps. */
bool plan_target_done(const plan *p, size_t target);

/* Steps the plan takes at least (or at most, with a stop rule), for a progress bar. */
size_t plan_steps_expected(const plan *p);

/* Why and when the target stopped: {"reason", "detail", "measured", "good",
 * "ci_width_pct"}; reason is one of "repetitions done", "ci within bound",
 * "max_repetitions reached", "max_seconds reached", "no good samples", or what
 * plan_retire was given. A new reference. */
json_t *plan_target_stop_json(const plan *p, size_t target);

/* The rule as recorded in results (null without adaptive stopping). */
json_t *plan_stop_rule_json(const plan_stop_rule *rule);

#endif

/* plan.c: rounds, warm-up, repetitions and adaptive stopping (see plan.h). */
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meters/clock.h"
#include "stats.h"

typedef struct plan_target {
    bool active, done;
    int warmed;       /* warm-up steps taken (in-turn plans) */
    int measured;     /* measured steps taken, good or not */
    double *values;   /* the good values, in the order taken */
    size_t good;      /* how many */
    double ci_width;  /* the last interval width checked, % of the median; NaN before */
    uint64_t started; /* clock at its first step (in-turn plans: the time cap is per target) */
    char reason[64];
    char detail[240];
} plan_target;

struct plan {
    plan_options options;
    plan_target *targets;
    uint64_t random;
    size_t *order; /* the current round, or every target in turn */
    size_t order_count, order_position;
    int round; /* of the current order, from 0 */
    uint64_t started;
    bool ended;
};

/* xorshift64: the order needs no statistical quality, only a recorded seed. */
static uint64_t plan_random(plan *p)
{
    uint64_t x = p->random;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return p->random = x;
}

static void plan_shuffle(plan *p, size_t *items, size_t count)
{
    for (size_t i = count; i > 1; i--) {
        size_t j = (size_t)(plan_random(p) % i);
        size_t swap = items[i - 1];
        items[i - 1] = items[j];
        items[j] = swap;
    }
}

static bool plan_adaptive(const plan *p)
{
    return p->options.stop.ci_width_pct > 0;
}

static int plan_max_measured(const plan *p)
{
    if (!plan_adaptive(p)) return p->options.repetitions;
    return p->options.stop.max_repetitions > p->options.repetitions
               ? p->options.stop.max_repetitions
               : p->options.repetitions;
}

plan *plan_new(const plan_options *options)
{
    plan *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->options = *options;
    p->options.active = NULL; /* copied below */
    p->targets = calloc(options->target_count + 1, sizeof *p->targets);
    p->order = calloc(options->target_count + 1, sizeof *p->order);
    if (!p->targets || !p->order) {
        plan_free(p);
        return NULL;
    }
    p->random = options->seed ? options->seed : 1;
    for (size_t i = 0; i < options->target_count; i++) {
        p->targets[i].active = options->active[i];
        p->targets[i].done = !options->active[i];
        p->targets[i].ci_width = NAN;
    }
    if (options->in_turn) {
        for (size_t i = 0; i < options->target_count; i++)
            if (p->targets[i].active) p->order[p->order_count++] = i;
        plan_shuffle(p, p->order, p->order_count);
    }
    return p;
}

void plan_free(plan *p)
{
    if (!p) return;
    for (size_t i = 0; p->targets && i < p->options.target_count; i++)
        free(p->targets[i].values);
    free(p->targets);
    free(p->order);
    free(p);
}

static void plan_finish(plan_target *t, const char *reason, const char *detail)
{
    if (t->done) return;
    t->done = true;
    snprintf(t->reason, sizeof t->reason, "%s", reason);
    snprintf(t->detail, sizeof t->detail, "%s", detail);
}

static bool plan_out_of_time(const plan *p, uint64_t since)
{
    return plan_adaptive(p) && p->options.stop.max_seconds > 0 &&
           (double)(meter_clock_ns() - since) / 1e9 >= p->options.stop.max_seconds;
}

static void plan_finish_out_of_time(plan *p, plan_target *t)
{
    char detail[240];
    snprintf(detail, sizeof detail,
             "the time cap of %g s was reached after %d measured steps; the 95%% CI of the "
             "median was %.2f%% of it (bound %g%%)",
             p->options.stop.max_seconds, t->measured, t->ci_width, p->options.stop.ci_width_pct);
    plan_finish(t, "max_seconds reached", detail);
}

/* Interleaved rounds: a new round of every target still measuring, shuffled. */
static bool plan_new_round(plan *p)
{
    if (p->round > 0 || p->order_count > 0) p->round++;
    bool measuring = p->round >= p->options.warmup;
    p->order_count = p->order_position = 0;
    for (size_t i = 0; i < p->options.target_count; i++) {
        plan_target *t = &p->targets[i];
        if (t->done) continue;
        if (measuring && plan_out_of_time(p, p->started)) {
            plan_finish_out_of_time(p, t);
            continue;
        }
        p->order[p->order_count++] = i;
    }
    plan_shuffle(p, p->order, p->order_count);
    return p->order_count > 0;
}

static bool plan_next_interleaved(plan *p, plan_step *step)
{
    for (;;) {
        while (p->order_position < p->order_count) {
            size_t i = p->order[p->order_position++];
            if (p->targets[i].done) continue; /* retired during this round */
            *step = (plan_step){i, p->round < p->options.warmup};
            return true;
        }
        if (!plan_new_round(p)) return false;
    }
}

static bool plan_next_in_turn(plan *p, plan_step *step)
{
    while (p->order_position < p->order_count) {
        size_t i = p->order[p->order_position];
        plan_target *t = &p->targets[i];
        if (!t->done && t->warmed == 0 && t->measured == 0) t->started = meter_clock_ns();
        if (!t->done && t->warmed >= p->options.warmup && plan_out_of_time(p, t->started))
            plan_finish_out_of_time(p, t);
        if (t->done) {
            p->order_position++;
            continue;
        }
        bool warmup = t->warmed < p->options.warmup;
        if (warmup) t->warmed++;
        *step = (plan_step){i, warmup};
        return true;
    }
    return false;
}

bool plan_next(plan *p, plan_step *step)
{
    if (p->ended) return false;
    if (!p->started) p->started = meter_clock_ns();
    bool more = p->options.in_turn ? plan_next_in_turn(p, step) : plan_next_interleaved(p, step);
    if (!more) p->ended = true;
    return more;
}

/* Adaptive stopping: whether the median's interval is narrow enough now. */
static void plan_check_interval(plan *p, plan_target *t)
{
    stats_summary s;
    stats_summarize(t->values, t->good, STATS_DEFAULT_SEED, &s);
    t->ci_width = s.median != 0 ? (s.ci_high - s.ci_low) / fabs(s.median) * 100.0 : NAN;
    if (!(t->ci_width <= p->options.stop.ci_width_pct)) return;
    char detail[240];
    snprintf(detail, sizeof detail,
             "the 95%% CI of the median was %.2f%% of it after %d measured steps (bound %g%%)",
             t->ci_width, t->measured, p->options.stop.ci_width_pct);
    plan_finish(t, "ci within bound", detail);
}

void plan_record(plan *p, size_t target, bool ok, double value)
{
    if (target >= p->options.target_count) return;
    plan_target *t = &p->targets[target];
    t->measured++;
    if (ok && isfinite(value)) {
        double *grown = realloc(t->values, (t->good + 1) * sizeof *grown);
        if (grown) {
            t->values = grown;
            t->values[t->good++] = value;
        }
    }
    char detail[240];
    if (!plan_adaptive(p)) {
        if (t->measured >= p->options.repetitions) {
            snprintf(detail, sizeof detail, "%d measured steps, as the scenario asks", t->measured);
            plan_finish(t, "repetitions done", detail);
        }
        return;
    }
    if (t->measured < p->options.repetitions) return;
    if (t->good == 0) {
        snprintf(detail, sizeof detail, "none of the first %d measured steps was good",
                 t->measured);
        plan_finish(t, "no good samples", detail);
        return;
    }
    if (t->good >= PLAN_STOP_MIN_VALUES) plan_check_interval(p, t);
    if (!t->done && t->measured >= plan_max_measured(p)) {
        snprintf(detail, sizeof detail,
                 "%d measured steps, the cap; the 95%% CI of the median was %.2f%% of it "
                 "(bound %g%%)",
                 t->measured, t->ci_width, p->options.stop.ci_width_pct);
        plan_finish(t, "max_repetitions reached", detail);
    }
}

void plan_retire(plan *p, size_t target, const char *reason)
{
    if (target >= p->options.target_count) return;
    char detail[240];
    snprintf(detail, sizeof detail, "after %d measured steps", p->targets[target].measured);
    plan_finish(&p->targets[target], reason, detail);
}

bool plan_target_done(const plan *p, size_t target)
{
    return target >= p->options.target_count || p->targets[target].done;
}

size_t plan_steps_expected(const plan *p)
{
    size_t active = 0;
    for (size_t i = 0; i < p->options.target_count; i++)
        active += p->targets[i].active;
    return active * (size_t)(p->options.warmup + plan_max_measured(p));
}

json_t *plan_target_stop_json(const plan *p, size_t target)
{
    if (target >= p->options.target_count) return json_null();
    const plan_target *t = &p->targets[target];
    return json_pack("{s:s, s:s, s:i, s:I, s:o}", "reason",
                     t->reason[0] ? t->reason : "not finished", "detail", t->detail, "measured",
                     t->measured, "good", (json_int_t)t->good, "ci_width_pct",
                     isfinite(t->ci_width) ? json_real(t->ci_width) : json_null());
}

json_t *plan_stop_rule_json(const plan_stop_rule *rule)
{
    if (rule->ci_width_pct <= 0) return json_null();
    return json_pack("{s:f, s:i, s:f}", "ci_width_pct", rule->ci_width_pct, "max_repetitions",
                     rule->max_repetitions, "max_seconds", rule->max_seconds);
}

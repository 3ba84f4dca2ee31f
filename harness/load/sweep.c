/* sweep.c: the open-loop rate sweep. Raises the offered rate geometrically until a
 * step breaks (p99 over the bound, errors, a backlog, or less than 95% of the rate
 * answered), then bisects between the last rate that held and the first that broke.
 * The answer is the highest rate that held: the server's sustainable throughput under
 * that latency bound. At most LOAD_SWEEP_MAX_STEPS runs, so the sweep ends by itself. */
#include "load.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The part of the asked rate that must be answered for a step to hold. */
#define SWEEP_MIN_ANSWERED 0.95

static int sweep_judge(const load_sweep_options *o, load_sweep_step *step)
{
    const load_result *r = &step->result;
    uint64_t errors = load_errors_total(&r->errors);
    double answered = r->requests_per_s / step->rate_per_s;
    if (errors)
        snprintf(step->verdict, sizeof step->verdict, "broke: %llu errors",
                 (unsigned long long)errors);
    else if (r->unsent)
        snprintf(step->verdict, sizeof step->verdict, "broke: %llu requests never sent (backlog)",
                 (unsigned long long)r->unsent);
    else if (r->latency.p99_ns > o->p99_bound_ns)
        snprintf(step->verdict, sizeof step->verdict, "broke: p99 %.3f ms > bound %.3f ms",
                 (double)r->latency.p99_ns / 1e6, (double)o->p99_bound_ns / 1e6);
    else if (answered < SWEEP_MIN_ANSWERED)
        snprintf(step->verdict, sizeof step->verdict, "broke: answered %.0f/s of %.0f/s asked",
                 r->requests_per_s, step->rate_per_s);
    else {
        snprintf(step->verdict, sizeof step->verdict, "held: p99 %.3f ms <= %.3f ms, %.0f/s",
                 (double)r->latency.p99_ns / 1e6, (double)o->p99_bound_ns / 1e6, r->requests_per_s);
        return 1;
    }
    return 0;
}

static int sweep_step(const load_sweep_options *o, load_sweep_result *out, double rate,
                      wasmvs_error *err)
{
    load_sweep_step *step = &out->steps[out->step_count];
    memset(step, 0, sizeof *step);
    step->rate_per_s = rate;
    load_open_options run = o->run;
    run.rate_per_s = rate;
    if (load_open_run(&run, &step->result, err) < 0)
        return wasmvs_wrap(err, "sweep step %d at %.0f/s", out->step_count + 1, rate);
    out->step_count++;
    step->sustained = sweep_judge(o, step);
    if (step->sustained && rate > out->max_sustained_rate_per_s)
        out->max_sustained_rate_per_s = rate;
    if (!step->sustained &&
        (out->first_broken_rate_per_s == 0 || rate < out->first_broken_rate_per_s))
        out->first_broken_rate_per_s = rate;
    return step->sustained;
}

int load_sweep_run(const load_sweep_options *o, load_sweep_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(o->start_rate_per_s > 0) || !(o->max_rate_per_s >= o->start_rate_per_s) ||
        !(o->growth > 1.0) || o->refine_steps < 0 || o->p99_bound_ns == 0)
        return wasmvs_fail(err,
                           "sweep: expected 0 < start rate <= max rate, growth > 1, refine "
                           "steps >= 0 and a p99 bound > 0, found %g, %g, %g, %d, %llu ns",
                           o->start_rate_per_s, o->max_rate_per_s, o->growth, o->refine_steps,
                           (unsigned long long)o->p99_bound_ns);
    double rate = o->start_rate_per_s;
    for (;;) {
        if (out->step_count == LOAD_SWEEP_MAX_STEPS) return 0;
        int held = sweep_step(o, out, rate, err);
        if (held < 0) return -1;
        if (!held || rate >= o->max_rate_per_s) break;
        rate = fmin(rate * o->growth, o->max_rate_per_s);
    }
    for (int i = 0; i < o->refine_steps && out->first_broken_rate_per_s > 0 &&
                    out->max_sustained_rate_per_s > 0 && out->step_count < LOAD_SWEEP_MAX_STEPS;
         i++) {
        double mid = sqrt(out->max_sustained_rate_per_s * out->first_broken_rate_per_s);
        if (mid - out->max_sustained_rate_per_s < 0.01 * out->max_sustained_rate_per_s) break;
        if (sweep_step(o, out, mid, err) < 0) return -1;
    }
    return 0;
}

void load_sweep_free(load_sweep_result *r)
{
    for (int i = 0; i < r->step_count; i++)
        load_result_free(&r->steps[i].result);
}

json_t *load_sweep_to_json(const load_sweep_result *r, const load_sweep_options *o)
{
    json_t *steps = json_array();
    for (int i = 0; i < r->step_count; i++) {
        const load_sweep_step *s = &r->steps[i];
        json_t *result = load_result_to_json(&s->result);
        json_object_set_new(result, "sustained", json_boolean(s->sustained));
        json_object_set_new(result, "verdict", json_string(s->verdict));
        json_array_append_new(steps, result);
    }
    return json_pack("{s:I, s:f, s:f, s:o}", "p99_bound_ns", (json_int_t)o->p99_bound_ns,
                     "max_sustained_rate_per_s", r->max_sustained_rate_per_s,
                     "first_broken_rate_per_s", r->first_broken_rate_per_s, "steps", steps);
}

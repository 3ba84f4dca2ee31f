/* test_plan.c: the run plan (plan.h) as `wasmvs run` drives it: shuffled rounds with
 * warm-up first, the same order for the same seed, targets in turn, adaptive stopping
 * by the width of the median's interval with its caps, and a target retired mid-run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "../plan.h"

static const bool all_three[] = {true, true, true};

static plan *make_plan(int warmup, int repetitions, double ci_width_pct, int max_repetitions,
                       bool in_turn, uint64_t seed)
{
    plan_options o = {.target_count = 3,
                      .active = all_three,
                      .warmup = warmup,
                      .repetitions = repetitions,
                      .stop = {ci_width_pct, max_repetitions, 600},
                      .in_turn = in_turn,
                      .seed = seed};
    plan *p = plan_new(&o);
    assert_non_null(p);
    return p;
}

/* Takes every step, recording value(target, step) as a good value; returns the count. */
static size_t drive(plan *p, plan_step *taken, size_t capacity, double (*value)(size_t, int))
{
    size_t count = 0;
    int measured[3] = {0};
    plan_step step;
    while (plan_next(p, &step)) {
        assert_true(count < capacity);
        taken[count++] = step;
        if (!step.warmup)
            plan_record(p, step.target, true, value(step.target, measured[step.target]++));
    }
    return count;
}

static double constant_value(size_t target, int step)
{
    (void)step;
    return 1000.0 * (double)(target + 1);
}

static void fixed_plan_runs_warmup_then_shuffled_rounds_of_every_target(void **state)
{
    (void)state;
    plan *p = make_plan(1, 2, 0, 0, false, 42);
    assert_int_equal(plan_steps_expected(p), 9);
    plan_step steps[16];
    assert_int_equal(drive(p, steps, 16, constant_value), 9);
    for (size_t round = 0; round < 3; round++) {
        bool seen[3] = {false, false, false};
        for (size_t i = 0; i < 3; i++) {
            assert_int_equal(steps[round * 3 + i].warmup, round == 0);
            seen[steps[round * 3 + i].target] = true;
        }
        assert_true(seen[0] && seen[1] && seen[2]); /* each target once per round */
    }
    json_t *stop = plan_target_stop_json(p, 1);
    assert_string_equal(json_string_value(json_object_get(stop, "reason")), "repetitions done");
    assert_int_equal(json_integer_value(json_object_get(stop, "measured")), 2);
    json_decref(stop);
    plan_free(p);
}

static void same_seed_gives_the_same_order(void **state)
{
    (void)state;
    plan_step a[64], b[64], c[64];
    plan *first = make_plan(0, 20, 0, 0, false, 7), *again = make_plan(0, 20, 0, 0, false, 7);
    plan *other = make_plan(0, 20, 0, 0, false, 8);
    size_t n = drive(first, a, 64, constant_value);
    assert_int_equal(drive(again, b, 64, constant_value), n);
    assert_int_equal(drive(other, c, 64, constant_value), n);
    assert_memory_equal(a, b, n * sizeof *a);
    assert_memory_not_equal(a, c, n * sizeof *a);
    plan_free(first);
    plan_free(again);
    plan_free(other);
}

static void in_turn_plan_takes_every_step_of_one_target_before_the_next(void **state)
{
    (void)state;
    plan *p = make_plan(1, 3, 0, 0, true, 3);
    plan_step steps[16];
    assert_int_equal(drive(p, steps, 16, constant_value), 12);
    for (size_t block = 0; block < 3; block++)
        for (size_t i = 0; i < 4; i++) {
            assert_int_equal(steps[block * 4 + i].target, steps[block * 4].target);
            assert_int_equal(steps[block * 4 + i].warmup, i == 0);
        }
    plan_free(p);
}

/* target 0 is steady, target 1 jumps between 1 and 2, target 2 between 100 and 101. */
static double mixed_value(size_t target, int step)
{
    if (target == 0) return 500.0;
    if (target == 1) return step % 2 ? 2.0 : 1.0;
    return step % 2 ? 101.0 : 100.0;
}

static void adaptive_plan_stops_each_target_at_its_bound_or_the_cap(void **state)
{
    (void)state;
    plan *p = make_plan(0, 3, 2.0, 40, false, 11);
    assert_int_equal(plan_steps_expected(p), 120);
    plan_step steps[200];
    size_t n = drive(p, steps, 200, mixed_value);
    size_t per_target[3] = {0};
    for (size_t i = 0; i < n; i++)
        per_target[steps[i].target]++;
    /* steady: stops once it has the minimum of good values for an interval */
    assert_int_equal(per_target[0], PLAN_STOP_MIN_VALUES);
    json_t *stop = plan_target_stop_json(p, 0);
    assert_string_equal(json_string_value(json_object_get(stop, "reason")), "ci within bound");
    assert_true(json_real_value(json_object_get(stop, "ci_width_pct")) == 0.0);
    json_decref(stop);
    /* a 100% spread never narrows to 2%: the cap */
    assert_int_equal(per_target[1], 40);
    stop = plan_target_stop_json(p, 1);
    assert_string_equal(json_string_value(json_object_get(stop, "reason")),
                        "max_repetitions reached");
    assert_true(json_real_value(json_object_get(stop, "ci_width_pct")) > 2.0);
    json_decref(stop);
    /* a 1% spread: within 2% */
    assert_true(per_target[2] >= PLAN_STOP_MIN_VALUES && per_target[2] < 40);
    plan_free(p);
}

static void adaptive_plan_gives_up_on_a_target_without_good_samples(void **state)
{
    (void)state;
    plan *p = make_plan(0, 4, 2.0, 100, false, 5);
    plan_step step;
    size_t failing = 0;
    while (plan_next(p, &step)) {
        if (step.target == 2) failing++;
        plan_record(p, step.target, step.target != 2, 10.0);
    }
    assert_int_equal(failing, 4);
    json_t *stop = plan_target_stop_json(p, 2);
    assert_string_equal(json_string_value(json_object_get(stop, "reason")), "no good samples");
    assert_int_equal(json_integer_value(json_object_get(stop, "good")), 0);
    json_decref(stop);
    plan_free(p);
}

static void adaptive_plan_stops_at_the_time_cap(void **state)
{
    (void)state;
    plan_options o = {.target_count = 3,
                      .active = all_three,
                      .repetitions = 1,
                      .stop = {0.001, 100000, 0.05},
                      .seed = 9};
    plan *p = plan_new(&o);
    plan_step step;
    int measured = 0;
    while (plan_next(p, &step)) {
        plan_record(p, step.target, true, measured++ % 2 ? 1.0 : 3.0);
        struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    assert_true(measured < 200);
    json_t *stop = plan_target_stop_json(p, 0);
    assert_string_equal(json_string_value(json_object_get(stop, "reason")), "max_seconds reached");
    json_decref(stop);
    plan_free(p);
}

static void retired_target_takes_no_more_steps(void **state)
{
    (void)state;
    plan *p = make_plan(0, 5, 0, 0, false, 13);
    plan_step step;
    size_t after = 0, total = 0;
    bool retired = false;
    while (plan_next(p, &step)) {
        total++;
        if (retired && step.target == 1) after++;
        plan_record(p, step.target, true, 1.0);
        if (step.target == 1 && !retired) {
            plan_retire(p, 1, "the server ended");
            retired = true;
        }
    }
    assert_int_equal(after, 0);
    assert_int_equal(total, 11); /* 5 + 5 + the one step before retiring */
    assert_true(plan_target_done(p, 1));
    json_t *stop = plan_target_stop_json(p, 1);
    assert_string_equal(json_string_value(json_object_get(stop, "reason")), "the server ended");
    json_decref(stop);
    plan_free(p);
}

static void inactive_target_is_never_planned(void **state)
{
    (void)state;
    const bool some[] = {true, false, true};
    plan_options o = {.target_count = 3, .active = some, .warmup = 1, .repetitions = 2, .seed = 1};
    plan *p = plan_new(&o);
    assert_int_equal(plan_steps_expected(p), 6);
    plan_step step;
    while (plan_next(p, &step)) {
        assert_int_not_equal(step.target, 1);
        if (!step.warmup) plan_record(p, step.target, true, 1.0);
    }
    assert_null(json_object_get(plan_stop_rule_json(&o.stop), "ci_width_pct"));
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_plan_runs_warmup_then_shuffled_rounds_of_every_target),
        cmocka_unit_test(same_seed_gives_the_same_order),
        cmocka_unit_test(in_turn_plan_takes_every_step_of_one_target_before_the_next),
        cmocka_unit_test(adaptive_plan_stops_each_target_at_its_bound_or_the_cap),
        cmocka_unit_test(adaptive_plan_gives_up_on_a_target_without_good_samples),
        cmocka_unit_test(adaptive_plan_stops_at_the_time_cap),
        cmocka_unit_test(retired_target_takes_no_more_steps),
        cmocka_unit_test(inactive_target_is_never_planned),
    };
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}

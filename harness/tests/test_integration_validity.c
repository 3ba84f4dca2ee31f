/* test_integration_validity.c: whole `wasmvs run`s of hello on native targets, checked
 * for what makes a result trustworthy: adaptive stopping records why each target
 * stopped and takes no more samples than needed, every one-shot result carries its
 * validity checks and the noise floor measured by the noop probe beside the targets,
 * `noop` named as a target is judged by its exit status and is then the floor, and perf
 * counters (which cost the counted process time) are attached only when asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../results.h"
#include "../run.h"

#define SCENARIO_PATH "/tmp/wasmvs-vtest-scenario.json"
#define RESULTS_PATH "/tmp/wasmvs-vtest-results.json"

static void write_scenario(const char *targets, int repetitions, const char *stop)
{
    FILE *f = fopen(SCENARIO_PATH, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"name\": \"vtest\", \"workload\": \"hello\", \"targets\": [%s], \"warmup\": 1, "
            "\"repetitions\": %d, \"timeout_s\": 30%s%s}\n",
            targets, repetitions, stop ? ", \"stop\": " : "", stop ? stop : "");
    fclose(f);
}

static json_t *run_with(double target_ci_pct, bool perf_counters)
{
    run_options options = {.scenario_path = SCENARIO_PATH,
                           .repetitions = -1,
                           .warmup = -1,
                           .out = RESULTS_PATH,
                           .seed = 5,
                           .target_ci_pct = target_ci_pct,
                           .perf_counters = perf_counters};
    assert_int_equal(run_scenario(&options), 0);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    if (results_load(RESULTS_PATH, &doc, &err) != 0) fail_msg("%s", err.message);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
    return doc;
}

static json_t *run_and_load(double target_ci_pct)
{
    return run_with(target_ci_pct, false);
}

static double number_at(json_t *object, const char *a, const char *b)
{
    json_t *value = json_object_get(json_object_get(object, a), b);
    if (!json_is_number(value)) fail_msg("%s.%s: expected a number", a, b);
    return json_number_value(value);
}

/* A 100% bound is met long before the cap (at the minimum of 5 on a quiet machine, a
 * few more on a busy one); a 0.01% bound never is, so the cap ends the target; both say
 * so, and the summary counts what the stop counted. */
static void adaptive_run_records_why_each_target_stopped(void **state)
{
    (void)state;
    write_scenario("\"native\"", 5,
                   "{\"ci_width_pct\": 100, \"max_repetitions\": 40, \"max_seconds\": 60}");
    json_t *doc = run_and_load(0);
    json_t *native = results_find_target(doc, "native");
    json_t *stop = json_object_get(native, "stop");
    const char *reason = json_string_value(json_object_get(stop, "reason"));
    printf("  100%% bound: %s: %s\n", reason, json_string_value(json_object_get(stop, "detail")));
    assert_string_equal(reason, "ci within bound");
    json_int_t measured = json_integer_value(json_object_get(stop, "measured"));
    assert_true(measured >= 5 && measured < 40);
    assert_true(json_real_value(json_object_get(stop, "ci_width_pct")) <= 100);
    assert_int_equal(number_at(json_object_get(native, "summary"), "wall_ns", "n"), measured);
    assert_true(number_at(json_object_get(doc, "run"), "stop", "ci_width_pct") == 100);
    json_decref(doc);

    write_scenario("\"native\"", 5, NULL);
    doc = run_and_load(0.01); /* --target-ci 0.01, caps from the defaults */
    native = results_find_target(doc, "native");
    stop = json_object_get(native, "stop");
    reason = json_string_value(json_object_get(stop, "reason"));
    printf("  0.01%% bound: %s: %s\n", reason, json_string_value(json_object_get(stop, "detail")));
    assert_true(strcmp(reason, "max_repetitions reached") == 0 ||
                strcmp(reason, "max_seconds reached") == 0);
    assert_true(json_integer_value(json_object_get(stop, "measured")) > 5);
    assert_true(json_real_value(json_object_get(stop, "ci_width_pct")) > 0.01);
    json_decref(doc);
}

static void oneshot_result_carries_validity_and_the_noise_floor(void **state)
{
    (void)state;
    write_scenario("\"native\", \"native-clang\"", 12, NULL);
    json_t *doc = run_and_load(0);
    /* the probe: the empty binary launched in every round, kept apart from the targets */
    json_t *probe = json_object_get(doc, "noise_probe");
    assert_int_equal(json_array_size(json_object_get(probe, "samples")), 13); /* 1 warm-up */
    assert_null(results_find_target(doc, "noop"));
    json_t *validity = json_object_get(doc, "validity");
    json_t *launch = json_object_get(json_object_get(validity, "noise_floor"), "launch");
    double floor = number_at(json_object_get(validity, "noise_floor"), "launch", "median_ns");
    assert_true(floor > 0);
    assert_true(number_at(json_object_get(validity, "noise_floor"), "clock", "read_ns") >= 0);
    assert_string_equal(json_string_value(json_object_get(launch, "from")), "noise_probe");
    assert_true(json_is_array(json_object_get(validity, "warnings")));
    assert_non_null(json_object_get(json_object_get(validity, "machine"), "cpu_busy_pct"));
    json_t *clang = results_find_target(doc, "native-clang");
    json_t *checks = json_object_get(clang, "validity");
    assert_string_equal(json_string_value(json_object_get(checks, "metric")), "wall_ns");
    assert_int_equal(json_integer_value(json_object_get(checks, "n")), 12);
    assert_true(json_real_value(json_object_get(checks, "cv")) > 0);
    assert_true(json_is_number(json_object_get(checks, "lag1_autocorrelation")));
    assert_true(number_at(checks, "trend", "p_value") >= 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(checks, "noise_floor"), "kind")),
        "launch");
    assert_true(json_is_boolean(json_object_get(checks, "below_noise_floor")));
    assert_true(json_is_boolean(json_object_get(checks, "ratio_ci_crosses_1")));
    printf("  floor %.1f us; native-clang CV %.3f, lag-1 r %.2f, %zu warnings\n", floor / 1e3,
           json_real_value(json_object_get(checks, "cv")),
           json_real_value(json_object_get(checks, "lag1_autocorrelation")),
           json_array_size(json_object_get(checks, "warnings")));
    json_decref(doc);
}

static void noop_named_as_a_target_is_the_floor(void **state)
{
    (void)state;
    write_scenario("\"native\", \"noop\"", 5, NULL);
    json_t *doc = run_and_load(0);
    json_t *noop = results_find_target(doc, "noop");
    assert_int_equal(number_at(json_object_get(noop, "summary"), "wall_ns", "n"), 5);
    assert_null(json_object_get(doc, "noise_probe"));
    json_t *launch =
        json_object_get(json_object_get(json_object_get(doc, "validity"), "noise_floor"), "launch");
    assert_string_equal(json_string_value(json_object_get(launch, "from")), "targets");
    assert_true(json_real_value(json_object_get(launch, "median_ns")) ==
                number_at(json_object_get(noop, "summary"), "wall_ns", "median"));
    json_decref(doc);
}

/* Without perf counters a sample's page faults and context switches come from rusage;
 * with them, the counters' own figures and task-clock, and the run says which. */
static void perf_counters_attach_only_when_asked(void **state)
{
    (void)state;
    write_scenario("\"native\"", 3, NULL);
    json_t *doc = run_with(0, false);
    json_t *native = results_find_target(doc, "native");
    json_t *metrics =
        json_object_get(json_array_get(json_object_get(native, "samples"), 1), "metrics");
    assert_true(json_integer_value(json_object_get(metrics, "page_faults")) > 0);
    assert_true(json_is_integer(json_object_get(metrics, "context_switches")));
    assert_null(json_object_get(metrics, "task_clock_ns"));
    assert_int_equal(json_array_size(json_object_get(native, "counters_available")), 0);
    assert_false(json_is_true(json_object_get(json_object_get(doc, "run"), "perf_counters")));
    json_decref(doc);

    write_scenario("\"native\"", 3, NULL);
    doc = run_with(0, true);
    native = results_find_target(doc, "native");
    metrics = json_object_get(json_array_get(json_object_get(native, "samples"), 1), "metrics");
    assert_true(json_integer_value(json_object_get(metrics, "task_clock_ns")) > 0);
    assert_true(json_array_size(json_object_get(native, "counters_available")) > 0);
    assert_true(json_is_true(json_object_get(json_object_get(doc, "run"), "perf_counters")));
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adaptive_run_records_why_each_target_stopped),
        cmocka_unit_test(oneshot_result_carries_validity_and_the_noise_floor),
        cmocka_unit_test(noop_named_as_a_target_is_the_floor),
        cmocka_unit_test(perf_counters_attach_only_when_asked),
    };
    return cmocka_run_group_tests_name("validity", tests, NULL, NULL);
}

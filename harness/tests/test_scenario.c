/* test_scenario.c: the scenario parser accepts the shipped scenarios and rejects each
 * kind of broken file with a message naming the file, the field, what was expected and
 * what was found. Also the workloads' expected answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../scenario.h"

/* Parses text as the file "t.json" and, when expected_fragments are given, checks the
 * parse fails with each fragment in the message. */
static void expect_error(const char *text, const char *fragment1, const char *fragment2)
{
    json_error_t parse_error;
    json_t *doc = json_loads(text, 0, &parse_error);
    assert_non_null(doc);
    scenario s;
    wasmvs_error err = {{0}};
    int status = scenario_from_json("t.json", doc, &s, &err);
    json_decref(doc);
    if (status == 0) scenario_free(&s);
    assert_int_equal(status, -1);
    if (!strstr(err.message, "t.json") || !strstr(err.message, fragment1) ||
        (fragment2 && !strstr(err.message, fragment2)))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.message, fragment1,
                 fragment2 ? fragment2 : "");
}

#define VALID_TAIL "\"targets\": [\"native\"], \"repetitions\": 3"

static void shipped_scenarios_parse(void **state)
{
    (void)state;
    const char *files[] = {"scenarios/cold-start.json", "scenarios/fib.json",
                           "scenarios/quick.json"};
    for (size_t i = 0; i < 3; i++) {
        scenario s;
        wasmvs_error err = {{0}};
        if (scenario_load(files[i], &s, &err) != 0) fail_msg("%s", err.message);
        assert_true(s.target_count >= 3);
        assert_string_equal(s.kind, "oneshot");
        assert_non_null(s.invocation.expected_stdout);
        scenario_free(&s);
    }
}

static void defaults_and_expected_answers(void **state)
{
    (void)state;
    json_t *doc = json_loads(
        "{\"name\": \"f\", \"workload\": \"fib\", \"parameters\": {\"n\": 40}, " VALID_TAIL "}", 0,
        NULL);
    scenario s;
    wasmvs_error err = {{0}};
    assert_int_equal(scenario_from_json("t.json", doc, &s, &err), 0);
    json_decref(doc);
    assert_int_equal(s.warmup, 1);
    assert_int_equal(s.repetitions, 3);
    assert_true(s.timeout_s == 60.0);
    assert_string_equal(s.invocation.args[0], "40");
    assert_string_equal(s.invocation.expected_stdout, "102334155\n");
    assert_string_equal(json_string_value(json_object_get(s.json, "file")), "t.json");
    scenario_free(&s);

    doc = json_loads("{\"name\": \"h\", \"workload\": \"hello\", " VALID_TAIL "}", 0, NULL);
    assert_int_equal(scenario_from_json("t.json", doc, &s, &err), 0);
    json_decref(doc);
    assert_string_equal(s.invocation.stdin_data, "{\"name\":\"wasmvs\",\"n\":41}\n");
    assert_string_equal(s.invocation.expected_stdout,
                        "{\"greeting\":\"hello, wasmvs\",\"n\":42,\"length\":6}\n");
    char why[256];
    assert_int_equal(workload_check(&s.invocation, 0, s.invocation.expected_stdout, why, 256), 0);
    assert_int_equal(workload_check(&s.invocation, 0, "nonsense\n", why, sizeof why), -1);
    assert_non_null(strstr(why, "nonsense"));
    assert_int_equal(workload_check(&s.invocation, 2, s.invocation.expected_stdout, why, 256), -1);
    assert_non_null(strstr(why, "expected exit code 0, found 2"));
    scenario_free(&s);
}

static void missing_required_fields(void **state)
{
    (void)state;
    expect_error("{\"workload\": \"hello\", " VALID_TAIL "}", "field \"name\"", "required");
    expect_error("{\"name\": \"x\", " VALID_TAIL "}", "field \"workload\"", "required");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"repetitions\": 3}",
                 "field \"targets\"", "required");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [\"native\"]}",
                 "field \"repetitions\"", "required");
}

static void wrong_types(void **state)
{
    (void)state;
    expect_error("{\"name\": 5, \"workload\": \"hello\", " VALID_TAIL "}",
                 "field \"name\": expected a string, found an integer", NULL);
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": \"native\", "
                 "\"repetitions\": 3}",
                 "field \"targets\": expected a non-empty array", "found a string");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [], \"repetitions\": 3}",
                 "field \"targets\"", "found an empty array");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [1], \"repetitions\": 3}",
                 "field \"targets[0]\"", "found an integer");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [\"native\"], "
                 "\"repetitions\": \"3\"}",
                 "field \"repetitions\": expected an integer", "found a string");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"parameters\": [], " VALID_TAIL "}",
                 "field \"parameters\": expected an object", NULL);
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"timeout_s\": \"long\", " VALID_TAIL
                 "}",
                 "field \"timeout_s\"", "found a string");
    expect_error("[1]", "expected a JSON object at the top", "found an array");
}

static void values_out_of_range(void **state)
{
    (void)state;
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [\"native\"], "
                 "\"repetitions\": 0}",
                 "field \"repetitions\": expected an integer from 1", "found 0");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"warmup\": -1, " VALID_TAIL "}",
                 "field \"warmup\"", "found -1");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"timeout_s\": 0, " VALID_TAIL "}",
                 "field \"timeout_s\"", "out of range");
    expect_error("{\"name\": \"x\", \"workload\": \"fib\", \"parameters\": {\"n\": 99}, " VALID_TAIL
                 "}",
                 "field \"parameters.n\": expected an integer from 0 to 50", NULL);
    expect_error("{\"name\": \"a/b\", \"workload\": \"hello\", " VALID_TAIL "}", "field \"name\"",
                 "found \"a/b\"");
}

static void unknown_names(void **state)
{
    (void)state;
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"repetition\": 3, " VALID_TAIL "}",
                 "field \"repetition\": unknown field", NULL);
    expect_error("{\"name\": \"x\", \"workload\": \"fortune\", " VALID_TAIL "}",
                 "field \"workload\": expected one of hello, fib, idle", "found \"fortune\"");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [\"dokcer\"], "
                 "\"repetitions\": 3}",
                 "field \"targets[0]\": expected one of native", "found \"dokcer\"");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"targets\": [\"runc\", \"runc\"], "
                 "\"repetitions\": 3}",
                 "targets[1]", "twice");
    expect_error("{\"name\": \"x\", \"workload\": \"idle\", " VALID_TAIL "}",
                 "field \"workload\": expected a workload that exits by itself", "\"idle\"");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"kind\": \"density\", " VALID_TAIL
                 "}",
                 "field \"workload\": expected a workload that runs until stopped", "\"hello\"");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"kind\": \"burst\", " VALID_TAIL "}",
                 "field \"kind\": expected \"oneshot\"", "found \"burst\"");
    expect_error("{\"name\": \"x\", \"workload\": \"hello\", \"drop_caches\": 1, " VALID_TAIL "}",
                 "field \"drop_caches\": expected a boolean", "an integer");
    expect_error("{\"name\": \"x\", \"workload\": \"fib\", \"parameters\": {\"m\": 1}, " VALID_TAIL
                 "}",
                 "field \"parameters.m\": unknown parameter", NULL);
}

static void unreadable_and_invalid_files(void **state)
{
    (void)state;
    scenario s;
    wasmvs_error err = {{0}};
    assert_int_equal(scenario_load("/nonexistent/s.json", &s, &err), -1);
    assert_non_null(strstr(err.message, "/nonexistent/s.json: cannot open"));
    char path[] = "/tmp/wasmvs-scenario-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\n \"name\": \"x\",\n \"name\": \"y\"\n}\n", f);
    fclose(f);
    assert_int_equal(scenario_load(path, &s, &err), -1);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, "duplicate"));
    remove(path);
}

static void targets_override(void **state)
{
    (void)state;
    scenario s;
    wasmvs_error err = {{0}};
    assert_int_equal(scenario_load("scenarios/quick.json", &s, &err), 0);
    assert_int_equal(scenario_set_targets(&s, "runc,native", &err), 0);
    assert_int_equal(s.target_count, 2);
    assert_string_equal(s.targets[0], "runc");
    assert_int_equal(json_array_size(json_object_get(s.json, "targets")), 2);
    assert_int_equal(scenario_set_targets(&s, "native,nope", &err), -1);
    assert_non_null(strstr(err.message, "found \"nope\""));
    assert_int_equal(scenario_set_targets(&s, ",", &err), -1);
    scenario_free(&s);
}

static void stop_rule_with_defaults(void **state)
{
    (void)state;
    json_t *doc = json_loads("{\"name\": \"h\", \"workload\": \"hello\", \"stop\": "
                             "{\"ci_width_pct\": 2}, " VALID_TAIL "}",
                             0, NULL);
    scenario s;
    wasmvs_error err = {{0}};
    assert_int_equal(scenario_from_json("t.json", doc, &s, &err), 0);
    json_decref(doc);
    assert_true(s.stop.ci_width_pct == 2.0);
    assert_int_equal(s.stop.max_repetitions, PLAN_DEFAULT_MAX_REPETITIONS);
    assert_true(s.stop.max_seconds == PLAN_DEFAULT_MAX_SECONDS);
    json_t *recorded = json_object_get(s.json, "stop"); /* with the defaults filled in */
    assert_int_equal(json_integer_value(json_object_get(recorded, "max_repetitions")),
                     PLAN_DEFAULT_MAX_REPETITIONS);
    scenario_free(&s);
}

static void broken_stop_rules(void **state)
{
    (void)state;
    expect_error("{\"name\": \"h\", \"workload\": \"hello\", \"stop\": 2, " VALID_TAIL "}",
                 "\"stop\"", "expected an object");
    expect_error(
        "{\"name\": \"h\", \"workload\": \"hello\", \"stop\": {\"max_seconds\": 5}, " VALID_TAIL
        "}",
        "stop.ci_width_pct", "required");
    expect_error(
        "{\"name\": \"h\", \"workload\": \"hello\", \"stop\": {\"ci_width_pct\": 0}, " VALID_TAIL
        "}",
        "stop.ci_width_pct", "from 0.01 to 100");
    expect_error("{\"name\": \"h\", \"workload\": \"hello\", \"stop\": {\"ci_width_pct\": 2, "
                 "\"max_repetitions\": 2.5}, " VALID_TAIL "}",
                 "stop.max_repetitions", "an integer");
    expect_error("{\"name\": \"h\", \"workload\": \"hello\", \"stop\": {\"ci_width_pct\": 2, "
                 "\"max_repetitions\": 2}, " VALID_TAIL "}",
                 "stop.max_repetitions", "at least \"repetitions\" (3)");
    expect_error("{\"name\": \"h\", \"workload\": \"hello\", \"stop\": {\"ci_width_pct\": 2, "
                 "\"min\": 2}, " VALID_TAIL "}",
                 "stop.min", "unknown field");
    expect_error(
        "{\"name\": \"h\", \"workload\": \"hello\", \"perf_counters\": \"yes\", " VALID_TAIL "}",
        "\"perf_counters\"", "expected a boolean, found a string");
    expect_error("{\"name\": \"d\", \"kind\": \"density\", \"workload\": \"idle\", "
                 "\"targets\": [\"native\"], \"stop\": {\"ci_width_pct\": 2}}",
                 "\"stop\"", "one sweep per target");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_scenarios_parse),
        cmocka_unit_test(defaults_and_expected_answers),
        cmocka_unit_test(missing_required_fields),
        cmocka_unit_test(wrong_types),
        cmocka_unit_test(values_out_of_range),
        cmocka_unit_test(unknown_names),
        cmocka_unit_test(unreadable_and_invalid_files),
        cmocka_unit_test(targets_override),
        cmocka_unit_test(stop_rule_with_defaults),
        cmocka_unit_test(broken_stop_rules),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}

/* test_results.c: the results writer and loader. A document built the way `wasmvs run`
 * builds one survives a round trip through the file and jansson unchanged; summaries
 * and ratios hold the expected numbers; every bad file gives an error naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../results.h"

static char directory[] = "/tmp/wasmvs-test-results-XXXXXX";

static int make_directory(void **state)
{
    (void)state;
    return mkdtemp(directory) ? 0 : -1;
}

static int remove_directory(void **state)
{
    (void)state;
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", directory);
    return system(command) == 0 ? 0 : -1;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static json_t *example_document(void)
{
    json_t *scenario = json_pack("{s:s, s:s}", "name", "cold-start", "workload", "hello");
    json_t *host = json_pack("{s:s}", "kernel", "6.18");
    json_t *doc = results_new(scenario, host, "abc1234");
    json_t *native = results_add_target(doc, "native", true, "gcc -O2", NULL, NULL);
    json_t *slow = results_add_target(doc, "slow", true, "test", NULL, NULL);
    results_add_target(doc, "docker", false, NULL, "daemon not reachable", NULL);
    results_add_sample(native, true, true, NULL, NULL, json_pack("{s:i}", "wall_ns", 999), NULL);
    for (int i = 1; i <= 5; i++) {
        results_add_sample(native, false, true, NULL, NULL, json_pack("{s:i}", "wall_ns", i * 100),
                           NULL);
        results_add_sample(slow, false, true, NULL, NULL, json_pack("{s:i}", "wall_ns", i * 300),
                           json_pack("{s:i}", "load_ns", 5));
    }
    results_add_sample(slow, false, false, "output differs", "garbage\n",
                       json_pack("{s:i}", "wall_ns", 1), NULL);
    results_finish(doc, false);
    return doc;
}

static void round_trip_keeps_every_field(void **state)
{
    (void)state;
    json_t *doc = example_document();
    char path[512];
    snprintf(path, sizeof path, "%s/sub/dir/run.json", directory);
    wasmvs_error err = {{0}};
    assert_int_equal(results_write(doc, path, &err), 0);
    json_t *loaded = NULL;
    assert_int_equal(results_load(path, &loaded, &err), 0);
    assert_true(json_equal(doc, loaded));
    json_decref(loaded);
    json_decref(doc);
}

static void summary_uses_only_counted_samples(void **state)
{
    (void)state;
    json_t *doc = example_document();
    json_t *native = results_find_target(doc, "native");
    json_t *wall = json_object_get(json_object_get(native, "summary"), "wall_ns");
    assert_int_equal(json_integer_value(json_object_get(wall, "n")), 5); /* no warm-up */
    assert_true(fabs(json_number_value(json_object_get(wall, "median")) - 300.0) < 1e-9);
    json_t *slow = results_find_target(doc, "slow");
    wall = json_object_get(json_object_get(slow, "summary"), "wall_ns");
    assert_int_equal(json_integer_value(json_object_get(wall, "n")), 5); /* failed one out */
    json_t *failed = json_array_get(json_object_get(slow, "samples"), 5);
    assert_string_equal(json_string_value(json_object_get(failed, "output")), "garbage\n");
    assert_int_equal(json_integer_value(json_object_get(failed, "index")), 5);
    json_decref(doc);
}

static void ratio_to_first_available_target(void **state)
{
    (void)state;
    json_t *doc = example_document();
    assert_string_equal(json_string_value(json_object_get(doc, "baseline_target")), "native");
    json_t *slow = results_find_target(doc, "slow");
    json_t *ratio = json_object_get(json_object_get(slow, "ratio_to_baseline"), "wall_ns");
    assert_true(fabs(json_number_value(json_object_get(ratio, "ratio")) - 3.0) < 1e-9);
    json_t *docker = results_find_target(doc, "docker");
    assert_false(json_is_true(json_object_get(docker, "available")));
    assert_string_equal(json_string_value(json_object_get(docker, "reason")),
                        "daemon not reachable");
    assert_int_equal(json_array_size(json_object_get(docker, "samples")), 0);
    json_decref(doc);
}

static void load_missing_file_names_it(void **state)
{
    (void)state;
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(results_load("/nonexistent/x.json", &doc, &err), -1);
    assert_null(doc);
    assert_non_null(strstr(err.message, "/nonexistent/x.json"));
    assert_non_null(strstr(err.message, "No such file"));
}

static void load_invalid_json_names_line(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/bad.json", directory);
    write_text(path, "{\n  \"schema\": \"wasmvs/results/v1\",\n  oops\n}\n");
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(results_load(path, &doc, &err), -1);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, ":3:"));
}

static void load_wrong_or_missing_schema(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/schema.json", directory);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    write_text(path, "{\"schema\": \"other/v9\", \"targets\": []}");
    assert_int_equal(results_load(path, &doc, &err), -1);
    assert_non_null(strstr(err.message, "expected \"wasmvs/results/v1\", found \"other/v9\""));
    write_text(path, "{\"targets\": []}");
    assert_int_equal(results_load(path, &doc, &err), -1);
    assert_non_null(strstr(err.message, "no \"schema\" field"));
    write_text(path, "[1, 2]");
    assert_int_equal(results_load(path, &doc, &err), -1);
    assert_non_null(strstr(err.message, "JSON object"));
    write_text(path, "{\"schema\": \"wasmvs/results/v1\"}");
    assert_int_equal(results_load(path, &doc, &err), -1);
    assert_non_null(strstr(err.message, "\"targets\""));
}

static void write_leaves_no_temporary_file(void **state)
{
    (void)state;
    json_t *doc = example_document();
    char path[512], command[700];
    snprintf(path, sizeof path, "%s/atomic.json", directory);
    wasmvs_error err = {{0}};
    assert_int_equal(results_write(doc, path, &err), 0);
    assert_int_equal(results_write(doc, path, &err), 0); /* replaces the old file */
    snprintf(command, sizeof command, "ls '%s' | grep -q tmp", directory);
    assert_int_not_equal(system(command), 0);
    assert_int_equal(results_write(doc, "/proc/wasmvs-no/x.json", &err), -1);
    assert_non_null(strstr(err.message, "/proc/wasmvs-no"));
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_keeps_every_field),
        cmocka_unit_test(summary_uses_only_counted_samples),
        cmocka_unit_test(ratio_to_first_available_target),
        cmocka_unit_test(load_missing_file_names_it),
        cmocka_unit_test(load_invalid_json_names_line),
        cmocka_unit_test(load_wrong_or_missing_schema),
        cmocka_unit_test(write_leaves_no_temporary_file),
    };
    return cmocka_run_group_tests_name("results", tests, make_directory, remove_directory);
}

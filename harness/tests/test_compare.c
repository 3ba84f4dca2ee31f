/* test_compare.c: `wasmvs compare` on synthetic results files (samples drawn from seeded
 * normal distributions) and on the committed fixtures: an injected 20% regression is
 * found, two draws from one distribution are unchanged, the threshold and the metric's
 * direction are honoured, bad input exits 2, and the exports are valid JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"

static char test_dir[256];

typedef struct synthetic_target {
    const char *name;
    const char *metric;
    double mean, stddev;
    int count;
    uint64_t seed;
} synthetic_target;

static double test_uniform(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
}

/* Box-Muller: normal samples from the seeded generator, so every run is identical. */
static double test_normal(uint64_t *state, double mean, double stddev)
{
    double u1 = test_uniform(state), u2 = test_uniform(state);
    return mean + stddev * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static const char *test_path(const char *name)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, 512, "%s/%s", test_dir, name);
    return path;
}

static const char *write_results(const char *name, const char *schema, const char *fingerprint,
                                 const synthetic_target *targets, int ntargets)
{
    json_t *list = json_array();
    for (int t = 0; t < ntargets; t++) {
        json_t *samples = json_array();
        uint64_t state = targets[t].seed;
        /* one warm-up sample far off: it must not count */
        json_array_append_new(samples,
                              json_pack("{s:i, s:b, s:b, s:n, s:{s:f}, s:n}", "index", 0, "warmup",
                                        1, "ok", 1, "error", "metrics", targets[t].metric,
                                        targets[t].mean * 50, "phases"));
        for (int i = 0; i < targets[t].count; i++) {
            double value = test_normal(&state, targets[t].mean, targets[t].stddev);
            json_array_append_new(samples, json_pack("{s:i, s:b, s:b, s:n, s:{s:f, s:i}, s:n}",
                                                     "index", i + 1, "warmup", 0, "ok", 1, "error",
                                                     "metrics", targets[t].metric, value,
                                                     "context_switches", 1, "phases"));
        }
        json_array_append_new(list, json_pack("{s:s, s:b, s:n, s:o}", "name", targets[t].name,
                                              "available", 1, "reason", "samples", samples));
    }
    json_t *doc = json_pack("{s:s, s:{s:s, s:s}, s:{s:s}, s:s, s:o}", "schema", schema, "scenario",
                            "name", "cold-start", "kind", "oneshot", "host", "fingerprint",
                            fingerprint, "baseline_target", targets[0].name, "targets", list);
    const char *path = test_path(name);
    assert_int_equal(json_dump_file(doc, path, JSON_COMPACT), 0);
    json_decref(doc);
    return path;
}

static int run_compare(const char *base, const char *fresh, const char *out, const char *extra1,
                       const char *extra2)
{
    char *argv[12];
    int argc = 0;
    argv[argc++] = "compare";
    if (base) argv[argc++] = (char *)base;
    if (fresh) argv[argc++] = (char *)fresh;
    argv[argc++] = "--out";
    argv[argc++] = (char *)out;
    if (extra1) argv[argc++] = (char *)extra1;
    if (extra2) argv[argc++] = (char *)extra2;
    argv[argc] = NULL;
    return compare_main(argc, argv);
}

/* The verdict of one row of a JSON comparison, or NULL. */
static char *verdict_of(const char *json_path, const char *target, const char *metric)
{
    json_t *root = json_load_file(json_path, 0, NULL);
    assert_non_null(root);
    static char verdict[64];
    verdict[0] = '\0';
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(root, "rows"), i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, "target")), target) &&
            !strcmp(json_string_value(json_object_get(row, "metric")), metric))
            snprintf(verdict, sizeof verdict, "%s",
                     json_string_value(json_object_get(row, "verdict")));
    }
    json_decref(root);
    return verdict[0] ? verdict : NULL;
}

static int file_contains(const char *path, const char *needle)
{
    FILE *file = fopen(path, "r");
    if (!file) return 0;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, file);
    text[n] = '\0';
    fclose(file);
    return strstr(text, needle) != NULL;
}

static void test_compare_finds_injected_20_percent_regression(void **state)
{
    (void)state;
    synthetic_target base = {"native", "wall_ns", 1e6, 5e4, 30, 11};
    synthetic_target worse = {"native", "wall_ns", 1.2e6, 6e4, 30, 12};
    const char *b = write_results("base.json", "wasmvs/results/v1", "hostA", &base, 1);
    const char *n = write_results("new.json", "wasmvs/results/v1", "hostA", &worse, 1);
    const char *out = test_path("out.json");
    assert_int_equal(run_compare(b, n, out, "--format", "json"), 1);
    assert_string_equal(verdict_of(out, "native", "wall_ns"), "regressed");
    assert_true(file_contains(out, "\"status\": \"regressed\""));
}

static void test_compare_same_distribution_is_unchanged(void **state)
{
    (void)state;
    synthetic_target first = {"native", "wall_ns", 1e6, 5e4, 30, 21};
    synthetic_target second = {"native", "wall_ns", 1e6, 5e4, 30, 22};
    const char *b = write_results("same-a.json", "wasmvs/results/v1", "hostA", &first, 1);
    const char *n = write_results("same-b.json", "wasmvs/results/v1", "hostA", &second, 1);
    const char *out = test_path("same.json");
    assert_int_equal(run_compare(b, n, out, "--format", "json"), 0);
    assert_string_equal(verdict_of(out, "native", "wall_ns"), "unchanged");
}

static void test_compare_improvement_exits_zero(void **state)
{
    (void)state;
    synthetic_target base = {"wasmrt", "wall_ns", 1e6, 5e4, 30, 31};
    synthetic_target better = {"wasmrt", "wall_ns", 0.8e6, 4e4, 30, 32};
    const char *b = write_results("imp-a.json", "wasmvs/results/v1", "hostA", &base, 1);
    const char *n = write_results("imp-b.json", "wasmvs/results/v1", "hostA", &better, 1);
    const char *out = test_path("imp.json");
    assert_int_equal(run_compare(b, n, out, "--format", "json"), 0);
    assert_string_equal(verdict_of(out, "wasmrt", "wall_ns"), "improved");
}

static void test_compare_significant_change_below_threshold_is_unchanged(void **state)
{
    (void)state;
    /* 3% slower with a tight spread: significant, but below the default 5% */
    synthetic_target base = {"native", "wall_ns", 1e6, 5e3, 40, 41};
    synthetic_target slower = {"native", "wall_ns", 1.03e6, 5e3, 40, 42};
    const char *b = write_results("thr-a.json", "wasmvs/results/v1", "hostA", &base, 1);
    const char *n = write_results("thr-b.json", "wasmvs/results/v1", "hostA", &slower, 1);
    const char *out = test_path("thr.json");
    assert_int_equal(run_compare(b, n, out, "--format", "json"), 0);
    assert_string_equal(verdict_of(out, "native", "wall_ns"), "unchanged");
    assert_int_equal(run_compare(b, n, out, "--threshold", "1"), 1);
}

static void test_compare_throughput_drop_is_a_regression(void **state)
{
    (void)state;
    synthetic_target base = {"native", "requests_per_s", 1e5, 2e3, 20, 51};
    synthetic_target slower = {"native", "requests_per_s", 0.8e5, 2e3, 20, 52};
    const char *b = write_results("rps-a.json", "wasmvs/results/v1", "hostA", &base, 1);
    const char *n = write_results("rps-b.json", "wasmvs/results/v1", "hostA", &slower, 1);
    const char *out = test_path("rps.json");
    assert_int_equal(run_compare(b, n, out, "--format", "json"), 1);
    assert_string_equal(verdict_of(out, "native", "requests_per_s"), "regressed");
}

static void test_compare_bad_input_exits_2(void **state)
{
    (void)state;
    synthetic_target target = {"native", "wall_ns", 1e6, 5e4, 10, 61};
    const char *good = write_results("good.json", "wasmvs/results/v1", "hostA", &target, 1);
    const char *other = write_results("other.json", "wasmvs/results/v9", "hostA", &target, 1);
    const char *out = test_path("bad.txt");
    assert_int_equal(run_compare(good, test_path("missing.json"), out, NULL, NULL), 2);
    assert_int_equal(run_compare(good, other, out, NULL, NULL), 2);
    FILE *garbage = fopen(test_path("garbage.json"), "w");
    fputs("{ not json", garbage);
    fclose(garbage);
    assert_int_equal(run_compare(test_path("garbage.json"), good, out, NULL, NULL), 2);
    assert_int_equal(run_compare(good, NULL, out, NULL, NULL), 2);
    assert_int_equal(run_compare(good, good, out, "--threshold", "lots"), 2);
    assert_int_equal(run_compare(good, good, out, "--format", "yaml"), 2);
}

static void test_compare_different_hosts_are_flagged(void **state)
{
    (void)state;
    synthetic_target target = {"native", "wall_ns", 1e6, 5e4, 10, 71};
    const char *a = write_results("host-a.json", "wasmvs/results/v1", "hostA", &target, 1);
    const char *b = write_results("host-b.json", "wasmvs/results/v1", "hostB", &target, 1);
    const char *out = test_path("hosts.txt");
    assert_int_equal(run_compare(a, b, out, NULL, NULL), 2);
    assert_true(file_contains(out, "DIFFERENT HOSTS"));
    assert_int_equal(run_compare(a, b, out, "--allow-host-mismatch", NULL), 0);
    assert_true(file_contains(out, "DIFFERENT HOSTS"));
}

static void test_compare_markdown_is_a_table(void **state)
{
    (void)state;
    synthetic_target base = {"native", "wall_ns", 1e6, 5e4, 30, 81};
    synthetic_target worse = {"native", "wall_ns", 1.2e6, 6e4, 30, 82};
    const char *b = write_results("md-a.json", "wasmvs/results/v1", "hostA", &base, 1);
    const char *n = write_results("md-b.json", "wasmvs/results/v1", "hostA", &worse, 1);
    const char *out = test_path("md.md");
    assert_int_equal(run_compare(b, n, out, "--format", "markdown"), 1);
    assert_true(file_contains(out, "| scenario | target | metric |"));
    assert_true(file_contains(out, "| cold-start | native | `wall_ns` |"));
    assert_true(file_contains(out, "**regressed**"));
}

static void test_compare_exports_tracker_formats(void **state)
{
    (void)state;
    synthetic_target targets[] = {{"native", "wall_ns", 1e6, 5e4, 10, 91},
                                  {"docker", "wall_ns", 3e8, 1e7, 10, 92}};
    const char *file = write_results("export.json", "wasmvs/results/v1", "hostA", targets, 2);
    const char *bencher = test_path("bmf.json"), *github = test_path("gab.json");
    assert_int_equal(run_compare(file, NULL, bencher, "--format", "bencher"), 0);
    json_t *bmf = json_load_file(bencher, 0, NULL);
    assert_non_null(bmf);
    json_t *measure = json_object_get(json_object_get(bmf, "cold-start/docker"), "wall-ns");
    assert_true(json_is_number(json_object_get(measure, "value")));
    assert_true(json_number_value(json_object_get(measure, "lower_value")) <=
                json_number_value(json_object_get(measure, "value")));
    json_decref(bmf);
    assert_int_equal(run_compare(file, NULL, github, "--format", "github-benchmark"), 0);
    json_t *gab = json_load_file(github, 0, NULL);
    assert_true(json_is_array(gab));
    assert_true(json_array_size(gab) >= 2);
    json_t *first = json_array_get(gab, 0);
    assert_true(json_is_string(json_object_get(first, "name")));
    assert_true(json_is_string(json_object_get(first, "unit")));
    assert_true(json_is_number(json_object_get(first, "value")));
    json_decref(gab);
}

static void test_compare_metrics_option_limits_what_is_judged(void **state)
{
    (void)state;
    synthetic_target base = {"native", "wall_ns", 1e6, 5e4, 30, 101};
    synthetic_target worse = {"native", "wall_ns", 1.2e6, 6e4, 30, 102};
    const char *b = write_results("only-a.json", "wasmvs/results/v1", "hostA", &base, 1);
    const char *n = write_results("only-b.json", "wasmvs/results/v1", "hostA", &worse, 1);
    const char *out = test_path("only.json");
    char *argv[] = {"compare",  (char *)b, (char *)n, "--metrics", "context_switches",
                    "--format", "json",    "--out",   (char *)out, NULL};
    assert_int_equal(compare_main(9, argv), 0);
    assert_null(verdict_of(out, "native", "wall_ns"));
    assert_string_equal(verdict_of(out, "native", "context_switches"), "unchanged");
}

/* The committed fixtures (not timings): a file against itself changes nothing. */
static void test_compare_fixture_against_itself_is_unchanged(void **state)
{
    (void)state;
    const char *fixture = "harness/tests/fixtures/cold-start.json";
    const char *out = test_path("fixture.json");
    assert_int_equal(run_compare(fixture, fixture, out, "--format", "json"), 0);
    assert_string_equal(verdict_of(out, "native", "wall_ns"), "unchanged");
    assert_true(file_contains(out, "\"regressed\": 0"));
}

/* The committed CI baseline loads, carries a host fingerprint, and compares with itself
 * as unchanged (a schema check of the file, not a timing). */
static void test_compare_committed_baseline_is_valid(void **state)
{
    (void)state;
    const char *baseline = "results/baselines/quick.json";
    if (access(baseline, R_OK) != 0) skip();
    json_t *root = json_load_file(baseline, 0, NULL);
    assert_non_null(root);
    assert_true(json_is_string(json_object_get(json_object_get(root, "host"), "fingerprint")));
    json_decref(root);
    const char *out = test_path("baseline.json");
    assert_int_equal(run_compare(baseline, baseline, out, "--format", "json"), 0);
    assert_true(file_contains(out, "\"regressed\": 0"));
}

static int setup(void **state)
{
    (void)state;
    snprintf(test_dir, sizeof test_dir, "/tmp/wasmvs-test-compare-XXXXXX");
    return mkdtemp(test_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", test_dir);
    return system(command) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_finds_injected_20_percent_regression),
        cmocka_unit_test(test_compare_same_distribution_is_unchanged),
        cmocka_unit_test(test_compare_improvement_exits_zero),
        cmocka_unit_test(test_compare_significant_change_below_threshold_is_unchanged),
        cmocka_unit_test(test_compare_throughput_drop_is_a_regression),
        cmocka_unit_test(test_compare_bad_input_exits_2),
        cmocka_unit_test(test_compare_different_hosts_are_flagged),
        cmocka_unit_test(test_compare_markdown_is_a_table),
        cmocka_unit_test(test_compare_exports_tracker_formats),
        cmocka_unit_test(test_compare_metrics_option_limits_what_is_judged),
        cmocka_unit_test(test_compare_fixture_against_itself_is_unchanged),
        cmocka_unit_test(test_compare_committed_baseline_is_valid),
    };
    return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}

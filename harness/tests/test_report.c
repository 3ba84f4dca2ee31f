/* test_report.c: `wasmvs report` rendered for real from the fixture results in
 * harness/tests/fixtures/: gnuplot runs, every chart exists as a valid PNG and SVG, the
 * tables hold the expected rows, the HTML embeds the charts; a subset of scenarios and
 * merged files work; without gnuplot the tables are still written; bad input exits 2;
 * --reproduction opens the report with a verdict for every published figure.
 * Runs from the top of the tree (harness/Makefile's check does so). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#define FIXTURES "harness/tests/fixtures"

static char test_dir[256];

static char *out_dir(const char *name)
{
    static char paths[4][512];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 512, "%s/%s", test_dir, name);
    return path;
}

static int run_report(const char *out, const char *gnuplot, const char *first, ...)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = "report";
    va_list ap;
    va_start(ap, first);
    for (const char *file = first; file && argc < 10; file = va_arg(ap, const char *))
        argv[argc++] = (char *)file;
    va_end(ap);
    argv[argc++] = "--out";
    argv[argc++] = (char *)out;
    argv[argc++] = "--templates";
    argv[argc++] = "report";
    if (gnuplot) {
        argv[argc++] = "--gnuplot";
        argv[argc++] = (char *)gnuplot;
    }
    argv[argc] = NULL;
    return report_main(argc, argv);
}

/* The whole file (up to 4 MiB) as a string; the caller frees. */
static char *read_text(const char *dir, const char *name, size_t *length)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    char *text = malloc(4u << 20);
    size_t n = fread(text, 1, (4u << 20) - 1, file);
    text[n] = '\0';
    fclose(file);
    if (length) *length = n;
    return text;
}

/* A PNG: the signature, then an IHDR chunk with a non-zero width and height. */
static void assert_valid_png(const char *dir, const char *name)
{
    size_t length = 0;
    char *data = read_text(dir, name, &length);
    assert_non_null(data);
    assert_true(length > 100);
    assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(data + 12, "IHDR", 4);
    const unsigned char *u = (const unsigned char *)data;
    unsigned width = (unsigned)u[16] << 24 | u[17] << 16 | u[18] << 8 | u[19];
    unsigned height = (unsigned)u[20] << 24 | u[21] << 16 | u[22] << 8 | u[23];
    assert_int_equal(width, 960);
    assert_int_equal(height, 540);
    free(data);
}

/* An SVG: an <svg> element that is closed, with drawing in it. */
static void assert_valid_svg(const char *dir, const char *name)
{
    char *text = read_text(dir, name, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "<svg"));
    assert_non_null(strstr(text, "</svg>"));
    assert_non_null(strstr(text, "<path"));
    free(text);
}

static void assert_chart(const char *dir, const char *name)
{
    char png[256], svg[256];
    snprintf(png, sizeof png, "%s.png", name);
    snprintf(svg, sizeof svg, "%s.svg", name);
    assert_valid_png(dir, png);
    assert_valid_svg(dir, svg);
}

static int file_exists(const char *dir, const char *name)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) fail_msg("expected to find \"%s\" in the report", needle);
}

static void test_report_renders_every_chart_from_fixtures(void **state)
{
    (void)state;
    char *dir = out_dir("all");
    assert_int_equal(run_report(dir, NULL, FIXTURES "/cold-start.json", FIXTURES "/fib.json",
                                FIXTURES "/density.json", FIXTURES "/http.json", NULL),
                     0);
    const char *charts[] = {"cold-start-time",
                            "cold-start-phases",
                            "fib-time",
                            "fib-phases",
                            "density-memory",
                            "density-per-gib",
                            "density-per-instance",
                            "http-requests",
                            "http-latency",
                            "http-sweep"};
    for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
        assert_chart(dir, charts[i]);
}

static void test_report_tables_hold_expected_rows(void **state)
{
    (void)state;
    char *dir = out_dir("tables");
    assert_int_equal(run_report(dir, NULL, FIXTURES "/cold-start.json", FIXTURES "/fib.json",
                                FIXTURES "/density.json", FIXTURES "/http.json", NULL),
                     0);
    char *md = read_text(dir, "report.md", NULL);
    assert_non_null(md);
    /* host facts */
    assert_contains(md,
                    "| fingerprint | GenuineIntel/Intel(R) Xeon(R) Processor/2cpu/24GiB/6.18 |");
    /* one table per scenario: the baseline's own ratio is 1, n counts usable samples only */
    assert_contains(md, "## Scenario cold-start (oneshot)");
    assert_contains(md, "| native | static gcc -O2 | 20 |");
    assert_contains(md, "| 1.00x [");
    assert_contains(md, "| wasmrt | 350 us | 41.1 us | 90.2 us |");
    assert_contains(md, "## Scenario fib (oneshot)");
    assert_contains(md, "ratio to native-clang [95% CI]");
    assert_contains(md, "## Scenario density (density)");
    assert_contains(md, "| docker | process blocked on stdin | 60 |");
    assert_contains(md, "| 349 |");
    assert_contains(md, "## Scenario http (http)");
    assert_contains(md, "| docker-bridge | 40000/s | 0.36x |");
    /* failures and skipped targets, with reasons */
    assert_contains(md, "| cold-start | docker | 1 of 21 samples failed | exit status 125");
    assert_contains(md,
                    "| cold-start | wasm-cli:wasmtime | skipped | wasmtime not found on PATH |");
    /* published figures beside measured ratios, with the setup */
    assert_contains(md,
                    "| Docker/Wasm cold start | 375x (Docker Alpine 300 ms / Wasmtime 0.8 ms) |");
    assert_contains(md, "docker / wasmrt, wall_ns, run cold-start");
    assert_contains(md, "AWS c6g.large");
    assert_contains(md, "![cold-start: wall time per target");
    free(md);
    char *html = read_text(dir, "report.html", NULL);
    assert_non_null(html);
    assert_contains(html, "<img alt=\"cold-start: wall time");
    /* base64 of the PNG signature: the chart is embedded, not linked */
    assert_contains(html, "src=\"data:image/png;base64,iVBORw0KGgo");
    assert_contains(html, "<td>wasm-cli:wasmtime</td>");
    assert_null(strstr(html, "chart image missing"));
    free(html);
}

static void test_report_works_on_a_subset(void **state)
{
    (void)state;
    char *dir = out_dir("subset");
    assert_int_equal(run_report(dir, NULL, FIXTURES "/density.json", NULL), 0);
    assert_chart(dir, "density-memory");
    assert_false(file_exists(dir, "cold-start-time.png"));
    char *md = read_text(dir, "report.md", NULL);
    assert_null(strstr(md, "## Scenario cold-start"));
    /* cold-start figures have no counterpart in these results, and say so */
    assert_contains(md, "| not measured | no matching run in these results |");
    assert_contains(md, "docker / wasmrt, fit.slope_kib_per_instance, run density");
    free(md);
}

static void test_report_merges_files_of_one_scenario(void **state)
{
    (void)state;
    /* the same scenario twice: one run, target names made unique by file */
    char copy[512];
    snprintf(copy, sizeof copy, "%s/cold-start-again.json", test_dir);
    char command[1024];
    snprintf(command, sizeof command, "cp %s/cold-start.json %s", FIXTURES, copy);
    assert_int_equal(system(command), 0);
    char *dir = out_dir("merged");
    assert_int_equal(run_report(dir, NULL, FIXTURES "/cold-start.json", copy, NULL), 0);
    char *md = read_text(dir, "report.md", NULL);
    assert_contains(md, "merged from 2 files");
    assert_contains(md, "| native [cold-start-again.json] |");
    free(md);
}

/* The load object as harness/load writes it (latency.p99_ns, errors.total, histogram
 * buckets [low, high, count], sweep.steps) reads like the documented one. */
static void test_report_reads_the_load_modules_spelling(void **state)
{
    (void)state;
    char *dir = out_dir("load-module");
    assert_int_equal(run_report(dir, NULL, FIXTURES "/http-load-module.json", NULL), 0);
    assert_chart(dir, "http-wrk-requests");
    assert_chart(dir, "http-wrk-latency");
    assert_chart(dir, "http-wrk-sweep");
    char *md = read_text(dir, "report.md", NULL);
    assert_contains(md, "| native | 112000/s | 1.00x | 500 us |");
    assert_contains(md, "| wasmrt | 60000/s | 0.54x | 1 ms |");
    assert_contains(md, "| 3 |");
    assert_contains(md, "| Wasm/native requests/s | 0.60x | 0.54x | wasmrt / native");
    free(md);
}

/* A serverless run: its charts (requests/s; instantiate, instance and latency per
 * request; the open-loop ones), the per-request table, and the artifact sizes every
 * result records, beside the published ranges; a density run to 50,000 with each
 * instance's bounds mode draws memory per instance with where explicit checks began. */
static void test_report_serverless_density_50k_and_artifacts(void **state)
{
    (void)state;
    char *dir = out_dir("serverless");
    assert_int_equal(
        run_report(dir, NULL, FIXTURES "/serverless.json", FIXTURES "/density-50k.json", NULL), 0);
    const char *charts[] = {"serverless-requests", "serverless-per-request",
                            "serverless-latency",  "serverless-sweep",
                            "density-50k-memory",  "density-50k-per-instance"};
    for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
        assert_chart(dir, charts[i]);
    char *md = read_text(dir, "report.md", NULL);
    assert_contains(md, "## Scenario serverless (serverless)");
    assert_contains(md, "| wasmrt | 7.87 us | 18.6 us | 663 ns |");
    assert_contains(md, "| docker | 336 ms |");
    assert_contains(md, "## Artifact sizes");
    assert_contains(md, "| wasmrt | 23.6 KiB | - | - | - | - | hello |");
    assert_contains(md, "| docker | - | - | 745 KiB | 745 KiB | - | hello |");
    assert_contains(md, "| 50-500 MB | 745 KiB | docker, details.artifact.image_bytes");
    assert_contains(md, "| wasmrt | reactor instance in one host process");
    free(md);
    char *gp = read_text(dir, "density-50k-per-instance.gp", NULL);
    assert_non_null(gp);
    assert_contains(gp, "explicit_from[1] = 4097");
    free(gp);
}

/* The reproduction page comes first: each published figure with the one measured here,
 * measured / published, and a verdict that says why when it was not reproduced; the
 * serverless and artifact-size figures among them. */
static void test_report_reproduction_page_judges_each_published_figure(void **state)
{
    (void)state;
    char *dir = out_dir("reproduction");
    assert_int_equal(run_report(dir, NULL, "--reproduction", FIXTURES "/cold-start.json",
                                FIXTURES "/density.json", FIXTURES "/serverless.json", NULL),
                     0);
    char *md = read_text(dir, "report.md", NULL);
    assert_non_null(md);
    char *first_heading = strstr(md, "\n## ");
    assert_non_null(first_heading);
    assert_ptr_equal(first_heading, strstr(md, "\n## Reproduction of the published tables\n"));
    assert_null(strstr(md, "## Published figures beside measured")); /* not twice */
    /* the fixture's docker 269 ms falls in S4's 100-500 ms */
    assert_contains(md, "| 269 ms [244 ms, 273 ms] | docker, wall_ns, run cold-start | 1.20x | "
                        "reproduced: within the published range 100 ms - 500 ms |");
    /* a ratio off its range names both sides against the published parts, and the setup */
    assert_contains(md, "not reproduced: above the published range 36x - 56.2x; the same "
                        "direction as published. docker 269 ms here vs 180 ms published");
    assert_contains(md, "Why: Docker here starts a one-file image");
    /* serverless and artifact figures get verdicts too, with their setup differences */
    assert_contains(md, "| 42630x [39131x, 53237x] | docker / wasmrt, instance_p50_ns, run "
                        "serverless");
    assert_contains(md, "not reproduced: above the published range 214x - 334x");
    assert_contains(md, "| 745 KiB | docker, details.artifact.image_bytes, run serverless | "
                        "0.00x | not reproduced: below the published range 47.7 MiB - 477 MiB. "
                        "Why: The image here holds only the workload's static binary");
    /* fib and http runs are absent: their figures say so */
    assert_contains(md, "not measured: no matching run in these results");
    assert_contains(md, "figures reproduced within the published range");
    free(md);
}

static void test_report_without_gnuplot_still_writes_tables(void **state)
{
    (void)state;
    char *dir = out_dir("no-gnuplot");
    assert_int_equal(run_report(dir, "/nonexistent/gnuplot", FIXTURES "/cold-start.json", NULL), 3);
    char *md = read_text(dir, "report.md", NULL);
    assert_non_null(md);
    assert_contains(md, "> **Warning:** gnuplot: expected the program \"/nonexistent/gnuplot\"");
    assert_contains(md, "| native | static gcc -O2 | 20 |");
    free(md);
    assert_true(file_exists(dir, "report.html"));
    assert_false(file_exists(dir, "cold-start-time.png"));
}

static void test_report_bad_input_exits_2(void **state)
{
    (void)state;
    char *dir = out_dir("bad");
    assert_int_equal(run_report(dir, NULL, FIXTURES "/missing.json", NULL), 2);
    assert_int_equal(run_report(dir, NULL, NULL), 2);
    char other[512];
    snprintf(other, sizeof other, "%s/other-schema.json", test_dir);
    FILE *file = fopen(other, "w");
    fputs("{\"schema\": \"wasmvs/results/v0\", \"targets\": []}", file);
    fclose(file);
    assert_int_equal(run_report(dir, NULL, other, NULL), 2);
}

static int setup(void **state)
{
    (void)state;
    snprintf(test_dir, sizeof test_dir, "/tmp/wasmvs-test-report-XXXXXX");
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
        cmocka_unit_test(test_report_renders_every_chart_from_fixtures),
        cmocka_unit_test(test_report_tables_hold_expected_rows),
        cmocka_unit_test(test_report_works_on_a_subset),
        cmocka_unit_test(test_report_merges_files_of_one_scenario),
        cmocka_unit_test(test_report_reads_the_load_modules_spelling),
        cmocka_unit_test(test_report_serverless_density_50k_and_artifacts),
        cmocka_unit_test(test_report_reproduction_page_judges_each_published_figure),
        cmocka_unit_test(test_report_without_gnuplot_still_writes_tables),
        cmocka_unit_test(test_report_bad_input_exits_2),
    };
    return cmocka_run_group_tests_name("report", tests, setup, teardown);
}

/* report.c: the `wasmvs report` command. Loads and merges the results files, lays out
 * the report (inputs, host facts, one section per scenario with its tables and charts,
 * failures, published figures beside measured ones) and writes report.md and
 * report.html into the output folder, charts beside them. Exit status: 0 written with
 * every chart, 3 written but charts missing (no gnuplot, or gnuplot failed), 2 bad input
 * or usage. */
#include "paths.h"
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "paths.h"
#include "report_charts.h"
#include "report_doc.h"
#include "report_model.h"
#include "report_published.h"
#include "report_tables.h"

enum { REPORT_EXIT_OK = 0, REPORT_EXIT_BAD_INPUT = 2, REPORT_EXIT_NO_CHARTS = 3 };

typedef struct report_options {
    char **files;
    size_t file_count;
    const char *out_dir, *templates_dir, *published_dir, *gnuplot;
    bool reproduction; /* --reproduction: the published figures' verdicts come first */
} report_options;

static void report_usage(FILE *out)
{
    fprintf(out,
            "usage: wasmvs report RESULTS.json... [--out DIR] [--templates DIR]\n"
            "                     [--published DIR] [--gnuplot PROGRAM] [--reproduction]\n"
            "Writes DIR/report.md, DIR/report.html (charts embedded) and the charts as PNG and\n"
            "SVG (default DIR: results/report). Several files merge into one report.\n"
            "--reproduction: the first page is every published figure beside the one measured\n"
            "here, with a verdict (reproduced within the published range or not, and why).\n"
            "Exit status: 0 written, 3 written without (some) charts, 2 bad input.\n");
}

static int report_parse_args(int argc, char **argv, report_options *options, char *storage,
                             size_t storage_size)
{
    memset(options, 0, sizeof *options);
    options->files = calloc((size_t)argc + 1, sizeof *options->files);
    if (!options->files) return -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(arg, "--out")         ? &options->out_dir
                            : !strcmp(arg, "--templates") ? &options->templates_dir
                            : !strcmp(arg, "--published") ? &options->published_dir
                            : !strcmp(arg, "--gnuplot")   ? &options->gnuplot
                                                          : NULL;
        if (slot && value) {
            *slot = value;
            i++;
        } else if (!strcmp(arg, "--reproduction")) {
            options->reproduction = true;
        } else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            report_usage(stdout);
            return 1;
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "wasmvs report: unknown option or missing value: %s\n", arg);
            return -1;
        } else {
            options->files[options->file_count++] = argv[i];
        }
    }
    if (!options->file_count) {
        fprintf(stderr, "wasmvs report: expected at least one RESULTS.json, found none\n");
        return -1;
    }
    /* Defaults live in the tree: templates and published figures under report/, the
     * output under results/. storage holds the three joined paths. */
    const char *root = paths_root();
    size_t third = storage_size / 3;
    if (!options->templates_dir) {
        snprintf(storage, third, "%s/report", root);
        options->templates_dir = storage;
    }
    if (!options->published_dir) {
        snprintf(storage + third, third, "%s/published", options->templates_dir);
        options->published_dir = storage + third;
    }
    if (!options->out_dir) {
        snprintf(storage + 2 * third, third, "%s/results/report", root);
        options->out_dir = storage + 2 * third;
    }
    if (!options->gnuplot) options->gnuplot = "gnuplot";
    return 0;
}

static int report_make_dirs(const char *path, wasmvs_error *err)
{
    if (paths_make_directories(path, err) != 0) return wasmvs_wrap(err, "--out %s", path);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return wasmvs_fail(err, "--out %s: expected a folder, found something else", path);
    return 0;
}

static void report_inputs(report_doc *doc, const report_options *options, const report_set *set)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    report_doc_paragraph(doc, "Generated %s by wasmvs report from %zu results file%s.", now,
                         options->file_count, options->file_count == 1 ? "" : "s");
    json_t *table =
        report_doc_table(doc, "results file", "scenario", "kind", "started", "tool commit", NULL);
    for (size_t d = 0; d < set->document_count; d++) {
        json_t *root = set->documents[d], *scenario = json_object_get(root, "scenario");
        const char *commit =
            json_string_value(json_object_get(json_object_get(root, "tool"), "git_commit"));
        const char *name = json_string_value(json_object_get(scenario, "name"));
        const char *kind = json_string_value(json_object_get(scenario, "kind"));
        const char *started = json_string_value(json_object_get(root, "started_at"));
        report_doc_row(table, options->files[d], name ? name : "-", kind ? kind : "-",
                       started ? started : "-", commit ? commit : "-", NULL);
    }
}

static void report_run_section(report_doc *doc, report_charts *charts, const report_run *run)
{
    report_doc_heading(doc, 2, "Scenario %s (%s)", run->scenario_name, run->kind);
    char merged[64] = "";
    if (run->file_count > 1)
        snprintf(merged, sizeof merged, "; merged from %zu files", run->file_count);
    report_doc_paragraph(doc, "Workload %s; baseline target %s; %zu targets%s.",
                         run->workload[0] ? run->workload : "(not recorded)", run->baseline,
                         json_array_size(run->targets), merged);
    report_tables_run(doc, run);
    report_charts_draw_run(charts, run, doc);
}

static int report_build(const report_options *options, report_set *set, report_charts *charts,
                        wasmvs_error *err)
{
    report_doc doc;
    report_doc_init(&doc);
    wasmvs_error published_err = {{0}};
    int published = 0;
    if (options->reproduction)
        published =
            report_published_section(&doc, set, options->published_dir, true, &published_err);
    report_inputs(&doc, options, set);
    if (!charts->gnuplot_found) report_doc_warning(&doc, "%s", charts->first_error);
    report_tables_hosts(&doc, set);
    for (size_t r = 0; r < set->count; r++)
        report_run_section(&doc, charts, &set->runs[r]);
    report_tables_artifacts(&doc, set);
    report_tables_failures(&doc, set);
    if (!options->reproduction)
        published =
            report_published_section(&doc, set, options->published_dir, false, &published_err);
    if (published) report_doc_warning(&doc, "published figures: %s", published_err.message);
    if (charts->gnuplot_found && charts->failed)
        report_doc_warning(&doc, "%zu chart%s could not be drawn: %s", charts->failed,
                           charts->failed == 1 ? "" : "s", charts->first_error);
    int status = report_doc_write(&doc, options->out_dir,
                                  options->reproduction
                                      ? "wasmvs: the published tables reproduced on this machine"
                                      : "wasmvs report",
                                  err);
    report_doc_free(&doc);
    if (status) return -1;
    if (published) {
        fprintf(stderr, "wasmvs report: %s\n", published_err.message);
        return wasmvs_fail(err, "the report was written without the published figures");
    }
    return 0;
}

int report_main(int argc, char **argv)
{
    report_options options;
    char storage[3 * 4096];
    int parsed = report_parse_args(argc, argv, &options, storage, sizeof storage);
    if (parsed) {
        if (parsed < 0) report_usage(stderr);
        free(options.files);
        return parsed > 0 ? REPORT_EXIT_OK : REPORT_EXIT_BAD_INPUT;
    }
    wasmvs_error err = {{0}};
    report_set set;
    if (report_set_load(&set, options.files, options.file_count, &err)) {
        fprintf(stderr, "wasmvs report: %s\n", err.message);
        free(options.files);
        return REPORT_EXIT_BAD_INPUT;
    }
    int status = REPORT_EXIT_OK;
    report_charts charts;
    /* gnuplot's driver scripts change into the output folder, so both folders are
     * passed to them as absolute paths. */
    char out_absolute[PATH_MAX], templates_absolute[PATH_MAX];
    int made = report_make_dirs(options.out_dir, &err);
    if (!made && realpath(options.out_dir, out_absolute)) options.out_dir = out_absolute;
    if (realpath(options.templates_dir, templates_absolute))
        options.templates_dir = templates_absolute;
    report_charts_init(&charts, options.out_dir, options.templates_dir, options.gnuplot);
    if (made || report_build(&options, &set, &charts, &err)) {
        fprintf(stderr, "wasmvs report: %s\n", err.message);
        status = REPORT_EXIT_BAD_INPUT;
    } else {
        size_t i;
        json_t *file;
        json_array_foreach(charts.files, i, file)
            printf("chart: %s/%s\n", options.out_dir, json_string_value(file));
        printf("report: %s/report.md\nreport: %s/report.html\n", options.out_dir, options.out_dir);
        if (!charts.gnuplot_found || charts.failed) {
            fprintf(stderr, "wasmvs report: %s\n", charts.first_error);
            status = REPORT_EXIT_NO_CHARTS;
        }
    }
    report_charts_free(&charts);
    report_set_free(&set);
    free(options.files);
    return status;
}

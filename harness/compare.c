/* compare.c: `wasmvs compare BASE.json NEW.json`: matches scenarios, targets and metrics
 * present in both files, and for each one computes the ratio of medians (NEW / BASE)
 * with a bootstrap interval and a Mann-Whitney U test, then gives a verdict. A change
 * counts only when it is significant (p < alpha) and larger than the threshold. Exit
 * status: 0 nothing regressed, 1 something did, 2 bad input (unreadable file, other
 * schema, different hosts unless allowed, nothing in common). */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_output.h"
#include "report_model.h"
#include "stats.h"

#define COMPARE_DEFAULT_THRESHOLD 0.05
#define COMPARE_DEFAULT_ALPHA 0.05
/* Below this many usable samples per side the U test's normal approximation means
 * little, so the row is reported but not judged. */
#define COMPARE_MIN_SAMPLES 3

enum { COMPARE_EXIT_OK = 0, COMPARE_EXIT_REGRESSED = 1, COMPARE_EXIT_BAD_INPUT = 2 };

typedef struct compare_options {
    const char *base_path, *new_path, *out_path, *format;
    const char *metrics; /* comma-separated names to judge, or NULL for all */
    double threshold, alpha;
    int allow_host_mismatch;
} compare_options;

const char *compare_verdict_name(compare_verdict verdict)
{
    switch (verdict) {
    case COMPARE_IMPROVED:
        return "improved";
    case COMPARE_REGRESSED:
        return "regressed";
    case COMPARE_NOT_COMPARABLE:
        return "not comparable";
    case COMPARE_UNCHANGED:
        break;
    }
    return "unchanged";
}

static void compare_usage(FILE *out)
{
    fprintf(out,
            "usage: wasmvs compare BASE.json NEW.json [--threshold PCT] [--alpha P]\n"
            "                      [--format text|markdown|json] [--out FILE]\n"
            "                      [--metrics NAME,NAME...] [--allow-host-mismatch]\n"
            "       wasmvs compare RESULTS.json --format bencher|github-benchmark [--out FILE]\n"
            "Exit status: 0 nothing regressed, 1 a significant regression larger than the\n"
            "threshold (default 5%%), 2 bad input or results from different hosts.\n");
}

static int compare_parse_number(const char *flag, const char *text, double low, double high,
                                double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text ? text : "", &end);
    if (!text || end == text || *end || errno || value < low || value > high) {
        fprintf(stderr, "wasmvs compare: %s: expected a number in [%g, %g], found \"%s\"\n", flag,
                low, high, text ? text : "");
        return -1;
    }
    *out = value;
    return 0;
}

static int compare_parse_args(int argc, char **argv, compare_options *options)
{
    memset(options, 0, sizeof *options);
    options->threshold = COMPARE_DEFAULT_THRESHOLD;
    options->alpha = COMPARE_DEFAULT_ALPHA;
    options->format = "text";
    const char *positional[2] = {NULL, NULL};
    int npositional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(arg, "--threshold")) {
            double percent;
            if (compare_parse_number(arg, value, 0, 1000, &percent)) return -1;
            options->threshold = percent / 100.0;
            i++;
        } else if (!strcmp(arg, "--alpha")) {
            if (compare_parse_number(arg, value, 1e-9, 0.5, &options->alpha)) return -1;
            i++;
        } else if (!strcmp(arg, "--format") && value) {
            options->format = value;
            i++;
        } else if (!strcmp(arg, "--metrics") && value) {
            options->metrics = value;
            i++;
        } else if (!strcmp(arg, "--out") && value) {
            options->out_path = value;
            i++;
        } else if (!strcmp(arg, "--allow-host-mismatch")) {
            options->allow_host_mismatch = 1;
        } else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            compare_usage(stdout);
            return 1;
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "wasmvs compare: unknown option or missing value: %s\n", arg);
            return -1;
        } else if (npositional < 2) {
            positional[npositional++] = arg;
        } else {
            fprintf(stderr, "wasmvs compare: expected at most two results files, found \"%s\"\n",
                    arg);
            return -1;
        }
    }
    const char *formats[] = {"text", "markdown", "json", "bencher", "github-benchmark"};
    int known = 0;
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++)
        known |= !strcmp(options->format, formats[f]);
    if (!known) {
        fprintf(stderr,
                "wasmvs compare: --format: expected text, markdown, json, bencher or "
                "github-benchmark, found \"%s\"\n",
                options->format);
        return -1;
    }
    int exporting =
        !strcmp(options->format, "bencher") || !strcmp(options->format, "github-benchmark");
    if (exporting && npositional >= 1) {
        /* An export describes one run: the last file named (NEW when two are given). */
        options->new_path = positional[npositional - 1];
        options->base_path = npositional == 2 ? positional[0] : NULL;
        return 0;
    }
    if (npositional != 2) {
        fprintf(stderr, "wasmvs compare: expected BASE.json and NEW.json, found %d file%s\n",
                npositional, npositional == 1 ? "" : "s");
        return -1;
    }
    options->base_path = positional[0];
    options->new_path = positional[1];
    return 0;
}

static compare_row *compare_add_row(compare_outcome *outcome, const char *scenario,
                                    const char *target, const char *metric)
{
    if (outcome->count == outcome->capacity) {
        size_t capacity = outcome->capacity ? outcome->capacity * 2 : 32;
        compare_row *rows = realloc(outcome->rows, capacity * sizeof *rows);
        if (!rows) return NULL;
        outcome->rows = rows;
        outcome->capacity = capacity;
    }
    compare_row *row = &outcome->rows[outcome->count++];
    memset(row, 0, sizeof *row);
    snprintf(row->scenario, sizeof row->scenario, "%s", scenario);
    snprintf(row->target, sizeof row->target, "%s", target);
    snprintf(row->metric, sizeof row->metric, "%s", metric);
    row->smaller_is_better = report_metric_smaller_is_better(metric);
    row->p_value = 1.0;
    row->ratio = row->ci_low = row->ci_high = NAN;
    return row;
}

/* The verdict rule, in one place: significant AND beyond the threshold. */
static compare_verdict compare_judge(const compare_row *row, double threshold, double alpha)
{
    if (!(row->p_value < alpha) || !(fabs(row->ratio - 1.0) > threshold)) return COMPARE_UNCHANGED;
    int higher = row->ratio > 1.0;
    return higher == row->smaller_is_better ? COMPARE_REGRESSED : COMPARE_IMPROVED;
}

static void compare_sampled_metric(compare_outcome *outcome, compare_row *row, json_t *base_target,
                                   json_t *new_target)
{
    double *base = NULL, *fresh = NULL;
    size_t nb = report_target_values(base_target, row->metric, &base);
    size_t nn = report_target_values(new_target, row->metric, &fresh);
    row->base_n = nb;
    row->new_n = nn;
    if (nb) row->base_median = stats_quantile(base, nb, 0.5);
    if (nn) row->new_median = stats_quantile(fresh, nn, 0.5);
    if (nb < COMPARE_MIN_SAMPLES || nn < COMPARE_MIN_SAMPLES) {
        row->verdict = COMPARE_NOT_COMPARABLE;
        snprintf(row->note, sizeof row->note,
                 "needs at least %d usable samples per side, found %zu and %zu",
                 COMPARE_MIN_SAMPLES, nb, nn);
    } else if (row->base_median == 0.0 && row->new_median == 0.0) {
        /* a counter that stays at zero (migrations, faults) has not changed */
        row->ratio = row->ci_low = row->ci_high = 1.0;
        row->verdict = COMPARE_UNCHANGED;
        snprintf(row->note, sizeof row->note, "both medians are 0");
    } else if (row->base_median == 0.0) {
        row->verdict = COMPARE_NOT_COMPARABLE;
        snprintf(row->note, sizeof row->note, "base median is 0, a ratio is undefined");
    } else {
        stats_ratio ratio;
        stats_mann_whitney test;
        stats_ratio_of_medians(fresh, nn, base, nb, STATS_DEFAULT_SEED, &ratio);
        stats_mann_whitney_u(fresh, nn, base, nb, &test);
        row->ratio = ratio.ratio;
        row->ci_low = ratio.ci_low;
        row->ci_high = ratio.ci_high;
        row->p_value = test.p_value;
        row->verdict = compare_judge(row, outcome->threshold, outcome->alpha);
    }
    free(base);
    free(fresh);
}

/* 1 when `metric` is in the comma-separated `selected` list (NULL selects all). */
static int compare_metric_selected(const char *selected, const char *metric)
{
    if (!selected) return 1;
    size_t length = strlen(metric);
    for (const char *p = selected; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == length && !strncmp(p, metric, n)) return 1;
        p += n + (comma ? 1 : 0);
    }
    return 0;
}

/* Single-valued figures of density and HTTP scenarios: one number per run, so the
 * ratio is shown but no test is possible. */
static const char *const compare_figure_paths[] = {
    "fit.slope_kib_per_instance", "fit.instances_per_gib", "load.requests_per_s",
    "load.latency_ns.p50",        "load.latency_ns.p99",   "load.errors",
};

static int compare_figures(compare_outcome *outcome, const char *scenario, json_t *base_target,
                           json_t *new_target)
{
    for (size_t f = 0; f < sizeof compare_figure_paths / sizeof *compare_figure_paths; f++) {
        double base, fresh;
        if (!compare_metric_selected(outcome->metrics, compare_figure_paths[f])) continue;
        if (report_target_figure(base_target, compare_figure_paths[f], &base) ||
            report_target_figure(new_target, compare_figure_paths[f], &fresh))
            continue;
        compare_row *row = compare_add_row(outcome, scenario, report_target_name(new_target),
                                           compare_figure_paths[f]);
        if (!row) return -1;
        row->base_n = row->new_n = 1;
        row->base_median = base;
        row->new_median = fresh;
        if (base != 0.0) row->ratio = row->ci_low = row->ci_high = fresh / base;
        row->verdict = COMPARE_NOT_COMPARABLE;
        snprintf(row->note, sizeof row->note, "one value per run: no samples to test");
    }
    return 0;
}

static void compare_note(compare_outcome *outcome, const char *fmt, const char *a, const char *b,
                         const char *c)
{
    char text[768];
    snprintf(text, sizeof text, fmt, a, b, c);
    json_array_append_new(outcome->notes, json_string(text));
}

static int compare_targets(compare_outcome *outcome, const report_run *base_run,
                           const report_run *new_run)
{
    size_t i;
    json_t *new_target;
    json_array_foreach(new_run->targets, i, new_target)
    {
        const char *name = report_target_name(new_target);
        json_t *base_target = report_run_target(base_run, name);
        if (!base_target) {
            compare_note(outcome, "%s/%s: only in NEW%s", new_run->scenario_name, name, "");
            continue;
        }
        if (!report_target_available(base_target) || !report_target_available(new_target)) {
            const char *side =
                !report_target_available(base_target) && !report_target_available(new_target)
                    ? "BASE or NEW"
                : report_target_available(base_target) ? "NEW"
                                                       : "BASE";
            json_t *which = report_target_available(base_target) ? new_target : base_target;
            const char *reason = json_string_value(json_object_get(which, "reason"));
            char detail[512];
            snprintf(detail, sizeof detail, "%s (%s)", side, reason ? reason : "no reason given");
            compare_note(outcome, "%s/%s: not available in %s", new_run->scenario_name, name,
                         detail);
            continue;
        }
        json_t *metrics = report_target_metric_names(new_target);
        size_t m;
        json_t *metric;
        json_array_foreach(metrics, m, metric)
        {
            if (!compare_metric_selected(outcome->metrics, json_string_value(metric))) continue;
            double *unused = NULL;
            if (!report_target_values(base_target, json_string_value(metric), &unused)) {
                compare_note(outcome, "%s/%s: metric %s only in NEW", new_run->scenario_name, name,
                             json_string_value(metric));
                continue;
            }
            free(unused);
            compare_row *row =
                compare_add_row(outcome, new_run->scenario_name, name, json_string_value(metric));
            if (!row) {
                json_decref(metrics);
                return -1;
            }
            compare_sampled_metric(outcome, row, base_target, new_target);
        }
        json_decref(metrics);
        if (compare_figures(outcome, new_run->scenario_name, base_target, new_target)) return -1;
    }
    json_array_foreach(base_run->targets, i, new_target)
    {
        const char *name = report_target_name(new_target);
        if (!report_run_target(new_run, name))
            compare_note(outcome, "%s/%s: only in BASE%s", base_run->scenario_name, name, "");
    }
    return 0;
}

static int compare_sets(compare_outcome *outcome, const report_set *base_set,
                        const report_set *new_set)
{
    for (size_t n = 0; n < new_set->count; n++) {
        const report_run *new_run = &new_set->runs[n], *base_run = NULL;
        for (size_t b = 0; b < base_set->count; b++)
            if (!strcmp(base_set->runs[b].scenario_name, new_run->scenario_name) &&
                !strcmp(base_set->runs[b].kind, new_run->kind))
                base_run = &base_set->runs[b];
        if (!base_run) {
            compare_note(outcome, "scenario %s (%s): only in NEW%s", new_run->scenario_name,
                         new_run->kind, "");
            continue;
        }
        if (compare_targets(outcome, base_run, new_run)) return -1;
    }
    for (size_t b = 0; b < base_set->count; b++) {
        int found = 0;
        for (size_t n = 0; n < new_set->count; n++)
            found |= !strcmp(base_set->runs[b].scenario_name, new_set->runs[n].scenario_name);
        if (!found)
            compare_note(outcome, "scenario %s (%s): only in BASE%s",
                         base_set->runs[b].scenario_name, base_set->runs[b].kind, "");
    }
    for (size_t r = 0; r < outcome->count; r++) {
        switch (outcome->rows[r].verdict) {
        case COMPARE_IMPROVED:
            outcome->improved++;
            break;
        case COMPARE_REGRESSED:
            outcome->regressed++;
            break;
        case COMPARE_UNCHANGED:
            outcome->unchanged++;
            break;
        case COMPARE_NOT_COMPARABLE:
            outcome->not_comparable++;
            break;
        }
    }
    return 0;
}

static int compare_export(const compare_options *options, FILE *out)
{
    report_set set;
    wasmvs_error err = {{0}};
    char *paths[1] = {(char *)options->new_path};
    if (report_set_load(&set, paths, 1, &err)) {
        fprintf(stderr, "wasmvs compare: %s\n", err.message);
        return COMPARE_EXIT_BAD_INPUT;
    }
    int status = !strcmp(options->format, "bencher")
                     ? compare_export_bencher(out, &set, &err)
                     : compare_export_github_benchmark(out, &set, &err);
    report_set_free(&set);
    if (status) {
        fprintf(stderr, "wasmvs compare: %s\n", err.message);
        return COMPARE_EXIT_BAD_INPUT;
    }
    return COMPARE_EXIT_OK;
}

static int compare_run(const compare_options *options, FILE *out)
{
    report_set base_set, new_set;
    wasmvs_error err = {{0}};
    char *base_paths[1] = {(char *)options->base_path};
    char *new_paths[1] = {(char *)options->new_path};
    if (report_set_load(&base_set, base_paths, 1, &err)) {
        fprintf(stderr, "wasmvs compare: BASE: %s\n", err.message);
        return COMPARE_EXIT_BAD_INPUT;
    }
    if (report_set_load(&new_set, new_paths, 1, &err)) {
        fprintf(stderr, "wasmvs compare: NEW: %s\n", err.message);
        report_set_free(&base_set);
        return COMPARE_EXIT_BAD_INPUT;
    }
    compare_outcome outcome = {
        .base_path = options->base_path,
        .new_path = options->new_path,
        .base_fingerprint = base_set.runs[0].fingerprint,
        .new_fingerprint = new_set.runs[0].fingerprint,
        .threshold = options->threshold,
        .alpha = options->alpha,
        .metrics = options->metrics,
        .notes = json_array(),
    };
    outcome.hosts_match = !strcmp(outcome.base_fingerprint, outcome.new_fingerprint);
    int status = COMPARE_EXIT_OK;
    if (compare_sets(&outcome, &base_set, &new_set)) {
        fprintf(stderr, "wasmvs compare: out of memory\n");
        status = COMPARE_EXIT_BAD_INPUT;
    } else {
        if (!strcmp(options->format, "markdown"))
            compare_output_markdown(out, &outcome);
        else if (!strcmp(options->format, "json"))
            compare_output_json(out, &outcome);
        else
            compare_output_text(out, &outcome);
        if (!outcome.hosts_match) {
            fprintf(stderr,
                    "wasmvs compare: WARNING: the two results come from different hosts "
                    "(BASE \"%s\", NEW \"%s\"); timings across machines are not comparable%s\n",
                    outcome.base_fingerprint, outcome.new_fingerprint,
                    options->allow_host_mismatch
                        ? ""
                        : " (exit 2; --allow-host-mismatch to judge anyway)");
        }
        if (outcome.count == 0) {
            fprintf(stderr,
                    "wasmvs compare: no scenario, target and metric in common between "
                    "%s and %s\n",
                    options->base_path, options->new_path);
            status = COMPARE_EXIT_BAD_INPUT;
        } else if (!outcome.hosts_match && !options->allow_host_mismatch) {
            status = COMPARE_EXIT_BAD_INPUT;
        } else if (outcome.regressed) {
            status = COMPARE_EXIT_REGRESSED;
        }
    }
    free(outcome.rows);
    json_decref(outcome.notes);
    report_set_free(&base_set);
    report_set_free(&new_set);
    return status;
}

int compare_main(int argc, char **argv)
{
    compare_options options;
    int parsed = compare_parse_args(argc, argv, &options);
    if (parsed > 0) return COMPARE_EXIT_OK;
    if (parsed < 0) {
        compare_usage(stderr);
        return COMPARE_EXIT_BAD_INPUT;
    }
    FILE *out = stdout;
    if (options.out_path && !(out = fopen(options.out_path, "w"))) {
        fprintf(stderr, "wasmvs compare: --out %s: cannot open for writing: %s\n", options.out_path,
                strerror(errno));
        return COMPARE_EXIT_BAD_INPUT;
    }
    int exporting =
        !strcmp(options.format, "bencher") || !strcmp(options.format, "github-benchmark");
    int status = exporting ? compare_export(&options, out) : compare_run(&options, out);
    if (out != stdout && fclose(out) != 0 && status != COMPARE_EXIT_BAD_INPUT) {
        fprintf(stderr, "wasmvs compare: --out %s: write failed: %s\n", options.out_path,
                strerror(errno));
        status = COMPARE_EXIT_BAD_INPUT;
    }
    if (out == stdout) fflush(stdout);
    return status;
}

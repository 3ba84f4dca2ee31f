/* compare_output.c: renders a compare_outcome as a terminal table, as Markdown for a CI
 * job summary, or as JSON (schema "wasmvs/compare/v1"), and exports a results file's
 * medians for CI benchmark trackers. */
#include "compare_output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static void compare_format_change(const compare_row *row, char *buf, size_t size)
{
    if (isnan(row->ratio))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%+.1f%%", (row->ratio - 1.0) * 100.0);
}

static void compare_format_interval(const compare_row *row, char *buf, size_t size)
{
    if (isnan(row->ci_low) || row->base_n < 2)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "[%+.1f%%, %+.1f%%]", (row->ci_low - 1.0) * 100.0,
                 (row->ci_high - 1.0) * 100.0);
}

static void compare_format_p(const compare_row *row, char *buf, size_t size)
{
    if (row->verdict == COMPARE_NOT_COMPARABLE)
        snprintf(buf, size, "-");
    else if (row->p_value < 0.0001)
        snprintf(buf, size, "<0.0001");
    else
        snprintf(buf, size, "%.4f", row->p_value);
}

static const char *compare_status_word(const compare_outcome *outcome)
{
    return outcome->regressed ? "REGRESSED" : "no regression";
}

void compare_output_text(FILE *out, const compare_outcome *outcome)
{
    if (!outcome->hosts_match)
        fprintf(out,
                "!!! DIFFERENT HOSTS: BASE ran on \"%s\", NEW on \"%s\".\n"
                "!!! Timings from different machines are not comparable.\n\n",
                outcome->base_fingerprint, outcome->new_fingerprint);
    fprintf(out, "wasmvs compare: %s -> %s (threshold %.1f%%, alpha %g)\n", outcome->base_path,
            outcome->new_path, outcome->threshold * 100.0, outcome->alpha);
    fprintf(out, "%-14s %-16s %-24s %10s %10s %8s %-20s %8s  %s\n", "scenario", "target", "metric",
            "base", "new", "change", "95% CI", "p", "verdict");
    for (size_t r = 0; r < outcome->count; r++) {
        const compare_row *row = &outcome->rows[r];
        char base[32], fresh[32], change[32], interval[64], p[32];
        report_format_value(row->metric, row->base_median, base, sizeof base);
        report_format_value(row->metric, row->new_median, fresh, sizeof fresh);
        compare_format_change(row, change, sizeof change);
        compare_format_interval(row, interval, sizeof interval);
        compare_format_p(row, p, sizeof p);
        fprintf(out, "%-14s %-16s %-24s %10s %10s %8s %-20s %8s  %s%s%s%s\n", row->scenario,
                row->target, row->metric, base, fresh, change, interval, p,
                compare_verdict_name(row->verdict), row->note[0] ? " (" : "", row->note,
                row->note[0] ? ")" : "");
    }
    size_t i;
    json_t *note;
    json_array_foreach(outcome->notes, i, note) fprintf(out, "note: %s\n", json_string_value(note));
    fprintf(out, "%zu regressed, %zu improved, %zu unchanged, %zu not comparable: %s\n",
            outcome->regressed, outcome->improved, outcome->unchanged, outcome->not_comparable,
            compare_status_word(outcome));
}

static void compare_markdown_table(FILE *out, const compare_outcome *outcome, int unchanged);

void compare_output_markdown(FILE *out, const compare_outcome *outcome)
{
    fprintf(out, "### wasmvs compare: %s\n\n",
            outcome->regressed ? "regression found" : "no regression");
    if (!outcome->hosts_match)
        fprintf(out,
                "> [!WARNING]\n> **Different hosts.** BASE ran on `%s`, NEW on `%s`. "
                "Timings from different machines are not comparable.\n\n",
                outcome->base_fingerprint, outcome->new_fingerprint);
    fprintf(out,
            "BASE `%s`, NEW `%s`. A change counts when the Mann-Whitney U test gives "
            "p < %g and the medians differ by more than %.1f%%.\n\n",
            outcome->base_path, outcome->new_path, outcome->alpha, outcome->threshold * 100.0);
    fprintf(out, "**%zu regressed**, %zu improved, %zu unchanged, %zu not comparable.\n\n",
            outcome->regressed, outcome->improved, outcome->unchanged, outcome->not_comparable);
    /* Changes and rows that could not be judged first; the unchanged ones folded away,
     * so a CI summary shows what matters without scrolling. */
    for (int pass = 0; pass < 2; pass++) {
        size_t shown = 0;
        for (size_t r = 0; r < outcome->count; r++)
            shown += (outcome->rows[r].verdict == COMPARE_UNCHANGED) == pass;
        if (!shown) continue;
        if (pass) fprintf(out, "\n<details><summary>%zu unchanged</summary>\n\n", shown);
        compare_markdown_table(out, outcome, pass);
        if (pass) fprintf(out, "\n</details>\n");
    }
    size_t i;
    json_t *note;
    if (json_array_size(outcome->notes)) fprintf(out, "\n");
    json_array_foreach(outcome->notes, i, note) fprintf(out, "- %s\n", json_string_value(note));
}

static void compare_markdown_table(FILE *out, const compare_outcome *outcome, int unchanged)
{
    fprintf(out, "| scenario | target | metric | base | new | change | 95%% CI | p | verdict |\n");
    fprintf(out, "|---|---|---|---:|---:|---:|---|---:|---|\n");
    for (size_t r = 0; r < outcome->count; r++) {
        const compare_row *row = &outcome->rows[r];
        if ((row->verdict == COMPARE_UNCHANGED) != unchanged) continue;
        char base[32], fresh[32], change[32], interval[64], p[32];
        report_format_value(row->metric, row->base_median, base, sizeof base);
        report_format_value(row->metric, row->new_median, fresh, sizeof fresh);
        compare_format_change(row, change, sizeof change);
        compare_format_interval(row, interval, sizeof interval);
        compare_format_p(row, p, sizeof p);
        const char *emphasis = row->verdict == COMPARE_REGRESSED ? "**" : "";
        fprintf(out, "| %s | %s | `%s` | %s | %s | %s | %s | %s | %s%s%s%s%s |\n", row->scenario,
                row->target, row->metric, base, fresh, change, interval, p, emphasis,
                compare_verdict_name(row->verdict), emphasis, row->note[0] ? ": " : "", row->note);
    }
}

/* NaN has no JSON form; rows without a ratio carry null. */
static json_t *compare_json_number(double value)
{
    return isnan(value) || isinf(value) ? json_null() : json_real(value);
}

void compare_output_json(FILE *out, const compare_outcome *outcome)
{
    json_t *rows = json_array();
    for (size_t r = 0; r < outcome->count; r++) {
        const compare_row *row = &outcome->rows[r];
        json_t *item = json_pack(
            "{s:s, s:s, s:s, s:s, s:b, s:{s:I, s:o}, s:{s:I, s:o}, s:o, s:o, s:o, s:o, s:s}",
            "scenario", row->scenario, "target", row->target, "metric", row->metric, "unit",
            report_metric_unit(row->metric), "smaller_is_better", row->smaller_is_better, "base",
            "n", (json_int_t)row->base_n, "median", compare_json_number(row->base_median), "new",
            "n", (json_int_t)row->new_n, "median", compare_json_number(row->new_median), "ratio",
            compare_json_number(row->ratio), "ci_low", compare_json_number(row->ci_low), "ci_high",
            compare_json_number(row->ci_high), "p_value",
            row->verdict == COMPARE_NOT_COMPARABLE ? json_null() : json_real(row->p_value),
            "verdict", compare_verdict_name(row->verdict));
        if (row->note[0]) json_object_set_new(item, "note", json_string(row->note));
        json_array_append_new(rows, item);
    }
    json_t *root = json_pack(
        "{s:s, s:s, s:s, s:{s:s, s:s, s:b}, s:f, s:f, s:s, s:{s:I, s:I, s:I, s:I}, s:o, s:O}",
        "schema", "wasmvs/compare/v1", "base", outcome->base_path, "new", outcome->new_path,
        "hosts", "base", outcome->base_fingerprint, "new", outcome->new_fingerprint, "match",
        outcome->hosts_match, "threshold", outcome->threshold, "alpha", outcome->alpha, "status",
        outcome->regressed ? "regressed" : "ok", "counts", "regressed",
        (json_int_t)outcome->regressed, "improved", (json_int_t)outcome->improved, "unchanged",
        (json_int_t)outcome->unchanged, "not_comparable", (json_int_t)outcome->not_comparable,
        "rows", rows, "notes", outcome->notes);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', out);
    json_decref(root);
}

/* Calls `visit` for every usable metric median of every available target of the set. */
typedef int (*compare_visit_fn)(void *context, const char *scenario, const char *target,
                                const char *metric, const stats_summary *summary);

static int compare_visit_medians(const report_set *set, compare_visit_fn visit, void *context)
{
    for (size_t r = 0; r < set->count; r++) {
        const report_run *run = &set->runs[r];
        size_t t;
        json_t *target;
        json_array_foreach(run->targets, t, target)
        {
            if (!report_target_available(target)) continue;
            json_t *metrics = report_target_metric_names(target);
            size_t m;
            json_t *metric;
            json_array_foreach(metrics, m, metric)
            {
                double *values;
                size_t n = report_target_values(target, json_string_value(metric), &values);
                stats_summary summary;
                stats_summarize(values, n, STATS_DEFAULT_SEED, &summary);
                free(values);
                if (n && visit(context, run->scenario_name, report_target_name(target),
                               json_string_value(metric), &summary)) {
                    json_decref(metrics);
                    return -1;
                }
            }
            json_decref(metrics);
        }
    }
    return 0;
}

/* Bencher measures are kebab-case slugs: "wall_ns" -> "wall-ns". */
static void compare_measure_slug(const char *metric, char *buf, size_t size)
{
    snprintf(buf, size, "%s", metric);
    for (char *c = buf; *c; c++)
        if (*c == '_' || *c == '.') *c = '-';
}

static int compare_visit_bencher(void *context, const char *scenario, const char *target,
                                 const char *metric, const stats_summary *summary)
{
    json_t *root = context;
    char benchmark[320], slug[128];
    snprintf(benchmark, sizeof benchmark, "%s/%s", scenario, target);
    compare_measure_slug(metric, slug, sizeof slug);
    json_t *measures = json_object_get(root, benchmark);
    if (!measures) {
        measures = json_object();
        json_object_set_new(root, benchmark, measures);
    }
    return json_object_set_new(measures, slug,
                               json_pack("{s:f, s:f, s:f}", "value", summary->median, "lower_value",
                                         summary->ci_low, "upper_value", summary->ci_high));
}

/* Fills `root` by visiting every median, then writes it; `root` is consumed. */
static int compare_export_document(FILE *out, const report_set *set, json_t *root,
                                   compare_visit_fn visit, const char *format, wasmvs_error *err)
{
    int status = compare_visit_medians(set, visit, root);
    if (!status) {
        json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', out);
    }
    json_decref(root);
    return status ? wasmvs_fail(err, "%s export failed: out of memory", format) : 0;
}

int compare_export_bencher(FILE *out, const report_set *set, wasmvs_error *err)
{
    return compare_export_document(out, set, json_object(), compare_visit_bencher, "Bencher", err);
}

/* customSmallerIsBetter only holds smaller-is-better metrics; the others (throughput)
 * are left out, since one file has one direction. */
static int compare_visit_github(void *context, const char *scenario, const char *target,
                                const char *metric, const stats_summary *summary)
{
    if (!report_metric_smaller_is_better(metric)) return 0;
    char name[448], range[64], extra[128];
    snprintf(name, sizeof name, "%s/%s/%s", scenario, target, metric);
    snprintf(range, sizeof range, "%.6g..%.6g", summary->ci_low, summary->ci_high);
    snprintf(extra, sizeof extra, "median of %zu samples; range is the 95%% CI", summary->n);
    return json_array_append_new(context,
                                 json_pack("{s:s, s:s, s:f, s:s, s:s}", "name", name, "unit",
                                           report_metric_unit(metric), "value", summary->median,
                                           "range", range, "extra", extra));
}

int compare_export_github_benchmark(FILE *out, const report_set *set, wasmvs_error *err)
{
    return compare_export_document(out, set, json_array(), compare_visit_github,
                                   "github-action-benchmark", err);
}

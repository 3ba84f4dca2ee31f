/* report_published.c: reads report/published/ (sources.json and one JSON file per topic)
 * and writes one table per topic: each published figure, the figure measured here
 * between two targets of one run (a ratio) or of one target (a value) with its 95%
 * interval, measured / published, and a verdict: reproduced within the published range
 * or not, and then why (which side differs from the published parts, the setup
 * differences the figure names), or not measured and why.
 *
 * A figure may carry "ratio" {label, published, published_text, published_range,
 * published_parts {numerator, denominator}, kind, scenario[], metric, numerator[],
 * denominator[]}, "value" {label, published_text, published_value, published_range,
 * kind, scenario[], metric, targets[]} or "not_measured" (a reason), and "differences"
 * (text). Target lists are in order of preference: the first one present with a value
 * is used. A published figure without a range counts as the range [figure / (1 + t),
 * figure * (1 + t)], t being sources.json's "tolerance". */
#include "report_published.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_PUBLISHED_DEFAULT_TOLERANCE 0.25
#define REPORT_PUBLISHED_MAX_TOPICS 64

typedef enum report_published_verdict {
    REPORT_PUBLISHED_REPRODUCED,
    REPORT_PUBLISHED_NOT_REPRODUCED,
    REPORT_PUBLISHED_NOT_MEASURED,
} report_published_verdict;

/* What this report's results give for one published figure. */
typedef struct report_published_measurement {
    const report_run *run;               /* NULL: nothing measured (why says why) */
    const char *metric;                  /* as the figure names it */
    const char *numerator, *denominator; /* the targets used; denominator NULL: a value */
    double value, low, high;             /* the ratio or value, its 95% interval (or NaN) */
    double top, bottom;                  /* a ratio's two sides */
    char why[512];
} report_published_measurement;

static const char *report_published_string(json_t *object, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : fallback;
}

static double report_published_number(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    return json_is_number(value) ? json_number_value(value) : NAN;
}

/* A run matches when its kind is `kind` ("any": every kind, for figures every result
 * records, such as artifact sizes) and any of the `scenario` words occurs in its scenario
 * name or workload (no `scenario` list: every run). */
static int report_published_matches(const report_run *run, json_t *selector)
{
    const char *kind = report_published_string(selector, "kind", "oneshot");
    if (strcmp(kind, "any") && strcmp(run->kind, kind)) return 0;
    if (!json_object_get(selector, "scenario")) return 1;
    size_t i;
    json_t *word;
    json_array_foreach(json_object_get(selector, "scenario"), i, word)
    {
        const char *w = json_string_value(word);
        if (w && (strstr(run->scenario_name, w) || strstr(run->workload, w))) return 1;
    }
    return 0;
}

/* The first target of `names` in the run with a value of `metric`. */
static json_t *report_published_pick(const report_run *run, json_t *names, const char *metric,
                                     double *value)
{
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name)
    {
        json_t *target = report_run_target(run, json_string_value(name));
        if (target && report_target_available(target) &&
            !report_target_median(target, metric, value))
            return target;
    }
    return NULL;
}

static bool report_published_sampled(const char *metric)
{
    return !strchr(metric, '.') || strncmp(metric, "phases.", 7) == 0;
}

/* The 95% interval of a single-valued figure, where the results give one (the density
 * fit's bootstrap interval of its slope, and so of instances per GiB). */
static void report_published_figure_interval(json_t *target, const char *metric, double *low,
                                             double *high)
{
    *low = *high = NAN;
    const char *low_path = NULL, *high_path = NULL;
    if (!strcmp(metric, "fit.slope_kib_per_instance")) {
        low_path = "fit.slope_ci_low";
        high_path = "fit.slope_ci_high";
    } else if (!strcmp(metric, "fit.instances_per_gib")) {
        low_path = "fit.instances_per_gib_ci_low";
        high_path = "fit.instances_per_gib_ci_high";
    }
    if (low_path && (report_target_figure(target, low_path, low) ||
                     report_target_figure(target, high_path, high)))
        *low = *high = NAN;
}

/* The first matching run's figure; m->run stays NULL (m->why says why) when none has it. */
static void report_published_measure(const report_set *set, json_t *figure,
                                     report_published_measurement *m)
{
    memset(m, 0, sizeof *m);
    m->value = m->low = m->high = m->top = m->bottom = NAN;
    json_t *ratio = json_object_get(figure, "ratio"), *value = json_object_get(figure, "value");
    json_t *selector = ratio ? ratio : value;
    m->metric = report_published_string(selector, "metric", "wall_ns");
    snprintf(m->why, sizeof m->why, "%s",
             report_published_string(figure, "not_measured", "no matching run in these results"));
    if (!selector) return;
    for (size_t r = 0; r < set->count; r++) {
        const report_run *run = &set->runs[r];
        if (!report_published_matches(run, selector)) continue;
        if (!ratio) {
            json_t *target =
                report_published_pick(run, json_object_get(value, "targets"), m->metric, &m->value);
            if (!target) {
                snprintf(m->why, sizeof m->why, "run %s has none of the targets",
                         run->scenario_name);
                continue;
            }
            m->run = run;
            m->numerator = report_target_name(target);
            stats_summary s;
            if (report_published_sampled(m->metric)) {
                if (report_target_summary(target, m->metric, &s)) {
                    m->low = s.ci_low;
                    m->high = s.ci_high;
                }
            } else {
                report_published_figure_interval(target, m->metric, &m->low, &m->high);
            }
            return;
        }
        json_t *top =
            report_published_pick(run, json_object_get(ratio, "numerator"), m->metric, &m->top);
        json_t *bottom = report_published_pick(run, json_object_get(ratio, "denominator"),
                                               m->metric, &m->bottom);
        if (!top || !bottom || m->bottom == 0) {
            snprintf(m->why, sizeof m->why, "run %s lacks %s", run->scenario_name,
                     !top ? "a numerator target" : "a denominator target");
            continue;
        }
        m->run = run;
        m->numerator = report_target_name(top);
        m->denominator = report_target_name(bottom);
        m->value = m->top / m->bottom;
        if (report_published_sampled(m->metric)) {
            stats_ratio interval;
            report_target_ratio(top, bottom, m->metric, &interval);
            m->low = interval.ci_low;
            m->high = interval.ci_high;
        } else { /* the widest ratio the two intervals allow */
            double top_low, top_high, bottom_low, bottom_high;
            report_published_figure_interval(top, m->metric, &top_low, &top_high);
            report_published_figure_interval(bottom, m->metric, &bottom_low, &bottom_high);
            if (bottom_low > 0 && bottom_high > 0) {
                m->low = top_low / bottom_high;
                m->high = top_high / bottom_low;
            }
        }
        return;
    }
}

/* The published range of a figure: its own, or its point widened by the tolerance.
 * False when the figure gives no number. */
static bool report_published_range(json_t *figure, double tolerance, double *low, double *high)
{
    json_t *selector = json_object_get(figure, "ratio");
    if (!selector) selector = json_object_get(figure, "value");
    json_t *range = json_object_get(selector, "published_range");
    if (json_is_array(range) && json_array_size(range) == 2) {
        *low = json_number_value(json_array_get(range, 0));
        *high = json_number_value(json_array_get(range, 1));
        return true;
    }
    double point = report_published_number(
        selector, json_object_get(figure, "ratio") ? "published" : "published_value");
    if (!(point > 0)) return false;
    *low = point / (1 + tolerance);
    *high = point * (1 + tolerance);
    return true;
}

/* Which side of a ratio differs from the published parts, in words. */
static void report_published_sides(json_t *figure, const report_published_measurement *m, char *out,
                                   size_t size)
{
    json_t *parts = json_object_get(json_object_get(figure, "ratio"), "published_parts");
    double top = report_published_number(parts, "numerator");
    double bottom = report_published_number(parts, "denominator");
    out[0] = '\0';
    if (!(top > 0) || !(bottom > 0) || !m->denominator) return;
    char measured_top[48], published_top[48], measured_bottom[48], published_bottom[48];
    report_format_value(m->metric, m->top, measured_top, sizeof measured_top);
    report_format_value(m->metric, top, published_top, sizeof published_top);
    report_format_value(m->metric, m->bottom, measured_bottom, sizeof measured_bottom);
    report_format_value(m->metric, bottom, published_bottom, sizeof published_bottom);
    snprintf(out, size, "%s %s here vs %s published (%.2fx); %s %s here vs %s published (%.2fx)",
             m->numerator, measured_top, published_top, m->top / top, m->denominator,
             measured_bottom, published_bottom, m->bottom / bottom);
}

static void report_published_format(const report_published_measurement *m, double value, char *out,
                                    size_t size)
{
    if (m->denominator)
        report_format_ratio(value, out, size);
    else
        report_format_value(m->metric, value, out, size);
}

/* The measured figure with its interval, measured / published, and the verdict. */
static report_published_verdict report_published_judge(json_t *figure, double tolerance,
                                                       const report_published_measurement *m,
                                                       char *measured, size_t measured_size,
                                                       char *relative, size_t relative_size,
                                                       char *verdict, size_t verdict_size)
{
    snprintf(relative, relative_size, "-");
    if (!m->run) {
        snprintf(measured, measured_size, "not measured");
        snprintf(verdict, verdict_size, "not measured: %s", m->why);
        return REPORT_PUBLISHED_NOT_MEASURED;
    }
    char value[48], low[48], high[48];
    report_published_format(m, m->value, value, sizeof value);
    if (isfinite(m->low) && isfinite(m->high)) {
        report_published_format(m, m->low, low, sizeof low);
        report_published_format(m, m->high, high, sizeof high);
        snprintf(measured, measured_size, "%s [%s, %s]", value, low, high);
    } else {
        snprintf(measured, measured_size, "%s", value);
    }
    double range_low, range_high;
    if (!report_published_range(figure, tolerance, &range_low, &range_high)) {
        snprintf(verdict, verdict_size, "no published number to compare with");
        return REPORT_PUBLISHED_NOT_MEASURED;
    }
    double middle = range_low > 0 ? sqrt(range_low * range_high) : range_high;
    if (middle > 0) snprintf(relative, relative_size, "%.2fx", m->value / middle);
    double measured_low = isfinite(m->low) ? m->low : m->value;
    double measured_high = isfinite(m->high) ? m->high : m->value;
    report_published_format(m, range_low, low, sizeof low);
    report_published_format(m, range_high, high, sizeof high);
    if (measured_high >= range_low && measured_low <= range_high) {
        snprintf(verdict, verdict_size, "reproduced: within the published range %s - %s", low,
                 high);
        return REPORT_PUBLISHED_REPRODUCED;
    }
    char sides[400];
    report_published_sides(figure, m, sides, sizeof sides);
    const char *direction = "";
    if (m->denominator && middle > 0)
        direction = (m->value > 1) == (middle > 1) ? "; the same direction as published"
                                                   : "; the opposite direction to published";
    const char *differences = report_published_string(figure, "differences", NULL);
    snprintf(verdict, verdict_size, "not reproduced: %s the published range %s - %s%s%s%s%s%s",
             measured_high < range_low ? "below" : "above", low, high, direction,
             sides[0] ? ". " : "", sides, differences ? ". Why: " : "",
             differences ? differences : "");
    return REPORT_PUBLISHED_NOT_REPRODUCED;
}

static int report_published_compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void report_published_topic(report_doc *doc, const report_set *set, json_t *topic,
                                   json_t *sources, double tolerance, size_t counts[3])
{
    report_doc_heading(doc, 3, "%s", report_published_string(topic, "topic", "(untitled)"));
    json_t *table = report_doc_table(doc, "source", "published figure", "comparison", ">published",
                                     ">measured here [95% CI]", "measured with",
                                     ">measured / published", "verdict", "published setup", NULL);
    size_t i;
    json_t *figure;
    json_array_foreach(json_object_get(topic, "figures"), i, figure)
    {
        const char *source = report_published_string(figure, "source", "?");
        json_t *ratio = json_object_get(figure, "ratio"), *value = json_object_get(figure, "value");
        json_t *measure = ratio ? ratio : value;
        char what[512], measured[160], with[512], relative[32], verdict[2048];
        const char *note = report_published_string(figure, "note", NULL);
        snprintf(what, sizeof what, "%s: %s%s%s", report_published_string(figure, "system", "?"),
                 report_published_string(figure, "published", "?"), note ? "; " : "",
                 note ? note : "");
        report_published_measurement m;
        report_published_measure(set, figure, &m);
        report_published_verdict v =
            report_published_judge(figure, tolerance, &m, measured, sizeof measured, relative,
                                   sizeof relative, verdict, sizeof verdict);
        counts[v]++;
        if (!m.run) {
            snprintf(with, sizeof with, "%s", m.why);
        } else {
            snprintf(with, sizeof with, "%s%s%s, %s, run %s", m.numerator,
                     m.denominator ? " / " : "", m.denominator ? m.denominator : "", m.metric,
                     m.run->scenario_name);
            /* an interpreter is not an AOT compiler: name the Wasm engines used */
            const char *names[2] = {m.numerator, m.denominator};
            for (int k = 0; k < 2; k++) {
                if (!names[k] || strncmp(names[k], "wasm", 4)) continue;
                const char *version = json_string_value(
                    json_object_get(report_run_target(m.run, names[k]), "version"));
                if (version)
                    snprintf(with + strlen(with), sizeof with - strlen(with), "; %s: %s", names[k],
                             version);
            }
        }
        report_doc_row(
            table, source, what, report_published_string(measure, "label", "-"),
            report_published_string(measure, "published_text", "-"), measured, with, relative,
            verdict, report_published_string(json_object_get(sources, source), "setup", "-"), NULL);
    }
}

int report_published_section(report_doc *doc, const report_set *set, const char *dir,
                             bool first_page, wasmvs_error *err)
{
    char path[4096];
    json_error_t parse_error;
    snprintf(path, sizeof path, "%s/sources.json", dir);
    json_t *sources_file = json_load_file(path, 0, &parse_error);
    if (!sources_file)
        return wasmvs_fail(err, "%s:%d: expected the published sources (JSON), found: %s", path,
                           parse_error.line, parse_error.text);
    json_t *sources = json_object_get(sources_file, "sources");
    double tolerance = report_published_number(sources_file, "tolerance");
    if (!(tolerance >= 0)) tolerance = REPORT_PUBLISHED_DEFAULT_TOLERANCE;
    DIR *listing = opendir(dir);
    if (!listing) {
        json_decref(sources_file);
        return wasmvs_fail(err, "%s: expected a folder of published figures, cannot open it", dir);
    }
    char *names[REPORT_PUBLISHED_MAX_TOPICS];
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)) && count < REPORT_PUBLISHED_MAX_TOPICS) {
        size_t length = strlen(entry->d_name);
        if (length > 5 && !strcmp(entry->d_name + length - 5, ".json") &&
            strcmp(entry->d_name, "sources.json"))
            names[count++] = strdup(entry->d_name);
    }
    closedir(listing);
    qsort(names, count, sizeof *names, report_published_compare_names);
    report_doc_heading(doc, 2, "%s",
                       first_page ? "Reproduction of the published tables"
                                  : "Published figures beside measured");
    report_doc_paragraph(
        doc, "%s",
        report_published_string(sources_file, "note",
                                "Published figures and the ratios measured here."));
    report_doc_paragraph(doc, "%s",
                         report_published_string(sources_file, "tolerance_note",
                                                 "A published figure without a range of its "
                                                 "own is widened by the tolerance."));
    json_t *summary = report_doc_list(doc);
    size_t counts[3] = {0, 0, 0};
    int status = 0;
    for (size_t i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        json_t *topic = json_load_file(path, 0, &parse_error);
        if (!topic || !json_is_array(json_object_get(topic, "figures"))) {
            status =
                wasmvs_fail(err, "%s:%d: expected {\"topic\", \"figures\": [...]}, found %s", path,
                            parse_error.line, topic ? "no \"figures\" array" : parse_error.text);
            json_decref(topic);
            break;
        }
        report_published_topic(doc, set, topic, sources, tolerance, counts);
        json_decref(topic);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    report_doc_item(summary, "%zu figure%s reproduced within the published range",
                    counts[REPORT_PUBLISHED_REPRODUCED],
                    counts[REPORT_PUBLISHED_REPRODUCED] == 1 ? "" : "s");
    report_doc_item(summary, "%zu not reproduced (each says why)",
                    counts[REPORT_PUBLISHED_NOT_REPRODUCED]);
    report_doc_item(summary, "%zu not measured here, or with no published number",
                    counts[REPORT_PUBLISHED_NOT_MEASURED]);
    json_t *list = report_doc_list(doc);
    const char *key;
    json_t *source;
    json_object_foreach(sources, key, source) report_doc_item(
        list, "%s: \"%s\" (%s). Setup: %s", key, report_published_string(source, "title", "?"),
        report_published_string(source, "date", "?"),
        report_published_string(source, "setup", "?"));
    json_decref(sources_file);
    return status;
}

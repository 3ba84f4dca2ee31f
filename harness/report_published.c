/* report_published.c: reads report/published/ (sources.json and one JSON file per topic)
 * and writes one table per topic: each published figure, its published ratio, the ratio
 * measured here between two targets of one run, and the source's setup.
 *
 * A figure may carry "ratio" {label, published_text, kind, scenario[], metric,
 * numerator[], denominator[]}, "value" {label, published_text, kind, scenario[], metric,
 * targets[]} or "not_measured" (a reason). Target lists are in order of preference: the
 * first one present with a value is used. */
#include "report_published.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *report_published_string(json_t *object, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : fallback;
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
static const char *report_published_pick(const report_run *run, json_t *names, const char *metric,
                                         double *value)
{
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name)
    {
        json_t *target = report_run_target(run, json_string_value(name));
        if (target && report_target_available(target) &&
            !report_target_median(target, metric, value))
            return json_string_value(name);
    }
    return NULL;
}

/* The engines behind a Wasm ratio matter (an interpreter is not an AOT compiler), so
 * the versions of the Wasm targets used are named. */
static void report_published_versions(const report_run *run, const char *a, const char *b,
                                      char *out, size_t size)
{
    const char *names[2] = {a, b};
    size_t used = 0;
    for (int i = 0; i < 2; i++) {
        if (strncmp(names[i], "wasm", 4)) continue;
        const char *version =
            json_string_value(json_object_get(report_run_target(run, names[i]), "version"));
        if (!version || used >= size) continue;
        int n = snprintf(out + used, size - used, "; %s: %s", names[i], version);
        if (n > 0) used += (size_t)n;
    }
}

/* Fills `measured` and `with` for one figure; both say why when nothing matched. */
static void report_published_measure(const report_set *set, json_t *figure, char *measured,
                                     size_t measured_size, char *with, size_t with_size)
{
    json_t *ratio = json_object_get(figure, "ratio"), *value = json_object_get(figure, "value");
    json_t *selector = ratio ? ratio : value;
    const char *metric = report_published_string(selector, "metric", "wall_ns");
    snprintf(measured, measured_size, "not measured");
    snprintf(with, with_size, "%s",
             report_published_string(figure, "not_measured", "no matching run in these results"));
    if (!selector) return;
    for (size_t r = 0; r < set->count; r++) {
        const report_run *run = &set->runs[r];
        if (!report_published_matches(run, selector)) continue;
        if (ratio) {
            double top, bottom;
            const char *a =
                report_published_pick(run, json_object_get(ratio, "numerator"), metric, &top);
            const char *b =
                report_published_pick(run, json_object_get(ratio, "denominator"), metric, &bottom);
            if (!a || !b || bottom == 0) {
                snprintf(with, with_size, "run %s lacks %s", run->scenario_name,
                         !a ? "a numerator target" : "a denominator target");
                continue;
            }
            report_format_ratio(top / bottom, measured, measured_size);
            char versions[256] = "";
            report_published_versions(run, a, b, versions, sizeof versions);
            snprintf(with, with_size, "%s / %s, %s, run %s%s", a, b, metric, run->scenario_name,
                     versions);
            return;
        }
        double number;
        const char *target =
            report_published_pick(run, json_object_get(value, "targets"), metric, &number);
        if (!target) {
            snprintf(with, with_size, "run %s has none of the targets", run->scenario_name);
            continue;
        }
        report_format_value(metric, number, measured, measured_size);
        snprintf(with, with_size, "%s, %s, run %s", target, metric, run->scenario_name);
        return;
    }
}

static int report_published_compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void report_published_topic(report_doc *doc, const report_set *set, json_t *topic,
                                   json_t *sources)
{
    report_doc_heading(doc, 3, "%s", report_published_string(topic, "topic", "(untitled)"));
    json_t *table = report_doc_table(doc, "source", "published figure", "comparison", ">published",
                                     ">measured here", "measured with", "published setup", NULL);
    size_t i;
    json_t *figure;
    json_array_foreach(json_object_get(topic, "figures"), i, figure)
    {
        const char *source = report_published_string(figure, "source", "?");
        json_t *ratio = json_object_get(figure, "ratio"), *value = json_object_get(figure, "value");
        json_t *measure = ratio ? ratio : value;
        char what[512], measured[64], with[512];
        const char *note = report_published_string(figure, "note", NULL);
        snprintf(what, sizeof what, "%s: %s%s%s", report_published_string(figure, "system", "?"),
                 report_published_string(figure, "published", "?"), note ? "; " : "",
                 note ? note : "");
        report_published_measure(set, figure, measured, sizeof measured, with, sizeof with);
        report_doc_row(table, source, what, report_published_string(measure, "label", "-"),
                       report_published_string(measure, "published_text", "-"), measured, with,
                       report_published_string(json_object_get(sources, source), "setup", "-"),
                       NULL);
    }
}

int report_published_section(report_doc *doc, const report_set *set, const char *dir,
                             wasmvs_error *err)
{
    char path[4096];
    json_error_t parse_error;
    snprintf(path, sizeof path, "%s/sources.json", dir);
    json_t *sources_file = json_load_file(path, 0, &parse_error);
    if (!sources_file)
        return wasmvs_fail(err, "%s:%d: expected the published sources (JSON), found: %s", path,
                           parse_error.line, parse_error.text);
    json_t *sources = json_object_get(sources_file, "sources");
    DIR *listing = opendir(dir);
    if (!listing) {
        json_decref(sources_file);
        return wasmvs_fail(err, "%s: expected a folder of published figures, cannot open it", dir);
    }
    char *names[64];
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)) && count < 64) {
        size_t length = strlen(entry->d_name);
        if (length > 5 && !strcmp(entry->d_name + length - 5, ".json") &&
            strcmp(entry->d_name, "sources.json"))
            names[count++] = strdup(entry->d_name);
    }
    closedir(listing);
    qsort(names, count, sizeof *names, report_published_compare_names);
    report_doc_heading(doc, 2, "Published figures beside measured");
    report_doc_paragraph(
        doc, "%s",
        report_published_string(sources_file, "note",
                                "Published figures and the ratios measured here."));
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
        report_published_topic(doc, set, topic, sources);
        json_decref(topic);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
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

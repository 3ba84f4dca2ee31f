/* report_model.c: loading and merging results files for report and compare, and the
 * accessors that read samples, phases and single-valued figures out of a target
 * object. The schema's shape is checked by results_load; this file only reads. */
#include "report_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "stats.h"

static const char *report_model_string(json_t *object, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : fallback;
}

static const char *report_model_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void report_model_describe_run(report_run *run, const char *path, json_t *root)
{
    json_t *scenario = json_object_get(root, "scenario");
    run->path = path;
    run->root = root;
    run->scenario_name = report_model_string(scenario, "name", report_model_basename(path));
    run->kind = report_model_string(scenario, "kind", "oneshot");
    json_t *workload = json_object_get(scenario, "workload");
    if (json_is_object(workload)) workload = json_object_get(workload, "name");
    run->workload = json_is_string(workload) ? json_string_value(workload) : "";
    run->fingerprint = report_model_string(json_object_get(root, "host"), "fingerprint", "");
    run->baseline = report_model_string(root, "baseline_target", "native");
    run->targets = json_array();
    run->file_count = 0;
}

/* HTTP load objects come in two spellings: the one documented for results
 * (latency_ns.{p50,p90,p99,p999,max}, errors as a number, histogram as [[latency_ns,
 * count]], rate_sweep [{rate, achieved_per_s, p99_ns}]) and the one harness/load writes
 * (latency.{p50_ns,...,p99_9_ns,max_ns}, errors.{...,total}, histogram.buckets as
 * [[low, high, count]], sweep.steps of load results). The second is rewritten into the
 * first here, once, so every reader below sees one shape. */
static void report_model_normalize_load(json_t *target)
{
    json_t *load = json_object_get(target, "load");
    if (!json_is_object(load)) return;
    json_t *latency = json_object_get(load, "latency");
    if (!json_object_get(load, "latency_ns") && json_is_object(latency)) {
        static const char *const names[][2] = {{"p50", "p50_ns"},
                                               {"p90", "p90_ns"},
                                               {"p99", "p99_ns"},
                                               {"p999", "p99_9_ns"},
                                               {"max", "max_ns"}};
        json_t *out = json_object();
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            json_t *value = json_object_get(latency, names[i][1]);
            if (json_is_number(value)) json_object_set(out, names[i][0], value);
        }
        json_object_set_new(load, "latency_ns", out);
    }
    json_t *errors = json_object_get(load, "errors");
    if (json_is_object(errors) && json_is_number(json_object_get(errors, "total"))) {
        json_object_set(load, "errors_by_kind", errors);
        json_object_set(load, "errors", json_object_get(errors, "total"));
    }
    json_t *histogram = json_object_get(load, "histogram");
    if (json_is_object(histogram)) {
        /* a bucket's upper bound, as HdrHistogram reports "highest equivalent value" */
        json_t *pairs = json_array(), *bucket;
        size_t i;
        json_array_foreach(json_object_get(histogram, "buckets"), i, bucket)
        {
            json_t *high = json_array_get(bucket, json_array_size(bucket) - 2);
            json_t *count = json_array_get(bucket, json_array_size(bucket) - 1);
            if (json_is_number(high) && json_is_number(count))
                json_array_append_new(pairs, json_pack("[OO]", high, count));
        }
        json_object_set_new(load, "histogram", pairs);
    }
    json_t *sweep = json_object_get(load, "sweep");
    if (!sweep) sweep = json_object_get(target, "sweep");
    if (!json_object_get(load, "rate_sweep") && json_is_object(sweep)) {
        json_t *points = json_array(), *step;
        size_t i;
        json_array_foreach(json_object_get(sweep, "steps"), i, step)
        {
            json_t *rate = json_object_get(step, "target_rate_per_s");
            json_t *achieved = json_object_get(step, "requests_per_s");
            json_t *p99 = json_object_get(json_object_get(step, "latency"), "p99_ns");
            if (json_is_number(rate) && json_is_number(p99))
                json_array_append_new(points,
                                      json_pack("{s:O, s:O, s:O}", "rate", rate, "achieved_per_s",
                                                achieved ? achieved : json_null(), "p99_ns", p99));
        }
        json_object_set_new(load, "rate_sweep", points);
    }
}

/* Appends the file's targets to the run; a name already present gets " [FILE]". */
static int report_model_merge_targets(report_run *run, const char *path, json_t *root,
                                      wasmvs_error *err)
{
    json_t *targets = json_object_get(root, "targets");
    if (!json_is_array(targets))
        return wasmvs_fail(err, "%s: field \"targets\": expected an array, found %s", path,
                           targets ? "another type" : "nothing");
    size_t i;
    json_t *target;
    json_array_foreach(targets, i, target)
    {
        report_model_normalize_load(target);
        const char *name = json_string_value(json_object_get(target, "name"));
        if (!name)
            return wasmvs_fail(err, "%s: targets[%zu].name: expected a string, found %s", path, i,
                               json_object_get(target, "name") ? "another type" : "nothing");
        if (report_run_target(run, name)) {
            json_t *copy = json_copy(target);
            char unique[512];
            snprintf(unique, sizeof unique, "%s [%s]", name, report_model_basename(path));
            json_object_set_new(copy, "name", json_string(unique));
            json_array_append_new(run->targets, copy);
        } else {
            json_array_append(run->targets, target);
        }
    }
    run->file_count++;
    return 0;
}

int report_set_load(report_set *set, char *const *paths, size_t count, wasmvs_error *err)
{
    memset(set, 0, sizeof *set);
    set->runs = calloc(count ? count : 1, sizeof *set->runs);
    set->documents = calloc(count ? count : 1, sizeof *set->documents);
    if (!set->runs || !set->documents) {
        report_set_free(set);
        return wasmvs_fail(err, "out of memory loading %zu results files", count);
    }
    for (size_t i = 0; i < count; i++) {
        json_t *root = NULL;
        if (results_load(paths[i], &root, err) != 0) {
            report_set_free(set);
            return -1;
        }
        set->documents[set->document_count++] = root;
        json_t *scenario = json_object_get(root, "scenario");
        const char *name = report_model_string(scenario, "name", report_model_basename(paths[i]));
        const char *kind = report_model_string(scenario, "kind", "oneshot");
        report_run *run = NULL;
        for (size_t r = 0; r < set->count; r++)
            if (!strcmp(set->runs[r].scenario_name, name) && !strcmp(set->runs[r].kind, kind))
                run = &set->runs[r];
        if (!run) {
            run = &set->runs[set->count++];
            report_model_describe_run(run, paths[i], root);
        }
        if (report_model_merge_targets(run, paths[i], root, err) != 0) {
            report_set_free(set);
            return -1;
        }
    }
    return 0;
}

void report_set_free(report_set *set)
{
    for (size_t r = 0; r < set->count; r++)
        json_decref(set->runs[r].targets);
    for (size_t d = 0; d < set->document_count; d++)
        json_decref(set->documents[d]);
    free(set->runs);
    free(set->documents);
    memset(set, 0, sizeof *set);
}

const char *report_target_name(json_t *target)
{
    return report_model_string(target, "name", "?");
}

json_t *report_run_target(const report_run *run, const char *name)
{
    size_t i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        if (!strcmp(report_target_name(target), name)) return target;
    }
    return NULL;
}

int report_target_available(json_t *target)
{
    json_t *available = json_object_get(target, "available");
    return !available || json_is_true(available);
}

static int report_sample_usable(json_t *sample)
{
    return json_is_true(json_object_get(sample, "ok")) &&
           !json_is_true(json_object_get(sample, "warmup"));
}

/* The number at a dotted path below `object`; NULL when absent or not a number. */
static json_t *report_model_path(json_t *object, const char *path)
{
    char key[128];
    while (object && *path) {
        const char *dot = strchr(path, '.');
        size_t length = dot ? (size_t)(dot - path) : strlen(path);
        if (length >= sizeof key) return NULL;
        memcpy(key, path, length);
        key[length] = '\0';
        object = json_object_get(object, key);
        path += length + (dot ? 1 : 0);
    }
    return json_is_number(object) ? object : NULL;
}

size_t report_target_values(json_t *target, const char *metric, double **values)
{
    size_t count = 0;
    if (strncmp(metric, "phases.", 7) != 0) {
        /* Plain metrics: the schema module's own reader. */
        *values = results_metric_values(target, metric, &count);
        return *values ? count : 0;
    }
    json_t *samples = json_object_get(target, "samples"), *sample;
    size_t i;
    *values = NULL;
    double *out = malloc((json_array_size(samples) + 1) * sizeof *out);
    if (!out) return 0;
    json_array_foreach(samples, i, sample)
    {
        if (!report_sample_usable(sample)) continue;
        json_t *number = report_model_path(json_object_get(sample, "phases"), metric + 7);
        if (number) out[count++] = json_number_value(number);
    }
    if (count == 0) {
        free(out);
        return 0;
    }
    *values = out;
    return count;
}

static void report_model_add_names(json_t *names, json_t *object, const char *prefix)
{
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value)
    {
        if (!json_is_number(value)) continue;
        char name[256];
        snprintf(name, sizeof name, "%s%s", prefix, key);
        json_object_set_new(names, name, json_true());
    }
}

static int report_model_compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *report_target_metric_names(json_t *target)
{
    json_t *seen = json_object(), *result = json_array();
    json_t *samples = json_object_get(target, "samples"), *sample;
    size_t i;
    json_array_foreach(samples, i, sample)
    {
        if (!report_sample_usable(sample)) continue;
        report_model_add_names(seen, json_object_get(sample, "metrics"), "");
        report_model_add_names(seen, json_object_get(sample, "phases"), "phases.");
    }
    size_t count = json_object_size(seen), n = 0;
    const char **keys = malloc((count ? count : 1) * sizeof *keys);
    const char *key;
    json_t *value;
    json_object_foreach(seen, key, value) keys[n++] = key;
    qsort(keys, n, sizeof *keys, report_model_compare_strings);
    for (size_t k = 0; k < n; k++)
        json_array_append_new(result, json_string(keys[k]));
    free(keys);
    json_decref(seen);
    return result;
}

/* The phase names of a target's first usable sample that has any. */
static json_t *report_model_phase_names(json_t *target)
{
    json_t *names = json_array(), *sample;
    size_t i;
    json_array_foreach(json_object_get(target, "samples"), i, sample)
    {
        if (!report_sample_usable(sample)) continue;
        const char *key;
        json_t *value;
        json_object_foreach(json_object_get(sample, "phases"), key, value)
        {
            /* results written before 2026-12-03 carry wasmrt's total_ns among the
               phases: it is the wall time, not a phase, and would count twice */
            if (!json_is_number(value) || !strcmp(key, "total_ns")) continue;
            char name[160];
            snprintf(name, sizeof name, "phases.%s", key);
            json_array_append_new(names, json_string(name));
        }
        if (json_array_size(names)) break;
    }
    return names;
}

json_t *report_run_phase_groups(const report_run *run)
{
    json_t *groups = json_array(), *target, *group;
    size_t i, g;
    json_array_foreach(run->targets, i, target)
    {
        if (!report_target_available(target)) continue;
        json_t *names = report_model_phase_names(target);
        if (!json_array_size(names)) {
            json_decref(names);
            continue;
        }
        json_t *found = NULL;
        json_array_foreach(groups, g, group)
        {
            if (json_equal(json_object_get(group, "phases"), names)) found = group;
        }
        if (!found) {
            found = json_pack("{s:O, s:[]}", "phases", names, "targets");
            json_array_append_new(groups, found);
        }
        json_array_append_new(json_object_get(found, "targets"),
                              json_string(report_target_name(target)));
        json_decref(names);
    }
    return groups;
}

void report_phase_label(const char *metric, char *buf, size_t size)
{
    const char *start = strncmp(metric, "phases.", 7) ? metric : metric + 7;
    size_t length = strlen(start);
    if (length > 3 && !strcmp(start + length - 3, "_ns")) length -= 3;
    snprintf(buf, size, "%.*s", (int)length, start);
}

void report_target_sample_counts(json_t *target, size_t *usable, size_t *failed, size_t *warmup)
{
    size_t u = 0, f = 0, w = 0, i;
    json_t *sample;
    json_array_foreach(json_object_get(target, "samples"), i, sample)
    {
        if (json_is_true(json_object_get(sample, "warmup")))
            w++;
        else if (json_is_true(json_object_get(sample, "ok")))
            u++;
        else
            f++;
    }
    if (usable) *usable = u;
    if (failed) *failed = f;
    if (warmup) *warmup = w;
}

int report_target_figure(json_t *target, const char *path, double *value)
{
    json_t *number = report_model_path(target, path);
    if (!number) return -1;
    *value = json_number_value(number);
    return 0;
}

int report_target_median(json_t *target, const char *metric, double *value)
{
    if (strchr(metric, '.') && strncmp(metric, "phases.", 7) != 0)
        return report_target_figure(target, metric, value);
    double *values;
    size_t n = report_target_values(target, metric, &values);
    if (!n) return -1;
    *value = stats_quantile(values, n, 0.5);
    free(values);
    return 0;
}

size_t report_target_summary(json_t *target, const char *metric, stats_summary *summary)
{
    double *values;
    size_t n = report_target_values(target, metric, &values);
    stats_summarize(values, n, STATS_DEFAULT_SEED, summary);
    free(values);
    return n;
}

void report_target_ratio(json_t *target, json_t *reference, const char *metric, stats_ratio *ratio)
{
    ratio->ratio = ratio->ci_low = ratio->ci_high = NAN;
    if (!reference) return;
    double *a, *b;
    size_t na = report_target_values(target, metric, &a);
    size_t nb = report_target_values(reference, metric, &b);
    if (na && nb) stats_ratio_of_medians(a, na, b, nb, STATS_DEFAULT_SEED, ratio);
    free(a);
    free(b);
}

static int report_model_ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int report_metric_smaller_is_better(const char *metric)
{
    return !report_model_ends_with(metric, "_per_s") &&
           !report_model_ends_with(metric, "instances_per_gib");
}

const char *report_metric_unit(const char *metric)
{
    if (report_model_ends_with(metric, "_ns") || strstr(metric, "latency_ns")) return "ns";
    if (report_model_ends_with(metric, "_kib") || strstr(metric, "_kib_per_")) return "KiB";
    if (report_model_ends_with(metric, "_bytes")) return "bytes";
    if (report_model_ends_with(metric, "_per_s")) return "1/s";
    if (report_model_ends_with(metric, "_per_gib")) return "1/GiB";
    return "count";
}

void report_format_value(const char *metric, double value, char *buf, size_t size)
{
    const char *unit = report_metric_unit(metric);
    double magnitude = fabs(value);
    if (!strcmp(unit, "ns")) {
        if (magnitude >= 1e9)
            snprintf(buf, size, "%.3g s", value / 1e9);
        else if (magnitude >= 1e6)
            snprintf(buf, size, "%.3g ms", value / 1e6);
        else if (magnitude >= 1e3)
            snprintf(buf, size, "%.3g us", value / 1e3);
        else
            snprintf(buf, size, "%.0f ns", value);
    } else if (!strcmp(unit, "KiB")) {
        if (magnitude >= 1024 * 1024)
            snprintf(buf, size, "%.3g GiB", value / (1024.0 * 1024.0));
        else if (magnitude >= 1024)
            snprintf(buf, size, "%.3g MiB", value / 1024.0);
        else
            snprintf(buf, size, "%.3g KiB", value);
    } else if (!strcmp(unit, "bytes")) {
        if (magnitude >= 1024.0 * 1024.0)
            snprintf(buf, size, "%.3g MiB", value / (1024.0 * 1024.0));
        else if (magnitude >= 1024.0)
            snprintf(buf, size, "%.3g KiB", value / 1024.0);
        else
            snprintf(buf, size, "%.0f B", value);
    } else if (!strcmp(unit, "1/s")) {
        snprintf(buf, size, "%.0f/s", value);
    } else if (!strcmp(unit, "1/GiB")) {
        snprintf(buf, size, "%.0f/GiB", value);
    } else {
        snprintf(buf, size, "%.4g", value);
    }
}

void report_format_ratio(double ratio, char *buf, size_t size)
{
    if (isnan(ratio))
        snprintf(buf, size, "-");
    else if (fabs(ratio) < 10)
        snprintf(buf, size, "%.2fx", ratio);
    else if (fabs(ratio) < 1000)
        snprintf(buf, size, "%.3gx", ratio);
    else /* 42600x reads better than 4.26e+04x */
        snprintf(buf, size, "%.0fx", ratio);
}

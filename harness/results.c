/* results.c: builds, summarises, writes and loads results documents
 * (wasmvs/results/v1). The schema lives here and in README.md, nowhere else. */
#include "paths.h"
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

#define RESULTS_TOOL_VERSION "0.1.0"

int results_load(const char *path, json_t **out, wasmvs_error *err)
{
    *out = NULL;
    FILE *file = fopen(path, "rb");
    if (!file) return wasmvs_fail(err, "%s: cannot open results file: %s", path, strerror(errno));
    json_error_t parse_error;
    json_t *doc = json_loadf(file, 0, &parse_error);
    fclose(file);
    if (!doc)
        return wasmvs_fail(err,
                           "%s:%d:%d: expected a JSON results document, found invalid JSON: %s",
                           path, parse_error.line, parse_error.column, parse_error.text);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return wasmvs_fail(err, "%s: expected a JSON object at the top, found another JSON value",
                           path);
    }
    json_t *schema = json_object_get(doc, "schema");
    if (!json_is_string(schema) || strcmp(json_string_value(schema), RESULTS_SCHEMA) != 0) {
        char found[128];
        if (!schema)
            snprintf(found, sizeof found, "no \"schema\" field");
        else if (json_is_string(schema))
            snprintf(found, sizeof found, "\"%.100s\"", json_string_value(schema));
        else
            snprintf(found, sizeof found, "a non-string value");
        json_decref(doc);
        return wasmvs_fail(err, "%s: field \"schema\": expected \"%s\", found %s", path,
                           RESULTS_SCHEMA, found);
    }
    if (!json_is_array(json_object_get(doc, "targets"))) {
        json_decref(doc);
        return wasmvs_fail(err, "%s: field \"targets\": expected an array, found %s", path,
                           json_object_get(doc, "targets") ? "another JSON value" : "nothing");
    }
    *out = doc;
    return 0;
}

static void results_utc_now(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *results_new(json_t *scenario, json_t *host, const char *git_commit)
{
    char now[32];
    results_utc_now(now, sizeof now);
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string(RESULTS_SCHEMA));
    json_object_set_new(doc, "tool",
                        json_pack("{s:s, s:s, s:o}", "name", "wasmvs", "version",
                                  RESULTS_TOOL_VERSION, "git_commit",
                                  git_commit ? json_string(git_commit) : json_null()));
    json_object_set_new(doc, "started_at", json_string(now));
    json_object_set_new(doc, "finished_at", json_null());
    json_object_set_new(doc, "interrupted", json_false());
    json_object_set_new(doc, "scenario", scenario ? scenario : json_null());
    json_object_set_new(doc, "host", host ? host : json_null());
    json_object_set_new(doc, "baseline_target", json_null());
    json_object_set_new(doc, "targets", json_array());
    return doc;
}

static json_t *results_string_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

json_t *results_add_target(json_t *doc, const char *name, bool available, const char *version,
                           const char *reason, json_t *details)
{
    json_t *target = json_object();
    json_object_set_new(target, "name", json_string(name));
    json_object_set_new(target, "available", json_boolean(available));
    json_object_set_new(target, "version", results_string_or_null(version));
    json_object_set_new(target, "reason", results_string_or_null(reason));
    json_object_set_new(target, "details", details ? details : json_object());
    json_object_set_new(target, "counters_available", json_array());
    json_object_set_new(target, "counters_missing", json_array());
    json_object_set_new(target, "samples", json_array());
    json_object_set_new(target, "summary", json_object());
    json_object_set_new(target, "ratio_to_baseline", json_object());
    json_array_append_new(json_object_get(doc, "targets"), target);
    return target;
}

json_t *results_add_noise_probe(json_t *doc, const char *version)
{
    json_t *scratch = json_pack("{s:[]}", "targets");
    json_t *probe = json_incref(results_add_target(scratch, "noop", true, version, NULL, NULL));
    json_decref(scratch);
    json_object_set_new(doc, "noise_probe", probe);
    return probe;
}

json_t *results_find_target(json_t *doc, const char *name)
{
    size_t i;
    json_t *target;
    json_array_foreach(json_object_get(doc, "targets"), i, target)
    {
        const char *target_name = json_string_value(json_object_get(target, "name"));
        if (target_name && strcmp(target_name, name) == 0) return target;
    }
    return NULL;
}

void results_set_counters(json_t *target, json_t *available, json_t *missing)
{
    json_object_set_new(target, "counters_available", available ? available : json_array());
    json_object_set_new(target, "counters_missing", missing ? missing : json_array());
}

json_t *results_add_sample(json_t *target, bool warmup, bool ok, const char *error,
                           const char *output, json_t *metrics, json_t *phases)
{
    json_t *samples = json_object_get(target, "samples");
    json_t *sample = json_object();
    json_object_set_new(sample, "index", json_integer((json_int_t)json_array_size(samples)));
    json_object_set_new(sample, "warmup", json_boolean(warmup));
    json_object_set_new(sample, "ok", json_boolean(ok));
    json_object_set_new(sample, "error", results_string_or_null(error));
    if (!ok) json_object_set_new(sample, "output", results_string_or_null(output));
    json_object_set_new(sample, "metrics", metrics ? metrics : json_object());
    json_object_set_new(sample, "phases", phases ? phases : json_null());
    json_array_append_new(samples, sample);
    return sample;
}

static bool results_sample_counts(json_t *sample)
{
    return json_is_true(json_object_get(sample, "ok")) &&
           !json_is_true(json_object_get(sample, "warmup"));
}

double *results_metric_values(json_t *target, const char *metric, size_t *n)
{
    json_t *samples = json_object_get(target, "samples");
    *n = 0;
    double *values = malloc((json_array_size(samples) + 1) * sizeof *values);
    if (!values) return NULL;
    size_t i;
    json_t *sample;
    json_array_foreach(samples, i, sample)
    {
        if (!results_sample_counts(sample)) continue;
        json_t *value = json_object_get(json_object_get(sample, "metrics"), metric);
        if (json_is_number(value)) values[(*n)++] = json_number_value(value);
    }
    if (*n == 0) {
        free(values);
        return NULL;
    }
    return values;
}

/* JSON has no NaN or infinity: such values are written as null. */
static json_t *results_number(double value)
{
    return isfinite(value) ? json_real(value) : json_null();
}

/* Every metric name that appears in a counted sample, in first-seen order. */
static json_t *results_metric_names(json_t *target)
{
    json_t *names = json_object();
    size_t i;
    json_t *sample;
    json_array_foreach(json_object_get(target, "samples"), i, sample)
    {
        if (!results_sample_counts(sample)) continue;
        const char *key;
        json_t *value;
        json_object_foreach(json_object_get(sample, "metrics"), key, value)
        {
            if (json_is_number(value)) json_object_set_new(names, key, json_true());
        }
    }
    return names;
}

static void results_summarize_target(json_t *target)
{
    json_t *summary = json_object();
    json_t *names = results_metric_names(target);
    const char *metric;
    json_t *unused;
    json_object_foreach(names, metric, unused)
    {
        size_t n;
        double *values = results_metric_values(target, metric, &n);
        if (!values) continue;
        stats_summary s;
        stats_summarize(values, n, STATS_DEFAULT_SEED, &s);
        free(values);
        json_object_set_new(
            summary, metric,
            json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "n",
                      (json_int_t)s.n, "min", results_number(s.min), "max", results_number(s.max),
                      "mean", results_number(s.mean), "stddev", results_number(s.stddev), "median",
                      results_number(s.median), "mad", results_number(s.mad), "p90",
                      results_number(s.p90), "p99", results_number(s.p99), "ci_low",
                      results_number(s.ci_low), "ci_high", results_number(s.ci_high), "outliers",
                      (json_int_t)s.outliers));
    }
    json_decref(names);
    json_object_set_new(target, "summary", summary);
}

static void results_ratio_target(json_t *target, json_t *baseline)
{
    json_t *ratios = json_object();
    const char *metric;
    json_t *unused;
    json_object_foreach(json_object_get(target, "summary"), metric, unused)
    {
        size_t na, nb;
        double *a = results_metric_values(target, metric, &na);
        double *b = results_metric_values(baseline, metric, &nb);
        if (a && b) {
            stats_ratio r;
            stats_ratio_of_medians(a, na, b, nb, STATS_DEFAULT_SEED, &r);
            json_object_set_new(ratios, metric,
                                json_pack("{s:o, s:o, s:o}", "ratio", results_number(r.ratio),
                                          "ci_low", results_number(r.ci_low), "ci_high",
                                          results_number(r.ci_high)));
        }
        free(a);
        free(b);
    }
    json_object_set_new(target, "ratio_to_baseline", ratios);
}

void results_finish(json_t *doc, bool interrupted)
{
    char now[32];
    results_utc_now(now, sizeof now);
    json_object_set_new(doc, "finished_at", json_string(now));
    json_object_set_new(doc, "interrupted", json_boolean(interrupted));
    json_t *targets = json_object_get(doc, "targets");
    json_t *baseline = NULL;
    size_t i;
    json_t *target;
    json_array_foreach(targets, i, target)
    {
        results_summarize_target(target);
        if (!baseline && json_is_true(json_object_get(target, "available")) &&
            json_object_size(json_object_get(target, "summary")) > 0)
            baseline = target;
    }
    json_t *probe = json_object_get(doc, "noise_probe");
    if (json_is_object(probe)) results_summarize_target(probe);
    json_object_set_new(doc, "baseline_target",
                        baseline ? json_copy(json_object_get(baseline, "name")) : json_null());
    if (!baseline) return;
    json_array_foreach(targets, i, target) results_ratio_target(target, baseline);
}

int results_write(json_t *doc, const char *path, wasmvs_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (paths_make_directories(dir, err) != 0) return -1;
    }
    char temporary[4200];
    snprintf(temporary, sizeof temporary, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return wasmvs_fail(err, "%s: cannot create temporary results file: %s", temporary,
                           strerror(errno));
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    int failed = !text;
    size_t length = text ? strlen(text) : 0;
    for (size_t done = 0; !failed && done < length;) {
        ssize_t written = write(fd, text + done, length - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0)
            failed = 1;
        else
            done += (size_t)written;
    }
    if (!failed && write(fd, "\n", 1) != 1) failed = 1;
    if (!failed && fsync(fd) != 0) failed = 1;
    int saved = errno;
    bool encoded = text != NULL;
    free(text);
    if (close(fd) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(temporary);
        return wasmvs_fail(err, "%s: cannot write results: %s", temporary,
                           encoded ? strerror(saved) : "JSON encoding failed");
    }
    if (rename(temporary, path) != 0) {
        saved = errno;
        unlink(temporary);
        return wasmvs_fail(err, "%s: cannot rename %s into place: %s", path, temporary,
                           strerror(saved));
    }
    return 0;
}

void results_default_path(const char *root, const char *scenario_name, char *out, size_t size)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(out, size, "%s/results/%s-%s.json", root ? root : ".", scenario_name, stamp);
}

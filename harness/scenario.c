/* scenario.c: parsing and checking scenario files (see scenario.h). */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "density.h"
#include "http.h"
#include "serverless.h"
#include "target.h"

static const char *const scenario_fields[] = {
    "name",       "description", "kind",          "workload",    "parameters", "targets",
    "warmup",     "repetitions", "timeout_s",     "drop_caches", "density",    "load",
    "serverless", "stop",        "perf_counters", NULL};

static const char *scenario_type_name(json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "an unknown value";
}

static int scenario_string(const char *path, json_t *doc, const char *field, char *out, size_t size,
                           const char *fallback, wasmvs_error *err)
{
    json_t *value = json_object_get(doc, field);
    if (!value) {
        if (fallback) {
            snprintf(out, size, "%s", fallback);
            return 0;
        }
        return wasmvs_fail(err, "%s: field \"%s\": expected a string, found nothing (required)",
                           path, field);
    }
    if (!json_is_string(value))
        return wasmvs_fail(err, "%s: field \"%s\": expected a string, found %s", path, field,
                           scenario_type_name(value));
    if (json_string_length(value) == 0 || json_string_length(value) >= size)
        return wasmvs_fail(err, "%s: field \"%s\": expected 1 to %zu characters, found %zu", path,
                           field, size - 1, json_string_length(value));
    snprintf(out, size, "%s", json_string_value(value));
    return 0;
}

/* An optional boolean field (false when absent). */
static int scenario_boolean(const char *path, json_t *doc, const char *field, bool *out,
                            wasmvs_error *err)
{
    json_t *value = json_object_get(doc, field);
    if (value && !json_is_boolean(value))
        return wasmvs_fail(err, "%s: field \"%s\": expected a boolean, found %s", path, field,
                           scenario_type_name(value));
    *out = json_is_true(value);
    return 0;
}

static int scenario_integer(const char *path, json_t *doc, const char *field, int minimum,
                            int maximum, int fallback, int *out, wasmvs_error *err)
{
    json_t *value = json_object_get(doc, field);
    if (!value) {
        if (fallback < minimum)
            return wasmvs_fail(err,
                               "%s: field \"%s\": expected an integer from %d to %d, found "
                               "nothing (required)",
                               path, field, minimum, maximum);
        *out = fallback;
        return 0;
    }
    if (!json_is_integer(value))
        return wasmvs_fail(err, "%s: field \"%s\": expected an integer from %d to %d, found %s",
                           path, field, minimum, maximum, scenario_type_name(value));
    json_int_t number = json_integer_value(value);
    if (number < minimum || number > maximum)
        return wasmvs_fail(err, "%s: field \"%s\": expected an integer from %d to %d, found %lld",
                           path, field, minimum, maximum, (long long)number);
    *out = (int)number;
    return 0;
}

static void scenario_free_targets(scenario *s)
{
    for (size_t i = 0; i < s->target_count; i++)
        free(s->targets[i]);
    s->target_count = 0;
}

static int scenario_add_target(const char *path, const char *where, scenario *s, const char *name,
                               wasmvs_error *err)
{
    if (!target_exists(name))
        return wasmvs_fail(err, "%s: %s: expected one of %s, found \"%s\"", path, where,
                           target_names(), name);
    for (size_t i = 0; i < s->target_count; i++)
        if (strcmp(s->targets[i], name) == 0)
            return wasmvs_fail(err, "%s: %s: expected each target once, found \"%s\" twice", path,
                               where, name);
    if (s->target_count >= SCENARIO_MAX_TARGETS)
        return wasmvs_fail(err, "%s: %s: expected at most %d targets", path, where,
                           SCENARIO_MAX_TARGETS);
    s->targets[s->target_count++] = strdup(name);
    return 0;
}

static int scenario_targets(const char *path, json_t *doc, scenario *s, wasmvs_error *err)
{
    json_t *targets = json_object_get(doc, "targets");
    if (!targets)
        return wasmvs_fail(err,
                           "%s: field \"targets\": expected an array of target names, found "
                           "nothing (required)",
                           path);
    if (!json_is_array(targets) || json_array_size(targets) == 0)
        return wasmvs_fail(err,
                           "%s: field \"targets\": expected a non-empty array of target names, "
                           "found %s",
                           path,
                           json_is_array(targets) ? "an empty array" : scenario_type_name(targets));
    size_t i;
    json_t *name;
    json_array_foreach(targets, i, name)
    {
        char where[64];
        snprintf(where, sizeof where, "field \"targets[%zu]\"", i);
        if (!json_is_string(name))
            return wasmvs_fail(err, "%s: %s: expected a target name string, found %s", path, where,
                               scenario_type_name(name));
        if (scenario_add_target(path, where, s, json_string_value(name), err) != 0) return -1;
    }
    return 0;
}

/* One number of the "stop" object, in [minimum, maximum]; integer when asked. */
static int scenario_stop_number(const char *path, json_t *stop, const char *field, double minimum,
                                double maximum, bool integer, double *out, wasmvs_error *err)
{
    json_t *value = json_object_get(stop, field);
    if (!value) return 0;
    if (!json_is_number(value) || (integer && !json_is_integer(value)) ||
        json_number_value(value) < minimum || json_number_value(value) > maximum)
        return wasmvs_fail(err, "%s: field \"stop.%s\": expected %s from %g to %g, found %s", path,
                           field, integer ? "an integer" : "a number", minimum, maximum,
                           json_is_number(value) ? "a value out of range or not whole"
                                                 : scenario_type_name(value));
    *out = json_number_value(value);
    return 0;
}

int scenario_stop_rule(const char *path, json_t *stop, plan_stop_rule *out, wasmvs_error *err)
{
    *out = (plan_stop_rule){0, PLAN_DEFAULT_MAX_REPETITIONS, PLAN_DEFAULT_MAX_SECONDS};
    if (!stop) return 0;
    if (!json_is_object(stop))
        return wasmvs_fail(err, "%s: field \"stop\": expected an object, found %s", path,
                           scenario_type_name(stop));
    const char *key;
    json_t *value;
    json_object_foreach(stop, key, value)
    {
        if (strcmp(key, "ci_width_pct") && strcmp(key, "max_repetitions") &&
            strcmp(key, "max_seconds"))
            return wasmvs_fail(err,
                               "%s: field \"stop.%s\": unknown field; expected only "
                               "ci_width_pct, max_repetitions, max_seconds",
                               path, key);
    }
    if (!json_object_get(stop, "ci_width_pct"))
        return wasmvs_fail(err,
                           "%s: field \"stop.ci_width_pct\": expected a number from 0.01 to 100, "
                           "found nothing (required)",
                           path);
    double max_repetitions = out->max_repetitions;
    if (scenario_stop_number(path, stop, "ci_width_pct", 0.01, 100, false, &out->ci_width_pct,
                             err) ||
        scenario_stop_number(path, stop, "max_repetitions", 1, 100000, true, &max_repetitions,
                             err) ||
        scenario_stop_number(path, stop, "max_seconds", 0.1, 86400, false, &out->max_seconds, err))
        return -1;
    out->max_repetitions = (int)max_repetitions;
    return 0;
}

int scenario_from_json(const char *path, json_t *doc, scenario *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->file, sizeof out->file, "%s", path);
    if (!json_is_object(doc))
        return wasmvs_fail(err, "%s: expected a JSON object at the top, found %s", path,
                           scenario_type_name(doc));
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
    {
        int known = 0;
        for (size_t i = 0; scenario_fields[i]; i++)
            known |= strcmp(scenario_fields[i], key) == 0;
        if (!known)
            return wasmvs_fail(
                err,
                "%s: field \"%s\": unknown field; expected only name, description, "
                "kind, workload, parameters, targets, warmup, repetitions, timeout_s, "
                "drop_caches, density, load, serverless, stop, perf_counters",
                path, key);
    }
    if (scenario_string(path, doc, "name", out->name, sizeof out->name, NULL, err) ||
        scenario_string(path, doc, "kind", out->kind, sizeof out->kind, "oneshot", err) ||
        scenario_string(path, doc, "workload", out->workload, sizeof out->workload, NULL, err))
        goto fail;
    for (const char *c = out->name; *c; c++) {
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", *c)) {
            wasmvs_fail(err,
                        "%s: field \"name\": expected letters, digits, '-', '_' or '.' (it names "
                        "the results file), found \"%s\"",
                        path, out->name);
            goto fail;
        }
    }
    bool http = strcmp(out->kind, "http") == 0;
    bool serverless = strcmp(out->kind, "serverless") == 0;
    if (strcmp(out->kind, "oneshot") != 0 && strcmp(out->kind, "density") != 0 && !http &&
        !serverless) {
        wasmvs_fail(err,
                    "%s: field \"kind\": expected \"oneshot\", \"density\", \"http\" or "
                    "\"serverless\", found \"%s\"",
                    path, out->kind);
        goto fail;
    }
    http_options load;
    if (http || serverless
            ? http_options_from_json(path, json_object_get(doc, "load"), &load, err) != 0
            : json_object_get(doc, "load") != NULL) {
        if (!http && !serverless)
            wasmvs_fail(err,
                        "%s: field \"load\": expected only with kind \"http\" or "
                        "\"serverless\", found kind \"%s\"",
                        path, out->kind);
        goto fail;
    }
    if (serverless ? serverless_options_check(path, doc, err) != 0
                   : json_object_get(doc, "serverless") != NULL) {
        if (!serverless)
            wasmvs_fail(err,
                        "%s: field \"serverless\": expected only with kind \"serverless\", "
                        "found kind \"%s\"",
                        path, out->kind);
        goto fail;
    }
    if (scenario_boolean(path, doc, "drop_caches", &out->drop_caches, err) ||
        scenario_boolean(path, doc, "perf_counters", &out->perf_counters, err))
        goto fail;
    density_options density;
    if (strcmp(out->kind, "density") == 0
            ? density_options_parse(path, json_object_get(doc, "density"), &density, err) != 0
            : json_object_get(doc, "density") != NULL) {
        if (strcmp(out->kind, "density") != 0)
            wasmvs_fail(err, "%s: field \"density\": expected only with kind \"density\", found "
                             "kind \"%s\"",
                        path, out->kind);
        goto fail;
    }
    if (scenario_stop_rule(path, json_object_get(doc, "stop"), &out->stop, err) != 0) goto fail;
    if (out->stop.ci_width_pct > 0 && strcmp(out->kind, "density") == 0) {
        wasmvs_fail(err,
                    "%s: field \"stop\": expected only with kinds that repeat their steps "
                    "(oneshot, http, serverless), found kind \"density\" (one sweep per target)",
                    path);
        goto fail;
    }
    json_t *description = json_object_get(doc, "description");
    if (description && !json_is_string(description)) {
        wasmvs_fail(err, "%s: field \"description\": expected a string, found %s", path,
                    scenario_type_name(description));
        goto fail;
    }
    if (scenario_integer(path, doc, "warmup", 0, 1000, 1, &out->warmup, err) ||
        scenario_integer(path, doc, "repetitions", 1, 100000,
                         strcmp(out->kind, "density") == 0 ? 1 : 0, /* one sweep */
                         &out->repetitions, err))
        goto fail;
    if (out->stop.ci_width_pct > 0 && out->stop.max_repetitions < out->repetitions) {
        wasmvs_fail(err,
                    "%s: field \"stop.max_repetitions\": expected at least \"repetitions\" (%d), "
                    "the minimum taken before the interval is checked, found %d",
                    path, out->repetitions, out->stop.max_repetitions);
        goto fail;
    }
    out->timeout_s = 60.0;
    json_t *timeout = json_object_get(doc, "timeout_s");
    if (timeout) {
        if (!json_is_number(timeout) || json_number_value(timeout) <= 0 ||
            json_number_value(timeout) > 86400) {
            wasmvs_fail(err,
                        "%s: field \"timeout_s\": expected a number of seconds in (0, 86400], "
                        "found %s",
                        path,
                        json_is_number(timeout) ? "a number out of range"
                                                : scenario_type_name(timeout));
            goto fail;
        }
        out->timeout_s = json_number_value(timeout);
    }
    if (scenario_targets(path, doc, out, err) != 0) goto fail;
    if (workload_prepare(out->workload, json_object_get(doc, "parameters"), &out->invocation,
                         err) != 0) {
        wasmvs_wrap(err, "%s", path);
        goto fail;
    }
    if (out->invocation.long_lived != (strcmp(out->kind, "density") == 0 || http) ||
        (http && !out->invocation.serves_http)) {
        wasmvs_fail(err,
                    "%s: field \"workload\": expected a workload that %s for kind \"%s\", found "
                    "\"%s\", which does not",
                    path,
                    http                         ? "serves HTTP"
                    : out->invocation.long_lived ? "exits by itself"
                                                 : "runs until stopped",
                    out->kind, out->workload);
        goto fail;
    }
    out->json = json_deep_copy(doc);
    json_object_set_new(out->json, "file", json_string(path));
    json_object_set_new(out->json, "kind", json_string(out->kind));
    json_object_set_new(out->json, "warmup", json_integer(out->warmup));
    json_object_set_new(out->json, "timeout_s", json_real(out->timeout_s));
    json_object_set_new(out->json, "drop_caches", json_boolean(out->drop_caches));
    json_object_set_new(out->json, "perf_counters", json_boolean(out->perf_counters));
    if (http || serverless) json_object_set_new(out->json, "load", http_options_to_json(&load));
    if (serverless) json_object_set_new(out->json, "serverless", serverless_options_to_json(doc));
    if (out->stop.ci_width_pct > 0)
        json_object_set_new(out->json, "stop", plan_stop_rule_json(&out->stop));
    if (!json_object_get(out->json, "parameters"))
        json_object_set_new(out->json, "parameters", json_object());
    return 0;
fail:
    scenario_free(out);
    return -1;
}

int scenario_load(const char *path, scenario *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *file = fopen(path, "rb");
    if (!file) return wasmvs_fail(err, "%s: cannot open scenario file: %s", path, strerror(errno));
    json_error_t parse_error;
    json_t *doc = json_loadf(file, JSON_REJECT_DUPLICATES, &parse_error);
    fclose(file);
    if (!doc)
        return wasmvs_fail(err, "%s:%d:%d: expected a JSON scenario, found invalid JSON: %s", path,
                           parse_error.line, parse_error.column, parse_error.text);
    int status = scenario_from_json(path, doc, out, err);
    json_decref(doc);
    return status;
}

int scenario_set_targets(scenario *s, const char *comma_separated, wasmvs_error *err)
{
    scenario_free_targets(s);
    char *copy = strdup(comma_separated);
    int status = 0;
    char *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name && status == 0;
         name = strtok_r(NULL, ",", &save))
        status = scenario_add_target("--targets", "target", s, name, err);
    free(copy);
    if (status == 0 && s->target_count == 0)
        status = wasmvs_fail(err, "--targets: expected a comma-separated list of targets, found "
                                  "nothing");
    if (status == 0) {
        json_t *names = json_array();
        for (size_t i = 0; i < s->target_count; i++)
            json_array_append_new(names, json_string(s->targets[i]));
        json_object_set_new(s->json, "targets", names);
    }
    return status;
}

void scenario_free(scenario *s)
{
    scenario_free_targets(s);
    workload_free(&s->invocation);
    json_decref(s->json);
    s->json = NULL;
}

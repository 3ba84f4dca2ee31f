/* results.h: the one place that knows the results schema (wasmvs/results/v1, described
 * in README.md). Builds a results document while a run goes on, summarises it (the
 * statistics of every metric, ratios to the baseline target), writes it atomically, and
 * loads it back for `report` and `compare`. Documents are jansson objects. */
#ifndef WASMVS_RESULTS_H
#define WASMVS_RESULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define RESULTS_SCHEMA "wasmvs/results/v1"

/* Reads the file at path, parses it and checks "schema" == RESULTS_SCHEMA. On success
 * *out holds a new reference the caller releases with json_decref. Errors name the
 * file and the fault (unreadable, bad JSON with line/column, wrong or missing schema). */
int results_load(const char *path, json_t **out, wasmvs_error *err);

/* A new document: schema, tool (with git_commit, may be NULL), started_at, "interrupted": false,
 * the scenario (stolen reference) and the host facts (stolen reference), an empty "targets" array.
 */
json_t *results_new(json_t *scenario, json_t *host, const char *git_commit);

/* Appends a target entry and returns it (borrowed). reason: NULL when available. */
json_t *results_add_target(json_t *doc, const char *name, bool available, const char *version,
                           const char *reason, json_t *details);

/* The entry of the noise probe (the `noop` target run beside a one-shot scenario's
 * targets), shaped as a target's but kept as the document's "noise_probe", apart from
 * "targets", so no baseline, ratio, report or comparison counts it. Borrowed. */
json_t *results_add_noise_probe(json_t *doc, const char *version);

/* The target entry of that name, or NULL (borrowed). */
json_t *results_find_target(json_t *doc, const char *name);

/* Records the perf counters a target could and could not open (stolen arrays). */
void results_set_counters(json_t *target, json_t *available, json_t *missing);

/* Appends one sample to a target. metrics and phases are stolen (phases may be NULL).
 * error and output are copied when not NULL: a failed sample keeps what was seen. */
json_t *results_add_sample(json_t *target, bool warmup, bool ok, const char *error,
                           const char *output, json_t *metrics, json_t *phases);

/* Marks the end: finished_at, interrupted, baseline_target (the first available target),
 * and for every target (and the noise probe) a summary of each metric (only ok &&
 * !warmup samples) and the ratio of its medians to the baseline's, with bootstrap
 * intervals. */
void results_finish(json_t *doc, bool interrupted);

/* The values of one metric over a target's ok, non-warm-up samples; *n gets the count.
 * Returns a malloc'ed array (NULL when none) the caller frees. */
double *results_metric_values(json_t *target, const char *metric, size_t *n);

/* Writes doc to path atomically: a temporary file in the same directory, fsync, rename.
 * Creates the directory when missing. */
int results_write(json_t *doc, const char *path, wasmvs_error *err);

/* The default output path: results/SCENARIO-YYYYmmddTHHMMSSZ.json under root. */
void results_default_path(const char *root, const char *scenario_name, char *out, size_t size);

#endif

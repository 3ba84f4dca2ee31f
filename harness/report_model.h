/* report_model.h: results files as `wasmvs report` and `wasmvs compare` read them.
 *
 * A report_set holds one or more loaded results files (wasmvs/results/v1), merged by
 * scenario: files whose scenario has the same name and kind become one report_run whose
 * targets list is the union (a target name seen twice is made unique with its file's
 * name). The helpers below pull what both commands need from a target: the values of a
 * metric over its usable samples (ok && !warmup), its phases, and a scenario's
 * single-valued figures (density fit, HTTP load). Units and direction follow the
 * schema's naming rule (README "Results schema"). */
#ifndef WASMVS_REPORT_MODEL_H
#define WASMVS_REPORT_MODEL_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "stats.h"

typedef struct report_run {
    const char *path;          /* first file this run came from */
    const char *scenario_name; /* scenario.name, or the file name when absent */
    const char *kind;          /* scenario.kind: oneshot, density, http */
    const char *workload;      /* scenario.workload (string or .name), or "" */
    const char *fingerprint;   /* host.fingerprint, or "" */
    const char *baseline;      /* baseline_target, or "native" */
    json_t *root;              /* the first file's document (owned by the set) */
    json_t *targets;           /* merged target objects (owned reference) */
    size_t file_count;         /* how many files were merged into this run */
} report_run;

typedef struct report_set {
    report_run *runs;
    size_t count;
    json_t **documents; /* every loaded document, owned */
    size_t document_count;
} report_set;

/* Loads every path (results_load checks the schema) and merges runs by scenario. On
 * failure the set is freed and err names the file. */
int report_set_load(report_set *set, char *const *paths, size_t count, wasmvs_error *err);
void report_set_free(report_set *set);

/* The target object named `name` in run->targets, or NULL. */
json_t *report_run_target(const report_run *run, const char *name);

/* 1 when the target is available (and so has samples or figures). */
int report_target_available(json_t *target);
const char *report_target_name(json_t *target);

/* Values of `metric` over the target's usable samples (ok && !warmup), in sample order.
 * Returns the count; *values is malloc'd (NULL when the count is 0). A path with a dot,
 * "phases.load_ns", reads the sample's phases object instead of its metrics. */
size_t report_target_values(json_t *target, const char *metric, double **values);

/* Names of the numeric metrics present in the target's usable samples, sorted and
 * unique, as a JSON array of strings (new reference). Includes "phases.*" names. */
json_t *report_target_metric_names(json_t *target);

/* Targets of the run grouped by the phases their samples record (Wasm targets: load,
 * instantiate, execute; Docker: the Engine API calls), in recording order. A new
 * reference: [{"phases": ["phases.load_ns", ...], "targets": ["wasmrt", ...]}, ...]. */
json_t *report_run_phase_groups(const report_run *run);

/* "phases.instantiate_ns" -> "instantiate". */
void report_phase_label(const char *metric, char *buf, size_t size);

/* Counts of samples: usable, failed (ok false, warm-up excluded), warm-up. */
void report_target_sample_counts(json_t *target, size_t *usable, size_t *failed, size_t *warmup);

/* A single-valued figure by dotted path from the target object, e.g.
 * "fit.instances_per_gib" or "load.latency_ns.p99". Returns 0 and fills *value, or -1
 * when the path is absent or not a number. */
int report_target_figure(json_t *target, const char *path, double *value);

/* The median of a sampled metric ("wall_ns", "phases.load_ns") or, for a dotted path
 * into the target ("fit.instances_per_gib", "load.requests_per_s"), that figure.
 * Returns 0 and fills *value, or -1 when the target has no such value. */
int report_target_median(json_t *target, const char *metric, double *value);

/* The stats_summary of a sampled metric over the usable samples; returns n (0: none). */
size_t report_target_summary(json_t *target, const char *metric, stats_summary *summary);

/* Ratio of the medians of a sampled metric, target over reference, with its bootstrap
 * interval; all NaN when either side has no samples or reference is NULL. */
void report_target_ratio(json_t *target, json_t *reference, const char *metric, stats_ratio *ratio);

/* 1 when smaller values of this metric are better (every metric but *_per_s). */
int report_metric_smaller_is_better(const char *metric);

/* Formats a value of `metric` with a unit chosen for reading (ns -> us/ms/s,
 * KiB -> MiB, _per_s -> /s). */
void report_format_value(const char *metric, double value, char *buf, size_t size);

/* Formats a ratio for reading: "0.83x", "15.1x", "468x". */
void report_format_ratio(double ratio, char *buf, size_t size);

/* The unit suffix of a metric name for machine formats: "ns", "KiB", "bytes",
 * "1/s", or "count". */
const char *report_metric_unit(const char *metric);

#endif

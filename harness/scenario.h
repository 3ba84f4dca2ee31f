/* scenario.h: scenario files (the JSON files in scenarios/). A scenario names a workload, its
 * parameters, the targets to compare, warm-up runs, repetitions and a timeout. The
 * parser checks every field before anything runs; an error names the file, the field,
 * what was expected and what was found. The format is documented in README.md. */
#ifndef WASMVS_SCENARIO_H
#define WASMVS_SCENARIO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "plan.h"
#include "workload.h"

#define SCENARIO_MAX_TARGETS 16

typedef struct scenario {
    char file[1024];
    char name[128];
    char kind[32]; /* "oneshot": each sample is one cold instance run to its end;
                    * "density": idle instances swept over N (density.h) */
    char workload[32];
    char *targets[SCENARIO_MAX_TARGETS];
    size_t target_count;
    int warmup;
    int repetitions;
    double timeout_s;
    bool drop_caches;               /* drop the page cache before each sample (root only) */
    plan_stop_rule stop;            /* adaptive stopping ("stop"); ci_width_pct 0 when off */
    bool perf_counters;             /* attach perf_event counters to each launched instance */
    json_t *json;                   /* the scenario as parsed, with defaults filled in */
    workload_invocation invocation; /* what each sample runs and must answer */
} scenario;

/* Reads and checks the scenario file at path. */
int scenario_load(const char *path, scenario *out, wasmvs_error *err);

/* Checks an already parsed document; path is only used in messages. */
int scenario_from_json(const char *path, json_t *doc, scenario *out, wasmvs_error *err);

/* Reads a "stop" object (NULL: no adaptive stopping; defaults for the caps it leaves
 * out). Errors name path and the field. */
int scenario_stop_rule(const char *path, json_t *stop, plan_stop_rule *out, wasmvs_error *err);

/* Replaces the targets (from --targets a,b); names are checked like the file's. */
int scenario_set_targets(scenario *s, const char *comma_separated, wasmvs_error *err);

void scenario_free(scenario *s);

#endif

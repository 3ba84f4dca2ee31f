/* density.h: the density scenario kind. How many idle instances fit on one machine,
 * measured the same way for every target: start N idle instances (each confirmed ready
 * before it counts), let the machine settle, measure, and sweep N upwards until the
 * memory budget, the maximum N or the time limit is reached, or the machine runs short
 * of memory. Each step records the PSS summed over every process involved, the drop in
 * MemAvailable since the start, the containers' cgroup memory and how long the batch
 * took to start; the marginal memory per instance is the slope of a least-squares line
 * over the steps, with a bootstrap interval and the fit's R^2. Everything started is torn down
 * afterwards, also after Ctrl-C.
 *
 * Options live in the scenario's "density" object (README.md, "Density"). */
#ifndef WASMVS_DENSITY_H
#define WASMVS_DENSITY_H

#include <jansson.h>
#include <stdio.h>

#include "error.h"
#include "scenario.h"
#include "target.h"

#define DENSITY_MAX_STEPS 64

typedef struct density_options {
    long steps[DENSITY_MAX_STEPS]; /* the N of each step, ascending */
    size_t step_count;
    double budget_mib;        /* stop once the instances' memory exceeds this */
    long max_n;               /* stop at this many instances */
    double time_limit_s;      /* per target, starting and measuring included */
    double settle_s;          /* wait after a batch before measuring */
    double start_timeout_s;   /* for one instance to say it is ready */
    double min_available_mib; /* stop when MemAvailable falls below this */
} density_options;

/* Reads the scenario's "density" object (may be NULL: every default). Errors name
 * path and the field. */
int density_options_parse(const char *path, json_t *value, density_options *out,
                          wasmvs_error *err);

/* Sweeps one probed and prepared target; adds "steps" and "fit" to its results entry
 * (fit is null when fewer than two steps were measured). Returns 0 when at least one
 * step was measured. */
int density_sweep(const scenario *s, target *t, json_t *entry, wasmvs_error *err);

/* The closing table: per target KiB per instance (slope +/- its error, its 95%
 * bootstrap interval, the fit's R^2), instances per GiB, largest N and why the sweep
 * stopped. */
void density_table_print(FILE *out, json_t *doc);

#endif

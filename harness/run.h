/* run.h: `wasmvs run`. Loads a scenario, probes and prepares its targets (skipping,
 * with the reason, those this machine cannot run), takes warm-up runs and repetitions
 * as one plan orders them for every scenario kind (plan.h: shuffled, interleaved rounds,
 * so drift and caches hit all targets alike; adaptive stopping by the width of each
 * median's interval), checks every sample's output, assesses the result's validity
 * (validity.h: noise floor, drift, autocorrelation, the machine's state), writes the
 * results atomically and prints the summary table. Ctrl-C or SIGTERM stops the run,
 * removes every instance started, and writes the samples so far with
 * "interrupted": true. */
#ifndef WASMVS_RUN_H
#define WASMVS_RUN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct run_options {
    const char *scenario_path;
    const char *targets;  /* comma-separated override, or NULL */
    int repetitions;      /* < 0: the scenario's */
    int warmup;           /* < 0: the scenario's */
    const char *out;      /* results file, or NULL for results/NAME-TIME.json */
    uint64_t seed;        /* order shuffling; 0: from the clock (recorded either way) */
    double target_ci_pct; /* > 0: adaptive stopping at this CI width (--target-ci) */
    bool perf_counters;   /* attach perf counters whatever the scenario says */
} run_options;

/* Returns the process exit status: 0 when every available target gave ok samples,
 * 1 when a target had failed samples or none at all, 2 on bad input, 128+signal when
 * interrupted. */
int run_scenario(const run_options *options);

#endif

/* validity.h: whether a result's figures are stable enough to act on, written into every
 * results file. Per target, over its good measured samples of the run's metric in the
 * order they were taken: the coefficient of variation, the lag-1 autocorrelation and a
 * Mann-Kendall drift test (successive samples that resemble each other, or a trend over
 * the run, mean the machine's state changed while measuring); whether the median lies
 * below the noise floor (the clock's, or for targets launched by the harness the launch
 * of an empty static binary, the `noop` probe); whether the ratio to the baseline cannot
 * be told from 1. For the run: the noise floor, and what the CPUs did meanwhile (other
 * work, steal, frequency, load average). Each finding is also a warning in words, which
 * the table prints (README.md, "Validity"). */
#ifndef WASMVS_VALIDITY_H
#define WASMVS_VALIDITY_H

#include <jansson.h>

#include "meters/cpu.h"

/* Flags: a trend test or an autocorrelation beyond its 99% limit, a spread above
 * VALIDITY_NOISY_CV, other work above VALIDITY_BUSY_PCT of the CPUs, steal above
 * VALIDITY_STEAL_PCT, a frequency change above VALIDITY_FREQUENCY_PCT. */
#define VALIDITY_ALPHA 0.01
#define VALIDITY_NOISY_CV 0.10
#define VALIDITY_BUSY_PCT 20.0
#define VALIDITY_STEAL_PCT 2.0
#define VALIDITY_FREQUENCY_PCT 5.0

typedef struct validity_watch {
    meter_cpu_snapshot start;
    double clock_resolution_ns, clock_read_ns;
} validity_watch;

/* Before the first step: the clock's floor and the CPUs' state. */
void validity_watch_begin(validity_watch *watch);

/* After results_finish: adds "validity" to the document (noise floor, machine, run-level
 * warnings) and to every available target with samples of metric (NULL: the run-level
 * part only, for kinds without repeated samples). The launch floor is the summary of
 * the document's "noise_probe" entry, or of a target named "noop". */
void validity_assess(json_t *doc, const char *metric, const validity_watch *watch);

#endif

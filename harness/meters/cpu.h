/* cpu.h: what the CPUs were doing while a run measured: time spent busy, idle and
 * stolen by the hypervisor (/proc/stat), wasmvs's own share of it (its rusage and its
 * reaped children's), the clock frequency where the machine tells it (cpufreq, else
 * /proc/cpuinfo), and the load average. Read at the start and at the end of a run; the
 * difference says whether other work or a slowed CPU may explain a noisy figure. */
#ifndef WASMVS_METER_CPU_H
#define WASMVS_METER_CPU_H

#include <jansson.h>
#include <stdbool.h>

typedef struct meter_cpu_snapshot {
    bool times_valid;                            /* /proc/stat was readable */
    double busy_s, idle_s, steal_s;              /* summed over every CPU since boot */
    double own_s;                                /* wasmvs and its reaped children, user + system */
    double frequency_min_mhz, frequency_max_mhz; /* over the CPUs; < 0 when unknown */
    const char *frequency_source;                /* "cpufreq", "/proc/cpuinfo" or NULL */
    double load_average[3];                      /* -1 when unknown */
} meter_cpu_snapshot;

void meter_cpu_snapshot_take(meter_cpu_snapshot *out);

/* The interval between two snapshots as JSON: cpu_busy_pct (of every CPU's time),
 * wasmvs_pct (its own share), other_pct (the rest: other work, daemons included),
 * steal_pct, the frequency at both ends and its source, the load average at both ends.
 * Unknown figures are null. A new reference. */
json_t *meter_cpu_interval_json(const meter_cpu_snapshot *start, const meter_cpu_snapshot *end);

#endif

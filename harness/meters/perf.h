/* perf.h: perf_event_open counters around one launched process (and, through inherit,
 * every process it starts). Hardware counters where the machine has them, software
 * counters always; a counter that cannot be opened is recorded as missing and never
 * fails a sample. Attached counters cost the counted process time (measured here: 20-60
 * us on a 0.6 ms static hello, 3-9%), so `wasmvs run` attaches them only when a
 * scenario asks (meter_perf_set_attach). */
#ifndef WASMVS_METER_PERF_H
#define WASMVS_METER_PERF_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#define METER_PERF_MAX 8

typedef struct meter_perf {
    int fds[METER_PERF_MAX]; /* -1 where the counter could not be opened */
} meter_perf;

/* Opens every counter on pid, disabled until pid calls exec (enable_on_exec), so the
 * counts cover the workload and not the launcher's own fork. Opens none (every fd -1)
 * while attaching is off. */
void meter_perf_open(meter_perf *perf, pid_t pid);

/* Whether meter_perf_open attaches counters (on until set otherwise), process-wide. */
void meter_perf_set_attach(bool attach);
bool meter_perf_attaching(void);

/* Adds the counts to metrics (task_clock_ns, page_faults, context_switches,
 * cpu_migrations, cycles, instructions, cache_misses, branch_misses) and closes. */
void meter_perf_read_close(meter_perf *perf, json_t *metrics);

/* Closes without reading (a launch that failed). */
void meter_perf_close(meter_perf *perf);

/* Which counters this machine supports, as names in two new arrays. Probed once. */
void meter_perf_availability(json_t **available, json_t **missing);

#endif

/* clock.c: CLOCK_MONOTONIC, immune to wall-clock steps during a run, and its noise floor
 * (see clock.h). */
#include "clock.h"

#include <stdlib.h>
#include <time.h>

uint64_t meter_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int meter_clock_compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void meter_clock_floor(double *resolution_ns, double *read_ns)
{
    struct timespec resolution;
    *resolution_ns = clock_getres(CLOCK_MONOTONIC, &resolution) == 0
                         ? (double)resolution.tv_sec * 1e9 + (double)resolution.tv_nsec
                         : -1;
    enum { READS = 1001 };
    uint64_t deltas[READS - 1];
    uint64_t previous = meter_clock_ns();
    for (int i = 0; i < READS - 1; i++) {
        uint64_t now = meter_clock_ns();
        deltas[i] = now - previous;
        previous = now;
    }
    qsort(deltas, READS - 1, sizeof *deltas, meter_clock_compare);
    *read_ns = (double)deltas[(READS - 1) / 2];
}

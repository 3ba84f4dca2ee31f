/* clock.h: the one wall clock of the harness, CLOCK_MONOTONIC in nanoseconds, and its
 * own noise floor. */
#ifndef WASMVS_METER_CLOCK_H
#define WASMVS_METER_CLOCK_H

#include <stdint.h>

uint64_t meter_clock_ns(void);

/* The clock's resolution (clock_getres) and the median cost of reading it (back-to-back
 * reads): no interval the harness times can be resolved finer than these. */
void meter_clock_floor(double *resolution_ns, double *read_ns);

#endif

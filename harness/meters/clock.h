/* clock.h: the one wall clock of the harness, CLOCK_MONOTONIC in nanoseconds. */
#ifndef WASMVS_METER_CLOCK_H
#define WASMVS_METER_CLOCK_H

#include <stdint.h>

uint64_t meter_clock_ns(void);

#endif

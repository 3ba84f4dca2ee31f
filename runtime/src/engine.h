/* engine.h: what engine.c offers the other stages: error values (a status, the
 * byte offset, a message; traps by kind), interned function types, and memory the
 * engine owns until it is freed. */
#ifndef WASMRT_ENGINE_H
#define WASMRT_ENGINE_H

#include "module.h"

wasmrt_status error_set(wasmrt_error *error, wasmrt_status status, size_t offset, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));
wasmrt_status error_trap(wasmrt_error *error, wasmrt_trap_kind kind, const char *detail);

const functype *engine_intern_type(wasmrt_engine *engine, const wasmrt_valtype *params,
                                   uint32_t param_count, const wasmrt_valtype *results,
                                   uint32_t result_count);
void *engine_own(wasmrt_engine *engine, size_t size);

#endif

/* instance.h: what instance.c offers besides the public API: tables, constant
 * expressions evaluated against an instance, and the life of failed instances. */
#ifndef WASMRT_INSTANCE_H
#define WASMRT_INSTANCE_H

#include "module.h"

int64_t table_grow(wasmrt_table *table, uint32_t delta, void *init);
/* Keeps a failed instance alive until the engine is freed: its functions may
 * already sit in imported tables (the spec keeps such partial effects). */
void instance_orphan(wasmrt_instance *inst);
void instance_release(wasmrt_instance *inst);
int const_eval(const wasmrt_instance *inst, const const_expr *e, uint64_t *out);

#endif

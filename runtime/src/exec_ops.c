/* exec_ops.c: the instructions too rare and too large to write twice. The interpreter
 * (interp.c) calls these from its handlers, compiled code (src/jit/ops_mem.c) through
 * its helper table; both pass the instruction's words as the interpreter's code holds
 * them (ops.h: slot indices from fp), so the operands are read the same way in both. Each returns the trap, or TRAP_NONE. */
#include <string.h>

#include "exec.h"
#include "instance.h"
#include "numeric.h"

#define SLOT(i) fp[pc[i]]
#define R32(i) ((uint32_t)fp[pc[i]])

/* [op, dst addr, src addr, n] */
wasmrt_trap_kind exec_op_memory_copy(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    const wasmrt_memory *mem = inst->memory;
    uint64_t d = R32(1), s = R32(2), n = R32(3);
    if (s + n > mem->size || d + n > mem->size)
        return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
    memmove(mem->base + d, mem->base + s, n);
    return WASMRT_TRAP_NONE;
}

/* [op, dst addr, value, n] */
wasmrt_trap_kind exec_op_memory_fill(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    const wasmrt_memory *mem = inst->memory;
    uint64_t d = R32(1), n = R32(3);
    if (d + n > mem->size)
        return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
    memset(mem->base + d, (int)(uint8_t)SLOT(2), n);
    return WASMRT_TRAP_NONE;
}

/* [op, segment, dst addr, src offset, n] */
wasmrt_trap_kind exec_op_memory_init(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    const wasmrt_memory *mem = inst->memory;
    const data_segment *seg = &inst->module->datas[pc[1]];
    uint64_t d = R32(2), s = R32(3), n = R32(4);
    uint64_t size = inst->data_dropped[pc[1]] ? 0 : seg->size;
    if (s + n > size || d + n > mem->size)
        return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
    memcpy(mem->base + d, seg->bytes + s, n);
    return WASMRT_TRAP_NONE;
}

/* [op, dst, table, index] */
wasmrt_trap_kind exec_op_table_get(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    const wasmrt_table *tab = inst->tables[pc[2]];
    uint32_t i = R32(3);
    if (i >= tab->size)
        return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
    SLOT(1) = (uint64_t)(uintptr_t)tab->items[i];
    return WASMRT_TRAP_NONE;
}

/* [op, table, index, value] */
wasmrt_trap_kind exec_op_table_set(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    wasmrt_table *tab = inst->tables[pc[1]];
    uint32_t i = R32(2);
    if (i >= tab->size)
        return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
    tab->items[i] = (void *)(uintptr_t)SLOT(3);
    return WASMRT_TRAP_NONE;
}

/* [op, dst, table, init, n] */
wasmrt_trap_kind exec_op_table_grow(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    SLOT(1) = (uint32_t)table_grow(inst->tables[pc[2]], R32(4), (void *)(uintptr_t)SLOT(3));
    return WASMRT_TRAP_NONE;
}

/* [op, table, index, value, n] */
wasmrt_trap_kind exec_op_table_fill(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    wasmrt_table *tab = inst->tables[pc[1]];
    uint64_t i = R32(2), n = R32(4);
    if (i + n > tab->size)
        return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
    for (uint64_t k = 0; k < n; k++)
        tab->items[i + k] = (void *)(uintptr_t)SLOT(3);
    return WASMRT_TRAP_NONE;
}

/* [op, dst table, src table, dst, src, n] */
wasmrt_trap_kind exec_op_table_copy(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    wasmrt_table *dt = inst->tables[pc[1]];
    const wasmrt_table *st = inst->tables[pc[2]];
    uint64_t d = R32(3), s = R32(4), n = R32(5);
    if (s + n > st->size || d + n > dt->size)
        return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
    memmove(dt->items + d, st->items + s, n * sizeof *dt->items);
    return WASMRT_TRAP_NONE;
}

/* [op, table, segment, dst, src, n] */
wasmrt_trap_kind exec_op_table_init(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    wasmrt_table *tab = inst->tables[pc[1]];
    uint32_t seg = (uint32_t)pc[2];
    uint64_t d = R32(3), s = R32(4), n = R32(5);
    uint64_t size = inst->elem_dropped[seg] ? 0 : inst->module->elems[seg].count;
    if (s + n > size || d + n > tab->size)
        return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
    for (uint64_t k = 0; k < n; k++)
        tab->items[d + k] = instance_elem_item(inst, seg, (uint32_t)(s + k));
    return WASMRT_TRAP_NONE;
}

/* The commutative float ops, defined once (ops.h says why), with the NaN of two NaN
 * operands chosen explicitly (numeric.h, num_f32_nan2): a C compiler may give the
 * operands of `a + b` to the instruction in either order (gcc does, for f32.add). */
__attribute__((noinline)) uint64_t exec_f32_add(uint64_t a, uint64_t b)
{
    float x = num_f32(a), y = num_f32(b);
    return num_f32_bits(isnan(x) || isnan(y) ? num_f32_nan2(x, y) : x + y);
}

__attribute__((noinline)) uint64_t exec_f32_mul(uint64_t a, uint64_t b)
{
    float x = num_f32(a), y = num_f32(b);
    return num_f32_bits(isnan(x) || isnan(y) ? num_f32_nan2(x, y) : x * y);
}

__attribute__((noinline)) uint64_t exec_f64_add(uint64_t a, uint64_t b)
{
    double x = num_f64(a), y = num_f64(b);
    return num_f64_bits(isnan(x) || isnan(y) ? num_f64_nan2(x, y) : x + y);
}

__attribute__((noinline)) uint64_t exec_f64_mul(uint64_t a, uint64_t b)
{
    double x = num_f64(a), y = num_f64(b);
    return num_f64_bits(isnan(x) || isnan(y) ? num_f64_nan2(x, y) : x * y);
}

/* exec_ops.c: the instructions too rare and too large to write twice. The interpreter
 * (interp.c) calls these from its handlers, compiled code (jit.c) calls them from the
 * instruction; both pass the instruction's words as translated (ops.h), so the
 * operands are read the same way in both. Each returns the trap, or TRAP_NONE. */
#include <string.h>

#include "exec.h"
#include "instance.h"
#include "numeric.h"
#include "ops.h"
#include "simd.h"

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

/* ---- 128-bit SIMD (ops.h OP_V128_*): a v128 in slot s has its high half at
   s + EXEC_V128_HI. Compiled code calls these; the interpreter has its own handlers
   around the same lane operations (simd_apply, simd_load, simd_store_bytes). */

static void exec_v128_get(const uint64_t *fp, uint64_t slot, v128 *v)
{
    v->u64[0] = fp[slot];
    v->u64[1] = fp[slot + EXEC_V128_HI];
}

static void exec_v128_put(uint64_t *fp, uint64_t slot, const v128 *v)
{
    fp[slot] = v->u64[0];
    fp[slot + EXEC_V128_HI] = v->u64[1];
}

/* [op, dst, sub, a, b, c, imm, imm] */
wasmrt_trap_kind exec_op_v128_op(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    (void)inst;
    v128 a, b, c, r;
    exec_v128_get(fp, pc[3], &a);
    exec_v128_get(fp, pc[4], &b);
    exec_v128_get(fp, pc[5], &c);
    simd_apply((uint32_t)pc[2], &r, &a, &b, &c, (const uint8_t *)&pc[6]);
    exec_v128_put(fp, pc[1], &r);
    return WASMRT_TRAP_NONE;
}

/* [op, dst, addr, offset, sub, vector, lane]: bounds checked in both modes */
wasmrt_trap_kind exec_op_v128_load(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    const wasmrt_memory *mem = inst->memory;
    uint32_t sub = (uint32_t)pc[4] & 0xff;
    uint64_t ea = (uint64_t)R32(2) + pc[3], n = 1u << simd_table[sub].arg;
    if (ea + n > mem->size)
        return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
    v128 vec, r;
    exec_v128_get(fp, pc[5], &vec);
    simd_load(sub, &r, mem->base + ea, &vec, (uint32_t)pc[6]);
    exec_v128_put(fp, pc[1], &r);
    return WASMRT_TRAP_NONE;
}

/* [op, addr, vector, offset, sub, lane] */
wasmrt_trap_kind exec_op_v128_store(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc)
{
    const wasmrt_memory *mem = inst->memory;
    uint32_t sub = (uint32_t)pc[4] & 0xff;
    uint64_t ea = (uint64_t)R32(1) + pc[3], n = 1u << simd_table[sub].arg;
    if (ea + n > mem->size)
        return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
    v128 vec;
    uint8_t bytes[16];
    exec_v128_get(fp, pc[2], &vec);
    simd_store_bytes(sub, bytes, &vec, (uint32_t)pc[5]);
    memcpy(mem->base + ea, bytes, n);
    return WASMRT_TRAP_NONE;
}

/* The commutative float ops, defined once (ops.h says why). */
__attribute__((noinline)) uint64_t exec_f32_add(uint64_t a, uint64_t b)
{
    return num_f32_bits(num_f32(a) + num_f32(b));
}

__attribute__((noinline)) uint64_t exec_f32_mul(uint64_t a, uint64_t b)
{
    return num_f32_bits(num_f32(a) * num_f32(b));
}

__attribute__((noinline)) uint64_t exec_f64_add(uint64_t a, uint64_t b)
{
    return num_f64_bits(num_f64(a) + num_f64(b));
}

__attribute__((noinline)) uint64_t exec_f64_mul(uint64_t a, uint64_t b)
{
    return num_f64_bits(num_f64(a) * num_f64(b));
}

/* ops_mem.c: the compiler's memory, global, table and bulk-memory instructions.
 * Loads and stores address [r15 + address + offset] directly: with guard pages (the
 * default) a wild access faults and trap.c turns the fault into a trap, the access's
 * code offset being in the function's fault table; with explicit bounds one compare
 * against r9 (the memory's size) goes before it. Globals are read through the
 * instance's table of global cells; table and bulk-memory instructions call the same
 * C as the interpreter (exec_ops.c), their operands in spill slots. */
#include <stdlib.h>

#include "exec.h"
#include "jit/jitc.h"

static void jc_fault_here(jc *j)
{
    if (j->checked) return;
    if (j->nfaults == j->fault_cap) {
        uint32_t cap = j->fault_cap ? j->fault_cap * 2 : 64;
        uint32_t *grown = realloc(j->faults, cap * sizeof *grown);
        if (!grown) {
            compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
            return;
        }
        j->faults = grown;
        j->fault_cap = cap;
    }
    j->faults[j->nfaults++] = (uint32_t)j->a.len;
}

/* The memory operand of an access of `size` bytes at the address on stack position
 * pos plus offset; in checked mode, a trap unless all of it is in the memory. */
x64_mem jc_address(jc *j, uint32_t pos, uint32_t offset, unsigned size)
{
    jv *v = &j->stack[pos];
    uint32_t oob = 0;
    if (j->checked) oob = jc_trap_label(j, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
    if (v->kind == JV_CONST) {
        uint64_t ea = (uint64_t)(uint32_t)v->bits + offset;
        if (ea + size <= INT32_MAX) {
            if (j->checked) {
                x64_alu_ri(&j->a, X64_W, ALU_CMP, R9, (int32_t)(ea + size));
                x64_jcc(&j->a, CC_B, oob);
            }
            return x64_base(R15, (int32_t)ea);
        }
    }
    int ra = jc_reg(j, pos);
    if (offset > INT32_MAX - 16) {
        /* an offset a displacement cannot hold: added in r11 */
        x64_mov_ri(&j->a, JR_SCRATCH, offset);
        x64_alu_rr(&j->a, X64_W, ALU_ADD, JR_SCRATCH, ra);
        if (j->checked) {
            x64_alu_ri(&j->a, X64_W, ALU_ADD, JR_SCRATCH, (int32_t)size);
            x64_alu_rr(&j->a, X64_W, ALU_CMP, JR_SCRATCH, R9);
            x64_jcc(&j->a, CC_A, oob);
            x64_alu_ri(&j->a, X64_W, ALU_SUB, JR_SCRATCH, (int32_t)size);
        }
        return x64_index(R15, JR_SCRATCH, 0, 0);
    }
    if (j->checked) {
        x64_lea(&j->a, X64_W, JR_SCRATCH, x64_base(ra, (int32_t)(offset + size)));
        x64_alu_rr(&j->a, X64_W, ALU_CMP, JR_SCRATCH, R9);
        x64_jcc(&j->a, CC_A, oob);
    }
    return x64_index(R15, ra, 0, (int32_t)offset);
}

void jc_load(void *s, uint32_t op, uint32_t offset)
{
    static const struct {
        uint8_t size, sign, type;
    } loads[14] = {
        {4, 0, WASMRT_I32}, {8, 0, WASMRT_I64}, {4, 0, WASMRT_F32}, {8, 0, WASMRT_F64},
        {1, 1, WASMRT_I32}, {1, 0, WASMRT_I32}, {2, 1, WASMRT_I32}, {2, 0, WASMRT_I32},
        {1, 1, WASMRT_I64}, {1, 0, WASMRT_I64}, {2, 1, WASMRT_I64}, {2, 0, WASMRT_I64},
        {4, 1, WASMRT_I64}, {4, 0, WASMRT_I64},
    };
    jc *j = s;
    jc_begin(j, 0);
    uint32_t pos = j->height - 1;
    unsigned size = loads[op - 0x28].size;
    int type = loads[op - 0x28].type;
    int was_reg = j->stack[pos].kind == JV_REG;
    x64_mem m = jc_address(j, pos, offset, size);
    int rd = jc_result_home(j, type, 0, -1);
    if (rd < 0 && !jc_is_xmm(type) && was_reg)
        rd = j->stack[pos].reg; /* the address's register takes the value */
    else if (rd < 0)
        rd = jc_alloc(j, jc_is_xmm(type), 0);
    size_t start = j->a.len;
    uint32_t nrefs = j->a.nrefs;
    jc_fault_here(j);
    if (rd >= JR_XMM)
        x64_movs_load(&j->a, size, rd - JR_XMM, m);
    else
        x64_load(&j->a, type == WASMRT_I64 ? X64_W : 0, size, loads[op - 0x28].sign, rd, m);
    /* a full-width load into a temporary its user may take back */
    j->last_load.end = 0;
    if (rd != j->dest && !loads[op - 0x28].sign &&
        size == (type == WASMRT_I32 || type == WASMRT_F32 ? 4u : 8u) && j->a.nrefs == nrefs) {
        j->last_load.start = start;
        j->last_load.end = j->a.len;
        j->last_load.binds = j->a.binds;
        j->last_load.nrefs = nrefs;
        j->last_load.nfaults = j->nfaults;
        j->last_load.mem = m;
        j->last_load.reg = rd;
        j->last_load.size = (uint8_t)size;
        j->last_load.type = (uint8_t)type;
    }
    jc_pop(j, 1);
    jc_push_result(j, type, rd);
}

int jc_take_load(jc *j, uint32_t pos, unsigned size, x64_mem *m)
{
    jv *v = &j->stack[pos];
    if (!j->last_load.end || j->a.len != j->last_load.end || j->a.binds != j->last_load.binds ||
        j->a.nrefs != j->last_load.nrefs || j->nfaults != j->last_load.nfaults ||
        pos != j->height - 1 || v->kind != JV_REG || v->reg != j->last_load.reg ||
        v->type != j->last_load.type || size != j->last_load.size || j->a.failed)
        return 0;
    /* The address's registers are as the load used them (nothing came between). Until
       the user reads memory they must stay so: temporaries are held (a freed one too),
       and a local's home must not take the result first. */
    x64_mem mem = j->last_load.mem;
    uint32_t regs = 0;
    if (mem.base >= 0 && mem.base < 16 && mem.base != R15) regs |= JR_BIT(mem.base);
    if (mem.index >= 0 && mem.index < 16) regs |= JR_BIT(mem.index);
    int64_t set = jc_next_set(j, v->type);
    if (set >= 0 && (regs & JR_BIT(j->locals[set].reg))) return 0;
    j->a.len = j->last_load.start;
    if (!j->checked) j->nfaults--;
    j->last_load.end = 0;
    j->load_held = regs & j->free_regs;
    j->free_regs &= ~j->load_held;
    j->locked |= regs | JR_BIT(v->reg); /* the value's register holds nothing now */
    *m = mem;
    return 1;
}

void jc_fault_mark(jc *j)
{
    jc_fault_here(j);
}

void jc_load_done(jc *j)
{
    j->free_regs |= j->load_held;
    j->load_held = 0;
}

void jc_store(void *s, uint32_t op, uint32_t offset)
{
    static const uint8_t sizes[9] = {4, 8, 4, 8, 1, 2, 1, 2, 4};
    jc *j = s;
    jc_begin(j, 0);
    uint32_t h = j->height;
    unsigned size = sizes[op - 0x36];
    jv *v = &j->stack[h - 1];
    int imm = 0, rv = -1;
    int32_t k = 0;
    if (v->kind == JV_CONST && !jc_is_xmm(v->type) &&
        (size < 8 || (int64_t)v->bits == (int32_t)v->bits)) {
        imm = 1;
        k = (int32_t)v->bits;
    } else {
        rv = jc_reg(j, h - 1);
    }
    x64_mem m = jc_address(j, h - 2, offset, size);
    jc_fault_here(j);
    if (imm)
        x64_store_imm(&j->a, size, k, m);
    else if (rv >= JR_XMM)
        x64_movs_store(&j->a, size, rv - JR_XMM, m);
    else
        x64_store(&j->a, size, rv, m);
    jc_pop(j, 2);
}

void jc_memory_size(void *s)
{
    jc *j = s;
    jc_begin(j, 0);
    int rd = jc_alloc(j, 0, 0);
    x64_load(&j->a, X64_W, 8, 0, rd, x64_base(R14, offsetof(wasmrt_instance, memory)));
    x64_load(&j->a, 0, 4, 0, rd, x64_base(rd, offsetof(wasmrt_memory, pages)));
    jc_push_reg(j, WASMRT_I32, rd);
}

void jc_memory_grow(void *s)
{
    jc *j = s;
    jc_begin(j, 0);
    jc_ccall_prepare(j);
    jc_ccall_save(j, 0);
    x64_mov_rr(&j->a, X64_W, RDI, R14);
    jc_value_to(j, j->height - 1, RSI);
    jc_ccall(j, JH_MEMORY_GROW);
    jc_ccall_restore(j);
    jc_reload_memory(j);
    jc_pop(j, 1);
    j->free_regs &= ~JR_BIT(RAX);
    jc_push_reg(j, WASMRT_I32, RAX);
}

_Static_assert(offsetof(wasmrt_global, value_hi) == offsetof(wasmrt_global, value) + 8,
               "a v128 global's halves are one 16-byte cell");

void jc_global_get(void *s, uint32_t index)
{
    jc *j = s;
    jc_begin(j, 0);
    int type = j->m->globals[index].type;
    int rd = jc_alloc(j, jc_is_xmm(type), 0);
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, jit_global_slot(j->m, index)));
    x64_mem cell = x64_base(JR_SCRATCH, offsetof(wasmrt_global, value));
    if (rd >= JR_XMM)
        x64_movs_load(&j->a, jc_xmm_bytes(type), rd - JR_XMM, cell); /* a v128: both halves */
    else
        x64_load(&j->a, jc_w(type), type == WASMRT_I32 ? 4 : 8, 0, rd, cell);
    jc_push_reg(j, type, rd);
}

void jc_global_set(void *s, uint32_t index)
{
    jc *j = s;
    jc_begin(j, 0);
    int type = j->m->globals[index].type;
    jv *v = &j->stack[j->height - 1];
    x64_mem cell = x64_base(JR_SCRATCH, offsetof(wasmrt_global, value));
    if (v->kind == JV_CONST && !jc_is_xmm(type) &&
        (type == WASMRT_I32 || (int64_t)v->bits == (int32_t)v->bits)) {
        x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, jit_global_slot(j->m, index)));
        x64_store_imm(&j->a, type == WASMRT_I32 ? 4 : 8, (int32_t)v->bits, cell);
    } else {
        int r = jc_reg(j, j->height - 1);
        x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, jit_global_slot(j->m, index)));
        if (r >= JR_XMM)
            x64_movs_store(&j->a, jc_xmm_bytes(type), r - JR_XMM, cell);
        else
            x64_store(&j->a, 8, r, cell);
    }
    jc_pop(j, 1);
}

void jc_ref_func(void *s, uint32_t index)
{
    jc *j = s;
    jc_begin(j, 0);
    int rd = jc_alloc(j, 0, 0);
    x64_load(&j->a, X64_W, 8, 0, rd, x64_base(R14, offsetof(wasmrt_instance, funcs)));
    x64_load(&j->a, X64_W, 8, 0, rd, x64_base(rd, 8 * (int32_t)index));
    jc_push_reg(j, WASMRT_FUNCREF, rd);
}

/* An instruction done by exec_ops.c: its n operands (on top) go to their spill slots
 * and the C function reads them there through the words it is given (slot indices,
 * as the interpreter's code holds them, in words from spill slot 0: S(pos); a result
 * goes to the first operand's slot).
 * A trap it reports leaves through the function's trap stub. */
#define S(pos) ((uint64_t)(pos) * (j->slot_bytes / 8))

static void jc_shared(jc *j, int helper, uint32_t n, const uint64_t *words, uint32_t nwords,
                      int result_type)
{
    uint32_t first = j->height - n;
    jc_ccall_prepare(j);
    jc_to_slots(j, first, n);
    uint32_t label = jc_rodata(j, words, nwords);
    jc_ccall_save(j, 0);
    x64_mov_rr(&j->a, X64_W, RDI, R14);
    x64_lea(&j->a, X64_W, RSI, jc_slot(j, 0));
    x64_lea(&j->a, X64_W, RDX, x64_rip(label, 0));
    jc_ccall(j, helper);
    jc_ccall_restore(j);
    x64_test_rr(&j->a, 0, RAX, RAX);
    x64_jcc(&j->a, CC_NE, jc_trap_label(j, JC_TRAP_EAX));
    jc_pop(j, n);
    if (result_type) jc_push(j, JV_SPILL, result_type, 0, 0, 0);
}

void jc_table_get(void *s, uint32_t table)
{
    jc *j = s;
    jc_begin(j, 0);
    uint32_t p = j->height - 1;
    uint64_t w[4] = {0, S(p), table, S(p)};
    jc_shared(j, JH_TABLE_GET, 1, w, 4, j->m->tables[table].elem);
}

void jc_table_set(void *s, uint32_t table)
{
    jc *j = s;
    jc_begin(j, 0);
    uint32_t p = j->height - 2;
    uint64_t w[4] = {0, table, S(p), S(p + 1)};
    jc_shared(j, JH_TABLE_SET, 2, w, 4, 0);
}

void jc_bulk(void *s, uint32_t sub, uint32_t a, uint32_t b)
{
    jc *j = s;
    jc_begin(j, 0);
    uint32_t h = j->height;
    switch (sub) {
    case 8: { /* memory.init */
        uint64_t w[5] = {0, a, S(h - 3), S(h - 2), S(h - 1)};
        jc_shared(j, JH_MEMORY_INIT, 3, w, 5, 0);
        break;
    }
    case 9:
    case 13: /* data.drop, elem.drop */
        x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH,
                 x64_base(R14, sub == 9 ? offsetof(wasmrt_instance, data_dropped)
                                        : offsetof(wasmrt_instance, elem_dropped)));
        x64_store_imm(&j->a, 1, 1, x64_base(JR_SCRATCH, (int32_t)a));
        break;
    case 10:
    case 11: { /* memory.copy, memory.fill */
        uint64_t w[4] = {0, S(h - 3), S(h - 2), S(h - 1)};
        jc_shared(j, sub == 10 ? JH_MEMORY_COPY : JH_MEMORY_FILL, 3, w, 4, 0);
        break;
    }
    case 12: { /* table.init elem table */
        uint64_t w[6] = {0, b, a, S(h - 3), S(h - 2), S(h - 1)};
        jc_shared(j, JH_TABLE_INIT, 3, w, 6, 0);
        break;
    }
    case 14: { /* table.copy dst src */
        uint64_t w[6] = {0, a, b, S(h - 3), S(h - 2), S(h - 1)};
        jc_shared(j, JH_TABLE_COPY, 3, w, 6, 0);
        break;
    }
    case 15: { /* table.grow: init, n -> old size */
        uint64_t w[5] = {0, S(h - 2), a, S(h - 2), S(h - 1)};
        jc_shared(j, JH_TABLE_GROW, 2, w, 5, WASMRT_I32);
        break;
    }
    case 16: { /* table.size */
        int rd = jc_alloc(j, 0, 0);
        x64_load(&j->a, X64_W, 8, 0, rd, x64_base(R14, offsetof(wasmrt_instance, tables)));
        x64_load(&j->a, X64_W, 8, 0, rd, x64_base(rd, 8 * (int32_t)a));
        x64_load(&j->a, 0, 4, 0, rd, x64_base(rd, offsetof(wasmrt_table, size)));
        jc_push_reg(j, WASMRT_I32, rd);
        break;
    }
    default: { /* 17, table.fill: i, value, n */
        uint64_t w[5] = {0, a, S(h - 3), S(h - 2), S(h - 1)};
        jc_shared(j, JH_TABLE_FILL, 3, w, 5, 0);
        break;
    }
    }
}

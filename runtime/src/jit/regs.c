/* regs.c: the compiler's abstract value stack and register allocator (jitc.h says the
 * model). Values stay where they are until an instruction needs them somewhere:
 * constants as immediates, locals read in their homes, temporaries in registers.
 * A register is taken from the free ones, caller-saved first; when none is free the
 * deepest stack value in a register of that class goes to its spill slot. Registers an
 * instruction already holds are never taken from it. */
#include <stdlib.h>
#include <string.h>

#include "jit/jitc.h"

const uint8_t jc_int_arg_regs[JC_INT_ARGS] = {RAX, RCX, RDX, R10};

int jc_fail(jc *j, const char *what)
{
    return compile_fail(j->c, WASMRT_ERR_UNSUPPORTED, "not compiled: %s", what);
}

void jc_begin(jc *j, int keep_flags)
{
    j->locked = 0;
    j->dest = -1;
    if (!keep_flags && j->height && j->stack[j->height - 1].kind == JV_FLAGS)
        jc_materialize_flags(j, j->height - 1);
}

int jc_push(jc *j, int kind, int type, int reg, uint32_t local, uint64_t bits)
{
    /* the scan before the pass sized the spill slots: a v128 it missed would not fit */
    if (type == WASMRT_V128 && j->slot_bytes < 16) return jc_fail(j, "a v128 the scan missed");
    if (j->height == j->stack_cap) {
        uint32_t cap = j->stack_cap ? j->stack_cap * 2 : 64;
        jv *grown = realloc(j->stack, cap * sizeof *grown);
        if (!grown) return compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
        j->stack = grown;
        j->stack_cap = cap;
    }
    jv *v = &j->stack[j->height++];
    v->kind = (uint8_t)kind;
    v->type = (uint8_t)type;
    v->reg = (uint8_t)reg;
    v->local = local;
    v->bits = bits;
    if (j->height > j->max_height) j->max_height = j->height;
    return 1;
}

void jc_release(jc *j, int r)
{
    j->free_regs |= JR_BIT(r);
    j->owner[r] = -1;
}

void jc_pop(jc *j, uint32_t n)
{
    while (n-- > 0) {
        jv *v = &j->stack[--j->height];
        if (v->kind == JV_REG) jc_release(j, v->reg);
    }
}

void jc_move_reg(jc *j, int type, int dst, int src)
{
    if (dst == src) return;
    if (dst >= JR_XMM)
        x64_movaps(&j->a, dst - JR_XMM, src - JR_XMM);
    else
        x64_mov_rr(&j->a, type == WASMRT_I32 ? 0 : X64_W, dst, src);
}

/* Loads a value held in memory m into register r. */
static void jc_load_mem(jc *j, int type, int r, x64_mem m)
{
    if (r >= JR_XMM)
        x64_movs_load(&j->a, jc_xmm_bytes(type), r - JR_XMM, m);
    else
        x64_load(&j->a, jc_w(type), type == WASMRT_I32 ? 4 : 8, 0, r, m);
}

/* A register's value to memory: 8 bytes (an f32 too), 16 for a v128. */
static void jc_store_reg(jc *j, int type, int r, x64_mem m)
{
    if (r >= JR_XMM)
        x64_movs_store(&j->a, type == WASMRT_V128 ? 16 : 8, r - JR_XMM, m);
    else
        x64_store(&j->a, 8, r, m);
}

x64_mem jc_const(jc *j, uint64_t bits, unsigned size)
{
    return jc_const128(j, bits, 0, size);
}

x64_mem jc_const128(jc *j, uint64_t bits, uint64_t hi, unsigned size)
{
    for (uint32_t i = 0; i < j->nconsts; i++)
        if (j->consts[i].bits == bits && j->consts[i].hi == hi && j->consts[i].size == size)
            return x64_rip(j->consts[i].label, 0);
    if (j->nconsts == j->const_cap) {
        uint32_t cap = j->const_cap ? j->const_cap * 2 : 16;
        struct jc_const *grown = realloc(j->consts, cap * sizeof *grown);
        if (!grown) {
            compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
            return x64_base(RSP, 0);
        }
        j->consts = grown;
        j->const_cap = cap;
    }
    struct jc_const *k = &j->consts[j->nconsts++];
    k->label = x64_label(&j->a);
    k->bits = bits;
    k->hi = hi;
    k->size = (uint8_t)size;
    return x64_rip(k->label, 0);
}

/* Writes value v (not JV_FLAGS) into register r of its class. */
static void jc_load_value(jc *j, const jv *v, int r)
{
    switch (v->kind) {
    case JV_CONST:
        if (r < JR_XMM)
            x64_mov_ri(&j->a, r, v->type == WASMRT_I32 ? (uint32_t)v->bits : v->bits);
        else if (v->bits == 0)
            x64_sse_rr(&j->a, 0, OP2(0x0f, 0x57), r - JR_XMM, r - JR_XMM); /* xorps */
        else
            jc_load_mem(j, v->type, r, jc_const(j, v->bits, v->type == WASMRT_F32 ? 4 : 8));
        break;
    case JV_LOCAL: {
        const jc_local *l = &j->locals[v->local];
        if (l->reg >= 0)
            jc_move_reg(j, v->type, r, l->reg);
        else
            jc_load_mem(j, v->type, r, jc_local_mem(j, v->local));
        break;
    }
    case JV_REG:
        jc_move_reg(j, v->type, r, v->reg);
        break;
    case JV_SPILL:
        jc_load_mem(j, v->type, r, jc_slot(j, (uint32_t)(v - j->stack)));
        break;
    }
}

void jc_spill(jc *j, uint32_t pos)
{
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) jc_materialize_flags(j, pos);
    if (v->kind != JV_REG) return;
    jc_store_reg(j, v->type, v->reg, jc_slot(j, pos));
    jc_release(j, v->reg);
    v->kind = JV_SPILL;
}

/* The registers temporaries may use: not pinned, not a local's home, not scratch. */
static uint32_t jc_temps(const jc *j)
{
    uint32_t gprs = JR_BIT(RAX) | JR_BIT(RCX) | JR_BIT(RDX) | JR_BIT(RBX) | JR_BIT(RBP) |
                    JR_BIT(RSI) | JR_BIT(RDI) | JR_BIT(R8) | JR_BIT(R10) |
                    (j->checked ? 0 : JR_BIT(R9));
    uint32_t xmms = JR_XMMS & ~JR_BIT(JR_XMM + 15);
    return (gprs | xmms) & ~j->homes;
}

int jc_alloc(jc *j, int xmm, uint32_t avoid)
{
    uint32_t class = (xmm ? JR_XMMS : JR_GPRS) & jc_temps(j) & ~avoid & ~j->locked;
    uint32_t free = j->free_regs & class;
    if (!free) {
        /* spill the deepest value held in a register of the class */
        for (uint32_t pos = 0; pos < j->height; pos++) {
            const jv *v = &j->stack[pos];
            if (v->kind == JV_REG && (class & JR_BIT(v->reg))) {
                jc_spill(j, pos);
                break;
            }
        }
        free = j->free_regs & class;
        if (!free) {
            jc_fail(j, "out of registers");
            return xmm ? JR_XMM : RAX;
        }
    }
    /* caller-saved first: a callee-saved one costs a save in the prologue */
    uint32_t pick = free & JR_CALLER_SAVED ? free & JR_CALLER_SAVED : free;
    int r = __builtin_ctz(pick);
    j->free_regs &= ~JR_BIT(r);
    j->locked |= JR_BIT(r);
    if (JR_BIT(r) & JR_CALLEE_SAVED) j->saved |= JR_BIT(r);
    return r;
}

void jc_claim(jc *j, int r)
{
    j->locked |= JR_BIT(r);
    if (j->free_regs & JR_BIT(r) || !(jc_temps(j) & JR_BIT(r))) {
        j->free_regs &= ~JR_BIT(r);
        if (JR_BIT(r) & JR_CALLEE_SAVED) j->saved |= JR_BIT(r);
        return;
    }
    /* a stack value is there: to another register, or its slot */
    uint32_t pos = (uint32_t)j->owner[r];
    jv *v = &j->stack[pos];
    uint32_t class = (r >= JR_XMM ? JR_XMMS : JR_GPRS) & jc_temps(j) & ~j->locked;
    if (j->free_regs & class) {
        int to = jc_alloc(j, r >= JR_XMM, 0);
        j->locked &= ~JR_BIT(to);
        jc_move_reg(j, v->type, to, r);
        v->reg = (uint8_t)to;
        j->owner[to] = (int16_t)pos;
        j->owner[r] = -1;
    } else {
        jc_spill(j, pos);
        j->free_regs &= ~JR_BIT(r);
    }
}

int jc_reg(jc *j, uint32_t pos)
{
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) jc_materialize_flags(j, pos);
    if (v->kind == JV_LOCAL && j->locals[v->local].reg >= 0) return j->locals[v->local].reg;
    if (v->kind == JV_REG) {
        j->locked |= JR_BIT(v->reg);
        return v->reg;
    }
    return jc_own(j, pos);
}

int jc_own(jc *j, uint32_t pos)
{
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) jc_materialize_flags(j, pos);
    if (v->kind == JV_REG) {
        j->locked |= JR_BIT(v->reg);
        return v->reg;
    }
    int r = jc_alloc(j, jc_is_xmm(v->type), 0);
    jc_load_value(j, v, r);
    v->kind = JV_REG;
    v->reg = (uint8_t)r;
    j->owner[r] = (int16_t)pos;
    return r;
}

void jc_load_into(jc *j, uint32_t pos, int r)
{
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) jc_materialize_flags(j, pos);
    if (v->kind == JV_REG && v->reg == r) {
        j->locked |= JR_BIT(r);
        return;
    }
    jc_claim(j, r);
    jc_load_value(j, v, r);
    if (v->kind == JV_REG) jc_release(j, v->reg);
    v->kind = JV_REG;
    v->reg = (uint8_t)r;
    j->owner[r] = (int16_t)pos;
}

jc_opnd jc_operand(jc *j, uint32_t pos, int allow_imm)
{
    jv *v = &j->stack[pos];
    jc_opnd o;
    memset(&o, 0, sizeof o);
    if (v->kind == JV_FLAGS) jc_materialize_flags(j, pos);
    if (v->kind == JV_CONST && allow_imm && !jc_is_xmm(v->type) &&
        (v->type == WASMRT_I32 || (int64_t)v->bits == (int32_t)v->bits)) {
        o.kind = OPND_IMM;
        o.imm = (int32_t)v->bits;
    } else if (v->kind == JV_SPILL) {
        o.kind = OPND_MEM;
        o.mem = jc_slot(j, pos);
    } else if (v->kind == JV_LOCAL && j->locals[v->local].reg < 0) {
        o.kind = OPND_MEM;
        o.mem = jc_local_mem(j, v->local);
    } else {
        o.kind = OPND_REG;
        o.reg = (int8_t)jc_reg(j, pos);
    }
    return o;
}

void jc_copy_mem(jc *j, int type, x64_mem to, x64_mem from)
{
    if (type == WASMRT_V128) {
        x64_movs_load(&j->a, 16, 15, from);
        x64_movs_store(&j->a, 16, 15, to);
    } else {
        x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, from);
        x64_store(&j->a, 8, JR_SCRATCH, to);
    }
}

void jc_store_value(jc *j, const jv *v, x64_mem m)
{
    switch (v->kind) {
    case JV_CONST: {
        uint64_t bits =
            v->type == WASMRT_I32 || v->type == WASMRT_F32 ? (uint32_t)v->bits : v->bits;
        if ((int64_t)bits == (int32_t)bits) {
            x64_store_imm(&j->a, 8, (int32_t)bits, m);
        } else {
            x64_mov_ri(&j->a, JR_SCRATCH, bits);
            x64_store(&j->a, 8, JR_SCRATCH, m);
        }
        break;
    }
    case JV_LOCAL: {
        const jc_local *l = &j->locals[v->local];
        if (l->reg >= 0)
            jc_store_reg(j, v->type, l->reg, m);
        else
            jc_copy_mem(j, v->type, m, jc_local_mem(j, v->local));
        break;
    }
    case JV_REG:
        jc_store_reg(j, v->type, v->reg, m);
        break;
    case JV_SPILL: {
        x64_mem from = jc_slot(j, (uint32_t)(v - j->stack));
        if (from.disp != m.disp || from.base != m.base) jc_copy_mem(j, v->type, m, from);
        break;
    }
    }
}

void jc_setcc(jc *j, int cc, int r)
{
    if (cc >= JC_CC_FEQ) {
        /* a float (in)equality: ZF, and PF for unordered */
        x64_setcc(&j->a, cc == JC_CC_FEQ ? CC_E : CC_NE, r);
        x64_setcc(&j->a, cc == JC_CC_FEQ ? CC_NP : CC_P, JR_SCRATCH);
        x64_rr(&j->a, X64_BYTE, OP1(cc == JC_CC_FEQ ? 0x20 : 0x08), JR_SCRATCH, r);
    } else {
        x64_setcc(&j->a, cc, r);
    }
    x64_movzx8(&j->a, r, r);
}

void jc_jcc(jc *j, int cc, uint32_t label)
{
    if (cc == JC_CC_FEQ) {
        uint32_t unordered = x64_label(&j->a);
        x64_jcc(&j->a, CC_P, unordered);
        x64_jcc(&j->a, CC_E, label);
        x64_bind(&j->a, unordered);
    } else if (cc == JC_CC_FNE) {
        x64_jcc(&j->a, CC_P, label);
        x64_jcc(&j->a, CC_NE, label);
    } else {
        x64_jcc(&j->a, cc, label);
    }
}

void jc_materialize_flags(jc *j, uint32_t pos)
{
    jv *v = &j->stack[pos];
    if (v->kind != JV_FLAGS) return;
    int cc = v->reg;
    v->kind = JV_SPILL; /* not a register yet: jc_alloc must not look at it */
    int r = jc_alloc(j, 0, 0);
    jc_setcc(j, cc, r);
    v->kind = JV_REG;
    v->reg = (uint8_t)r;
    j->owner[r] = (int16_t)pos;
}

int64_t jc_next_local(const jc *j, int type)
{
    const uint8_t *p = j->c->r.p, *end = j->c->r.end;
    if (p >= end || (*p != 0x21 && *p != 0x22)) return -1;
    uint32_t local = 0;
    for (unsigned i = 1;; i++) {
        if (p + i >= end || i > 5) return -1;
        local |= (uint32_t)(p[i] & 0x7f) << (7 * (i - 1));
        if (!(p[i] & 0x80)) break;
    }
    return local < j->nlocals && j->locals[local].type == type ? (int64_t)local : -1;
}

int64_t jc_next_set(const jc *j, int type)
{
    int64_t local = jc_next_local(j, type);
    return local >= 0 && j->locals[local].reg >= 0 ? local : -1;
}

int jc_result_home(jc *j, int type, uint32_t n, int64_t pos)
{
    int64_t next = jc_next_set(j, type);
    if (next < 0) return -1;
    uint32_t local = (uint32_t)next;
    uint32_t first = j->height - n;
    int pos_reads = pos >= 0 && j->stack[pos].kind == JV_LOCAL && j->stack[pos].local == local;
    for (uint32_t at = first; at < j->height; at++)
        if (at != pos && j->stack[at].kind == JV_LOCAL && j->stack[at].local == local && !pos_reads)
            return -1;
    for (uint32_t at = 0; at < first; at++)
        if (j->stack[at].kind == JV_LOCAL && j->stack[at].local == local) jc_own(j, at);
    j->dest = j->locals[local].reg;
    j->dest_local = local;
    return j->dest;
}

int jc_dest(jc *j, uint32_t pos, uint32_t n, int type)
{
    int r = jc_result_home(j, type, n, pos);
    if (r < 0) return jc_own(j, pos);
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) jc_materialize_flags(j, pos);
    if (!(v->kind == JV_LOCAL && v->local == j->dest_local)) jc_load_value(j, v, r);
    return r;
}

int jc_alloc_result(jc *j, int type, uint32_t n, int64_t pos)
{
    int r = jc_result_home(j, type, n, pos);
    return r >= 0 ? r : jc_alloc(j, jc_is_xmm(type), 0);
}

void jc_push_result(jc *j, int type, int r)
{
    if (r == j->dest)
        jc_push(j, JV_LOCAL, type, 0, j->dest_local, 0);
    else
        jc_push_reg(j, type, r);
    j->dest = -1;
}

void jc_detach_local(jc *j, uint32_t local)
{
    for (uint32_t pos = 0; pos < j->height; pos++)
        if (j->stack[pos].kind == JV_LOCAL && j->stack[pos].local == local) jc_own(j, pos);
}

void jc_flush(jc *j, uint32_t below)
{
    for (uint32_t pos = 0; pos < below; pos++) {
        jv *v = &j->stack[pos];
        if (v->kind == JV_REG || v->kind == JV_FLAGS) {
            jc_spill(j, pos);
        } else if (v->kind == JV_LOCAL) {
            jc_store_value(j, v, jc_slot(j, pos));
            v->kind = JV_SPILL;
        }
    }
}

void jc_save_for_call(jc *j, uint32_t below, uint32_t clobbered)
{
    for (uint32_t pos = 0; pos < below; pos++) {
        jv *v = &j->stack[pos];
        if (v->kind == JV_FLAGS || (v->kind == JV_REG && (clobbered & JR_BIT(v->reg)))) {
            jc_spill(j, pos);
        } else if (v->kind == JV_LOCAL && j->locals[v->local].reg >= 0 &&
                   (clobbered & JR_BIT(j->locals[v->local].reg))) {
            jc_store_value(j, v, jc_slot(j, pos));
            v->kind = JV_SPILL;
        }
    }
}

void jc_to_canonical(jc *j, uint32_t n)
{
    uint32_t src = j->height - n;
    if (n == 1) {
        jv *v = &j->stack[src];
        jc_load_into(j, src, jc_is_xmm(v->type) ? JR_XMM : RAX);
        return;
    }
    for (uint32_t k = 0; k < n; k++)
        if (j->stack[src + k].kind != JV_SPILL) {
            jc_spill(j, src + k);
            if (j->stack[src + k].kind != JV_SPILL) {
                jc_store_value(j, &j->stack[src + k], jc_slot(j, src + k));
                j->stack[src + k].kind = JV_SPILL;
            }
        }
}

void jc_label_moves(jc *j, uint32_t height, uint32_t n)
{
    uint32_t src = j->height - n;
    if (n == 1) {
        jv *v = &j->stack[src];
        int r = jc_is_xmm(v->type) ? JR_XMM : RAX;
        if (v->kind == JV_FLAGS) {
            jc_setcc(j, v->reg, RAX);
        } else {
            jc_load_value(j, v, r);
        }
        return;
    }
    /* lowest first: each destination is at or below its source, so no source is
       overwritten before it is read */
    for (uint32_t k = 0; k < n; k++) {
        jv *v = &j->stack[src + k];
        if (v->kind == JV_FLAGS) {
            jc_setcc(j, v->reg, RAX);
            x64_store(&j->a, 8, RAX, jc_slot(j, height + k));
        } else if (!(v->kind == JV_SPILL && src + k == height + k)) {
            jc_store_value(j, v, jc_slot(j, height + k));
        }
    }
}

void jc_value_to(jc *j, uint32_t pos, int r)
{
    const jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) {
        jc_setcc(j, v->reg, r);
        return;
    }
    if (jc_is_xmm(v->type) && r < JR_XMM) {
        /* a float's bits into a general register */
        unsigned w = v->type == WASMRT_F64 ? X64_W : 0;
        int from = v->kind == JV_REG                                     ? v->reg
                   : v->kind == JV_LOCAL && j->locals[v->local].reg >= 0 ? j->locals[v->local].reg
                                                                         : -1;
        if (from >= 0)
            x64_movq_rx(&j->a, w, r, from - JR_XMM);
        else if (v->kind == JV_CONST)
            x64_mov_ri(&j->a, r, w ? v->bits : (uint32_t)v->bits);
        else
            x64_load(&j->a, w, w ? 8 : 4, 0, r,
                     v->kind == JV_SPILL ? jc_slot(j, pos) : jc_local_mem(j, v->local));
        return;
    }
    jc_load_value(j, v, r);
}

void jc_value_slot_to(jc *j, int type, uint32_t pos, int r)
{
    jc_load_mem(j, type, r, jc_slot(j, pos));
}

void jc_to_slots(jc *j, uint32_t first, uint32_t n)
{
    for (uint32_t pos = first; pos < first + n; pos++) {
        jv *v = &j->stack[pos];
        if (v->kind == JV_FLAGS || v->kind == JV_REG) {
            jc_spill(j, pos);
        } else if (v->kind != JV_SPILL) {
            jc_store_value(j, v, jc_slot(j, pos));
            v->kind = JV_SPILL;
        }
    }
}

uint32_t jc_rodata(jc *j, const uint64_t *words, uint32_t n)
{
    uint32_t label = x64_label(&j->a);
    if (j->nrodata + n + 2 > j->rodata_cap) {
        uint32_t cap = j->rodata_cap ? j->rodata_cap * 2 : 64;
        while (cap < j->nrodata + n + 2)
            cap *= 2;
        uint64_t *grown = realloc(j->rodata, cap * sizeof *grown);
        if (!grown) {
            compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
            return label;
        }
        j->rodata = grown;
        j->rodata_cap = cap;
    }
    j->rodata[j->nrodata++] = label;
    j->rodata[j->nrodata++] = n;
    memcpy(j->rodata + j->nrodata, words, n * sizeof *words);
    j->nrodata += n;
    return label;
}

/* ---- the variable instructions (hooks) ---------------------------------------------- */

void jc_constant(void *s, wasmrt_valtype t, uint64_t bits)
{
    jc *j = s;
    jc_begin(j, 0);
    jc_push(j, JV_CONST, t, 0, 0, bits);
}

void jc_local_get(void *s, uint32_t index)
{
    jc *j = s;
    jc_begin(j, 0);
    jc_push(j, JV_LOCAL, j->locals[index].type, 0, index, 0);
}

void jc_local_set(void *s, uint32_t index, int tee)
{
    jc *j = s;
    jc_begin(j, 0);
    uint32_t pos = j->height - 1;
    jv *v = &j->stack[pos];
    int same = v->kind == JV_LOCAL && v->local == index;
    /* older reads of the local still on the stack keep the old value */
    j->height--;
    jc_detach_local(j, index);
    j->height++;
    v = &j->stack[pos];
    const jc_local *l = &j->locals[index];
    if (!same) {
        if (l->reg >= 0 && l->reg < JR_XMM && v->kind == JV_CONST && !v->bits)
            x64_zero(&j->a, l->reg); /* flags are dead: jc_begin made any a value */
        else if (l->reg >= 0)
            jc_load_value(j, v, l->reg);
        else if (v->kind == JV_REG)
            jc_store_reg(j, v->type, v->reg, jc_local_mem(j, index));
        else
            jc_store_value(j, v, jc_local_mem(j, index));
    }
    if (tee && l->reg < 0 && v->kind == JV_REG) return; /* the register has the value too */
    jc_pop(j, 1);
    if (tee) jc_push(j, JV_LOCAL, l->type, 0, index, 0);
}

void jc_drop(void *s)
{
    jc *j = s;
    jc_begin(j, 1);
    jc_pop(j, 1);
}

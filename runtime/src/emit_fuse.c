/* emit_fuse.c: instructions the translator fuses (emit.c asks): a just-emitted
 * instruction is removed from the code and its operands folded into the consumer, when
 * nothing can run between the two (no label, the producer the last instruction). Each
 * returns 0 when its shape does not apply and the consumer is emitted alone. */
#include <string.h>

#include "emit.h"

/* `(x << k1) | (y >> k2)` as built by the two shifts just emitted (either order):
 * one instruction instead of three. Unaligned memcpy in plain wasm32 is made of it. */
int emit_funnel(emitter *e, const operand *a, const operand *b)
{
    if (a->kind != OPERAND_STACK || b->kind != OPERAND_STACK || e->shifts[0].start < 0 ||
        e->shifts[1].start < 0 || e->shifts[1].start >= e->shifts[0].start)
        return 0;
    int shl_first = e->shifts[1].op == OP_SI + 0x74 && e->shifts[0].op == OP_SI + 0x76;
    int shr_first = e->shifts[1].op == OP_SI + 0x76 && e->shifts[0].op == OP_SI + 0x74;
    if (!(shl_first || shr_first) || e->shifts[1].pos != a->pos || e->shifts[0].pos != b->pos)
        return 0;
    int64_t shl = shl_first ? e->shifts[1].start : e->shifts[0].start;
    int64_t shr = shl_first ? e->shifts[0].start : e->shifts[1].start;
    uint64_t x = e->code[shl + 2], k1 = e->code[shl + 3] & 31;
    uint64_t y = e->code[shr + 2], k2 = e->code[shr + 3] & 31;
    e->len = (size_t)e->shifts[1].start;
    emit_forget_recent(e);
    emit_op(e, OP_I32_FUNNEL);
    e->last_dst = (int64_t)e->len;
    e->last_pos = a->pos;
    emit_word(e, emit_slot(e, a->pos));
    emit_word(e, x);
    emit_word(e, k1);
    emit_word(e, y);
    emit_word(e, k2);
    return 1;
}

/* A branch on `slot` (taken when it is zero, or nonzero) that absorbs the latest
 * instruction when that wrote the slot as i32.and of a constant: C's flag tests
 * (`if (x & FLAG)`, musl's `if (f->flags & F_ERR)`) in one dispatch. The and still
 * writes its destination, which may be a local.tee's local. Returns 0 if not. */
int emit_branch_on_and(emitter *e, uint64_t slot, int when_zero)
{
    const emit_recent *r = &e->recent[0];
    if (!r->start || r->op != OP_SI + 0x71 || r->start + 3 != e->len || e->code[r->start] != slot)
        return 0;
    size_t s = r->start - 1;
    uint64_t dst = e->code[s + 1], a = e->code[s + 2], k = e->code[s + 3];
    e->len = s;
    emit_forget_recent(e);
    emit_op(e, when_zero ? OP_BR_AND_ZERO_SI : OP_BR_AND_SI);
    emit_word(e, dst);
    emit_word(e, a);
    emit_word(e, k);
    return 1;
}

/* An i32 compare-and-branch (ops.h OP_BR_CMP + op) whose left operand the latest
 * instruction wrote as i32.add of a constant: a counted loop's step and test
 * (`i += k; if (i < n) continue`) in one dispatch. Returns 0 when it does not apply. */
/* A consumer that absorbs an add finds the one it wants second in a pair: the two
 * become instructions of their own again, the wanted one the latest. */
static void emit_unpair_add(emitter *e, uint64_t dst)
{
    const emit_recent *r = &e->recent[0];
    if (!r->start || r->op != OP_ADD2_SI || r->start + 6 != e->len || e->code[r->start + 3] != dst)
        return;
    size_t s = r->start - 1;
    uint64_t w[6];
    memcpy(w, &e->code[s + 1], sizeof w);
    e->len = s;
    emit_forget_recent(e);
    for (int i = 0; i < 2; i++) {
        emit_op(e, OP_SI + 0x6a);
        emit_word(e, w[3 * i]);
        emit_word(e, w[3 * i + 1]);
        emit_word(e, w[3 * i + 2]);
    }
}

int emit_branch_on_add(emitter *e, int op, int si, uint64_t a, uint64_t b)
{
    emit_unpair_add(e, a);
    const emit_recent *r = &e->recent[0];
    if (!r->start || r->op != OP_SI + 0x6a || r->start + 3 != e->len || e->code[r->start] != a)
        return 0;
    size_t s = r->start - 1;
    uint64_t x = e->code[s + 2], k = e->code[s + 3];
    e->len = s;
    emit_forget_recent(e);
    emit_op(e, (si ? OP_ADD_BR_CMP_SI : OP_ADD_BR_CMP) + op);
    emit_word(e, a);
    emit_word(e, x);
    emit_word(e, k);
    emit_word(e, b);
    return 1;
}

int emit_take_address_add(emitter *e, const operand *addr, uint32_t *slot, uint32_t *imm)
{
    if (addr->kind == OPERAND_LOCAL_ADD) {
        *slot = addr->local;
        *imm = (uint32_t)addr->bits;
        return 1;
    }
    if (addr->kind != OPERAND_STACK || e->last_start < 0 || e->last_pos != addr->pos ||
        e->last_cmp != OP_SI + 0x6a)
        return 0;
    int64_t s = e->last_start;
    *slot = (uint32_t)e->code[s + 2];
    *imm = (uint32_t)e->code[s + 3];
    e->len = (size_t)s;
    emit_barrier(e);
    return 1;
}

int emit_memory_move(emitter *e, int store_op, operand *addr, const operand *value, uint32_t offset)
{
    /* the load each store can absorb, and the width moved */
    static const struct {
        uint8_t store, load, size_log2;
    } pairs[] = {{0x36, 0x28, 2}, {0x37, 0x29, 3}, {0x38, 0x2a, 2},
                 {0x39, 0x2b, 3}, {0x3a, 0x2d, 0}, {0x3b, 0x2f, 1},
                 {0x3c, 0x31, 0}, {0x3d, 0x33, 1}, {0x3e, 0x35, 2}};
    if (value->kind != OPERAND_STACK || e->last_start < 0 || e->last_pos != value->pos) return 0;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (pairs[i].store != store_op || e->last_cmp != OP_LOADED + pairs[i].load) continue;
        int64_t s = e->last_start;
        uint64_t src = e->code[s + 2], src_offset = e->code[s + 3], src_add = e->code[s + 4];
        e->len = (size_t)s;
        emit_barrier(e);
        /* the address was on the stack before the load, so it is computed already */
        uint32_t dst = emit_src(e, addr);
        emit_op(e, (e->checked ? OP_MOVE_CHECKED1 : OP_MOVE_GUARD1) + pairs[i].size_log2);
        emit_word(e, dst);
        emit_word(e, offset);
        emit_word(e, 0);
        emit_word(e, src);
        emit_word(e, src_offset);
        emit_word(e, src_add);
        return 1;
    }
    return 0;
}

int emit_funnel_store(emitter *e, int store_op, operand *addr, const operand *value,
                      uint32_t offset)
{
    const emit_recent *r = &e->recent[0];
    /* the funnel must be the last instruction and its result this store's value, in
       the value's own stack slot (not retargeted to a local that lives on) */
    if (store_op != 0x36 || value->kind != OPERAND_STACK || !r->start || r->op != OP_I32_FUNNEL ||
        r->start + 5 != e->len || e->code[r->start] != emit_slot(e, value->pos))
        return 0;
    /* an address that needs an instruction of its own would come between */
    if (addr->kind == OPERAND_CONST) return 0;
    size_t s = r->start - 1;
    uint64_t x = e->code[s + 2], k1 = e->code[s + 3], y = e->code[s + 4], k2 = e->code[s + 5];
    uint32_t slot, add = 0;
    e->len = s;
    emit_barrier(e);
    if (!emit_take_address_add(e, addr, &slot, &add))
        slot = emit_src(e, addr); /* a local or a stack slot: no code */
    emit_op(e, e->checked ? OP_FUNNEL_STORE_CHECKED : OP_FUNNEL_STORE_GUARD);
    emit_word(e, slot);
    emit_word(e, offset);
    emit_word(e, add);
    emit_word(e, x);
    emit_word(e, k1);
    emit_word(e, y);
    emit_word(e, k2);
    return 1;
}

int emit_step_load(emitter *e, int load_op, uint32_t addr, uint32_t offset)
{
    emit_unpair_add(e, addr);
    const emit_recent *r = &e->recent[0];
    if (!r->start || r->op != OP_SI + 0x6a || r->start + 3 != e->len || e->code[r->start] != addr)
        return 0;
    size_t s = r->start - 1;
    uint64_t x = e->code[s + 2], k = e->code[s + 3];
    e->len = s;
    emit_forget_recent(e);
    emit_op(e, (e->checked ? OP_MEM_STEP_CHECKED : OP_MEM_STEP_GUARD) + load_op);
    emit_result(e);
    emit_word(e, addr);
    emit_word(e, offset);
    emit_word(e, x);
    emit_word(e, k);
    return 1;
}

int emit_copy_pair(emitter *e, uint32_t dst, uint32_t src)
{
    const emit_recent *r = &e->recent[0];
    if (!r->start || r->op != OP_COPY || r->start + 2 != e->len) return 0;
    size_t s = r->start - 1;
    uint64_t dst1 = e->code[s + 1], src1 = e->code[s + 2];
    e->len = s;
    emit_forget_recent(e);
    emit_op(e, OP_COPY2);
    emit_word(e, dst1);
    emit_word(e, src1);
    emit_word(e, dst);
    emit_word(e, src);
    return 1;
}

int emit_add_pair(emitter *e, uint32_t dst, uint32_t x, uint32_t k)
{
    const emit_recent *r = &e->recent[0];
    if (!r->start || r->op != OP_SI + 0x6a || r->start + 3 != e->len) return 0;
    size_t s = r->start - 1;
    uint64_t dst1 = e->code[s + 1], x1 = e->code[s + 2], k1 = e->code[s + 3];
    e->len = s;
    emit_forget_recent(e);
    emit_op(e, OP_ADD2_SI);
    emit_word(e, dst1);
    emit_word(e, x1);
    emit_word(e, k1);
    emit_word(e, dst);
    emit_word(e, x);
    emit_word(e, k);
    return 1;
}

/* emit.h: the interpreter's backend of the function-body pass (compile.h): it writes
 * the internal code of ops.h. emit.c holds the operand model and the instructions,
 * emit_control.c blocks, branches and returns, emit_fuse.c the fused instructions,
 * emit_simd.c the 128-bit SIMD instructions. */
#ifndef WASMRT_EMIT_H
#define WASMRT_EMIT_H

#include "compile.h"
#include "ops.h"

/* Where an operand's value lives: in its own stack slot, still in a local (after
 * local.get), still a constant (after *.const), or still local + constant (after
 * i32.add of the two, bits holding the constant). Deferring the last three lets the
 * consumer read the local or the constant directly; a load or store takes local +
 * constant as its address with no add of its own, however much code lies between
 * the add and the access (musl's memcpy computes each store address before the
 * value it stores). */
enum operand_kind { OPERAND_STACK, OPERAND_LOCAL, OPERAND_CONST, OPERAND_LOCAL_ADD };

typedef struct operand {
    uint8_t kind;
    uint8_t v128; /* a v128: moves take both halves (emit_simd.c) */
    uint32_t local;
    uint64_t bits;
    uint32_t pos; /* stack position, set when popped */
} operand;

/* A control frame's labels, beside the validator's frame of the same index. */
typedef struct emit_frame {
    size_t loop_pc;     /* loop: where branches go */
    int64_t patches;    /* forward branches to the end: chain through the code */
    int64_t else_patch; /* if: the branch taken when the condition is false */
} emit_frame;

/* An instruction emitted: where it starts (+ 1, so that 0 is none) and its op. */
typedef struct emit_recent {
    size_t start;
    int op;
} emit_recent;

typedef struct emitter {
    compiler *c; /* the pass: module, function, frames, failure */
    int checked; /* explicit bounds checks */
    int metered; /* fuel or deadline checks */
    uint32_t nlocals;
    operand *stack;
    uint32_t height, stack_cap, max_height;
    emit_frame *frames;
    uint32_t frame_cap;
    uint64_t *code;
    size_t len, code_cap;
    int64_t last_dst;   /* word holding the destination of the last instruction */
    uint32_t last_pos;  /* stack position that instruction wrote */
    int64_t last_start; /* start of the last instruction, if a later one may absorb it:
                           a compare (into br_if / if) or i32.add of a constant (into a
                           load or store address) */
    int last_cmp;       /* its Wasm opcode, with OP_SI added for the constant form */
    /* The two instructions just emitted when they were i32 shifts by a constant,
       [0] the latest: `or` of their results becomes one funnel shift. */
    struct {
        int64_t start;
        int op;
        uint32_t pos;
    } shifts[2];
    /* The last two instructions emitted since a label, [0] the latest (start + 1;
       0 = none): a conditional branch on the value the latest wrote can absorb it
       (emit_cond_branch), also when a local.tee retargeted it to a local. */
    emit_recent recent[2];
    /* Words holding a host pointer (code cache relocations, code.h):
       position << 1 | CODE_RELOC_FUNC or CODE_RELOC_TYPE */
    uint32_t *relocs;
    uint32_t nrelocs, reloc_cap;
    /* Straight-line code from the entry (no label passed yet): locals still hold
       their initial zero, so storing zero into them again can be dropped. */
    int straight;
    uint8_t *local_zero;
    int v128_locals; /* some parameter or local is a v128 */
} emitter;

/* emit.c */
int emit_fail(emitter *e, wasmrt_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void emit_op(emitter *e, int op);
/* Forgets the instructions just emitted as fusion candidates: a label, a branch or a
 * rewrite makes them unsafe to absorb. */
void emit_barrier(emitter *e);
int emit_grow_code(emitter *e);
/* emit_word runs for nearly every instruction: inline. */
static inline void emit_word(emitter *e, uint64_t w)
{
    if (e->c->failed) return;
    if (e->len == e->code_cap && !emit_grow_code(e)) return;
    e->code[e->len++] = w;
}
static inline uint32_t emit_slot(const emitter *e, uint32_t pos)
{
    return e->nlocals + pos;
}
int emit_grow_stack(emitter *e);
/* Pushes an operand field by field. Translation is mostly pushes and pops; building
 * an operand struct and copying it whole made the CPU wait on store forwarding at
 * every one, so the hot paths (locals, constants, results) write the fields in place. */
static inline void emit_push_fields(emitter *e, int kind, uint32_t local, uint64_t bits)
{
    if (e->height == e->stack_cap && !emit_grow_stack(e)) return;
    operand *o = &e->stack[e->height];
    o->kind = (uint8_t)kind;
    o->v128 = 0;
    o->local = local;
    o->bits = bits;
    o->pos = e->height;
    if (++e->height > e->max_height) e->max_height = e->height;
}
static inline void emit_push(emitter *e)
{
    emit_push_fields(e, OPERAND_STACK, 0, 0);
}
static inline void emit_push_operand(emitter *e, operand o)
{
    emit_push_fields(e, o.kind, o.local, o.bits);
    e->stack[e->height - 1].v128 = o.v128;
}
/* A value of type t pushed as a stack slot (a v128 marked as one). */
static inline void emit_push_typed(emitter *e, wasmrt_valtype t)
{
    emit_push(e);
    e->stack[e->height - 1].v128 = t == WASMRT_V128;
}
static inline operand emit_pop(emitter *e)
{
    return e->stack[--e->height];
}
void emit_move(emitter *e, uint32_t dst, const operand *o);
void emit_materialize(emitter *e, uint32_t pos);
uint32_t emit_src(emitter *e, operand *o);
/* The destination word of a value-producing instruction (the next stack slot), and
 * the push of its result. */
void emit_result(emitter *e);
int emit_is_compare(int opcode);

/* emit_control.c: the control hooks of the backend, and what the rest shares */
void emit_unreachable(void *s);
void emit_block(void *s, uint32_t frame);
void emit_else(void *s, uint32_t frame, int reachable);
void emit_end(void *s, uint32_t frame, int reachable);
void emit_br(void *s, uint32_t frame);
void emit_br_if(void *s, uint32_t frame);
void emit_br_table(void *s, const uint32_t *labels, uint32_t count);
void emit_return(void *s);
int emit_grow_frames(emitter *e, uint32_t need);
void emit_patch_here(emitter *e, int64_t word);
void emit_cond_branch(emitter *e, operand *cond, int negate, int64_t *patch_out);

/* emit_simd.c: the simd hook (compile.h) and what v128 changes elsewhere */
void emit_simd(void *s, const compile_simd_insn *insn);
/* Copies the v128 in slot src to slot dst (both halves). */
void emit_v128_move(emitter *e, uint32_t dst, uint32_t src);
/* The function returns a v128 (its returns move both halves), and that return. */
int emit_v128_returns(const emitter *e);
void emit_v128_return(emitter *e);
/* Zeroes the high halves of the v128 locals at entry (the interpreter zeroes the
 * low halves with every local). */
void emit_v128_zero_locals(emitter *e);

/* emit_fuse.c: fused instructions */
static inline void emit_forget_recent(emitter *e)
{
    e->recent[0].start = e->recent[1].start = 0;
}
/* `or` of the two shifts just emitted as one funnel shift (a, b: the or's operands). */
int emit_funnel(emitter *e, const operand *a, const operand *b);
/* A branch on `slot` absorbing the i32.and of a constant that just wrote it. */
int emit_branch_on_and(emitter *e, uint64_t slot, int when_zero);
/* An i32 compare-and-branch (OP_BR_CMP + op, right operand b a slot or, with si, a
 * constant) absorbing the i32.add of a constant that just wrote its left operand a. */
int emit_branch_on_add(emitter *e, int op, int si, uint64_t a, uint64_t b);
/* If addr was computed by the instruction just emitted as slot + constant, removes
 * that instruction and returns the slot and the constant. */
int emit_take_address_add(emitter *e, const operand *addr, uint32_t *slot, uint32_t *imm);
/* A store (Wasm opcode) of a value just loaded with the same width: one memory-to-
 * memory move instead of two instructions. Returns 0 when it does not apply. */
int emit_memory_move(emitter *e, int store_op, operand *addr, const operand *value,
                     uint32_t offset);
/* A load (Wasm opcode) from slot `addr` just written by i32.add of a constant
 * (`*++p`): one instruction doing both. Returns 0 when it does not apply. */
int emit_step_load(emitter *e, int load_op, uint32_t addr, uint32_t offset);
/* A copy right after another (call arguments, branch values): one instruction doing
 * both in order. Returns 0 when the last instruction is not a copy. */
int emit_copy_pair(emitter *e, uint32_t dst, uint32_t src);
/* A local + constant written to dst right after another i32.add of a constant
 * (`p++; n--` in a loop): one instruction doing both in order, which a consumer of the
 * second (emit_branch_on_add, emit_step_load) splits again. Returns 0 if not. */
int emit_add_pair(emitter *e, uint32_t dst, uint32_t x, uint32_t k);
/* An i32.store of a funnel shift just computed (unaligned word copies): one
 * instruction. Returns 0 when it does not apply. */
int emit_funnel_store(emitter *e, int store_op, operand *addr, const operand *value,
                      uint32_t offset);

#endif

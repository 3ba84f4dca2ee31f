/* compile.h: state of the single pass over a function body that type-checks it
 * (validation at load) and, when asked, translates it to the internal code of ops.h.
 * compile.c walks the opcodes; emit.c holds the operand model and code emission. */
#ifndef WASMRT_COMPILE_H
#define WASMRT_COMPILE_H

#include "code.h"
#include "ops.h"
#include "reader.h"

#define TYPE_UNKNOWN ((wasmrt_valtype)0) /* bottom of an unreachable stack */

/* Where an operand's value lives: in its own stack slot, still in a local (after
 * local.get), still a constant (after *.const), or still local + constant (after
 * i32.add of the two, bits holding the constant). Deferring the last three lets the
 * consumer read the local or the constant directly; a load or store takes local +
 * constant as its address with no add of its own, however much code lies between
 * the add and the access (musl's memcpy computes each store address before the
 * value it stores). */
enum operand_kind { OPERAND_STACK, OPERAND_LOCAL, OPERAND_CONST, OPERAND_LOCAL_ADD };

typedef struct operand {
    wasmrt_valtype type;
    uint8_t kind;
    uint32_t local;
    uint64_t bits;
    uint32_t pos; /* stack position, set when popped */
} operand;

enum ctrl_kind { CTRL_FUNC, CTRL_BLOCK, CTRL_LOOP, CTRL_IF, CTRL_ELSE };

typedef struct ctrl {
    uint8_t kind;
    int unreachable; /* validation: the rest of this frame is unreachable */
    int dead;        /* translation: the frame was opened in unreachable code */
    uint32_t height; /* operands below the block's parameters */
    uint32_t nparams, nresults;
    const wasmrt_valtype *params, *results;
    wasmrt_valtype single; /* storage for a one-result block type */
    size_t loop_pc;        /* loop: where branches go */
    int64_t patches;       /* forward branches to the end: chain through the code */
    int64_t else_patch;    /* if: the branch taken when the condition is false */
} ctrl;

/* An instruction emitted: where it starts (+ 1, so that 0 is none) and its op. */
typedef struct emit_recent {
    size_t start;
    int op;
} emit_recent;

typedef struct compiler {
    const wasmrt_module *m;
    const func_entry *fn;
    reader r;
    wasmrt_error *error;
    int emit;    /* 0 = validate only */
    int checked; /* explicit bounds checks */
    int metered; /* fuel or deadline checks */
    wasmrt_valtype *local_types;
    uint32_t nlocals;
    operand *stack;
    uint32_t height, stack_cap, max_height;
    ctrl *ctrls;
    uint32_t depth, ctrl_cap;
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
    int failed;
    /* Words holding a host pointer (code cache relocations, module.h `code`):
       position << 1 | CODE_RELOC_FUNC or CODE_RELOC_TYPE */
    uint32_t *relocs;
    uint32_t nrelocs, reloc_cap;
    /* Straight-line code from the entry (no label passed yet): locals still hold
       their initial zero, so storing zero into them again can be dropped. */
    int straight;
    uint8_t *local_zero;
} compiler;

/* emit.c */
int emit_fail(compiler *c, wasmrt_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether code is being emitted here: translating, not failed, not unreachable.
 * emit_live and emit_word run for nearly every instruction: inline. */
static inline int emit_live(const compiler *c)
{
    const ctrl *f = &c->ctrls[c->depth - 1];
    return c->emit && !c->failed && !f->unreachable && !f->dead;
}
void emit_op(compiler *c, int op);
/* Forgets the instructions just emitted as fusion candidates: a label, a branch or a
 * rewrite makes them unsafe to absorb. */
void emit_barrier(compiler *c);
int emit_grow_code(compiler *c);
static inline void emit_word(compiler *c, uint64_t w)
{
    if (!c->emit || c->failed)
        return;
    if (c->len == c->code_cap && !emit_grow_code(c))
        return;
    c->code[c->len++] = w;
}
uint32_t emit_slot(const compiler *c, uint32_t pos);
void emit_push(compiler *c, wasmrt_valtype t);
void emit_push_operand(compiler *c, operand o);
int emit_grow_stack(compiler *c);
/* Pushes an operand field by field. Validation is mostly pushes and pops; building an
 * operand struct and copying it whole made the CPU wait on store forwarding at every
 * one, so the hot paths (locals, constants, results) write the fields in place. */
static inline void emit_push_fields(compiler *c, wasmrt_valtype t, int kind, uint32_t local,
                                    uint64_t bits)
{
    if (c->height == c->stack_cap && !emit_grow_stack(c))
        return;
    operand *o = &c->stack[c->height];
    o->type = t;
    o->kind = (uint8_t)kind;
    o->local = local;
    o->bits = bits;
    o->pos = c->height;
    if (++c->height > c->max_height)
        c->max_height = c->height;
}
int emit_pop(compiler *c, wasmrt_valtype expect, operand *out);
void emit_materialize(compiler *c, uint32_t pos);
void emit_materialize_all(compiler *c);
uint32_t emit_src(compiler *c, operand *o);
void emit_result(compiler *c, wasmrt_valtype t);
void emit_binary(compiler *c, int opcode, wasmrt_valtype in, wasmrt_valtype out, int has_si,
                 int commutative);
void emit_unary(compiler *c, int opcode, wasmrt_valtype in, wasmrt_valtype out);
void emit_local_set(compiler *c, uint32_t index, int tee);
ctrl *emit_ctrl_push(compiler *c, int kind, const wasmrt_valtype *params, uint32_t np,
                     const wasmrt_valtype *results, uint32_t nr, wasmrt_valtype single);
const wasmrt_valtype *emit_ctrl_results(const ctrl *f);
int emit_check_results(compiler *c, ctrl *f);
void emit_place_label(compiler *c, ctrl *f);
void emit_set_unreachable(compiler *c);
int emit_branch(compiler *c, uint32_t label);
int emit_br_if(compiler *c, uint32_t label, int negate);
int emit_br_table(compiler *c, uint32_t *labels, uint32_t count);
void emit_return(compiler *c);
void emit_patch_here(compiler *c, int64_t word);
void emit_cond_branch(compiler *c, operand *cond, int negate, int64_t *patch_out);

/* emit_fuse.c: fused instructions */
static inline void emit_forget_recent(compiler *c)
{
    c->recent[0].start = c->recent[1].start = 0;
}
/* `or` of the two shifts just emitted as one funnel shift (a, b: the or's operands). */
int emit_funnel(compiler *c, const operand *a, const operand *b);
/* A branch on `slot` absorbing the i32.and of a constant that just wrote it. */
int emit_branch_on_and(compiler *c, uint64_t slot, int when_zero);
/* An i32 compare-and-branch (OP_BR_CMP + op, right operand b a slot or, with si, a
 * constant) absorbing the i32.add of a constant that just wrote its left operand a. */
int emit_branch_on_add(compiler *c, int op, int si, uint64_t a, uint64_t b);
/* If addr was computed by the instruction just emitted as slot + constant, removes
 * that instruction and returns the slot and the constant. */
int emit_take_address_add(compiler *c, const operand *addr, uint32_t *slot, uint32_t *imm);
/* A store (Wasm opcode) of a value just loaded with the same width: one memory-to-
 * memory move instead of two instructions. Returns 0 when it does not apply. */
int emit_memory_move(compiler *c, int store_op, operand *addr, const operand *value, uint32_t offset);
/* A load (Wasm opcode, result type t) from slot `addr` just written by i32.add of a
 * constant (`*++p`): one instruction doing both. Returns 0 when it does not apply. */
int emit_step_load(compiler *c, int load_op, wasmrt_valtype t, uint32_t addr, uint32_t offset);
/* A copy right after another (call arguments, branch values): one instruction doing
 * both in order. Returns 0 when the last instruction is not a copy. */
int emit_copy_pair(compiler *c, uint32_t dst, uint32_t src);
/* A local + constant written to dst right after another i32.add of a constant
 * (`p++; n--` in a loop): one instruction doing both in order, which a consumer of the
 * second (emit_branch_on_add, emit_step_load) splits again. Returns 0 if not. */
int emit_add_pair(compiler *c, uint32_t dst, uint32_t x, uint32_t k);
/* An i32.store of a funnel shift just computed (unaligned word copies): one
 * instruction. Returns 0 when it does not apply. */
int emit_funnel_store(compiler *c, int store_op, operand *addr, const operand *value,
                      uint32_t offset);

/* compile_ops.c: immediates and the non-control instructions */
int compile_index(compiler *c, uint32_t *out);
int compile_memarg(compiler *c, uint32_t natural_log2, uint32_t *offset);
int compile_zero_byte(compiler *c);
int compile_need_memory(compiler *c);
int compile_table(compiler *c, uint32_t *t);
int compile_pop_slots(compiler *c, const wasmrt_valtype *types, uint32_t n, uint32_t *slots);
void compile_words(compiler *c, int op, const uint32_t *w, uint32_t n);
int compile_prefixed(compiler *c);
void compile_const(compiler *c, wasmrt_valtype t, uint64_t bits);
void compile_numeric(compiler *c, uint8_t op);

/* compile_simd.c: the 0xfd instructions and the v128 moves */
/* One 0xfd instruction, its prefix byte read. */
int compile_simd(compiler *c);
/* Copies the v128 in slot src to slot dst (both halves). */
void compile_simd_move(compiler *c, uint32_t dst, uint32_t src);
/* Whether the function returns a v128 (its returns move both halves), and that return. */
int compile_simd_returns(const compiler *c);
void compile_simd_return(compiler *c);
/* Zeroes the high halves of v128 locals at entry (the interpreter zeroes the rest). */
void compile_simd_prologue(compiler *c);

#endif

/* compile.h: the single pass over a function body. The validator (compile.c, control
 * instructions; compile_ops.c, the others and the opcode tables) type-checks the body
 * with the spec's algorithm: it owns the operand types and the control frames. When
 * translating, it hands every instruction of reachable code to a backend through
 * compile_backend, after checking it: a backend owns its value model and the code it
 * writes (emit*.c, the interpreter's code of ops.h; src/jit/, x86-64 machine code).
 * Validation at load runs the same pass with no backend. */
#ifndef WASMRT_COMPILE_H
#define WASMRT_COMPILE_H

#include "code.h"
#include "reader.h"

#define TYPE_UNKNOWN ((wasmrt_valtype)0) /* bottom of an unreachable stack */

enum ctrl_kind { CTRL_FUNC, CTRL_BLOCK, CTRL_LOOP, CTRL_IF, CTRL_ELSE };

/* A control frame as the validator keeps it. */
typedef struct ctrl {
    uint8_t kind;
    uint8_t unreachable; /* the rest of this frame is unreachable */
    uint8_t dead;        /* opened in unreachable code: the backend never saw it */
    uint32_t height;     /* operands below the block's parameters */
    uint32_t nparams, nresults;
    const wasmrt_valtype *params, *results;
    wasmrt_valtype single; /* storage for a one-result block type */
} ctrl;

/* A 0xfd instruction's sub-opcode and immediates: the memarg offset (memory
 * instructions), the lane index (lane instructions), the 16 bytes of v128.const or
 * of i8x16.shuffle's lane indices. */
typedef struct compile_simd_insn {
    uint32_t sub;
    uint32_t offset;
    uint32_t lane;
    uint8_t bytes[16];
} compile_simd_insn;

/* What a backend is told, instruction by instruction, for reachable code only (so it
 * never models an unreachable stack). `s` is the backend's state. Operands are on the
 * backend's own stack, in the validator's order, already type-checked; a hook pops its
 * operands and pushes its results there. Frames are named by their index in the
 * validator's frame stack (compiler.ctrls), so a backend may keep its own label data
 * in an array beside it. A hook that cannot do its work calls compile_fail. */
typedef struct compiler compiler;
typedef struct compile_backend {
    /* The pass is starting: the backend may keep c (frames, module, function, and
       compile_fail); the function's own frame comes next, as block(0). */
    void (*begin)(void *s, compiler *c);
    /* values and variables */
    void (*constant)(void *s, wasmrt_valtype t, uint64_t bits);
    void (*local_get)(void *s, uint32_t index);
    void (*local_set)(void *s, uint32_t index, int tee);
    void (*global_get)(void *s, uint32_t index);
    void (*global_set)(void *s, uint32_t index);
    void (*drop)(void *s);
    void (*select)(void *s, wasmrt_valtype t);
    /* Numeric instructions by Wasm opcode: 0x45..0xc4, ref.is_null as 0xd1, and the
       saturating truncations as COMPILE_OP_FC + sub-opcode (0..7). Wrap and
       reinterpret are unary ops too. */
    void (*unary)(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out);
    void (*binary)(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out);
    /* memory (opcode 0x28..0x3e with the memarg offset) */
    void (*load)(void *s, uint32_t op, uint32_t offset);
    void (*store)(void *s, uint32_t op, uint32_t offset);
    void (*memory_size)(void *s);
    void (*memory_grow)(void *s);
    /* references, tables and the 0xfc bulk-memory and table group (sub-opcode 8..17
       with its two index immediates, in the order the binary gives them) */
    void (*ref_func)(void *s, uint32_t index);
    void (*table_get)(void *s, uint32_t table);
    void (*table_set)(void *s, uint32_t table);
    void (*bulk)(void *s, uint32_t sub, uint32_t a, uint32_t b);
    /* Control. block: the frame was just pushed (an if's condition is on top of the
       parameters). else_ and end: `reachable` says whether the code before them can
       run (the frame's results are then on the stack); after them the stack holds
       the frame's parameters (else) or results (end) above its height. The end of
       the function frame returns its results when reachable. Branches name their
       target frame; br_table the labels as the binary gives them (relative depths,
       the default last). */
    void (*unreachable)(void *s);
    void (*block)(void *s, uint32_t frame);
    void (*else_)(void *s, uint32_t frame, int reachable);
    void (*end)(void *s, uint32_t frame, int reachable);
    void (*br)(void *s, uint32_t frame);
    void (*br_if)(void *s, uint32_t frame);
    void (*br_table)(void *s, const uint32_t *labels, uint32_t count);
    void (*return_)(void *s);
    void (*call)(void *s, uint32_t func);
    void (*call_indirect)(void *s, uint32_t type, uint32_t table);
    /* 128-bit SIMD: one hook for every 0xfd instruction (simd.h lists them with
       their operands), its immediates in insn */
    void (*simd)(void *s, const compile_simd_insn *insn);
} compile_backend;


#define COMPILE_OP_FC 0xfc00u /* numeric ops of the 0xfc group: COMPILE_OP_FC + sub */

struct compiler {
    const wasmrt_module *m;
    const func_entry *fn;
    reader r;
    wasmrt_error *error;
    wasmrt_valtype *local_types;
    uint32_t nlocals;
    wasmrt_valtype *types; /* the operand stack's types */
    uint32_t height, stack_cap;
    ctrl *ctrls;
    uint32_t depth, ctrl_cap;
    int failed;
    const compile_backend *be; /* NULL: validate only */
    void *bs;                  /* the backend's state */
};

/* Fails the pass with an error at the current offset naming the function (the first
 * failure wins); returns 0. */
int compile_fail(compiler *c, wasmrt_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether the backend is to hear about the current instruction: translating, not
 * failed, and the code reachable. */
static inline int compile_live(const compiler *c)
{
    const ctrl *f = &c->ctrls[c->depth - 1];
    return c->be && !c->failed && !f->unreachable && !f->dead;
}

int compile_grow_types(compiler *c);
static inline void compile_push(compiler *c, wasmrt_valtype t)
{
    if (c->height == c->stack_cap && !compile_grow_types(c)) return;
    c->types[c->height++] = t;
}
/* Pops one operand type into *found; `expect` TYPE_UNKNOWN accepts any type. */
int compile_pop(compiler *c, wasmrt_valtype expect, wasmrt_valtype *found);
/* The frame `label` levels out (0 = the innermost), or NULL after failing. */
ctrl *compile_label(compiler *c, uint32_t label);
/* The types a branch to frame f carries. */
const wasmrt_valtype *compile_label_types(const ctrl *f, uint32_t *n);
const wasmrt_valtype *compile_ctrl_results(const ctrl *f);
void compile_set_unreachable(compiler *c);

/* Runs the pass over one defined function: validate only when be is NULL, else
 * translate through the backend (state bs). */
wasmrt_status compile_pass(const wasmrt_module *module, const func_entry *fn,
                           const compile_backend *be, void *bs, wasmrt_error *error);

/* compile_ops.c: the instructions; compile.c's loop dispatches through the table. */
typedef int (*compile_op_fn)(compiler *c, uint32_t op);
extern const compile_op_fn compile_ops[256];
int compile_index(compiler *c, uint32_t *out);
/* A memarg: alignment at most 2^natural_log2, memory 0 present; the offset out. */
int compile_memarg(compiler *c, uint32_t natural_log2, uint32_t *offset);
/* compile.c: the control instructions (the table points at them) */
int compile_op_unreachable(compiler *c, uint32_t op);
int compile_op_nop(compiler *c, uint32_t op);
int compile_op_block(compiler *c, uint32_t op);
int compile_op_else(compiler *c, uint32_t op);
int compile_op_end(compiler *c, uint32_t op);
int compile_op_br(compiler *c, uint32_t op);
int compile_op_br_if(compiler *c, uint32_t op);
int compile_op_br_table(compiler *c, uint32_t op);
int compile_op_return(compiler *c, uint32_t op);
int compile_op_call(compiler *c, uint32_t op);
int compile_op_call_indirect(compiler *c, uint32_t op);

/* compile_simd.c: the 0xfd instructions (the table points at it) */
int compile_op_simd(compiler *c, uint32_t op);

#endif

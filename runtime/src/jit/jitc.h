/* jitc.h: the state of the register-allocating compiler, shared by its files: a
 * backend of the function-body pass (compile.h) that writes x86-64 machine code.
 *   regs.c        the abstract value stack and the register allocator
 *   ops_int.c     integer arithmetic, compares, conversions between integers
 *   ops_float.c   f32/f64 arithmetic, compares and conversions in SSE registers
 *   ops_mem.c     loads, stores, memory.size/grow, globals, tables and bulk memory
 *   ops_simd.c    128-bit SIMD: v128 in xmm registers, the lane work simd_x64.c's
 *   ops_control.c blocks, branches, br_table, select, return
 *   calls.c       calls between compiled functions, to imports, call_indirect, C helpers
 *   function.c    a whole function: locals' homes, prologue, epilogue, the C entry
 *
 * The model. Every Wasm operand on the abstract stack is a constant, a reference to a
 * local, a value in a register, a value in its spill slot (one per stack position),
 * or the flags of a compare just made. Locals have fixed homes for the whole function,
 * a register or a frame slot, chosen by use counts (loops weigh more); so control
 * flow joins never move locals. At a block's entry every stack value below it goes to
 * its spill slot (constants stay), so a join finds them where it left them; a label's
 * values go to a canonical place (rax or xmm0 for one, spill slots for several).
 *
 * Registers (internal convention, not the C one): r15 = memory base, r14 = the
 * instance, r13 = the thread, r12 = the calls left before the depth limit; in checked
 * bounds mode r9 = the memory's size. rbx, rbp, rsi, rdi, r8, r9 and xmm8-15 are
 * kept across calls (a function using one saves it, xmm registers whole); rax, rcx,
 * rdx, r10, r11 and xmm0-7 are not. Arguments go in rax, rcx, rdx, r10 and xmm0-7 in
 * order (f32, f64 and v128 in xmm), the rest on the stack in 8-byte words (two for a
 * v128); r11 points at the callee's entry in the instance's table; one result comes
 * back in rax or xmm0, several on the stack, in words too.
 *
 * A v128 is a value like the others: in an xmm register, a local's home (an xmm
 * register or 16 bytes of frame), or its spill slot, which is 16 bytes in a function
 * that has v128 values (slot_bytes); where C reads the slots (helpers, imports) the
 * words of a v128 are its low half, then its high half. */
#ifndef WASMRT_JIT_JITC_H
#define WASMRT_JIT_JITC_H

#include "compile.h"
#include "jit/asm.h"
#include "jit/layout.h"

/* CPU features the code may use (jit_cpu_features in tier.c) */
#define JIT_CPU_POPCNT 1
#define JIT_CPU_LZCNT 2
#define JIT_CPU_BMI1 4
#define JIT_CPU_SSE41 8
#define JIT_CPU_SSSE3 16
#define JIT_CPU_SSE42 32
#define JIT_CPU_AVX 64 /* with the OS saving the registers; WASMRT_JIT_NO_AVX=1 hides it */
int jit_cpu_features(void);
/* Those of simd_x64.h's features the CPU has (from jit_cpu_features, so that a code
 * file's key covers them). */
unsigned jit_simd_features(int features);

/* Register ids of the allocator: GPRs 0-15, XMMs 16-31. */
#define JR_XMM 16
#define JR_BIT(r) (1u << (r))
#define JR_GPRS 0x0000ffffu
#define JR_XMMS 0xffff0000u
#define JR_CALLER_SAVED                                                                            \
    (JR_BIT(RAX) | JR_BIT(RCX) | JR_BIT(RDX) | JR_BIT(R10) | JR_BIT(R11) | 0x00ff0000u)
#define JR_CALLEE_SAVED                                                                            \
    (JR_BIT(RBX) | JR_BIT(RBP) | JR_BIT(RSI) | JR_BIT(RDI) | JR_BIT(R8) | JR_BIT(R9) | 0xff000000u)
/* what a C function may change (the System V convention) */
#define JR_C_VOLATILE                                                                              \
    (JR_BIT(RAX) | JR_BIT(RCX) | JR_BIT(RDX) | JR_BIT(RSI) | JR_BIT(RDI) | JR_BIT(R8) |            \
     JR_BIT(R9) | JR_BIT(R10) | JR_BIT(R11) | JR_XMMS)
#define JR_SCRATCH R11 /* free between instructions: call targets, moves through memory */
#define JC_INT_ARGS 4
#define JC_FLOAT_ARGS 8
extern const uint8_t jc_int_arg_regs[JC_INT_ARGS];

enum jv_kind { JV_CONST, JV_LOCAL, JV_REG, JV_SPILL, JV_FLAGS };

/* A value on the abstract stack. */
typedef struct jv {
    uint8_t kind;
    uint8_t type; /* wasmrt_valtype */
    uint8_t reg;  /* JV_REG: the register id; JV_FLAGS: the condition code */
    uint32_t local;
    uint64_t bits; /* JV_CONST */
} jv;

typedef struct jc_local {
    uint8_t type;
    int8_t reg;   /* home register id, or -1 */
    int32_t disp; /* a frame home: [rsp + disp] */
    uint32_t weight;
    uint8_t set_first; /* set before any read, in code that always runs first */
} jc_local;

/* Label data beside each of the validator's frames. */
typedef struct jc_frame {
    uint32_t label;      /* loop: its head; block, if: its end */
    uint32_t else_label; /* if: where the condition's false branch goes */
} jc_frame;

/* A 32-bit displacement to which the frame size and the saved registers are added
 * once known (reads of stack arguments, writes of several results). */
typedef struct jc_frame_fix {
    uint32_t at;
} jc_frame_fix;

typedef struct jc {
    compiler *c;
    const wasmrt_module *m;
    const func_entry *fn;
    x64 a;
    x64 prologue; /* written last, then copied in front of the body */
    int checked;  /* explicit bounds: r9 holds the memory size */
    int metered;
    int features;    /* jit_cpu_features() */
    uint32_t locked; /* registers the current instruction holds: never evicted */
    int dest;        /* the home the current instruction writes its result to, or -1 */
    uint32_t dest_local;
    /* the last load into a temporary, while it can still be taken back (jc_take_load) */
    struct {
        size_t start, end;
        uint32_t binds, nrefs, nfaults;
        x64_mem mem;
        int reg;
        uint8_t size, type;
    } last_load;
    uint32_t load_held; /* temporaries a taken-back load's address needs until its use */
    /* locals */
    jc_local *locals;
    uint32_t nlocals;
    uint32_t homes; /* registers that are locals' homes */
    /* the abstract stack */
    jv *stack;
    uint32_t height, stack_cap, max_height;
    uint32_t spill_used; /* spill slots the code uses: 0 .. spill_used - 1 */
    uint32_t slot_bytes; /* a spill slot's size: 16 in a function with v128 values, else 8 */
    /* registers */
    uint32_t free_regs; /* temporaries not holding a stack value */
    uint32_t saved;     /* callee-saved registers written: the prologue saves them */
    int16_t owner[32];  /* stack position whose value a temporary holds */
    int32_t rsp_delta;  /* bytes pushed below the frame for now (calls) */
    int32_t spill_base; /* [rsp + spill_base + 8 * pos]: position pos's spill slot */
    /* labels and out-of-line code */
    jc_frame *frames;
    uint32_t frame_cap;
    uint32_t epilogue;
    uint32_t trap_labels[32]; /* per trap kind, 0 = none yet */
    uint32_t status_label;    /* a C helper failed: eax holds its status */
    struct jc_const {
        uint64_t bits, hi; /* hi: the high 8 bytes of a 16-byte constant */
        uint32_t label;
        uint8_t size;
    } * consts; /* float and v128 constants placed after the code */
    uint32_t nconsts, const_cap;
    /* tables for the function's record */
    uint32_t *faults; /* code offsets of memory accesses a guard page may stop */
    uint32_t nfaults, fault_cap;
    jc_frame_fix *frame_fixes;
    uint32_t nframe_fixes, frame_fix_cap;
    /* per jump table: where its entries are and their labels */
    uint32_t *tables;
    uint32_t ntables, table_cap;
    /* data after the code: words for exec_ops.c ([label, count, words...] each) */
    uint64_t *rodata;
    uint32_t nrodata, rodata_cap;
    uint32_t ccall_kept; /* what jc_ccall_save pushed */
    int32_t ccall_room;
    uint32_t body_label; /* the body's entry (the prologue, placed last) */
    uint32_t nmem;       /* locals with a frame home */
    int has_calls;
} jc;

/* Trap "kinds" for jc_trap_label whose kind is known only when running */
#define JC_TRAP_EAX 30 /* in eax (a C helper's answer) */
#define JC_TRAP_R11 31 /* in r11d */

/* ---- regs.c ---- */
int jc_fail(jc *j, const char *what);
/* Whether a value of type t lives in an SSE register (f32, f64, v128) rather than a
 * general one, and the bytes it takes in memory there (a frame home, a spill slot). */
static inline int jc_is_xmm(int t)
{
    return t == WASMRT_F32 || t == WASMRT_F64 || t == WASMRT_V128;
}
static inline unsigned jc_xmm_bytes(int t)
{
    return t == WASMRT_F32 ? 4 : t == WASMRT_V128 ? 16 : 8;
}
/* The 8-byte words a value takes where values are passed in words (stack arguments,
 * several results, the slots C reads): a v128 two, its low half first. */
static inline uint32_t jc_words(int t)
{
    return t == WASMRT_V128 ? 2 : 1;
}
static inline unsigned jc_w(int t)
{
    return t == WASMRT_I32 || t == WASMRT_F32 ? 0 : X64_W;
}
static inline x64_mem jc_slot(jc *j, uint32_t pos)
{
    if (pos >= j->spill_used) j->spill_used = pos + 1;
    return x64_base(RSP, j->spill_base + (int32_t)(j->slot_bytes * pos) + j->rsp_delta);
}
static inline x64_mem jc_local_mem(const jc *j, uint32_t local)
{
    return x64_base(RSP, j->locals[local].disp + j->rsp_delta);
}
static inline jv *jc_top(jc *j, uint32_t n)
{
    return &j->stack[j->height - 1 - n];
}
/* Starts an instruction: no register is held yet, and flags on the stack that this
 * instruction does not consume (keep_flags) become a value. */
void jc_begin(jc *j, int keep_flags);
int jc_push(jc *j, int kind, int type, int reg, uint32_t local, uint64_t bits);
static inline int jc_push_reg(jc *j, int type, int reg)
{
    j->owner[reg] = (int16_t)j->height;
    j->free_regs &= ~JR_BIT(reg);
    return jc_push(j, JV_REG, type, reg, 0, 0);
}
/* Results straight into a local's home. When the next instruction is local.set or
 * local.tee of a local whose home is a register, an instruction may compute its result
 * there: the stack's other reads of the local move away first (as local.set would move
 * them), and the local.set finds the local on top and moves nothing. The instruction's
 * operands are the top n values; `pos` is the one the result overwrites in place (or
 * -1). Another operand reading the local rules it out, unless `pos` reads it too.
 * jc_dest: the value at pos in the register the result goes to (the home, or a
 * temporary as jc_own); jc_alloc_result: a register for a result computed from
 * scratch; jc_push_result pushes the result from either. */
/* The local of that type the next instruction sets (local.set or local.tee), or -1;
 * jc_next_set: only when its home is a register. */
int64_t jc_next_local(const jc *j, int type);
int64_t jc_next_set(const jc *j, int type);
int jc_result_home(jc *j, int type, uint32_t n, int64_t pos); /* the home, or -1 */
int jc_dest(jc *j, uint32_t pos, uint32_t n, int type);
int jc_alloc_result(jc *j, int type, uint32_t n, int64_t pos);
void jc_push_result(jc *j, int type, int r);
/* Drops the top n values, freeing their registers unless the instruction holds
 * them (the result goes there). */
void jc_pop(jc *j, uint32_t n);
/* A free temporary of the class (xmm), preferring `prefer` when free, spilling the
 * deepest stack value held in a register when none is; held for the instruction. */
int jc_alloc(jc *j, int xmm, uint32_t avoid);
/* Takes register r for this instruction, moving the stack value in it elsewhere. */
void jc_claim(jc *j, int r);
/* Gives a register taken with jc_alloc or jc_claim back without pushing a value. */
void jc_release(jc *j, int r);
void jc_spill(jc *j, uint32_t pos);
/* The value at pos in a register, which may be a local's home (read it only). */
int jc_reg(jc *j, uint32_t pos);
/* The value at pos in a temporary the instruction may overwrite. */
int jc_own(jc *j, uint32_t pos);
/* The value at pos into register r (held), whatever was there moved first. */
void jc_load_into(jc *j, uint32_t pos, int r);
/* An operand for an instruction's second input: a register, an immediate (when
 * allowed and the constant fits 32 signed bits) or memory. */
typedef struct jc_opnd {
    uint8_t kind; /* 0 register, 1 immediate, 2 memory */
    int8_t reg;
    int32_t imm;
    x64_mem mem;
} jc_opnd;
enum { OPND_REG, OPND_IMM, OPND_MEM };
jc_opnd jc_operand(jc *j, uint32_t pos, int allow_imm);
/* Writes the value of `v` to memory m (8 bytes, 16 for a v128; r11 or xmm15 may carry
 * it). */
void jc_store_value(jc *j, const jv *v, x64_mem m);
/* Copies a value of the type between two places in memory (through r11 or xmm15). */
void jc_copy_mem(jc *j, int type, x64_mem to, x64_mem from);
/* Loads the value at pos into register r, the stack model unchanged (C helper
 * arguments, a branch's values). */
void jc_value_to(jc *j, uint32_t pos, int r);
/* Loads the value in position pos's spill slot into register r. */
void jc_value_slot_to(jc *j, int type, uint32_t pos, int r);
/* The n values from `first` go to their spill slots. */
void jc_to_slots(jc *j, uint32_t first, uint32_t n);
/* Words placed after the code (8-aligned); returns their label. */
uint32_t jc_rodata(jc *j, const uint64_t *words, uint32_t n);
/* Copies register src to register dst (same class; for i32, 32 bits). */
void jc_move_reg(jc *j, int type, int dst, int src);
/* Condition codes of float (in)equality (ZF with PF clear, or either), beyond x86's;
 * negated like the others, by flipping the lowest bit. */
#define JC_CC_FEQ 16
#define JC_CC_FNE 17
/* r = the condition (0 or 1); r11 may be used. */
void jc_setcc(jc *j, int cc, int r);
/* Jumps to label on the condition. */
void jc_jcc(jc *j, int cc, uint32_t label);
/* Puts the flags value at pos into a register (setcc). */
void jc_materialize_flags(jc *j, uint32_t pos);
/* References to local `local` on the stack become values of their own (before it
 * changes). */
void jc_detach_local(jc *j, uint32_t local);
/* Every stack value below `below` that is in a register, a local or the flags goes to
 * its spill slot (a block's entry). */
void jc_flush(jc *j, uint32_t below);
/* Stack values below `below` in registers a call may change go to spill slots. */
void jc_save_for_call(jc *j, uint32_t below, uint32_t clobbered);
/* The constant's 4, 8 or 16 bytes (hi: bytes 8-15) in the function's pool. */
x64_mem jc_const(jc *j, uint64_t bits, unsigned size);
x64_mem jc_const128(jc *j, uint64_t bits, uint64_t hi, unsigned size);

/* ---- the hooks (compile_backend), by file ---- */
void jc_unary(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out);
void jc_binary(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out);
int jc_float_unary(jc *j, uint32_t op);
int jc_float_binary(jc *j, uint32_t op);
void jc_load(void *s, uint32_t op, uint32_t offset);
/* The memory operand of an access of `size` bytes at the address on stack position
 * pos plus offset ([r15 + address + offset]); in checked mode the compare against r9
 * and the branch to the trap come first. Call jc_fault_mark just before the access. */
x64_mem jc_address(jc *j, uint32_t pos, uint32_t offset, unsigned size);
/* Loads folded into their user: when the value at pos (the top) is what the previous
 * instruction loaded into a temporary, `size` bytes, and nothing came between, the
 * load is taken back and its memory operand returned (1): the caller reads memory
 * there, calling jc_fault_mark just before the instruction that does. */
int jc_take_load(jc *j, uint32_t pos, unsigned size, x64_mem *m);
void jc_fault_mark(jc *j);
/* After the instruction that read the taken-back load's memory. */
void jc_load_done(jc *j);
void jc_store(void *s, uint32_t op, uint32_t offset);
void jc_memory_size(void *s);
void jc_memory_grow(void *s);
void jc_global_get(void *s, uint32_t index);
void jc_global_set(void *s, uint32_t index);
void jc_ref_func(void *s, uint32_t index);
void jc_table_get(void *s, uint32_t table);
void jc_table_set(void *s, uint32_t table);
void jc_bulk(void *s, uint32_t sub, uint32_t a, uint32_t b);
void jc_unreachable(void *s);
void jc_block(void *s, uint32_t frame);
void jc_else(void *s, uint32_t frame, int reachable);
void jc_end(void *s, uint32_t frame, int reachable);
void jc_br(void *s, uint32_t frame);
void jc_br_if(void *s, uint32_t frame);
void jc_br_table(void *s, const uint32_t *labels, uint32_t count);
void jc_return(void *s);
void jc_select(void *s, wasmrt_valtype t);
void jc_call(void *s, uint32_t func);
void jc_call_indirect(void *s, uint32_t type, uint32_t table);
void jc_constant(void *s, wasmrt_valtype t, uint64_t bits);
void jc_local_get(void *s, uint32_t index);
void jc_local_set(void *s, uint32_t index, int tee);
void jc_drop(void *s);
void jc_simd(void *s, const compile_simd_insn *insn);

/* ---- shared between the files ---- */
/* The function's results to where its caller finds them (then the epilogue). */
void jc_return_values(jc *j);
/* A jump to the function's stub for a trap of that kind. */
uint32_t jc_trap_label(jc *j, int kind);
/* Jumps to the status stub when eax (a C helper's status) is not zero. */
void jc_check_status(jc *j);
/* Calling C. prepare: stack values in registers C may change go to their spill
 * slots (the stack model changes). save: the registers the internal convention keeps
 * across calls and C does not (rsi, rdi, r8, r9, xmm8-15; and `also`) are saved, the
 * stack aligned; the arguments are set between save and the call;
 * restore gives them back. save and restore only emit code, so they may be used on a
 * path of their own. */
void jc_ccall_prepare(jc *j);
void jc_ccall_save(jc *j, uint32_t also);
void jc_ccall(jc *j, int helper);
void jc_ccall_restore(jc *j);
/* Reloads r15 (and r9) from the instance's memory: after anything that may have
 * grown it. */
void jc_reload_memory(jc *j);
/* The n values on top of the stack go to a label's canonical place (rax or xmm0 for
 * one; their spill slots for several), and the stack says so: at a block's end. */
void jc_to_canonical(jc *j, uint32_t n);
/* The code of a branch carrying the n values on top to a label whose values start at
 * stack position `height`: moves only, the stack model unchanged (the branch leaves
 * it; code after a conditional branch still has it). Uses rax/xmm0 or r11. */
void jc_label_moves(jc *j, uint32_t height, uint32_t n);
/* Records a 32-bit displacement just emitted (ending `back` bytes before the end) to
 * which the frame size will be added. */
void jc_frame_fix_here(jc *j, unsigned back);
/* The prologue's fuel and deadline check (metered). */
void jc_meter(jc *j);

#endif

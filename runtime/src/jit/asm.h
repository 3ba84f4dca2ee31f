/* asm.h: an x86-64 encoder for the compiler (asm.c): a growable code buffer, labels
 * with 32-bit relative references resolved at the end, and the instructions the
 * compiler writes: integer ALU, moves and memory operands of the form
 * [base + index * scale + disp] or [rip + label], SSE2/SSE4.1 scalar floats and the
 * 128-bit moves (the lane operations are simd_x64.c's).
 * Registers are numbered as the hardware does (0-15 for each of GPRs and XMMs). */
#ifndef WASMRT_JIT_ASM_H
#define WASMRT_JIT_ASM_H

#include <stddef.h>
#include <stdint.h>

enum x64_gpr { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
enum x64_cc {
    CC_O,
    CC_NO,
    CC_B,
    CC_AE,
    CC_E,
    CC_NE,
    CC_BE,
    CC_A,
    CC_S,
    CC_NS,
    CC_P,
    CC_NP,
    CC_L,
    CC_GE,
    CC_LE,
    CC_G
};
/* ALU group 1, as /digit of 0x81 and (digit << 3) | 1 or 3 for the register forms */
enum x64_alu { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };
/* shift group 2 (/digit of 0xc1, 0xd3) */
enum x64_shift { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
/* group 3 (/digit of 0xf7) */
enum x64_group3 { G3_NOT = 2, G3_NEG = 3, G3_MUL = 4, G3_DIV = 6, G3_IDIV = 7 };

/* Instruction flags: operand size and mandatory prefixes. */
#define X64_W 1u     /* REX.W: 64-bit operands */
#define X64_66 2u    /* 0x66: 16-bit operands, or the SSE packed-double/integer prefix */
#define X64_F2 4u    /* scalar double */
#define X64_F3 8u    /* scalar single */
#define X64_BYTE 16u /* a byte register operand: REX makes 4-7 mean spl..dil */

/* Opcode bytes, first byte in the low bits, the count in the top byte. */
#define OP1(a) (0x01000000u | (a))
#define OP2(a, b) (0x02000000u | (a) | (b) << 8)
#define OP3(a, b, c) (0x03000000u | (a) | (b) << 8 | (c) << 16)

#define X64_NO_INDEX (-1)
#define X64_RIP (-2) /* base: rip-relative, to `label` */

typedef struct x64_mem {
    int8_t base, index;
    uint8_t scale_log2;
    int32_t disp;
    uint32_t label; /* base == X64_RIP: disp is added to the label's address */
} x64_mem;

static inline x64_mem x64_base(int base, int32_t disp)
{
    x64_mem m = {(int8_t)base, X64_NO_INDEX, 0, disp, 0};
    return m;
}
static inline x64_mem x64_index(int base, int index, int scale_log2, int32_t disp)
{
    x64_mem m = {(int8_t)base, (int8_t)index, (uint8_t)scale_log2, disp, 0};
    return m;
}
static inline x64_mem x64_rip(uint32_t label, int32_t disp)
{
    x64_mem m = {X64_RIP, X64_NO_INDEX, 0, disp, label};
    return m;
}

/* A 32-bit reference to a label: the value is label - (end of the reference) + addend
 * (relative), or the label's offset from `base` (x64_ref_table entries). */
typedef struct x64_ref {
    uint32_t at; /* where the 32-bit field is */
    uint32_t label;
    int32_t from; /* the field holds label - from */
} x64_ref;

#define X64_UNBOUND UINT32_MAX

typedef struct x64 {
    uint8_t *b;
    size_t len, cap;
    int failed;       /* out of memory, or a label never placed */
    uint32_t *labels; /* offset of each label, X64_UNBOUND until placed */
    uint32_t nlabels, label_cap;
    x64_ref *refs;
    uint32_t nrefs, ref_cap;
    uint32_t binds; /* labels placed so far: code before a placed label is final */
} x64;

/* Makes room for n more bytes; 0 (and failed set) when out of memory. Every
 * instruction asks for 16 bytes before it writes. */
int x64_grow(x64 *a, size_t n);
static inline int x64_room(x64 *a, size_t n)
{
    return a->len + n <= a->cap ? !a->failed : x64_grow(a, n);
}
static inline void x64_u8(x64 *a, unsigned v)
{
    if (x64_room(a, 1)) a->b[a->len++] = (uint8_t)v;
}
void x64_u32(x64 *a, uint32_t v);
void x64_u64(x64 *a, uint64_t v);
/* Forgets code and labels, keeping the buffers. */
void x64_reset(x64 *a);
void x64_free(x64 *a);

/* ---- labels ---- */
uint32_t x64_label(x64 *a);
void x64_bind(x64 *a, uint32_t label);
static inline int x64_bound(const x64 *a, uint32_t label)
{
    return a->labels[label] != X64_UNBOUND;
}
/* A 32-bit field holding label - from (from = X64_REL: the end of the field). */
#define X64_REL INT32_MIN
void x64_ref32(x64 *a, uint32_t label, int32_t from);
/* Fills every reference; 0 when a referenced label was never placed. */
int x64_resolve(x64 *a);

/* ---- encoding ---- */
void x64_rr(x64 *a, unsigned flags, uint32_t op, int reg, int rm);
void x64_rm(x64 *a, unsigned flags, uint32_t op, int reg, x64_mem m);

/* ---- integer instructions (w: X64_W for 64 bits, 0 for 32) ---- */
void x64_mov_rr(x64 *a, unsigned w, int dst, int src);
/* dst = v: mov r32 (zero-extended), sign-extended imm32 or mov r64; flags kept */
void x64_mov_ri(x64 *a, int dst, uint64_t v);
/* r = 0 by xor (flags changed) */
void x64_zero(x64 *a, int r);
void x64_alu_rr(x64 *a, unsigned w, int op, int dst, int src);
void x64_alu_ri(x64 *a, unsigned w, int op, int dst, int32_t imm);
void x64_alu_rm(x64 *a, unsigned w, int op, int dst, x64_mem m);
void x64_alu_mr(x64 *a, unsigned w, int op, x64_mem m, int src);
void x64_alu_mi(x64 *a, unsigned w, int op, x64_mem m, int32_t imm);
void x64_test_rr(x64 *a, unsigned w, int x, int y);
/* test x, imm: ZF only when the mask fits a byte (then tested as a byte) */
void x64_test_ri(x64 *a, unsigned w, int x, int32_t imm);
void x64_shift_ri(x64 *a, unsigned w, int op, int r, uint8_t count);
void x64_shift_cl(x64 *a, unsigned w, int op, int r);
void x64_imul_rr(x64 *a, unsigned w, int dst, int src);
void x64_imul_rm(x64 *a, unsigned w, int dst, x64_mem m);
void x64_imul_rri(x64 *a, unsigned w, int dst, int src, int32_t imm);
void x64_group3(x64 *a, unsigned w, int op, int r);
void x64_lea(x64 *a, unsigned w, int dst, x64_mem m);
void x64_setcc(x64 *a, int cc, int r);
void x64_cmov_rr(x64 *a, unsigned w, int cc, int dst, int src);
void x64_cmov_rm(x64 *a, unsigned w, int cc, int dst, x64_mem m);
/* Loads of 1, 2, 4 or 8 bytes, zero- or sign-extended to 32 (w = 0) or 64 bits. */
void x64_load(x64 *a, unsigned w, unsigned size, int sign, int dst, x64_mem m);
void x64_store(x64 *a, unsigned size, int src, x64_mem m);
void x64_store_imm(x64 *a, unsigned size, int32_t imm, x64_mem m);
/* movzx dst32, src8 */
void x64_movzx8(x64 *a, int dst, int src);
/* movsx/movzx between registers: size 1 or 2 (sign or zero), or 4 with sign (movsxd) */
void x64_extend_rr(x64 *a, unsigned w, unsigned size, int sign, int dst, int src);
void x64_push(x64 *a, int r);
void x64_pop(x64 *a, int r);

/* ---- control ---- */
void x64_jmp(x64 *a, uint32_t label);
void x64_jcc(x64 *a, int cc, uint32_t label);
void x64_call(x64 *a, uint32_t label);
void x64_call_m(x64 *a, x64_mem m);
void x64_jmp_m(x64 *a, x64_mem m);
void x64_jmp_r(x64 *a, int r);
void x64_ret(x64 *a);
void x64_ud2(x64 *a);

/* ---- SSE (x: XMM numbers) ---- */
/* op xd, xs / op xd, [m] with the given prefix (X64_F3 single, X64_F2 double, X64_66
 * or none) and opcode */
void x64_sse_rr(x64 *a, unsigned flags, uint32_t op, int xd, int xs);
void x64_sse_rm(x64 *a, unsigned flags, uint32_t op, int xd, x64_mem m);
/* movd/movq between a GPR and an XMM (w: 64 bits) */
void x64_movq_xr(x64 *a, unsigned w, int xd, int r);
void x64_movq_rx(x64 *a, unsigned w, int r, int xs);
/* loads and stores of 4 (movss), 8 (movsd) or 16 bytes (movdqu: a v128, unaligned) */
void x64_movs_load(x64 *a, unsigned size, int xd, x64_mem m);
void x64_movs_store(x64 *a, unsigned size, int xs, x64_mem m);
void x64_movaps(x64 *a, int xd, int xs);
/* AVX's three-operand form of an SSE instruction (VEX.128): xd = xv op xs (or op [m]),
 * the prefix and map as for x64_sse_rr; a memory operand need not be aligned */
void x64_vex_rr(x64 *a, unsigned flags, uint32_t op, int xd, int xv, int xs);
void x64_vex_rm(x64 *a, unsigned flags, uint32_t op, int xd, int xv, x64_mem m);

#endif

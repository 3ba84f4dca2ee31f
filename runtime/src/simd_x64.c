/* simd_x64.c: the SSE code of each 128-bit SIMD lane operation (simd_x64.h). One
 * instruction where SSE has it (paddd, pminub, cmpps, pshufb, ...), a short sequence
 * where Wasm's rule differs from SSE's (unsigned compares through min/max, min/max
 * with NaN propagation and signed zeros, saturating truncations, unsigned
 * conversions, i64x2.mul, popcnt, q15mulr's one overflow, the byte shifts through
 * word shifts, i64x2.shr_s through a logical shift). Register-to-register forms only;
 * constants go through a GPR. */
#include "simd_x64.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <string.h>

#include "simd.h"

#define SX_ALL (SIMD_X64_SSSE3 | SIMD_X64_SSE41)

unsigned simd_x64_features(void)
{
    static int known;
    static unsigned features;
    if (!__atomic_load_n(&known, __ATOMIC_ACQUIRE)) {
        unsigned a, b, c, d, f = 0;
        if (__get_cpuid(1, &a, &b, &c, &d)) {
            if (c & bit_SSSE3) f |= SIMD_X64_SSSE3;
            if (c & bit_SSE4_1) f |= SIMD_X64_SSE41;
            if (c & bit_SSE4_2) f |= SIMD_X64_SSE42;
        }
        features = f;
        __atomic_store_n(&known, 1, __ATOMIC_RELEASE);
    }
    return features;
}

typedef struct sx {
    uint8_t *b;
    size_t n;
} sx;

static void put(sx *o, unsigned v)
{
    o->b[o->n++] = (uint8_t)v;
}

/* [prefix] [REX] 0F [38 | 3A] opcode ModRM(reg, rm): reg-reg forms; byte_regs forces
 * a REX so that rm 4-7 name spl..dil, not ah..bh */
static void enc(sx *o, int pfx, int map, int opc, int reg, int rm, int w, int byte_regs)
{
    if (pfx) put(o, (unsigned)pfx);
    unsigned rex = (w ? 8u : 0u) | (reg & 8 ? 4u : 0u) | (rm & 8 ? 1u : 0u);
    if (rex || (byte_regs && ((rm & 7) >= 4 || (reg & 7) >= 4))) put(o, 0x40 | rex);
    put(o, 0x0f);
    if (map) put(o, (unsigned)map);
    put(o, (unsigned)opc);
    put(o, 0xc0 | (unsigned)(reg & 7) << 3 | (unsigned)(rm & 7));
}

#define P66(opc, d, s) enc(o, 0x66, 0, opc, d, s, 0, 0)    /* 66 0F opc: integer, pd */
#define P38(opc, d, s) enc(o, 0x66, 0x38, opc, d, s, 0, 0) /* 66 0F 38 opc */
#define PPS(opc, d, s) enc(o, 0, 0, opc, d, s, 0, 0)       /* 0F opc: ps */
#define IMM(v) put(o, (unsigned)(v))
#define MOVDQA(d, s) P66(0x6f, d, s)
/* shift by an immediate: 66 0F 71/72/73 /ext ib */
#define SHIFTI(grp, ext, x, n)                                                                     \
    do {                                                                                           \
        P66(grp, ext, x);                                                                          \
        IMM(n);                                                                                    \
    } while (0)
#define ALL_ONES(x) P66(0x76, x, x) /* pcmpeqd */

static void mov_imm64(sx *o, int r, uint64_t v)
{
    put(o, 0x48 | (r & 8 ? 1u : 0u));
    put(o, 0xb8 + (unsigned)(r & 7));
    for (int i = 0; i < 8; i++)
        put(o, (unsigned)(v >> (8 * i)));
}

/* x = the 16 bytes lo, hi (through rt) */
static void const128(sx *o, const simd_x64_regs *g, int x, uint64_t lo, uint64_t hi)
{
    mov_imm64(o, g->rt, lo);
    enc(o, 0x66, 0, 0x6e, x, g->rt, 1, 0); /* movq x, rt */
    if (hi == lo) {
        P66(0x6c, x, x); /* punpcklqdq */
        return;
    }
    mov_imm64(o, g->rt, hi);
    enc(o, 0x66, 0x3a, 0x22, x, g->rt, 1, 0); /* pinsrq x, rt, 1 */
    IMM(1);
}

/* r = 1 if the flags say ZF = want_zf, else 0 (setcc + movzx) */
static void flag_to_r(sx *o, const simd_x64_regs *g, int set_opc)
{
    enc(o, 0, 0, set_opc, 0, g->r, 0, 1); /* setcc r8 */
    enc(o, 0, 0, 0xb6, g->r, g->r, 0, 1); /* movzx r32, r8 */
}

/* d = not d */
static void invert(sx *o, const simd_x64_regs *g)
{
    ALL_ONES(g->t[0]);
    P66(0xef, g->d, g->t[0]);
}

/* Integer compares of a shape: eq, signed gt, unsigned min and max opcodes (map in
 * the high byte: 0x38xx for 66 0F 38 xx), lane count of the shape. */
typedef struct sx_cmp {
    int eq, gt, minu, maxu;
} sx_cmp;

static void op2(sx *o, int code, int d, int s)
{
    if (code >> 8)
        P38(code & 0xff, d, s);
    else
        P66(code, d, s);
}

/* kind: 0 eq 1 ne 2 lt_s 3 lt_u 4 gt_s 5 gt_u 6 le_s 7 le_u 8 ge_s 9 ge_u */
static void int_compare(sx *o, const simd_x64_regs *g, const sx_cmp *c, int kind)
{
    int d = g->d, b = g->b, t = g->t[1];
    switch (kind) {
    case 0:
        op2(o, c->eq, d, b);
        return;
    case 1:
        op2(o, c->eq, d, b);
        invert(o, g);
        return;
    case 4:
        op2(o, c->gt, d, b);
        return;
    case 6:
        op2(o, c->gt, d, b);
        invert(o, g);
        return;
    case 2:
    case 8: /* b > a; ge = not lt */
        MOVDQA(t, b);
        op2(o, c->gt, t, d);
        MOVDQA(d, t);
        if (kind == 8) invert(o, g);
        return;
    case 7:
    case 5: /* le_u: a == min(a, b); gt_u = not le_u */
        MOVDQA(t, d);
        op2(o, c->minu, t, b);
        op2(o, c->eq, d, t);
        if (kind == 5) invert(o, g);
        return;
    case 9:
    case 3: /* ge_u: a == max(a, b); lt_u = not ge_u */
        MOVDQA(t, d);
        op2(o, c->maxu, t, b);
        op2(o, c->eq, d, t);
        if (kind == 3) invert(o, g);
        return;
    }
}

/* f32x4 / f64x2 min and max (pd: 0x66 prefix): both operand orders, their or (min:
 * -0 wins) or and (max: +0 wins), then NaN lanes set to the default NaN. */
static void float_minmax(sx *o, const simd_x64_regs *g, int pd, int max)
{
    int p = pd ? 0x66 : 0, d = g->d, b = g->b, t0 = g->t[0], t1 = g->t[1];
    int opc = max ? 0x5f : 0x5d;
    enc(o, p, 0, 0x28, t0, d, 0, 0); /* movaps t0, a */
    enc(o, p, 0, opc, t0, b, 0, 0);  /* t0 = minps(a, b) */
    enc(o, p, 0, 0x28, t1, b, 0, 0);
    enc(o, p, 0, opc, t1, d, 0, 0);                /* t1 = minps(b, a) */
    enc(o, p, 0, max ? 0x54 : 0x56, t1, t0, 0, 0); /* andps / orps */
    enc(o, p, 0, 0x28, t0, d, 0, 0);
    enc(o, p, 0, 0xc2, t0, b, 0, 0); /* cmpunord: NaN lanes */
    IMM(3);
    enc(o, p, 0, 0x56, t1, t0, 0, 0);              /* orps: NaN lanes all ones */
    SHIFTI(pd ? 0x73 : 0x72, 2, t0, pd ? 13 : 10); /* the default NaN's complement */
    enc(o, p, 0, 0x55, t0, t1, 0, 0);              /* andnps */
    enc(o, p, 0, 0x28, d, t0, 0, 0);
}

/* extend the low (or high) half of d: pmovsx/zx opcode */
static void extend(sx *o, const simd_x64_regs *g, int x, int opc, int high)
{
    if (high) SHIFTI(0x73, 3, x, 8); /* psrldq x, 8 */
    P38(opc, x, x);
    (void)g;
}

/* d = b's lanes picked by a constant pshufb mask (lo, hi) into t */
static void pshufb_const(sx *o, const simd_x64_regs *g, int x, int t, uint64_t lo, uint64_t hi)
{
    const128(o, g, t, lo, hi);
    P38(0x00, x, t);
}

/* r32 op= imm8 (83 /ext ib: 0 add, 4 and, 5 sub) */
static void gpr_imm(sx *o, int ext, int r, int imm)
{
    if (r & 8) put(o, 0x41);
    put(o, 0x83);
    put(o, 0xc0 | (unsigned)ext << 3 | (unsigned)(r & 7));
    IMM(imm);
}

/* The shifts SSE has no instruction for, the count in r. Bytes: shl clears the bits
 * a word shift would carry into the next byte, then shifts words; shr_u shifts
 * words, then clears what came in; both with the mask 0xff >> n in every byte
 * (all-ones words shifted right by n + 8, packed). shr_s widens the bytes to the
 * high halves of words, shifts them arithmetically by n + 8 and packs them back.
 * i64x2.shr_s: ((a >>> n) ^ m) - m with m = the sign bit >>> n. */
static void byte_shift(sx *o, const simd_x64_regs *g, uint32_t sub)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1], t2 = g->t[2], r = g->r;
    if (sub == SIMD_i64x2_shr_s) {
        gpr_imm(o, 4, r, 63);
        enc(o, 0x66, 0, 0x6e, t1, r, 0, 0);
        const128(o, g, t0, 0x8000000000000000ull, 0x8000000000000000ull);
        P66(0xd3, t0, t1); /* psrlq */
        P66(0xd3, d, t1);
        P66(0xef, d, t0);
        P66(0xfb, d, t0);
        return;
    }
    gpr_imm(o, 4, r, 7);
    if (sub == SIMD_i8x16_shr_s) {
        gpr_imm(o, 0, r, 8);
        enc(o, 0x66, 0, 0x6e, t0, r, 0, 0);
        MOVDQA(t1, d);
        P66(0x68, t1, t1); /* punpckhbw */
        P66(0xe1, t1, t0); /* psraw */
        P66(0x60, d, d);   /* punpcklbw */
        P66(0xe1, d, t0);
        P66(0x63, d, t1); /* packsswb */
        return;
    }
    enc(o, 0x66, 0, 0x6e, t0, r, 0, 0); /* n */
    gpr_imm(o, 0, r, 8);
    enc(o, 0x66, 0, 0x6e, t2, r, 0, 0); /* n + 8 */
    ALL_ONES(t1);
    P66(0xd1, t1, t2); /* psrlw: 0xff >> n in the low byte of each word */
    P66(0x67, t1, t1); /* packuswb: in every byte */
    if (sub == SIMD_i8x16_shl) {
        P66(0xdb, d, t1);
        P66(0xf1, d, t0); /* psllw */
    } else {
        P66(0xd1, d, t0); /* psrlw */
        P66(0xdb, d, t1);
    }
}

/* The operations that are one instruction d = d op b: 66 0F opc, or 66 0F 38 opc (high
 * byte 0x38); the float arithmetic (0F or 66 0F) follows apart. */
static const struct {
    uint8_t sub;
    uint16_t code;
} sx_plain[] = {
    {SIMD_i8x16_add, 0xfc},
    {SIMD_i8x16_add_sat_s, 0xec},
    {SIMD_i8x16_add_sat_u, 0xdc},
    {SIMD_i8x16_sub, 0xf8},
    {SIMD_i8x16_sub_sat_s, 0xe8},
    {SIMD_i8x16_sub_sat_u, 0xd8},
    {SIMD_i8x16_min_u, 0xda},
    {SIMD_i8x16_max_u, 0xde},
    {SIMD_i8x16_avgr_u, 0xe0},
    {SIMD_i8x16_min_s, 0x3838},
    {SIMD_i8x16_max_s, 0x383c},
    {SIMD_i8x16_narrow_i16x8_s, 0x63},
    {SIMD_i8x16_narrow_i16x8_u, 0x67},
    {SIMD_i16x8_add, 0xfd},
    {SIMD_i16x8_add_sat_s, 0xed},
    {SIMD_i16x8_add_sat_u, 0xdd},
    {SIMD_i16x8_sub, 0xf9},
    {SIMD_i16x8_sub_sat_s, 0xe9},
    {SIMD_i16x8_sub_sat_u, 0xd9},
    {SIMD_i16x8_mul, 0xd5},
    {SIMD_i16x8_min_s, 0xea},
    {SIMD_i16x8_max_s, 0xee},
    {SIMD_i16x8_min_u, 0x383a},
    {SIMD_i16x8_max_u, 0x383e},
    {SIMD_i16x8_avgr_u, 0xe3},
    {SIMD_i16x8_narrow_i32x4_s, 0x6b},
    {SIMD_i16x8_narrow_i32x4_u, 0x382b},
    {SIMD_i32x4_add, 0xfe},
    {SIMD_i32x4_sub, 0xfa},
    {SIMD_i32x4_mul, 0x3840},
    {SIMD_i32x4_min_s, 0x3839},
    {SIMD_i32x4_min_u, 0x383b},
    {SIMD_i32x4_max_s, 0x383d},
    {SIMD_i32x4_max_u, 0x383f},
    {SIMD_i32x4_dot_i16x8_s, 0xf5},
    {SIMD_i64x2_add, 0xd4},
    {SIMD_i64x2_sub, 0xfb},
    {SIMD_v128_and, 0xdb},
    {SIMD_v128_or, 0xeb},
    {SIMD_v128_xor, 0xef},
};

static size_t sx_lower(sx *o, uint32_t sub, const uint8_t *imm, const simd_x64_regs *g, unsigned f)
{
    int d = g->d, b = g->b, c = g->c, t0 = g->t[0], t1 = g->t[1], t2 = g->t[2], r = g->r;
    static const sx_cmp c8 = {0x74, 0x64, 0xda, 0xde}, c16 = {0x75, 0x65, 0x383a, 0x383e},
                        c32 = {0x76, 0x66, 0x383b, 0x383f}, c64 = {0x3829, 0x3837, 0, 0};
    if ((f & SX_ALL) != SX_ALL) return 0; /* SSE2 alone: every operation calls simd_apply */
    for (size_t i = 0; i < sizeof sx_plain / sizeof sx_plain[0]; i++)
        if (sx_plain[i].sub == sub) {
            op2(o, sx_plain[i].code, d, b);
            return o->n;
        }
    /* the integer compares, in the order of their sub-opcodes */
    if (sub >= SIMD_i8x16_eq && sub <= SIMD_i32x4_ge_u) {
        static const sx_cmp *const shape[3] = {&c8, &c16, &c32};
        int k = (int)(sub - SIMD_i8x16_eq);
        int_compare(o, g, shape[k / 10], k % 10);
        return o->n;
    }
    switch ((enum simd_op)sub) {
    case SIMD_i64x2_eq:
        int_compare(o, g, &c64, 0);
        return o->n;
    case SIMD_i64x2_ne:
        int_compare(o, g, &c64, 1);
        return o->n;
    case SIMD_i64x2_lt_s:
    case SIMD_i64x2_gt_s:
    case SIMD_i64x2_le_s:
    case SIMD_i64x2_ge_s: {
        if (!(f & SIMD_X64_SSE42)) return 0; /* pcmpgtq */
        static const int kind[4] = {2, 4, 6, 8};
        int_compare(o, g, &c64, kind[sub - SIMD_i64x2_lt_s]);
        return o->n;
    }
    /* float compares: cmpps / cmppd with the predicate; gt and ge swap the operands */
    case SIMD_f32x4_eq:
    case SIMD_f32x4_ne:
    case SIMD_f32x4_lt:
    case SIMD_f32x4_gt:
    case SIMD_f32x4_le:
    case SIMD_f32x4_ge:
    case SIMD_f64x2_eq:
    case SIMD_f64x2_ne:
    case SIMD_f64x2_lt:
    case SIMD_f64x2_gt:
    case SIMD_f64x2_le:
    case SIMD_f64x2_ge: {
        int pd = sub >= SIMD_f64x2_eq, k = (int)(sub - (pd ? SIMD_f64x2_eq : SIMD_f32x4_eq));
        static const int pred[6] = {0, 4, 1, 1, 2, 2}; /* eq neq lt (gt) le (ge) */
        int p = pd ? 0x66 : 0;
        if (k == 3 || k == 5) {
            enc(o, p, 0, 0x28, t0, b, 0, 0);
            enc(o, p, 0, 0xc2, t0, d, 0, 0);
            IMM(pred[k]);
            enc(o, p, 0, 0x28, d, t0, 0, 0);
        } else {
            enc(o, p, 0, 0xc2, d, b, 0, 0);
            IMM(pred[k]);
        }
        return o->n;
    }
    case SIMD_v128_not:
        invert(o, g);
        return o->n;
    case SIMD_v128_andnot: /* a & ~b */
        MOVDQA(t0, b);
        P66(0xdf, t0, d); /* pandn: ~b & a */
        MOVDQA(d, t0);
        return o->n;
    case SIMD_v128_bitselect:
        P66(0xdb, d, c); /* a & c */
        MOVDQA(t0, c);
        P66(0xdf, t0, b); /* ~c & b */
        P66(0xeb, d, t0);
        return o->n;
    case SIMD_v128_any_true:
        P38(0x17, d, d); /* ptest */
        flag_to_r(o, g, 0x95);
        return o->n;
    case SIMD_i8x16_all_true:
    case SIMD_i16x8_all_true:
    case SIMD_i32x4_all_true:
    case SIMD_i64x2_all_true: {
        int eq = sub == SIMD_i8x16_all_true   ? 0x74
                 : sub == SIMD_i16x8_all_true ? 0x75
                 : sub == SIMD_i32x4_all_true ? 0x76
                                              : 0x3829;
        P66(0xef, t0, t0);
        op2(o, eq, t0, d); /* zero lanes */
        P38(0x17, t0, t0);
        flag_to_r(o, g, 0x94);
        return o->n;
    }
    case SIMD_i8x16_bitmask:
        enc(o, 0x66, 0, 0xd7, r, d, 0, 0);
        return o->n;
    case SIMD_i16x8_bitmask:
        MOVDQA(t0, d);
        P66(0x63, t0, t0);                  /* packsswb: the sign of each lane, twice */
        enc(o, 0x66, 0, 0xd7, r, t0, 0, 0); /* pmovmskb */
        enc(o, 0, 0, 0xb6, r, r, 0, 1);     /* movzx r32, r8 */
        return o->n;
    case SIMD_i32x4_bitmask:
        enc(o, 0, 0, 0x50, r, d, 0, 0);
        return o->n;
    case SIMD_i64x2_bitmask:
        enc(o, 0x66, 0, 0x50, r, d, 0, 0);
        return o->n;

    case SIMD_i8x16_abs:
        P38(0x1c, d, d);
        return o->n;
    case SIMD_i16x8_abs:
        P38(0x1d, d, d);
        return o->n;
    case SIMD_i32x4_abs:
        P38(0x1e, d, d);
        return o->n;
    case SIMD_i64x2_abs:
        P66(0x70, t0, d); /* pshufd: each high dword twice */
        IMM(0xf5);
        SHIFTI(0x72, 4, t0, 31); /* psrad: the sign of each lane */
        P66(0xef, d, t0);
        P66(0xfb, d, t0);
        return o->n;
    case SIMD_i8x16_neg:
    case SIMD_i16x8_neg:
    case SIMD_i32x4_neg:
    case SIMD_i64x2_neg: {
        int sub_opc = sub == SIMD_i8x16_neg   ? 0xf8
                      : sub == SIMD_i16x8_neg ? 0xf9
                      : sub == SIMD_i32x4_neg ? 0xfa
                                              : 0xfb;
        MOVDQA(t0, d);
        P66(0xef, d, d);
        P66(sub_opc, d, t0);
        return o->n;
    }
    case SIMD_i8x16_popcnt:
        const128(o, g, t1, 0x0f0f0f0f0f0f0f0full, 0x0f0f0f0f0f0f0f0full);
        MOVDQA(t0, d);
        SHIFTI(0x71, 2, t0, 4); /* psrlw 4 */
        P66(0xdb, t0, t1);
        P66(0xdb, d, t1);
        const128(o, g, t2, 0x0302020102010100ull, 0x0403030203020201ull); /* bits of 0..15 */
        MOVDQA(t1, t2);
        P38(0x00, t1, d);  /* low nibbles */
        P38(0x00, t2, t0); /* high nibbles */
        P66(0xfc, t1, t2);
        MOVDQA(d, t1);
        return o->n;
    case SIMD_i64x2_mul:
        MOVDQA(t0, d);
        SHIFTI(0x73, 2, t0, 32);
        P66(0xf4, t0, b); /* a_hi * b_lo */
        MOVDQA(t1, b);
        SHIFTI(0x73, 2, t1, 32);
        P66(0xf4, t1, d); /* b_hi * a_lo */
        P66(0xd4, t0, t1);
        SHIFTI(0x73, 6, t0, 32);
        P66(0xf4, d, b); /* a_lo * b_lo */
        P66(0xd4, d, t0);
        return o->n;
    case SIMD_i16x8_q15mulr_sat_s:
        P38(0x0b, d, b); /* pmulhrsw; 0x8000 * 0x8000 gives 0x8000: flip it */
        const128(o, g, t0, 0x8000800080008000ull, 0x8000800080008000ull);
        P66(0x75, t0, d);
        P66(0xef, d, t0);
        return o->n;
    case SIMD_i16x8_extadd_pairwise_i8x16_s:
        const128(o, g, t0, 0x0101010101010101ull, 0x0101010101010101ull);
        P38(0x04, t0, d); /* pmaddubsw: 1 (unsigned) x a (signed) */
        MOVDQA(d, t0);
        return o->n;
    case SIMD_i16x8_extadd_pairwise_i8x16_u:
        const128(o, g, t0, 0x0101010101010101ull, 0x0101010101010101ull);
        P38(0x04, d, t0);
        return o->n;
    case SIMD_i32x4_extadd_pairwise_i16x8_s:
        const128(o, g, t0, 0x0001000100010001ull, 0x0001000100010001ull);
        P66(0xf5, d, t0); /* pmaddwd */
        return o->n;
    case SIMD_i32x4_extadd_pairwise_i16x8_u:
        const128(o, g, t0, 0x8000800080008000ull, 0x8000800080008000ull);
        P66(0xef, d, t0); /* u - 0x8000 as signed */
        const128(o, g, t0, 0x0001000100010001ull, 0x0001000100010001ull);
        P66(0xf5, d, t0);
        const128(o, g, t0, 0x0001000000010000ull, 0x0001000000010000ull);
        P66(0xfe, d, t0); /* + 2 * 0x8000 */
        return o->n;

    /* shifts by a scalar count in r (masked to the lane width) */
    case SIMD_i16x8_shl:
    case SIMD_i16x8_shr_s:
    case SIMD_i16x8_shr_u:
    case SIMD_i32x4_shl:
    case SIMD_i32x4_shr_s:
    case SIMD_i32x4_shr_u:
    case SIMD_i64x2_shl:
    case SIMD_i64x2_shr_u: {
        int mask = sub <= SIMD_i16x8_shr_u ? 15 : sub <= SIMD_i32x4_shr_u ? 31 : 63;
        int opc = sub == SIMD_i16x8_shl     ? 0xf1
                  : sub == SIMD_i16x8_shr_s ? 0xe1
                  : sub == SIMD_i16x8_shr_u ? 0xd1
                  : sub == SIMD_i32x4_shl   ? 0xf2
                  : sub == SIMD_i32x4_shr_s ? 0xe2
                  : sub == SIMD_i32x4_shr_u ? 0xd2
                  : sub == SIMD_i64x2_shl   ? 0xf3
                                            : 0xd3;
        if (r & 8) put(o, 0x41);
        put(o, 0x83); /* and r32, mask */
        put(o, 0xe0 | (unsigned)(r & 7));
        IMM(mask);
        enc(o, 0x66, 0, 0x6e, t0, r, 0, 0); /* movd t0, r */
        P66(opc, d, t0);
        return o->n;
    }

    case SIMD_i8x16_shl:
    case SIMD_i8x16_shr_u:
    case SIMD_i8x16_shr_s:
    case SIMD_i64x2_shr_s:
        byte_shift(o, g, sub);
        return o->n;

    case SIMD_i8x16_splat:
        enc(o, 0x66, 0, 0x6e, d, r, 0, 0);
        P66(0xef, t0, t0);
        P38(0x00, d, t0);
        return o->n;
    case SIMD_i16x8_splat:
        enc(o, 0x66, 0, 0x6e, d, r, 0, 0);
        enc(o, 0xf2, 0, 0x70, d, d, 0, 0); /* pshuflw 0 */
        IMM(0);
        P66(0x6c, d, d);
        return o->n;
    case SIMD_i32x4_splat:
    case SIMD_f32x4_splat:
        enc(o, 0x66, 0, 0x6e, d, r, 0, 0);
        P66(0x70, d, d);
        IMM(0);
        return o->n;
    case SIMD_i64x2_splat:
    case SIMD_f64x2_splat:
        enc(o, 0x66, 0, 0x6e, d, r, 1, 0);
        P66(0x6c, d, d);
        return o->n;
    case SIMD_i8x16_extract_lane_s:
    case SIMD_i8x16_extract_lane_u:
        enc(o, 0x66, 0x3a, 0x14, d, r, 0, 0); /* pextrb r, d */
        IMM(imm[0] & 15);
        if (sub == SIMD_i8x16_extract_lane_s) enc(o, 0, 0, 0xbe, r, r, 0, 1); /* movsx r32, r8 */
        return o->n;
    case SIMD_i16x8_extract_lane_s:
    case SIMD_i16x8_extract_lane_u:
        enc(o, 0x66, 0, 0xc5, r, d, 0, 0); /* pextrw r, d */
        IMM(imm[0] & 7);
        if (sub == SIMD_i16x8_extract_lane_s) enc(o, 0, 0, 0xbf, r, r, 0, 0); /* movsx r32, r16 */
        return o->n;
    case SIMD_i32x4_extract_lane:
    case SIMD_f32x4_extract_lane:
        enc(o, 0x66, 0x3a, 0x16, d, r, 0, 0);
        IMM(imm[0] & 3);
        return o->n;
    case SIMD_i64x2_extract_lane:
    case SIMD_f64x2_extract_lane:
        enc(o, 0x66, 0x3a, 0x16, d, r, 1, 0);
        IMM(imm[0] & 1);
        return o->n;
    case SIMD_i8x16_replace_lane:
        enc(o, 0x66, 0x3a, 0x20, d, r, 0, 0);
        IMM(imm[0] & 15);
        return o->n;
    case SIMD_i16x8_replace_lane:
        enc(o, 0x66, 0, 0xc4, d, r, 0, 0);
        IMM(imm[0] & 7);
        return o->n;
    case SIMD_i32x4_replace_lane:
    case SIMD_f32x4_replace_lane:
        enc(o, 0x66, 0x3a, 0x22, d, r, 0, 0);
        IMM(imm[0] & 3);
        return o->n;
    case SIMD_i64x2_replace_lane:
    case SIMD_f64x2_replace_lane:
        enc(o, 0x66, 0x3a, 0x22, d, r, 1, 0);
        IMM(imm[0] & 1);
        return o->n;

    case SIMD_i8x16_swizzle:
        const128(o, g, t0, 0x7070707070707070ull, 0x7070707070707070ull);
        P66(0xdc, t0, b); /* paddusb: 16 and up get the top bit, which zeroes the lane */
        P38(0x00, d, t0);
        return o->n;
    case SIMD_i8x16_shuffle: {
        uint8_t ma[16], mb[16];
        int from_a = 0, from_b = 0;
        for (int i = 0; i < 16; i++) {
            ma[i] = imm[i] < 16 ? imm[i] : 0x80;
            mb[i] = imm[i] >= 16 ? (uint8_t)(imm[i] - 16) : 0x80;
            from_a |= imm[i] < 16;
            from_b |= imm[i] >= 16;
        }
        uint64_t qa[2], qb[2];
        memcpy(qa, ma, 16);
        memcpy(qb, mb, 16);
        if (!from_b) {
            pshufb_const(o, g, d, t0, qa[0], qa[1]);
        } else if (!from_a) {
            MOVDQA(d, b);
            pshufb_const(o, g, d, t0, qb[0], qb[1]);
        } else {
            pshufb_const(o, g, d, t0, qa[0], qa[1]);
            MOVDQA(t1, b);
            pshufb_const(o, g, t1, t0, qb[0], qb[1]);
            P66(0xeb, d, t1);
        }
        return o->n;
    }

    case SIMD_i16x8_extend_low_i8x16_s:
        extend(o, g, d, 0x20, 0);
        return o->n;
    case SIMD_i16x8_extend_high_i8x16_s:
        extend(o, g, d, 0x20, 1);
        return o->n;
    case SIMD_i16x8_extend_low_i8x16_u:
        extend(o, g, d, 0x30, 0);
        return o->n;
    case SIMD_i16x8_extend_high_i8x16_u:
        extend(o, g, d, 0x30, 1);
        return o->n;
    case SIMD_i32x4_extend_low_i16x8_s:
        extend(o, g, d, 0x23, 0);
        return o->n;
    case SIMD_i32x4_extend_high_i16x8_s:
        extend(o, g, d, 0x23, 1);
        return o->n;
    case SIMD_i32x4_extend_low_i16x8_u:
        extend(o, g, d, 0x33, 0);
        return o->n;
    case SIMD_i32x4_extend_high_i16x8_u:
        extend(o, g, d, 0x33, 1);
        return o->n;
    case SIMD_i64x2_extend_low_i32x4_s:
        extend(o, g, d, 0x25, 0);
        return o->n;
    case SIMD_i64x2_extend_high_i32x4_s:
        extend(o, g, d, 0x25, 1);
        return o->n;
    case SIMD_i64x2_extend_low_i32x4_u:
        extend(o, g, d, 0x35, 0);
        return o->n;
    case SIMD_i64x2_extend_high_i32x4_u:
        extend(o, g, d, 0x35, 1);
        return o->n;

    /* extmul: both operands extended, then a full-width multiply */
    case SIMD_i16x8_extmul_low_i8x16_s:
    case SIMD_i16x8_extmul_high_i8x16_s:
    case SIMD_i16x8_extmul_low_i8x16_u:
    case SIMD_i16x8_extmul_high_i8x16_u:
    case SIMD_i32x4_extmul_low_i16x8_s:
    case SIMD_i32x4_extmul_high_i16x8_s:
    case SIMD_i32x4_extmul_low_i16x8_u:
    case SIMD_i32x4_extmul_high_i16x8_u: {
        int k = sub >= SIMD_i32x4_extmul_low_i16x8_s ? (int)(sub - SIMD_i32x4_extmul_low_i16x8_s)
                                                     : (int)(sub - SIMD_i16x8_extmul_low_i8x16_s);
        int wide = sub >= SIMD_i32x4_extmul_low_i16x8_s;
        int high = k & 1, uns = k >= 2;
        int opc = wide ? (uns ? 0x33 : 0x23) : (uns ? 0x30 : 0x20);
        MOVDQA(t0, b);
        extend(o, g, t0, opc, high);
        extend(o, g, d, opc, high);
        op2(o, wide ? 0x3840 : 0xd5, d, t0); /* pmulld / pmullw */
        return o->n;
    }
    case SIMD_i64x2_extmul_low_i32x4_s:
    case SIMD_i64x2_extmul_high_i32x4_s:
    case SIMD_i64x2_extmul_low_i32x4_u:
    case SIMD_i64x2_extmul_high_i32x4_u: {
        int k = (int)(sub - SIMD_i64x2_extmul_low_i32x4_s);
        int pick = k & 1 ? 0xfa : 0x50; /* lanes 2 2 3 3 or 0 0 1 1 */
        P66(0x70, t0, b);
        IMM(pick);
        P66(0x70, d, d);
        IMM(pick);
        op2(o, k >= 2 ? 0xf4 : 0x3828, d, t0); /* pmuludq / pmuldq */
        return o->n;
    }

    /* floats */
    case SIMD_f32x4_add:
        PPS(0x58, d, b);
        return o->n;
    case SIMD_f32x4_sub:
        PPS(0x5c, d, b);
        return o->n;
    case SIMD_f32x4_mul:
        PPS(0x59, d, b);
        return o->n;
    case SIMD_f32x4_div:
        PPS(0x5e, d, b);
        return o->n;
    case SIMD_f32x4_sqrt:
        PPS(0x51, d, d);
        return o->n;
    case SIMD_f64x2_add:
        P66(0x58, d, b);
        return o->n;
    case SIMD_f64x2_sub:
        P66(0x5c, d, b);
        return o->n;
    case SIMD_f64x2_mul:
        P66(0x59, d, b);
        return o->n;
    case SIMD_f64x2_div:
        P66(0x5e, d, b);
        return o->n;
    case SIMD_f64x2_sqrt:
        P66(0x51, d, d);
        return o->n;
    case SIMD_f32x4_min:
        float_minmax(o, g, 0, 0);
        return o->n;
    case SIMD_f32x4_max:
        float_minmax(o, g, 0, 1);
        return o->n;
    case SIMD_f64x2_min:
        float_minmax(o, g, 1, 0);
        return o->n;
    case SIMD_f64x2_max:
        float_minmax(o, g, 1, 1);
        return o->n;
    case SIMD_f32x4_pmin:
    case SIMD_f32x4_pmax:
    case SIMD_f64x2_pmin:
    case SIMD_f64x2_pmax: {
        /* minps(b, a) is b < a ? b : a, exactly pmin; maxps(b, a) is pmax */
        int pd = sub == SIMD_f64x2_pmin || sub == SIMD_f64x2_pmax;
        int max = sub == SIMD_f32x4_pmax || sub == SIMD_f64x2_pmax;
        enc(o, pd ? 0x66 : 0, 0, 0x28, t0, b, 0, 0);
        enc(o, pd ? 0x66 : 0, 0, max ? 0x5f : 0x5d, t0, d, 0, 0);
        enc(o, pd ? 0x66 : 0, 0, 0x28, d, t0, 0, 0);
        return o->n;
    }
    case SIMD_f32x4_abs:
    case SIMD_f64x2_abs:
    case SIMD_f32x4_neg:
    case SIMD_f64x2_neg: {
        int pd = sub == SIMD_f64x2_abs || sub == SIMD_f64x2_neg;
        int neg = sub == SIMD_f32x4_neg || sub == SIMD_f64x2_neg;
        ALL_ONES(t0);
        if (neg)
            SHIFTI(pd ? 0x73 : 0x72, 6, t0, pd ? 63 : 31); /* the sign bit */
        else
            SHIFTI(pd ? 0x73 : 0x72, 2, t0, 1); /* all but the sign bit */
        enc(o, pd ? 0x66 : 0, 0, neg ? 0x57 : 0x54, d, t0, 0, 0);
        return o->n;
    }
    case SIMD_f32x4_ceil:
    case SIMD_f32x4_floor:
    case SIMD_f32x4_trunc:
    case SIMD_f32x4_nearest:
    case SIMD_f64x2_ceil:
    case SIMD_f64x2_floor:
    case SIMD_f64x2_trunc:
    case SIMD_f64x2_nearest: {
        int pd = sub == SIMD_f64x2_ceil || sub == SIMD_f64x2_floor || sub == SIMD_f64x2_trunc ||
                 sub == SIMD_f64x2_nearest;
        int mode = sub == SIMD_f32x4_ceil || sub == SIMD_f64x2_ceil     ? 2
                   : sub == SIMD_f32x4_floor || sub == SIMD_f64x2_floor ? 1
                   : sub == SIMD_f32x4_trunc || sub == SIMD_f64x2_trunc ? 3
                                                                        : 0;
        enc(o, 0x66, 0x3a, pd ? 0x09 : 0x08, d, d, 0, 0); /* roundps / roundpd */
        IMM(mode | 8);                                    /* no precision exception */
        return o->n;
    }
    case SIMD_f32x4_convert_i32x4_s:
        PPS(0x5b, d, d);
        return o->n;
    case SIMD_f32x4_convert_i32x4_u:
        /* the low 16 bits and the rest converted apart (both exact), one rounding */
        P66(0xef, t0, t0);
        enc(o, 0x66, 0x3a, 0x0e, t0, d, 0, 0); /* pblendw: the low word of each lane */
        IMM(0x55);
        P66(0xfa, d, t0);
        PPS(0x5b, t0, t0);
        SHIFTI(0x72, 2, d, 1);
        PPS(0x5b, d, d);
        PPS(0x58, d, d);
        PPS(0x58, d, t0);
        return o->n;
    case SIMD_i32x4_trunc_sat_f32x4_s:
        enc(o, 0, 0, 0x28, t0, d, 0, 0);
        PPS(0xc2, t0, t0); /* cmpeqps: not NaN */
        IMM(0);
        PPS(0x54, d, t0);                  /* NaN lanes 0 */
        P66(0xef, t0, d);                  /* the complement of a's bits (0 in NaN lanes) */
        enc(o, 0xf3, 0, 0x5b, d, d, 0, 0); /* cvttps2dq: out of range is INT32_MIN */
        P66(0xdb, t0, d);
        SHIFTI(0x72, 4, t0, 31); /* all ones where a was positive and overflowed */
        P66(0xef, d, t0);
        return o->n;
    case SIMD_i32x4_trunc_sat_f32x4_u:
        P66(0xef, t0, t0);
        PPS(0x5f, d, t0); /* maxps: NaN and negative lanes 0 */
        ALL_ONES(t0);
        SHIFTI(0x72, 2, t0, 1);
        PPS(0x5b, t0, t0); /* 2^31 */
        enc(o, 0, 0, 0x28, t1, d, 0, 0);
        PPS(0x5c, t1, t0); /* a - 2^31 */
        PPS(0xc2, t0, t1); /* 2^31 <= a - 2^31: past UINT32_MAX */
        IMM(2);
        enc(o, 0xf3, 0, 0x5b, t1, t1, 0, 0);
        P66(0xef, t1, t0); /* those lanes 0x7fffffff */
        P66(0xef, t0, t0);
        P38(0x3d, t1, t0); /* pmaxsd: a below 2^31 adds 0 */
        enc(o, 0xf3, 0, 0x5b, d, d, 0, 0);
        P66(0xfe, d, t1);
        return o->n;
    case SIMD_f64x2_convert_low_i32x4_s:
        enc(o, 0xf3, 0, 0xe6, d, d, 0, 0);
        return o->n;
    case SIMD_f64x2_convert_low_i32x4_u:
        /* 2^52 + x as a double, less 2^52 */
        const128(o, g, t0, 0x4330000043300000ull, 0x4330000043300000ull);
        PPS(0x14, d, t0); /* unpcklps */
        const128(o, g, t0, 0x4330000000000000ull, 0x4330000000000000ull);
        P66(0x5c, d, t0);
        return o->n;
    case SIMD_i32x4_trunc_sat_f64x2_s_zero:
        enc(o, 0x66, 0, 0x28, t0, d, 0, 0);
        P66(0xc2, t0, t0); /* not NaN */
        IMM(0);
        const128(o, g, t1, 0x41dfffffffc00000ull, 0x41dfffffffc00000ull); /* INT32_MAX */
        P66(0x54, t0, t1);
        P66(0x5d, d, t0);                  /* minpd: NaN lanes take 0 */
        enc(o, 0x66, 0, 0xe6, d, d, 0, 0); /* cvttpd2dq: below range is INT32_MIN */
        return o->n;
    case SIMD_i32x4_trunc_sat_f64x2_u_zero:
        P66(0x57, t0, t0);
        P66(0x5f, d, t0); /* maxpd: NaN and negative lanes 0 */
        const128(o, g, t1, 0x41efffffffe00000ull, 0x41efffffffe00000ull); /* UINT32_MAX */
        P66(0x5d, d, t1);
        enc(o, 0x66, 0x3a, 0x09, d, d, 0, 0); /* roundpd: truncate */
        IMM(3 | 8);
        const128(o, g, t1, 0x4330000000000000ull, 0x4330000000000000ull);
        P66(0x58, d, t1); /* 2^52 + n: n in the low dword */
        PPS(0xc6, d, t0); /* shufps: the two low dwords, then zeros */
        IMM(0x88);
        return o->n;
    case SIMD_f32x4_demote_f64x2_zero:
        P66(0x5a, d, d);
        return o->n;
    case SIMD_f64x2_promote_low_f32x4:
        PPS(0x5a, d, d);
        return o->n;
    default:
        return 0;
    }
}

size_t simd_x64_lower(uint8_t *out, uint32_t sub, const uint8_t *imm, const simd_x64_regs *regs,
                      unsigned features)
{
    sx o = {out, 0};
    if (sub > 0xff) return 0;
    return sx_lower(&o, sub, imm, regs, features);
}

int simd_x64_single(uint32_t sub, int *prefix66, int *map38, uint8_t *opcode)
{
    for (size_t i = 0; i < sizeof sx_plain / sizeof sx_plain[0]; i++)
        if (sx_plain[i].sub == sub) {
            *prefix66 = 1;
            *map38 = sx_plain[i].code >> 8 == 0x38;
            *opcode = (uint8_t)sx_plain[i].code;
            return 1;
        }
    static const struct {
        uint8_t sub, opcode;
    } arith[] = {{SIMD_f32x4_add, 0x58}, {SIMD_f32x4_sub, 0x5c}, {SIMD_f32x4_mul, 0x59},
                 {SIMD_f32x4_div, 0x5e}, {SIMD_f64x2_add, 0x58}, {SIMD_f64x2_sub, 0x5c},
                 {SIMD_f64x2_mul, 0x59}, {SIMD_f64x2_div, 0x5e}};
    for (size_t i = 0; i < sizeof arith / sizeof arith[0]; i++)
        if (arith[i].sub == sub) {
            *prefix66 = sub >= SIMD_f64x2_add; /* pd */
            *map38 = 0;
            *opcode = arith[i].opcode;
            return 1;
        }
    return 0;
}

unsigned simd_x64_scratch(uint32_t sub, const uint8_t *imm, unsigned features)
{
    static const simd_x64_regs base = {0, 1, 2, {3, 4, 5}, 0, 1};
    uint8_t with[SIMD_X64_MAX], other[SIMD_X64_MAX];
    size_t n = simd_x64_lower(with, sub, imm, &base, features);
    unsigned uses = 0;
    for (int k = 0; k < 4; k++) {
        simd_x64_regs g = base;
        if (k < 3)
            g.t[k] = 6 + k;
        else
            g.rt = 2;
        size_t m = simd_x64_lower(other, sub, imm, &g, features);
        if (m != n || memcmp(with, other, n) != 0) uses |= 1u << k;
    }
    return uses;
}

#else /* not x86-64: no code, every operation calls simd_apply */

unsigned simd_x64_features(void)
{
    return 0;
}

size_t simd_x64_lower(uint8_t *out, uint32_t sub, const uint8_t *imm, const simd_x64_regs *regs,
                      unsigned features)
{
    (void)out, (void)sub, (void)imm, (void)regs, (void)features;
    return 0;
}

unsigned simd_x64_scratch(uint32_t sub, const uint8_t *imm, unsigned features)
{
    (void)sub, (void)imm, (void)features;
    return 0;
}

int simd_x64_single(uint32_t sub, int *prefix66, int *map38, uint8_t *opcode)
{
    (void)sub, (void)prefix66, (void)map38, (void)opcode;
    return 0;
}

#endif

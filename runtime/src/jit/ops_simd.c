/* ops_simd.c: the compiler's 128-bit SIMD instructions (the 0xfd prefix). A v128 lives
 * in an xmm register like a float, so the allocator, locals, calls, blocks and
 * branches take it as they take an f64; here are the instructions themselves. Loads
 * and stores address memory as the scalar ones do ([r15 + address + offset], a guard
 * page or one compare against r9), each a single instruction reading or writing the
 * bytes (movdqu, pmovsx/zx for the extending loads, pinsr/pextr for lanes, movd/movq
 * for the zero-extending ones), so a fault names it. The lane operations are
 * simd_x64.c's code, written on the registers chosen here: the first operand's value
 * in the result's register, the other operands where they are, scratch registers only
 * as many as the operation uses. Float splats, extracts and replaces keep the scalar
 * in its xmm register, and shifts by a constant are one instruction. With AVX the
 * operations that are one instruction take its three-operand form, reading a
 * v128.load just made as their memory operand (VEX allows it unaligned). */
#include <string.h>

#include "jit/jitc.h"
#include "simd.h"
#include "simd_x64.h"

#define V128 WASMRT_V128
#define XS (JR_XMM + 15)

/* Appends bytes another writer encoded (simd_x64.c). */
static void jc_append(jc *j, const uint8_t *code, size_t n)
{
    if (!x64_room(&j->a, n)) return;
    memcpy(j->a.b + j->a.len, code, n);
    j->a.len += n;
}

/* op xmm, xmm with the 66 prefix (the integer and packed-double forms), and an
 * immediate byte when imm >= 0 */
static void jc_p66(jc *j, uint32_t op, int xd, int xs, int imm)
{
    x64_sse_rr(&j->a, X64_66, op, xd - JR_XMM, xs - JR_XMM);
    if (imm >= 0) x64_u8(&j->a, (unsigned)imm);
}

static void jc_simd_const(jc *j, const compile_simd_insn *in)
{
    uint64_t lo, hi;
    memcpy(&lo, in->bytes, 8);
    memcpy(&hi, in->bytes + 8, 8);
    int r = jc_alloc_result(j, V128, 0, -1);
    if (!lo && !hi)
        jc_p66(j, OP2(0x0f, 0xef), r, r, -1); /* pxor */
    else if (lo == UINT64_MAX && hi == UINT64_MAX)
        jc_p66(j, OP2(0x0f, 0x76), r, r, -1); /* pcmpeqd */
    else
        x64_movs_load(&j->a, 16, r - JR_XMM, jc_const128(j, lo, hi, 16));
    jc_push_result(j, V128, r);
}

/* The loads: i32 address -> v128; the lane loads: i32 address, v128 -> v128. */
static void jc_simd_load(jc *j, const compile_simd_insn *in, const simd_info *info)
{
    uint32_t h = j->height;
    int lane = info->sig == SIMD_LOAD_LANE;
    unsigned bytes = 1u << info->arg;
    /* a lane load changes one lane of the vector: that vector, in the result's register */
    int rd = lane ? jc_dest(j, h - 1, 2, V128) : jc_alloc_result(j, V128, 1, -1);
    x64_mem m = jc_address(j, h - 1 - (uint32_t)lane, in->offset, bytes);
    int x = rd - JR_XMM;
    x64 *a = &j->a;
    size_t start = a->len;
    uint32_t nrefs = a->nrefs;
    jc_fault_mark(j);
    if (lane) {
        static const uint32_t pinsr[4] = {OP3(0x0f, 0x3a, 0x20), OP2(0x0f, 0xc4),
                                          OP3(0x0f, 0x3a, 0x22), OP3(0x0f, 0x3a, 0x22)};
        x64_sse_rm(a, X64_66 | (bytes == 8 ? X64_W : 0), pinsr[info->arg], x, m);
        x64_u8(a, in->lane);
    } else {
        switch ((enum simd_op)in->sub) {
        case SIMD_v128_load:
            x64_movs_load(a, 16, x, m);
            /* a load into a temporary its user may take back (an AVX operand) */
            if (rd != j->dest && a->nrefs == nrefs) {
                j->last_load.start = start;
                j->last_load.end = a->len;
                j->last_load.binds = a->binds;
                j->last_load.nrefs = nrefs;
                j->last_load.nfaults = j->nfaults;
                j->last_load.mem = m;
                j->last_load.reg = rd;
                j->last_load.size = 16;
                j->last_load.type = V128;
            }
            break;
        case SIMD_v128_load8x8_s:
        case SIMD_v128_load8x8_u:
        case SIMD_v128_load16x4_s:
        case SIMD_v128_load16x4_u:
        case SIMD_v128_load32x2_s:
        case SIMD_v128_load32x2_u: {
            /* pmovsxbw, pmovzxbw, pmovsxwd, pmovzxwd, pmovsxdq, pmovzxdq */
            static const uint8_t opc[6] = {0x20, 0x30, 0x23, 0x33, 0x25, 0x35};
            x64_sse_rm(a, X64_66, OP3(0x0f, 0x38, opc[in->sub - SIMD_v128_load8x8_s]), x, m);
            break;
        }
        case SIMD_v128_load8_splat:
            x64_sse_rm(a, X64_66, OP3(0x0f, 0x3a, 0x20), x, m); /* pinsrb x, [m], 0 */
            x64_u8(a, 0);
            jc_p66(j, OP2(0x0f, 0xef), XS, XS, -1);
            jc_p66(j, OP3(0x0f, 0x38, 0x00), rd, XS, -1); /* pshufb: byte 0 everywhere */
            break;
        case SIMD_v128_load16_splat:
            x64_sse_rm(a, X64_66, OP2(0x0f, 0xc4), x, m); /* pinsrw x, [m], 0 */
            x64_u8(a, 0);
            x64_sse_rr(a, X64_F2, OP2(0x0f, 0x70), x, x); /* pshuflw 0 */
            x64_u8(a, 0);
            jc_p66(j, OP2(0x0f, 0x6c), rd, rd, -1); /* punpcklqdq */
            break;
        case SIMD_v128_load32_splat:
            x64_sse_rm(a, X64_66, OP2(0x0f, 0x6e), x, m); /* movd */
            jc_p66(j, OP2(0x0f, 0x70), rd, rd, 0);        /* pshufd 0 */
            break;
        case SIMD_v128_load64_splat:
            x64_sse_rm(a, X64_F2, OP2(0x0f, 0x12), x, m); /* movddup */
            break;
        case SIMD_v128_load32_zero:
            x64_sse_rm(a, X64_66, OP2(0x0f, 0x6e), x, m); /* movd: the rest zero */
            break;
        default:                                          /* SIMD_v128_load64_zero */
            x64_sse_rm(a, X64_F3, OP2(0x0f, 0x7e), x, m); /* movq: the rest zero */
            break;
        }
    }
    jc_pop(j, 1 + (uint32_t)lane);
    jc_push_result(j, V128, rd);
}

/* The stores: i32 address, v128 -> (all 16 bytes, or one lane). */
static void jc_simd_store(jc *j, const compile_simd_insn *in, const simd_info *info)
{
    uint32_t h = j->height;
    unsigned bytes = 1u << info->arg;
    int rv = jc_reg(j, h - 1);
    x64_mem m = jc_address(j, h - 2, in->offset, bytes);
    jc_fault_mark(j);
    if (info->sig == SIMD_STORE) {
        x64_movs_store(&j->a, 16, rv - JR_XMM, m);
    } else {
        /* pextrb, pextrw, pextrd, pextrq [m], xmm, lane */
        static const uint8_t opc[4] = {0x14, 0x15, 0x16, 0x16};
        x64_sse_rm(&j->a, X64_66 | (bytes == 8 ? X64_W : 0), OP3(0x0f, 0x3a, opc[info->arg]),
                   rv - JR_XMM, m);
        x64_u8(&j->a, in->lane);
    }
    jc_pop(j, 2);
}

/* f32x4 and f64x2 splat, extract_lane and replace_lane with the scalar in its xmm
 * register; 0 for the other instructions. */
static int jc_simd_float_lanes(jc *j, const compile_simd_insn *in)
{
    uint32_t h = j->height;
    switch ((enum simd_op)in->sub) {
    case SIMD_f32x4_splat:
    case SIMD_f64x2_splat: {
        int d = jc_dest(j, h - 1, 1, V128);
        if (in->sub == SIMD_f32x4_splat) {
            x64_sse_rr(&j->a, 0, OP2(0x0f, 0xc6), d - JR_XMM, d - JR_XMM); /* shufps 0 */
            x64_u8(&j->a, 0);
        } else {
            x64_sse_rr(&j->a, 0, OP2(0x0f, 0x16), d - JR_XMM, d - JR_XMM); /* movlhps */
        }
        jc_pop(j, 1);
        jc_push_result(j, V128, d);
        return 1;
    }
    case SIMD_f32x4_extract_lane:
    case SIMD_f64x2_extract_lane: {
        int f32 = in->sub == SIMD_f32x4_extract_lane;
        int type = f32 ? WASMRT_F32 : WASMRT_F64;
        int v = jc_reg(j, h - 1);
        int r = jc_alloc_result(j, type, 1, -1);
        if (in->lane == 0)
            jc_move_reg(j, type, r, v);
        else
            jc_p66(j, OP2(0x0f, 0x70), r, v, f32 ? (int)in->lane : 0xee); /* pshufd */
        jc_pop(j, 1);
        jc_push_result(j, type, r);
        return 1;
    }
    case SIMD_f32x4_replace_lane:
    case SIMD_f64x2_replace_lane: {
        int d = jc_dest(j, h - 2, 2, V128);
        int x = jc_reg(j, h - 1);
        if (in->sub == SIMD_f32x4_replace_lane)
            jc_p66(j, OP3(0x0f, 0x3a, 0x21), d, x, (int)in->lane << 4); /* insertps */
        else if (in->lane == 0)
            x64_sse_rr(&j->a, X64_F2, OP2(0x0f, 0x10), d - JR_XMM, x - JR_XMM); /* movsd */
        else
            x64_sse_rr(&j->a, 0, OP2(0x0f, 0x16), d - JR_XMM, x - JR_XMM); /* movlhps */
        jc_pop(j, 2);
        jc_push_result(j, V128, d);
        return 1;
    }
    default:
        return 0;
    }
}

/* The shifts of 16-, 32- and 64-bit lanes by a constant: one instruction (psllw,
 * psraw, psrlw, ... with the count masked as Wasm masks it); 0 for the others. */
static int jc_simd_shift_const(jc *j, uint32_t sub)
{
    /* 66 0F 71/72/73 /ext ib for 16-, 32- and 64-bit lanes: shl /6, shr_s /4, shr_u /2 */
    static const struct {
        uint8_t sub, group, ext, bits;
    } shifts[] = {
        {SIMD_i16x8_shl, 0x71, 6, 16},   {SIMD_i16x8_shr_s, 0x71, 4, 16},
        {SIMD_i16x8_shr_u, 0x71, 2, 16}, {SIMD_i32x4_shl, 0x72, 6, 32},
        {SIMD_i32x4_shr_s, 0x72, 4, 32}, {SIMD_i32x4_shr_u, 0x72, 2, 32},
        {SIMD_i64x2_shl, 0x73, 6, 64},   {SIMD_i64x2_shr_u, 0x73, 2, 64},
    };
    uint32_t h = j->height;
    const jv *count = &j->stack[h - 1];
    size_t k = 0;
    while (k < sizeof shifts / sizeof shifts[0] && shifts[k].sub != sub)
        k++;
    if (count->kind != JV_CONST || k == sizeof shifts / sizeof shifts[0]) return 0;
    int group = shifts[k].group, ext = shifts[k].ext, bits = shifts[k].bits;
    int d = jc_dest(j, h - 2, 2, V128);
    x64_rr(&j->a, X64_66, OP2(0x0f, (unsigned)group), ext, d - JR_XMM);
    x64_u8(&j->a, (unsigned)(count->bits & (uint64_t)(bits - 1)));
    jc_pop(j, 2);
    jc_push_result(j, V128, d);
    return 1;
}

/* With AVX, an operation that is one SSE instruction d = d op b in its three-operand
 * form: the result in a register of its own (the home of the local set next, or an
 * operand's temporary), the first operand read where it is, the second a v128.load
 * just made taken back as a memory operand when it is one; 0 without AVX or for other
 * operations. */
static int jc_simd_avx_binary(jc *j, uint32_t sub)
{
    int p66, map38;
    uint8_t opc;
    if (!(j->features & JIT_CPU_AVX) || !simd_x64_single(sub, &p66, &map38, &opc)) return 0;
    uint32_t h = j->height;
    uint32_t op = map38 ? OP3(0x0f, 0x38, opc) : OP2(0x0f, opc);
    unsigned flags = p66 ? X64_66 : 0;
    x64_mem m;
    int folded = jc_take_load(j, h - 1, 16, &m);
    int ra = jc_reg(j, h - 2);
    int rb = folded ? j->stack[h - 1].reg : jc_reg(j, h - 1);
    int rd = jc_result_home(j, V128, 2, h - 2);
    if (rd < 0) {
        const jv *a = &j->stack[h - 2], *b = &j->stack[h - 1];
        rd = a->kind == JV_REG ? a->reg : b->kind == JV_REG ? b->reg : jc_alloc(j, 1, 0);
    }
    if (folded) {
        jc_fault_mark(j);
        x64_vex_rm(&j->a, flags, op, rd - JR_XMM, ra - JR_XMM, m);
        jc_load_done(j);
    } else {
        x64_vex_rr(&j->a, flags, op, rd - JR_XMM, ra - JR_XMM, rb - JR_XMM);
    }
    jc_pop(j, 2);
    jc_push_result(j, V128, rd);
    return 1;
}

/* Every other instruction: simd_x64.c's code on registers picked here. */
static void jc_simd_lanes(jc *j, const compile_simd_insn *in, const simd_info *info)
{
    uint32_t h = j->height, n;
    int v128_in = 1, scalar_in = 0, scalar_out = 0;
    switch (info->sig) {
    case SIMD_V_V:
        n = 1;
        break;
    case SIMD_VV_V:
    case SIMD_SHUFFLE:
        n = 2;
        break;
    case SIMD_VVV_V:
        n = 3;
        break;
    case SIMD_V_I32:
        n = 1, scalar_out = WASMRT_I32;
        break;
    case SIMD_EXTRACT:
        n = 1, scalar_out = simd_scalar_type(in->sub);
        break;
    case SIMD_VI_V:
    case SIMD_REPLACE:
        n = 2, scalar_in = 1;
        break;
    default: /* SIMD_SPLAT */
        n = 1, v128_in = 0, scalar_in = 1;
        break;
    }
    uint32_t first = h - n;
    uint8_t imm[16];
    memset(imm, 0, sizeof imm);
    if (info->sig == SIMD_SHUFFLE)
        memcpy(imm, in->bytes, 16);
    else
        imm[0] = (uint8_t)in->lane;
    unsigned features = jit_simd_features(j->features);
    unsigned uses = simd_x64_scratch(in->sub, imm, features);
    simd_x64_regs g;
    memset(&g, 0, sizeof g);
    /* the first v128 operand where the result goes (read only for a scalar result) */
    int d;
    if (!v128_in)
        d = jc_alloc_result(j, V128, n, -1);
    else if (scalar_out)
        d = jc_reg(j, first);
    else
        d = jc_dest(j, first, n, V128);
    int held[8], nheld = 0;
    int other[2] = {d, d};
    for (uint32_t k = 1; v128_in && k < n - (uint32_t)scalar_in; k++) {
        int r = jc_reg(j, first + k);
        if (r == d) {
            /* the same local as the result's: the code writes d before it reads this */
            int copy = jc_alloc(j, 1, 0);
            jc_move_reg(j, V128, copy, r);
            held[nheld++] = r = copy;
        }
        other[k - 1] = r;
    }
    g.d = d - JR_XMM;
    g.b = other[0] - JR_XMM;
    g.c = other[1] - JR_XMM;
    for (int k = 0; k < 3; k++) {
        g.t[k] = XS - JR_XMM; /* unused: anything */
        if (uses & (1u << k)) {
            int t = jc_alloc(j, 1, 0);
            held[nheld++] = t;
            g.t[k] = t - JR_XMM;
        }
    }
    g.rt = JR_SCRATCH;
    if (uses & SIMD_X64_USES_RT) {
        int rt = jc_alloc(j, 0, 0);
        held[nheld++] = rt;
        g.rt = rt;
    }
    int r = -1;
    if (scalar_in)
        r = jc_own(j, h - 1);
    else if (scalar_out)
        r = jc_alloc_result(j, scalar_out, n, -1);
    g.r = r >= 0 ? r : JR_SCRATCH;
    uint8_t code[SIMD_X64_MAX];
    size_t len = simd_x64_lower(code, in->sub, imm, &g, features);
    if (!len) {
        jc_fail(j, "a SIMD operation without SSE code on this CPU");
        return;
    }
    jc_append(j, code, len);
    for (int k = 0; k < nheld; k++)
        jc_release(j, held[k]);
    jc_pop(j, n);
    if (scalar_out)
        jc_push_result(j, scalar_out, r);
    else
        jc_push_result(j, V128, d);
}

void jc_simd(void *s, const compile_simd_insn *in)
{
    jc *j = s;
    jc_begin(j, 0);
    const simd_info *info = &simd_table[in->sub & 0xff];
    switch (info->sig) {
    case SIMD_CONST:
        jc_simd_const(j, in);
        return;
    case SIMD_LOAD:
    case SIMD_LOAD_LANE:
        jc_simd_load(j, in, info);
        return;
    case SIMD_STORE:
    case SIMD_STORE_LANE:
        jc_simd_store(j, in, info);
        return;
    default:
        if (jc_simd_float_lanes(j, in)) return;
        if (info->sig == SIMD_VI_V && jc_simd_shift_const(j, in->sub)) return;
        if (info->sig == SIMD_VV_V && jc_simd_avx_binary(j, in->sub)) return;
        jc_simd_lanes(j, in, info);
    }
}

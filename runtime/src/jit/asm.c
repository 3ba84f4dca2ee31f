/* asm.c: the x86-64 encoder of asm.h. Every instruction goes through x64_rr (register
 * operands) or x64_rm (a memory operand): prefixes, REX, opcode, ModRM, SIB and
 * displacement, chosen as the manuals give them; the named instructions above them
 * only pick opcodes. Labels are offsets in the buffer; references to them are 32-bit
 * fields filled by x64_resolve once the code is complete. */
#include <stdlib.h>
#include <string.h>

#include "jit/asm.h"

int x64_grow(x64 *a, size_t n)
{
    if (a->failed) return 0;
    size_t cap = a->cap ? a->cap : 4096;
    while (cap < a->len + n)
        cap *= 2;
    uint8_t *b = realloc(a->b, cap);
    if (!b) {
        a->failed = 1;
        return 0;
    }
    a->b = b;
    a->cap = cap;
    return 1;
}

void x64_u32(x64 *a, uint32_t v)
{
    if (x64_room(a, 4)) {
        memcpy(a->b + a->len, &v, 4);
        a->len += 4;
    }
}

void x64_u64(x64 *a, uint64_t v)
{
    if (x64_room(a, 8)) {
        memcpy(a->b + a->len, &v, 8);
        a->len += 8;
    }
}

void x64_reset(x64 *a)
{
    a->len = 0;
    a->failed = 0;
    a->nlabels = 0;
    a->nrefs = 0;
}

void x64_free(x64 *a)
{
    free(a->b);
    free(a->labels);
    free(a->refs);
    memset(a, 0, sizeof *a);
}

/* ---- labels ---------------------------------------------------------------------- */

uint32_t x64_label(x64 *a)
{
    if (a->nlabels == a->label_cap) {
        uint32_t cap = a->label_cap ? a->label_cap * 2 : 64;
        uint32_t *grown = realloc(a->labels, cap * sizeof *grown);
        if (!grown) {
            a->failed = 1;
            return 0; /* label 0 stays usable: the code is discarded anyway */
        }
        a->labels = grown;
        a->label_cap = cap;
    }
    a->labels[a->nlabels] = X64_UNBOUND;
    return a->nlabels++;
}

void x64_bind(x64 *a, uint32_t label)
{
    if (label < a->nlabels) a->labels[label] = (uint32_t)a->len;
    a->binds++;
}

void x64_ref32(x64 *a, uint32_t label, int32_t from)
{
    if (a->nrefs == a->ref_cap) {
        uint32_t cap = a->ref_cap ? a->ref_cap * 2 : 64;
        x64_ref *grown = realloc(a->refs, cap * sizeof *grown);
        if (!grown) {
            a->failed = 1;
            return;
        }
        a->refs = grown;
        a->ref_cap = cap;
    }
    uint32_t at = (uint32_t)a->len;
    a->refs[a->nrefs++] = (x64_ref){at, label, from == X64_REL ? (int32_t)(at + 4) : from};
    x64_u32(a, 0);
}

int x64_resolve(x64 *a)
{
    for (uint32_t i = 0; i < a->nrefs && !a->failed; i++) {
        const x64_ref *r = &a->refs[i];
        if (r->label >= a->nlabels || a->labels[r->label] == X64_UNBOUND) {
            a->failed = 1;
            break;
        }
        int32_t v;
        uint32_t field;
        memcpy(&field, a->b + r->at, 4); /* an addend the instruction left there */
        v = (int32_t)(a->labels[r->label] - (uint32_t)r->from + field);
        memcpy(a->b + r->at, &v, 4);
    }
    return !a->failed;
}

/* ---- encoding -------------------------------------------------------------------- */

static void x64_prefixes(x64 *a, unsigned flags, int reg, int index, int base, int byte_regs)
{
    if (flags & X64_66) x64_u8(a, 0x66);
    if (flags & X64_F2) x64_u8(a, 0xf2);
    if (flags & X64_F3) x64_u8(a, 0xf3);
    unsigned rex = (flags & X64_W ? 8u : 0u) | (reg >= 8 ? 4u : 0u) | (index >= 8 ? 2u : 0u) |
                   (base >= 8 ? 1u : 0u);
    if (rex || byte_regs) x64_u8(a, 0x40 | rex);
}

static void x64_opcode(x64 *a, uint32_t op)
{
    unsigned n = op >> 24;
    for (unsigned i = 0; i < n; i++)
        x64_u8(a, (op >> (8 * i)) & 0xff);
}

void x64_rr(x64 *a, unsigned flags, uint32_t op, int reg, int rm)
{
    if (!x64_room(a, 16)) return;
    int byte_regs = (flags & X64_BYTE) && ((reg >= 4 && reg < 8) || (rm >= 4 && rm < 8));
    x64_prefixes(a, flags, reg, 0, rm, byte_regs);
    x64_opcode(a, op);
    x64_u8(a, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* ModRM, SIB and displacement of a memory operand; `trailing` immediate bytes follow
 * (a rip-relative displacement counts from the end of the instruction). */
static void x64_modrm_mem(x64 *a, int reg, x64_mem m, unsigned trailing)
{
    if (m.base == X64_RIP) {
        x64_u8(a, (reg & 7) << 3 | 5);
        uint32_t at = (uint32_t)a->len;
        x64_ref32(a, m.label, (int32_t)(at + 4 + trailing));
        if (!a->failed) memcpy(a->b + at, &m.disp, 4);
        return;
    }
    int mod = m.disp == 0 && (m.base & 7) != 5 ? 0 : m.disp >= -128 && m.disp <= 127 ? 1 : 2;
    if (m.index == X64_NO_INDEX && (m.base & 7) != 4) {
        x64_u8(a, (unsigned)(mod << 6 | (reg & 7) << 3 | (m.base & 7)));
    } else {
        x64_u8(a, (unsigned)(mod << 6 | (reg & 7) << 3 | 4));
        int index = m.index == X64_NO_INDEX ? 4 : m.index & 7;
        x64_u8(a, (unsigned)(m.scale_log2 << 6 | index << 3 | (m.base & 7)));
    }
    if (mod == 1)
        x64_u8(a, (uint8_t)m.disp);
    else if (mod == 2)
        x64_u32(a, (uint32_t)m.disp);
}

static void x64_rm_trailing(x64 *a, unsigned flags, uint32_t op, int reg, x64_mem m,
                            unsigned trailing)
{
    if (!x64_room(a, 16)) return;
    int byte_regs = (flags & X64_BYTE) && reg >= 4 && reg < 8;
    int base = m.base == X64_RIP ? 0 : m.base;
    x64_prefixes(a, flags, reg, m.index == X64_NO_INDEX ? 0 : m.index, base, byte_regs);
    x64_opcode(a, op);
    x64_modrm_mem(a, reg, m, trailing);
}

void x64_rm(x64 *a, unsigned flags, uint32_t op, int reg, x64_mem m)
{
    x64_rm_trailing(a, flags, op, reg, m, 0);
}

/* ---- integer instructions ---------------------------------------------------------- */

void x64_mov_rr(x64 *a, unsigned w, int dst, int src)
{
    x64_rr(a, w, OP1(0x8b), dst, src);
}

void x64_zero(x64 *a, int r)
{
    x64_rr(a, 0, OP1(0x33), r, r); /* xor r32, r32 */
}

void x64_mov_ri(x64 *a, int dst, uint64_t v)
{
    if (v <= UINT32_MAX) {
        if (!x64_room(a, 16)) return;
        x64_prefixes(a, 0, 0, 0, dst, 0);
        x64_u8(a, 0xb8 + (dst & 7));
        x64_u32(a, (uint32_t)v);
    } else if ((int64_t)v >= INT32_MIN && (int64_t)v < 0) {
        x64_rr(a, X64_W, OP1(0xc7), 0, dst);
        x64_u32(a, (uint32_t)v);
    } else {
        if (!x64_room(a, 16)) return;
        x64_prefixes(a, X64_W, 0, 0, dst, 0);
        x64_u8(a, 0xb8 + (dst & 7));
        x64_u64(a, v);
    }
}

void x64_alu_rr(x64 *a, unsigned w, int op, int dst, int src)
{
    x64_rr(a, w, OP1((unsigned)op << 3 | 3), dst, src);
}

void x64_alu_ri(x64 *a, unsigned w, int op, int dst, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x64_rr(a, w, OP1(0x83), op, dst);
        x64_u8(a, (uint8_t)imm);
    } else if (dst == RAX) {
        if (!x64_room(a, 16)) return;
        x64_prefixes(a, w, 0, 0, 0, 0);
        x64_u8(a, (unsigned)op << 3 | 5);
        x64_u32(a, (uint32_t)imm);
    } else {
        x64_rr(a, w, OP1(0x81), op, dst);
        x64_u32(a, (uint32_t)imm);
    }
}

void x64_alu_rm(x64 *a, unsigned w, int op, int dst, x64_mem m)
{
    x64_rm(a, w, OP1((unsigned)op << 3 | 3), dst, m);
}

void x64_alu_mr(x64 *a, unsigned w, int op, x64_mem m, int src)
{
    x64_rm(a, w, OP1((unsigned)op << 3 | 1), src, m);
}

void x64_alu_mi(x64 *a, unsigned w, int op, x64_mem m, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x64_rm_trailing(a, w, OP1(0x83), op, m, 1);
        x64_u8(a, (uint8_t)imm);
    } else {
        x64_rm_trailing(a, w, OP1(0x81), op, m, 4);
        x64_u32(a, (uint32_t)imm);
    }
}

void x64_test_rr(x64 *a, unsigned w, int x, int y)
{
    x64_rr(a, w, OP1(0x85), y, x);
}

void x64_test_ri(x64 *a, unsigned w, int x, int32_t imm)
{
    if (imm >= 0 && imm <= 255) {
        /* test r8, imm8 when the mask fits the low byte (ZF as for the whole) */
        x64_rr(a, X64_BYTE, OP1(0xf6), 0, x);
        x64_u8(a, (uint8_t)imm);
        return;
    }
    x64_rr(a, w, OP1(0xf7), 0, x);
    x64_u32(a, (uint32_t)imm);
}

void x64_shift_ri(x64 *a, unsigned w, int op, int r, uint8_t count)
{
    if (count == 1) {
        x64_rr(a, w, OP1(0xd1), op, r);
        return;
    }
    x64_rr(a, w, OP1(0xc1), op, r);
    x64_u8(a, count);
}

void x64_shift_cl(x64 *a, unsigned w, int op, int r)
{
    x64_rr(a, w, OP1(0xd3), op, r);
}

void x64_imul_rr(x64 *a, unsigned w, int dst, int src)
{
    x64_rr(a, w, OP2(0x0f, 0xaf), dst, src);
}

void x64_imul_rm(x64 *a, unsigned w, int dst, x64_mem m)
{
    x64_rm(a, w, OP2(0x0f, 0xaf), dst, m);
}

void x64_imul_rri(x64 *a, unsigned w, int dst, int src, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x64_rr(a, w, OP1(0x6b), dst, src);
        x64_u8(a, (uint8_t)imm);
    } else {
        x64_rr(a, w, OP1(0x69), dst, src);
        x64_u32(a, (uint32_t)imm);
    }
}

void x64_group3(x64 *a, unsigned w, int op, int r)
{
    x64_rr(a, w, OP1(0xf7), op, r);
}

void x64_lea(x64 *a, unsigned w, int dst, x64_mem m)
{
    x64_rm(a, w, OP1(0x8d), dst, m);
}

void x64_setcc(x64 *a, int cc, int r)
{
    x64_rr(a, X64_BYTE, OP2(0x0f, 0x90 + (unsigned)cc), 0, r);
}

void x64_cmov_rr(x64 *a, unsigned w, int cc, int dst, int src)
{
    x64_rr(a, w, OP2(0x0f, 0x40 + (unsigned)cc), dst, src);
}

void x64_cmov_rm(x64 *a, unsigned w, int cc, int dst, x64_mem m)
{
    x64_rm(a, w, OP2(0x0f, 0x40 + (unsigned)cc), dst, m);
}

void x64_load(x64 *a, unsigned w, unsigned size, int sign, int dst, x64_mem m)
{
    switch (size) {
    case 1:
        x64_rm(a, sign ? w : 0, OP2(0x0f, sign ? 0xbe : 0xb6), dst, m);
        break;
    case 2:
        x64_rm(a, sign ? w : 0, OP2(0x0f, sign ? 0xbf : 0xb7), dst, m);
        break;
    case 4:
        if (sign && w)
            x64_rm(a, X64_W, OP1(0x63), dst, m); /* movsxd */
        else
            x64_rm(a, 0, OP1(0x8b), dst, m);
        break;
    default:
        x64_rm(a, X64_W, OP1(0x8b), dst, m);
        break;
    }
}

void x64_store(x64 *a, unsigned size, int src, x64_mem m)
{
    switch (size) {
    case 1:
        x64_rm(a, X64_BYTE, OP1(0x88), src, m);
        break;
    case 2:
        x64_rm(a, X64_66, OP1(0x89), src, m);
        break;
    case 4:
        x64_rm(a, 0, OP1(0x89), src, m);
        break;
    default:
        x64_rm(a, X64_W, OP1(0x89), src, m);
        break;
    }
}

void x64_store_imm(x64 *a, unsigned size, int32_t imm, x64_mem m)
{
    switch (size) {
    case 1:
        x64_rm_trailing(a, 0, OP1(0xc6), 0, m, 1);
        x64_u8(a, (uint8_t)imm);
        break;
    case 2:
        x64_rm_trailing(a, X64_66, OP1(0xc7), 0, m, 2);
        x64_u8(a, (uint8_t)imm);
        x64_u8(a, (uint8_t)(imm >> 8));
        break;
    default:
        x64_rm_trailing(a, size == 8 ? X64_W : 0, OP1(0xc7), 0, m, 4);
        x64_u32(a, (uint32_t)imm);
        break;
    }
}

void x64_movzx8(x64 *a, int dst, int src)
{
    x64_rr(a, X64_BYTE, OP2(0x0f, 0xb6), dst, src);
}

void x64_extend_rr(x64 *a, unsigned w, unsigned size, int sign, int dst, int src)
{
    if (size == 1)
        x64_rr(a, (sign ? w : 0) | X64_BYTE, OP2(0x0f, sign ? 0xbe : 0xb6), dst, src);
    else if (size == 2)
        x64_rr(a, sign ? w : 0, OP2(0x0f, sign ? 0xbf : 0xb7), dst, src);
    else if (sign)
        x64_rr(a, X64_W, OP1(0x63), dst, src);
    else
        x64_mov_rr(a, 0, dst, src);
}

void x64_push(x64 *a, int r)
{
    if (r >= 8) x64_u8(a, 0x41);
    x64_u8(a, 0x50 + (r & 7));
}

void x64_pop(x64 *a, int r)
{
    if (r >= 8) x64_u8(a, 0x41);
    x64_u8(a, 0x58 + (r & 7));
}

/* ---- control ----------------------------------------------------------------------- */

void x64_jmp(x64 *a, uint32_t label)
{
    /* a backward jump in reach takes two bytes */
    if (label < a->nlabels && a->labels[label] != X64_UNBOUND &&
        (int64_t)a->labels[label] - (int64_t)(a->len + 2) >= -128) {
        x64_u8(a, 0xeb);
        x64_u8(a, (uint8_t)(a->labels[label] - (a->len + 1)));
        return;
    }
    x64_u8(a, 0xe9);
    x64_ref32(a, label, X64_REL);
}

void x64_jcc(x64 *a, int cc, uint32_t label)
{
    if (label < a->nlabels && a->labels[label] != X64_UNBOUND &&
        (int64_t)a->labels[label] - (int64_t)(a->len + 2) >= -128) {
        x64_u8(a, 0x70 + (unsigned)cc);
        x64_u8(a, (uint8_t)(a->labels[label] - (a->len + 1)));
        return;
    }
    x64_u8(a, 0x0f);
    x64_u8(a, 0x80 + (unsigned)cc);
    x64_ref32(a, label, X64_REL);
}

void x64_call(x64 *a, uint32_t label)
{
    x64_u8(a, 0xe8);
    x64_ref32(a, label, X64_REL);
}

void x64_call_m(x64 *a, x64_mem m)
{
    x64_rm(a, 0, OP1(0xff), 2, m);
}

void x64_jmp_m(x64 *a, x64_mem m)
{
    x64_rm(a, 0, OP1(0xff), 4, m);
}

void x64_jmp_r(x64 *a, int r)
{
    x64_rr(a, 0, OP1(0xff), 4, r);
}

void x64_ret(x64 *a)
{
    x64_u8(a, 0xc3);
}

void x64_ud2(x64 *a)
{
    x64_u8(a, 0x0f);
    x64_u8(a, 0x0b);
}

/* ---- SSE --------------------------------------------------------------------------- */

void x64_sse_rr(x64 *a, unsigned flags, uint32_t op, int xd, int xs)
{
    x64_rr(a, flags, op, xd, xs);
}

void x64_sse_rm(x64 *a, unsigned flags, uint32_t op, int xd, x64_mem m)
{
    x64_rm(a, flags, op, xd, m);
}

/* VEX: C5 (two bytes: map 0F, no W, X or B) or C4 (three), then the opcode's last
 * byte; vvvv names the first source; 128-bit (L = 0). */
static void x64_vex_prefix(x64 *a, unsigned flags, uint32_t op, int reg, int index, int base,
                           int vreg)
{
    unsigned pp = flags & X64_66 ? 1 : flags & X64_F3 ? 2 : flags & X64_F2 ? 3 : 0;
    unsigned n = op >> 24, map = n == 3 ? ((op >> 8 & 0xff) == 0x38 ? 2u : 3u) : 1u;
    unsigned r = reg >= 8 ? 0 : 0x80, x = index >= 8 ? 0 : 0x40, b = base >= 8 ? 0 : 0x20;
    unsigned v = (~(unsigned)vreg & 15) << 3;
    if (map == 1 && !(flags & X64_W) && x && b) {
        x64_u8(a, 0xc5);
        x64_u8(a, r | v | pp);
    } else {
        x64_u8(a, 0xc4);
        x64_u8(a, r | x | b | map);
        x64_u8(a, (flags & X64_W ? 0x80u : 0u) | v | pp);
    }
    x64_u8(a, op >> (8 * (n - 1)) & 0xff);
}

void x64_vex_rr(x64 *a, unsigned flags, uint32_t op, int xd, int xv, int xs)
{
    if (!x64_room(a, 16)) return;
    x64_vex_prefix(a, flags, op, xd, 0, xs, xv);
    x64_u8(a, 0xc0 | (xd & 7) << 3 | (xs & 7));
}

void x64_vex_rm(x64 *a, unsigned flags, uint32_t op, int xd, int xv, x64_mem m)
{
    if (!x64_room(a, 16)) return;
    x64_vex_prefix(a, flags, op, xd, m.index == X64_NO_INDEX ? 0 : m.index,
                   m.base == X64_RIP ? 0 : m.base, xv);
    x64_modrm_mem(a, xd, m, 0);
}

void x64_movq_xr(x64 *a, unsigned w, int xd, int r)
{
    x64_rr(a, X64_66 | w, OP2(0x0f, 0x6e), xd, r);
}

void x64_movq_rx(x64 *a, unsigned w, int r, int xs)
{
    x64_rr(a, X64_66 | w, OP2(0x0f, 0x7e), xs, r);
}

void x64_movs_load(x64 *a, unsigned size, int xd, x64_mem m)
{
    if (size == 16)
        x64_rm(a, X64_F3, OP2(0x0f, 0x6f), xd, m); /* movdqu */
    else
        x64_rm(a, size == 4 ? X64_F3 : X64_F2, OP2(0x0f, 0x10), xd, m);
}

void x64_movs_store(x64 *a, unsigned size, int xs, x64_mem m)
{
    if (size == 16)
        x64_rm(a, X64_F3, OP2(0x0f, 0x7f), xs, m); /* movdqu */
    else
        x64_rm(a, size == 4 ? X64_F3 : X64_F2, OP2(0x0f, 0x11), xs, m);
}

void x64_movaps(x64 *a, int xd, int xs)
{
    x64_rr(a, 0, OP2(0x0f, 0x28), xd, xs);
}

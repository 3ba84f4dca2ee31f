/* ops_int.c: the compiler's integer instructions: ALU ops with a register, memory or
 * immediate second operand, shifts and rotates (count in cl or an immediate), the
 * traps of division, counting bits, sign extension, wrap and extend, and compares,
 * which leave their result in the flags for a branch or a select to use (jitc.h,
 * JV_FLAGS). Float instructions are in ops_float.c; both hooks dispatch there. */
#include "jit/jitc.h"

/* condition codes of the integer compares in Wasm's order (eq .. ge_u), and of the
 * same compare with its operands swapped */
static const uint8_t jc_cmp_cc[10] = {CC_E, CC_NE, CC_L,  CC_B,  CC_G,
                                      CC_A, CC_LE, CC_BE, CC_GE, CC_AE};
static const uint8_t jc_cmp_swapped[10] = {CC_E, CC_NE, CC_G,  CC_A,  CC_L,
                                           CC_B, CC_GE, CC_AE, CC_LE, CC_BE};

static void jc_compare(jc *j, int index, unsigned w)
{
    uint32_t h = j->height;
    jv *a = &j->stack[h - 2], *b = &j->stack[h - 1];
    int cc;
    x64_mem loaded;
    if (a->kind == JV_CONST && b->kind != JV_CONST) {
        /* the constant as the immediate: compare b with a */
        int rb = jc_reg(j, h - 1);
        jc_opnd o = jc_operand(j, h - 2, 1);
        if (o.kind == OPND_IMM)
            x64_alu_ri(&j->a, w, ALU_CMP, rb, o.imm);
        else
            x64_alu_rr(&j->a, w, ALU_CMP, rb, o.reg);
        cc = jc_cmp_swapped[index];
    } else if (a->kind == JV_LOCAL && j->locals[a->local].reg < 0 && b->kind != JV_SPILL &&
               !(b->kind == JV_LOCAL && j->locals[b->local].reg < 0)) {
        /* a local in the frame against a register or an immediate, in memory */
        jc_opnd o = jc_operand(j, h - 1, 1);
        x64_mem m = jc_local_mem(j, a->local);
        if (o.kind == OPND_IMM)
            x64_alu_mi(&j->a, w, ALU_CMP, m, o.imm);
        else
            x64_alu_mr(&j->a, w, ALU_CMP, m, o.reg);
        cc = jc_cmp_cc[index];
    } else if (jc_take_load(j, h - 1, w ? 8 : 4, &loaded)) {
        int ra = jc_reg(j, h - 2);
        jc_fault_mark(j);
        x64_alu_rm(&j->a, w, ALU_CMP, ra, loaded);
        jc_load_done(j);
        cc = jc_cmp_cc[index];
    } else {
        jc_opnd o = jc_operand(j, h - 1, 1);
        int ra = jc_reg(j, h - 2);
        if (o.kind == OPND_IMM && o.imm == 0 && index <= 1)
            x64_test_rr(&j->a, w, ra, ra);
        else if (o.kind == OPND_IMM)
            x64_alu_ri(&j->a, w, ALU_CMP, ra, o.imm);
        else if (o.kind == OPND_MEM)
            x64_alu_rm(&j->a, w, ALU_CMP, ra, o.mem);
        else
            x64_alu_rr(&j->a, w, ALU_CMP, ra, o.reg);
        cc = jc_cmp_cc[index];
    }
    jc_pop(j, 2);
    jc_push(j, JV_FLAGS, WASMRT_I32, cc, 0, 0);
}

/* add, sub, and, or, xor, mul: dst = a op b, the destination a register of ours */
static void jc_alu(jc *j, int op, int type)
{
    unsigned w = jc_w(type);
    uint32_t h = j->height, x = h - 2, y = h - 1;
    jv *a = &j->stack[x], *b = &j->stack[y];
    int commutes = op != ALU_SUB;
    int64_t set = jc_next_local(j, type);
    int b_is_set = set >= 0 && b->kind == JV_LOCAL && b->local == set;
    int a_is_set = set >= 0 && a->kind == JV_LOCAL && a->local == set;
    if (commutes && (b_is_set || (!a_is_set && ((a->kind != JV_REG && b->kind == JV_REG) ||
                                                (a->kind == JV_CONST && b->kind != JV_CONST))))) {
        /* the local set next computed in place; else a register or memory on the left */
        x = h - 1;
        y = h - 2;
    }
    jv *vx = &j->stack[x], *vy = &j->stack[y];
    int rd;
    x64_mem loaded;
    if (set >= 0 && j->locals[set].reg < 0 && op != -1 && vx->kind == JV_LOCAL &&
        vx->local == set && !(vy->kind == JV_LOCAL && vy->local == set)) {
        /* a local in the frame changed in place (`add dword [rsp + d], k`): its older
           reads on the stack get their values first */
        jc_opnd o = jc_operand(j, y, 1);
        if (o.kind != OPND_MEM) {
            for (uint32_t at = 0; at < h - 2; at++)
                if (j->stack[at].kind == JV_LOCAL && j->stack[at].local == set) jc_own(j, at);
            x64_mem home = jc_local_mem(j, (uint32_t)set);
            if (o.kind == OPND_IMM)
                x64_alu_mi(&j->a, w, op, home, o.imm);
            else
                x64_alu_mr(&j->a, w, op, home, o.reg);
            jc_pop(j, 2);
            jc_push(j, JV_LOCAL, type, 0, (uint32_t)set, 0); /* local.set finds it there */
            return;
        }
    }
    if ((op == ALU_ADD || op == ALU_SUB) && vx->kind == JV_LOCAL && vy->kind == JV_CONST &&
        j->locals[vx->local].reg >= 0 &&
        (type == WASMRT_I32 || (int64_t)vy->bits == (int32_t)vy->bits)) {
        /* local +- constant: one lea, the local left in place */
        int32_t k = (int32_t)vy->bits;
        int home = j->locals[vx->local].reg;
        rd = jc_alloc_result(j, type, 2, x);
        if (rd == home)
            x64_alu_ri(&j->a, w, op, rd, k); /* the local itself: add or sub in place */
        else
            x64_lea(&j->a, w, rd, x64_base(home, op == ALU_SUB ? -k : k));
    } else if (op == -1) {
        /* mul */
        jc_opnd o = jc_operand(j, y, 1);
        if (o.kind == OPND_IMM) {
            int rx = jc_reg(j, x);
            rd = vx->kind == JV_REG ? rx : jc_alloc_result(j, type, 2, x);
            x64_imul_rri(&j->a, w, rd, rx, o.imm);
        } else {
            rd = jc_dest(j, x, 2, type);
            if (o.kind == OPND_MEM)
                x64_imul_rm(&j->a, w, rd, o.mem);
            else
                x64_imul_rr(&j->a, w, rd, o.reg);
        }
    } else if (jc_take_load(j, y, w ? 8 : 4, &loaded)) {
        /* the operand straight from linear memory */
        rd = jc_dest(j, x, 2, type);
        jc_fault_mark(j);
        x64_alu_rm(&j->a, w, op, rd, loaded);
        jc_load_done(j);
    } else {
        jc_opnd o = jc_operand(j, y, 1);
        rd = jc_dest(j, x, 2, type);
        if (o.kind == OPND_IMM)
            x64_alu_ri(&j->a, w, op, rd, o.imm);
        else if (o.kind == OPND_MEM)
            x64_alu_rm(&j->a, w, op, rd, o.mem);
        else
            x64_alu_rr(&j->a, w, op, rd, o.reg);
    }
    jc_pop(j, 2);
    jc_push_result(j, type, rd);
}

/* shl, shr_s, shr_u, rotl, rotr */
static void jc_shift(jc *j, int op, int type)
{
    unsigned w = jc_w(type);
    uint32_t h = j->height;
    jv *b = &j->stack[h - 1];
    int rd;
    if (b->kind == JV_CONST) {
        uint8_t k = (uint8_t)(b->bits & (w ? 63 : 31));
        rd = jc_dest(j, h - 2, 2, type);
        if (k) x64_shift_ri(&j->a, w, op, rd, k);
    } else {
        jc_load_into(j, h - 1, RCX);
        rd = jc_dest(j, h - 2, 2, type);
        x64_shift_cl(&j->a, w, op, rd);
    }
    jc_pop(j, 2);
    jc_push_result(j, type, rd);
}

/* div_s, div_u, rem_s, rem_u (kind 0..3): the quotient in rax or the remainder in rdx */
static void jc_divide(jc *j, int kind, int type)
{
    unsigned w = jc_w(type);
    uint32_t h = j->height;
    jv *b = &j->stack[h - 1];
    int is_signed = kind == 0 || kind == 2, is_rem = kind >= 2;
    uint64_t d = type == WASMRT_I32 ? (uint32_t)b->bits : b->bits;
    if (b->kind == JV_CONST && !is_signed && d && !(d & (d - 1))) {
        /* unsigned by a power of two: a shift or a mask */
        int rd = jc_own(j, h - 2);
        if (is_rem && d - 1 <= INT32_MAX)
            x64_alu_ri(&j->a, w, ALU_AND, rd, (int32_t)(d - 1));
        else if (!is_rem && d > 1)
            x64_shift_ri(&j->a, w, SH_SHR, rd, (uint8_t)__builtin_ctzll(d));
        if (is_rem && d - 1 > INT32_MAX) {
            x64_mov_ri(&j->a, JR_SCRATCH, d - 1);
            x64_alu_rr(&j->a, w, ALU_AND, rd, JR_SCRATCH);
        }
        jc_pop(j, 2);
        jc_push_reg(j, type, rd);
        return;
    }
    if (b->kind == JV_CONST && !is_signed && type == WASMRT_I32 && d > 2) {
        /* unsigned 32-bit by a constant: the high half of x * (2^64 / d rounded up) is
           x / d for every 32-bit x (the error stays below 1/d) */
        jc_load_into(j, h - 2, RAX);
        jc_claim(j, RDX);
        int keep = is_rem ? jc_alloc(j, 0, 0) : RDX;
        x64_mov_rr(&j->a, 0, RAX, RAX); /* zero-extended */
        if (is_rem) x64_mov_rr(&j->a, 0, keep, RAX);
        x64_mov_ri(&j->a, JR_SCRATCH, UINT64_MAX / d + 1);
        x64_group3(&j->a, X64_W, G3_MUL, JR_SCRATCH);
        if (is_rem) {
            /* x - q * d */
            x64_imul_rri(&j->a, 0, RDX, RDX, (int32_t)(uint32_t)d);
            x64_alu_rr(&j->a, 0, ALU_SUB, keep, RDX);
        }
        jc_pop(j, 2);
        if (is_rem) jc_release(j, RDX);
        jc_push_reg(j, type, keep);
        return;
    }
    int known = b->kind == JV_CONST;
    int minus_one = type == WASMRT_I32 ? (uint32_t)d == UINT32_MAX : d == UINT64_MAX;
    jc_load_into(j, h - 2, RAX);
    jc_claim(j, RDX);
    int rb = jc_reg(j, h - 1);
    if (!known) {
        x64_test_rr(&j->a, w, rb, rb);
        x64_jcc(&j->a, CC_E, jc_trap_label(j, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO));
    } else if (d == 0) {
        x64_jmp(&j->a, jc_trap_label(j, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO));
    }
    uint32_t done = x64_label(&j->a);
    if (is_signed && (!known || minus_one)) {
        /* x / -1 is -x, or overflows for the smallest x; x % -1 is 0 */
        uint32_t divide = x64_label(&j->a);
        x64_alu_ri(&j->a, w, ALU_CMP, rb, -1);
        x64_jcc(&j->a, CC_NE, divide);
        if (is_rem) {
            x64_zero(&j->a, RDX);
        } else {
            x64_group3(&j->a, w, G3_NEG, RAX);
            x64_jcc(&j->a, CC_O, jc_trap_label(j, WASMRT_TRAP_INTEGER_OVERFLOW));
        }
        x64_jmp(&j->a, done);
        x64_bind(&j->a, divide);
    }
    if (is_signed) {
        if (w) x64_u8(&j->a, 0x48);
        x64_u8(&j->a, 0x99); /* cdq / cqo */
        x64_group3(&j->a, w, G3_IDIV, rb);
    } else {
        x64_zero(&j->a, RDX);
        x64_group3(&j->a, w, G3_DIV, rb);
    }
    x64_bind(&j->a, done);
    jc_pop(j, 2);
    int result = is_rem ? RDX : RAX;
    jc_release(j, is_rem ? RAX : RDX);
    jc_push_reg(j, type, result);
}

void jc_binary(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out)
{
    (void)out;
    jc *j = s;
    jc_begin(j, 0);
    if (jc_is_xmm(in)) {
        jc_float_binary(j, op);
        return;
    }
    int wide = in == WASMRT_I64;
    if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x5a)) {
        jc_compare(j, (int)op - (wide ? 0x51 : 0x46), jc_w(in));
        return;
    }
    int base = (int)op - (wide ? 0x12 : 0); /* as the i32 opcode */
    switch (base) {
    case 0x6a:
        jc_alu(j, ALU_ADD, in);
        break;
    case 0x6b:
        jc_alu(j, ALU_SUB, in);
        break;
    case 0x6c:
        jc_alu(j, -1, in);
        break;
    case 0x71:
        jc_alu(j, ALU_AND, in);
        break;
    case 0x72:
        jc_alu(j, ALU_OR, in);
        break;
    case 0x73:
        jc_alu(j, ALU_XOR, in);
        break;
    case 0x74:
        jc_shift(j, SH_SHL, in);
        break;
    case 0x75:
        jc_shift(j, SH_SAR, in);
        break;
    case 0x76:
        jc_shift(j, SH_SHR, in);
        break;
    case 0x77:
        jc_shift(j, SH_ROL, in);
        break;
    case 0x78:
        jc_shift(j, SH_ROR, in);
        break;
    case 0x6d:
    case 0x6e:
    case 0x6f:
    case 0x70:
        jc_divide(j, base - 0x6d, in);
        break;
    default:
        jc_fail(j, "integer op");
        break;
    }
}

/* clz, ctz, popcnt (kind 0..2) */
static void jc_count(jc *j, int kind, int type)
{
    unsigned w = jc_w(type);
    int rs = jc_reg(j, j->height - 1);
    int rd = jc_alloc(j, 0, 0);
    unsigned bits = w ? 64 : 32;
    if (kind == 2) {
        if (!(j->features & JIT_CPU_POPCNT)) {
            jc_fail(j, "popcnt on a CPU without it");
            return;
        }
        x64_rr(&j->a, X64_F3 | w, OP2(0x0f, 0xb8), rd, rs);
    } else if (j->features & (kind == 0 ? JIT_CPU_LZCNT : JIT_CPU_BMI1)) {
        x64_rr(&j->a, X64_F3 | w, OP2(0x0f, kind == 0 ? 0xbd : 0xbc), rd, rs);
    } else if (kind == 0) {
        /* bits - 1 - bsr, and `bits` for zero: 2 * bits - 1 ^ (bits - 1) */
        x64_rr(&j->a, w, OP2(0x0f, 0xbd), rd, rs);
        x64_mov_ri(&j->a, JR_SCRATCH, 2 * bits - 1);
        x64_cmov_rr(&j->a, w, CC_E, rd, JR_SCRATCH);
        x64_alu_ri(&j->a, w, ALU_XOR, rd, (int32_t)bits - 1);
    } else {
        x64_rr(&j->a, w, OP2(0x0f, 0xbc), rd, rs);
        x64_mov_ri(&j->a, JR_SCRATCH, bits);
        x64_cmov_rr(&j->a, w, CC_E, rd, JR_SCRATCH);
    }
    jc_pop(j, 1);
    jc_push_reg(j, type, rd);
}

/* i32.eqz, i64.eqz, ref.is_null: the flags of a test */
static void jc_eqz(jc *j, unsigned w)
{
    uint32_t pos = j->height - 1;
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) {
        v->reg ^= 1;
        return;
    }
    if (v->kind == JV_CONST) {
        uint64_t bits = w ? v->bits : (uint32_t)v->bits;
        v->type = WASMRT_I32;
        v->bits = bits == 0;
        return;
    }
    jc_opnd o = jc_operand(j, pos, 0);
    if (o.kind == OPND_MEM)
        x64_alu_mi(&j->a, w, ALU_CMP, o.mem, 0);
    else
        x64_test_rr(&j->a, w, o.reg, o.reg);
    jc_pop(j, 1);
    jc_push(j, JV_FLAGS, WASMRT_I32, CC_E, 0, 0);
}

/* A value of its own in a register with the type changed, reading it as `as` (an
 * i32 read of an i64 is its low half). */
static int jc_retype_own(jc *j, int as)
{
    jv *v = &j->stack[j->height - 1];
    v->type = (uint8_t)as;
    return jc_own(j, j->height - 1);
}

void jc_unary(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out)
{
    jc *j = s;
    jc_begin(j, op == 0x45 || op == 0x50);
    if (jc_is_xmm(in) || jc_is_xmm(out) || op >= COMPILE_OP_FC) {
        jc_float_unary(j, op);
        return;
    }
    jv *v = &j->stack[j->height - 1];
    int r;
    switch (op) {
    case 0x45:
        jc_eqz(j, 0);
        break;
    case 0x50:
        jc_eqz(j, X64_W);
        break;
    case 0xd1:
        jc_eqz(j, X64_W);
        break;
    case 0x67:
    case 0x68:
    case 0x69:
        jc_count(j, (int)op - 0x67, WASMRT_I32);
        break;
    case 0x79:
    case 0x7a:
    case 0x7b:
        jc_count(j, (int)op - 0x79, WASMRT_I64);
        break;
    case 0xa7: /* i32.wrap_i64 */
        if (v->kind == JV_CONST) {
            v->bits = (uint32_t)v->bits;
            v->type = WASMRT_I32;
        } else if (v->kind == JV_REG) {
            x64_mov_rr(&j->a, 0, v->reg, v->reg);
            v->type = WASMRT_I32;
        } else {
            jc_retype_own(j, WASMRT_I32);
        }
        break;
    case 0xad: /* i64.extend_i32_u: an i32 in a register is zero-extended already */
        if (v->kind == JV_CONST || v->kind == JV_REG)
            v->type = WASMRT_I64;
        else
            jc_retype_own(j, WASMRT_I32), v->type = WASMRT_I64;
        break;
    case 0xac:
    case 0xc0:
    case 0xc1:
    case 0xc2:
    case 0xc3:
    case 0xc4: {
        /* sign extensions: from 32 bits (0xac, 0xc4), 8 or 16 (to i32, then to i64) */
        static const uint8_t from[5] = {1, 2, 1, 2, 4};
        unsigned size = op == 0xac ? 4 : from[op - 0xc0];
        unsigned w = op == 0xac || op >= 0xc2 ? X64_W : 0;
        int rs = jc_reg(j, j->height - 1);
        r = v->kind == JV_REG ? rs : jc_alloc(j, 0, 0);
        x64_extend_rr(&j->a, w, size, 1, r, rs);
        jc_pop(j, 1);
        jc_push_reg(j, out, r);
        break;
    }
    default:
        jc_fail(j, "integer conversion");
        break;
    }
}

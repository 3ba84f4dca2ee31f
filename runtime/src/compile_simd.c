/* compile_simd.c: the validator's 0xfd instructions (128-bit SIMD): the sub-opcode,
 * its immediates (memarg, lane index, 16 bytes) and operand types from simd.h's
 * table, then the backend's simd hook for reachable code. */
#include <string.h>

#include "compile.h"
#include "simd.h"

/* A lane index immediate, below lanes. */
static int simd_lane(compiler *c, uint32_t lanes, uint32_t *lane)
{
    uint8_t b;
    if (!reader_byte(&c->r, &b)) {
        c->failed = 1;
        return 0;
    }
    if (b >= lanes)
        return compile_fail(c, WASMRT_ERR_INVALID, "invalid lane index %u (the shape has %u lanes)",
                            b, lanes);
    *lane = b;
    return 1;
}

/* Pops operands of the given types, the last on top. */
static int simd_pop(compiler *c, const wasmrt_valtype *types, uint32_t n)
{
    wasmrt_valtype t;
    for (uint32_t i = n; i-- > 0;)
        if (!compile_pop(c, types[i], &t)) return 0;
    return 1;
}

int compile_op_simd(compiler *c, uint32_t op)
{
    (void)op;
    const wasmrt_valtype V = WASMRT_V128, I = WASMRT_I32;
    compile_simd_insn in;
    memset(&in, 0, sizeof in);
    if (!compile_index(c, &in.sub)) return 0;
    const simd_info info = in.sub < 256 ? simd_table[in.sub] : (simd_info){SIMD_NONE, 0};
    wasmrt_valtype types[3], out = V;
    uint32_t n = 0;
    const uint8_t *p;
    switch (info.sig) {
    case SIMD_LOAD:
    case SIMD_LOAD_LANE:
    case SIMD_STORE:
    case SIMD_STORE_LANE: {
        if (!compile_memarg(c, info.arg, &in.offset)) return 0;
        int lanes = info.sig == SIMD_LOAD_LANE || info.sig == SIMD_STORE_LANE;
        if (lanes && !simd_lane(c, 16u >> info.arg, &in.lane)) return 0;
        types[n++] = I;
        if (info.sig != SIMD_LOAD) types[n++] = V;
        if (info.sig == SIMD_STORE || info.sig == SIMD_STORE_LANE) out = TYPE_UNKNOWN;
        break;
    }
    case SIMD_CONST:
    case SIMD_SHUFFLE:
        if (!reader_bytes(&c->r, 16, &p)) {
            c->failed = 1;
            return 0;
        }
        memcpy(in.bytes, p, 16);
        if (info.sig == SIMD_SHUFFLE) {
            for (int i = 0; i < 16; i++)
                if (in.bytes[i] >= 32)
                    return compile_fail(c, WASMRT_ERR_INVALID,
                                        "invalid lane index %u (shuffle lanes are below 32)",
                                        in.bytes[i]);
            types[n++] = V;
            types[n++] = V;
        }
        break;
    case SIMD_V_V:
        types[n++] = V;
        break;
    case SIMD_VV_V:
        types[n++] = V;
        types[n++] = V;
        break;
    case SIMD_VVV_V:
        types[n++] = V;
        types[n++] = V;
        types[n++] = V;
        break;
    case SIMD_V_I32:
        types[n++] = V;
        out = I;
        break;
    case SIMD_VI_V:
        types[n++] = V;
        types[n++] = I;
        break;
    case SIMD_SPLAT:
        types[n++] = (wasmrt_valtype)simd_scalar_type(in.sub);
        break;
    case SIMD_EXTRACT:
        if (!simd_lane(c, info.arg, &in.lane)) return 0;
        types[n++] = V;
        out = (wasmrt_valtype)simd_scalar_type(in.sub);
        break;
    case SIMD_REPLACE:
        if (!simd_lane(c, info.arg, &in.lane)) return 0;
        types[n++] = V;
        types[n++] = (wasmrt_valtype)simd_scalar_type(in.sub);
        break;
    default:
        return compile_fail(c, WASMRT_ERR_MALFORMED, "illegal opcode 0xfd %u", in.sub);
    }
    if (!simd_pop(c, types, n)) return 0;
    if (compile_live(c)) c->be->simd(c->bs, &in);
    if (out != TYPE_UNKNOWN) compile_push(c, out);
    return 1;
}

/* decode_body.c: the structural pass over every function body (opcodes, their
 * immediates, block nesting, END placement) run for the whole module before any
 * type checking. It makes malformed-binary errors win over validation errors, as in
 * the spec's decode-then-validate order, even though compile.c validates and
 * translates in one pass. Also a walk over one body that shows each instruction to a
 * visitor (the compiler counts how its locals are used). */
#include "engine.h"
#include "load.h"
#include "reader.h"
#include "simd.h"

static int body_u32(reader *r)
{
    uint32_t v;
    return reader_u32(r, &v);
}

static int body_blocktype(reader *r)
{
    if (r->p >= r->end)
        return reader_eof(r);
    uint8_t b = *r->p;
    if (b == 0x40 || b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x70 ||
        b == 0x6f || b == 0x7b) {
        r->p++;
        return 1;
    }
    int64_t idx;
    return reader_sleb(r, 33, &idx);
}

static int body_prefixed(reader *r, const wasmrt_module *m)
{
    uint32_t sub;
    const uint8_t *b;
    if (!reader_u32(r, &sub))
        return 0;
    switch (sub) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        return 1;
    case 8: /* memory.init: segment, memory byte */
    case 9: /* data.drop */
        if (!m->has_data_count && m->datas)
            return reader_fail(r, WASMRT_ERR_MALFORMED, "data count section required");
        return body_u32(r) && (sub == 9 || reader_bytes(r, 1, &b));
    case 10:
        return reader_bytes(r, 2, &b);
    case 11:
        return reader_bytes(r, 1, &b);
    case 12: case 14:
        return body_u32(r) && body_u32(r);
    case 13: case 15: case 16: case 17:
        return body_u32(r);
    }
    return reader_fail(r, WASMRT_ERR_MALFORMED, "illegal opcode (0xfc prefix)");
}

/* A 0xfd instruction: the sub-opcode and its immediates (memarg, lane, 16 bytes). */
static int body_simd(reader *r)
{
    uint32_t sub;
    const uint8_t *b;
    if (!reader_u32(r, &sub))
        return 0;
    uint8_t sig = sub < 256 ? simd_table[sub].sig : SIMD_NONE;
    switch (sig) {
    case SIMD_LOAD: case SIMD_STORE:
        return body_u32(r) && body_u32(r);
    case SIMD_LOAD_LANE: case SIMD_STORE_LANE:
        return body_u32(r) && body_u32(r) && reader_bytes(r, 1, &b);
    case SIMD_CONST: case SIMD_SHUFFLE:
        return reader_bytes(r, 16, &b);
    case SIMD_EXTRACT: case SIMD_REPLACE:
        return reader_bytes(r, 1, &b);
    case SIMD_NONE:
        return reader_fail(r, WASMRT_ERR_MALFORMED, "illegal opcode (0xfd prefix)");
    default:
        return 1;
    }
}

static int body_scan(reader *r, const wasmrt_module *m, decode_visit_fn visit, void *ctx)
{
    uint32_t depth = 1;
    const uint8_t *b;
    int64_t s;
    while (depth > 0) {
        uint8_t op;
        if (!reader_byte(r, &op))
            return 0;
        int ok = 1;
        const uint8_t *imm = r->p;
        switch (op) {
        case 0x02: case 0x03: case 0x04:
            ok = body_blocktype(r);
            depth++;
            break;
        case 0x0b:
            depth--;
            break;
        case 0x00: case 0x01: case 0x05: case 0x0f: case 0x1a: case 0x1b: case 0xd1:
            break;
        case 0x0c: case 0x0d: case 0x10: case 0x20: case 0x21: case 0x22: case 0x23:
        case 0x24: case 0x25: case 0x26: case 0xd2:
            ok = body_u32(r);
            break;
        case 0x0e: {
            uint32_t n;
            ok = reader_u32(r, &n);
            for (uint64_t i = 0; ok && i <= n; i++)
                ok = body_u32(r);
            break;
        }
        case 0x11:
            ok = body_u32(r) && body_u32(r);
            break;
        case 0x1c: {
            uint32_t n;
            ok = reader_u32(r, &n);
            for (uint32_t i = 0; ok && i < n; i++)
                ok = reader_bytes(r, 1, &b);
            break;
        }
        case 0x3f: case 0x40:
            ok = reader_bytes(r, 1, &b);
            break;
        case 0x41: ok = reader_sleb(r, 32, &s); break;
        case 0x42: ok = reader_sleb(r, 64, &s); break;
        case 0x43: ok = reader_bytes(r, 4, &b); break;
        case 0x44: ok = reader_bytes(r, 8, &b); break;
        case 0xd0: ok = reader_bytes(r, 1, &b); break;
        case 0xfc: ok = body_prefixed(r, m); break;
        case 0xfd: ok = body_simd(r); break;
        default:
            if (op >= 0x28 && op <= 0x3e)
                ok = body_u32(r) && body_u32(r);
            else if (!(op >= 0x45 && op <= 0xc4)) {
                r->p--;
                return reader_fail(r, WASMRT_ERR_MALFORMED, "illegal opcode");
            }
        }
        if (!ok)
            return 0;
        if (visit) {
            /* the first index immediate, read again (the walk above checked it) */
            reader again = {m->bytes, imm, r->p, 0, NULL, WASMRT_OK};
            uint32_t index = 0;
            int64_t type;
            uint32_t count;
            const uint8_t *first;
            if ((op >= 0x0c && op <= 0x11) || (op >= 0x20 && op <= 0x26) || op == 0xd2)
                reader_u32(&again, &index);
            else if (op >= 0x02 && op <= 0x04 && reader_sleb(&again, 33, &type))
                index = (uint32_t)type;
            else if (op == 0x1c && reader_u32(&again, &count) && count &&
                     reader_bytes(&again, 1, &first))
                index = first[0];
            visit(ctx, op, index);
        }
    }
    return 1;
}

wasmrt_status decode_bodies(const wasmrt_module *m, wasmrt_error *error)
{
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++) {
        const func_entry *f = &m->funcs[i];
        /* as in the reference decoder, a body may read on to the end of the code
           section; its declared size is checked by compile.c */
        reader r = {m->bytes, m->bytes + f->body_offset, m->bytes + m->code_end, 0, error,
                    WASMRT_OK};
        if (!body_scan(&r, m, NULL, NULL)) {
            if (error)
                error->func_index = i;
            return r.status;
        }
    }
    return WASMRT_OK;
}

wasmrt_status decode_body_walk(const wasmrt_module *m, const func_entry *f, decode_visit_fn visit,
                               void *ctx)
{
    reader r = {m->bytes, m->bytes + f->body_offset, m->bytes + f->body_offset + f->body_size,
                0, NULL, WASMRT_OK};
    return body_scan(&r, m, visit, ctx) ? WASMRT_OK : WASMRT_ERR_MALFORMED;
}

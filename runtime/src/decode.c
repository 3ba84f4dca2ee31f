/* decode.c: the binary format -> struct wasmrt_module. Sections, their order and
 * sizes, types, imports, functions, tables, memories, globals, exports, start,
 * elements, data count, code (locals only: bodies are walked by compile.c), data,
 * custom sections (the name section's function names). Errors carry the byte offset
 * and the spec's phrase. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "load.h"
#include "reader.h"

#define MAX_LOCALS 50000u

static int decode_alloc(reader *r, void **out, size_t count, size_t size)
{
    *out = calloc(count ? count : 1, size);
    if (!*out)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    return 1;
}

/* A vector length; each element takes at least one byte, so larger is malformed. */
static int decode_count(reader *r, uint32_t *out)
{
    if (!reader_u32(r, out))
        return 0;
    if (*out > (size_t)(r->end - r->p)) /* each element takes at least a byte */
        return reader_eof(r);
    return 1;
}

static int decode_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

/* A name: length, UTF-8 bytes; returned NUL-terminated and malloc'ed. */
static int decode_name_len(reader *r, char **out, uint32_t *len);
static int decode_name(reader *r, char **out)
{
    uint32_t len;
    return decode_name_len(r, out, &len);
}

static int decode_name_len(reader *r, char **out, uint32_t *len)
{
    uint32_t n;
    const uint8_t *s;
    if (!reader_u32(r, &n))
        return 0;
    if (n > (size_t)(r->end - r->p))
        return reader_fail(r, WASMRT_ERR_MALFORMED,
                           r->at_file_end ? "unexpected end" : "length out of bounds");
    if (!reader_bytes(r, n, &s))
        return 0;
    if (!decode_utf8_valid(s, n))
        return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed UTF-8 encoding");
    *out = malloc((size_t)n + 1);
    if (!*out)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    memcpy(*out, s, n);
    (*out)[n] = 0;
    *len = n;
    return 1;
}

static int decode_valtype(reader *r, wasmrt_valtype *out)
{
    uint8_t b;
    if (!reader_byte(r, &b))
        return 0;
    switch (b) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
        *out = (wasmrt_valtype)b;
        return 1;
    default:
        r->p--;
        return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed value type");
    }
}

static int decode_reftype(reader *r, wasmrt_valtype *out)
{
    uint8_t b;
    if (!reader_byte(r, &b))
        return 0;
    if (b != 0x70 && b != 0x6f) {
        r->p--;
        return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed reference type");
    }
    *out = (wasmrt_valtype)b;
    return 1;
}

static int decode_limits(reader *r, limits *out, int is_memory)
{
    uint64_t flag;
    uint32_t v;
    (void)is_memory;
    out->at = reader_offset(r);
    if (!reader_uleb(r, 1, &flag)) /* a one-bit LEB: 0x02 is too large, 0x81 too long */
        return 0;
    if (!reader_u32(r, &v))
        return 0;
    out->min = v;
    out->has_max = flag;
    out->max = 0;
    if (flag) {
        if (!reader_u32(r, &v))
            return 0;
        out->max = v;
    }
    return 1;
}

static int decode_table_type(reader *r, table_type *out)
{
    return decode_reftype(r, &out->elem) && decode_limits(r, &out->lim, 0);
}

static int decode_global_type(reader *r, global_type *out)
{
    uint8_t m;
    if (!decode_valtype(r, &out->type) || !reader_byte(r, &m))
        return 0;
    if (m > 1) {
        r->p--;
        return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed mutability");
    }
    out->mutable_ = m;
    return 1;
}

/* An instruction that may not start a constant expression: a real one is
 * "constant expression required", an unassigned byte an illegal opcode. */
static int decode_nonconst(reader *r, uint8_t op)
{
    int known = op <= 0x05 || (op >= 0x0b && op <= 0x11) || (op >= 0x1a && op <= 0x1c) ||
                (op >= 0x20 && op <= 0x26) || (op >= 0x28 && op <= 0xc4) ||
                (op >= 0xd0 && op <= 0xd2) || op == 0xfc || op == 0xfd;
    return reader_fail(r, known ? WASMRT_ERR_INVALID : WASMRT_ERR_MALFORMED,
                       known ? "constant expression required" : "illegal opcode");
}

/* A constant expression: one instruction then `end`. Validity of the instruction
 * (kind and type) is checked by validate.c; here only its encoding. */
static int decode_const_expr(reader *r, const_expr *out)
{
    uint8_t op;
    memset(out, 0, sizeof *out);
    out->at = reader_offset(r);
    if (!reader_byte(r, &op))
        return 0;
    out->opcode = op;
    switch (op) {
    case 0x41: {
        int64_t v;
        if (!reader_sleb(r, 32, &v))
            return 0;
        out->bits = (uint32_t)v;
        out->type = WASMRT_I32;
        break;
    }
    case 0x42: {
        int64_t v;
        if (!reader_sleb(r, 64, &v))
            return 0;
        out->bits = (uint64_t)v;
        out->type = WASMRT_I64;
        break;
    }
    case 0x43: {
        uint32_t v;
        if (!reader_fixed32(r, &v))
            return 0;
        out->bits = v;
        out->type = WASMRT_F32;
        break;
    }
    case 0x44:
        if (!reader_fixed64(r, &out->bits))
            return 0;
        out->type = WASMRT_F64;
        break;
    case 0xd0:
        if (!decode_reftype(r, &out->type))
            return 0;
        break;
    case 0xd2:
        if (!reader_u32(r, &out->index))
            return 0;
        out->type = WASMRT_FUNCREF;
        break;
    case 0x23:
        if (!reader_u32(r, &out->index))
            return 0;
        break;
    case 0xfd: {
        uint32_t sub;
        if (!reader_u32(r, &sub))
            return 0;
        if (sub != 12) {
            r->p--;
            return reader_fail(r, sub < 256 ? WASMRT_ERR_INVALID : WASMRT_ERR_MALFORMED,
                               sub < 256 ? "constant expression required" : "illegal opcode");
        }
        if (!reader_fixed64(r, &out->bits) || !reader_fixed64(r, &out->bits_hi))
            return 0;
        out->type = WASMRT_V128;
        break;
    }
    case 0x0b:
        r->p--;
        return reader_fail(r, WASMRT_ERR_INVALID, "type mismatch: constant expression is empty");
    default:
        r->p--;
        return decode_nonconst(r, op);
    }
    if (!reader_byte(r, &op))
        return 0;
    if (op != 0x0b) {
        r->p--;
        /* more constants leave a stack of the wrong shape; any other instruction
           is not constant */
        for (;;) {
            int64_t skip;
            if (!reader_byte(r, &op))
                return 0;
            if (op == 0x0b)
                return reader_fail(r, WASMRT_ERR_INVALID,
                                   "type mismatch: constant expression leaves several values");
            if ((op == 0x41 && !reader_sleb(r, 32, &skip)) || (op == 0x42 && !reader_sleb(r, 64, &skip)) ||
                ((op == 0xd2 || op == 0x23) && !reader_sleb(r, 64, &skip)))
                return 0;
            const uint8_t *b;
            if ((op == 0x43 && !reader_bytes(r, 4, &b)) || (op == 0x44 && !reader_bytes(r, 8, &b)) ||
                (op == 0xd0 && !reader_bytes(r, 1, &b)))
                return 0;
            if (op < 0x41 ? op != 0x23 : (op > 0x44 && op != 0xd0 && op != 0xd2)) {
                r->p--;
                return decode_nonconst(r, op);
            }
        }
    }
    return 1;
}

static int decode_types(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n) || !decode_alloc(r, (void **)&m->types, n, sizeof *m->types))
        return 0;
    m->type_count = n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t form;
        uint32_t np, nr;
        wasmrt_valtype *vt;
        if (!reader_byte(r, &form))
            return 0;
        if (form != 0x60) {
            r->p--;
            return reader_fail(r, WASMRT_ERR_MALFORMED, "integer representation too long");
        }
        if (!decode_count(r, &np))
            return 0;
        if (!decode_alloc(r, (void **)&vt, np + 1, sizeof *vt))
            return 0;
        for (uint32_t k = 0; k < np; k++)
            if (!decode_valtype(r, &vt[k])) {
                free(vt);
                return 0;
            }
        if (!decode_count(r, &nr)) {
            free(vt);
            return 0;
        }
        wasmrt_valtype *all = realloc(vt, (np + nr + 1) * sizeof *vt);
        if (!all) {
            free(vt);
            return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
        }
        for (uint32_t k = 0; k < nr; k++)
            if (!decode_valtype(r, &all[np + k])) {
                free(all);
                return 0;
            }
        m->types[i] = engine_intern_type(m->engine, all, np, all + np, nr);
        free(all);
        if (!m->types[i])
            return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    }
    return 1;
}

static int decode_imports(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n) || !decode_alloc(r, (void **)&m->imports, n, sizeof *m->imports))
        return 0;
    m->import_count = n;
    /* globals/tables/memories imported are appended to their index spaces */
    for (uint32_t i = 0; i < n; i++) {
        import_desc *im = &m->imports[i];
        uint8_t kind;
        if (!decode_name(r, &im->module) || !decode_name(r, &im->name) || !reader_byte(r, &kind))
            return 0;
        im->kind = (wasmrt_extern_kind)kind;
        switch (kind) {
        case 0:
            im->at = reader_offset(r);
            if (!reader_u32(r, &im->index))
                return 0;
            m->imported_funcs++;
            break;
        case 1: {
            table_type t;
            if (!decode_table_type(r, &t))
                return 0;
            table_type *grown = realloc(m->tables, (m->table_count + 1) * sizeof *grown);
            if (!grown)
                return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
            m->tables = grown;
            im->index = m->table_count;
            m->tables[m->table_count++] = t;
            m->imported_tables++;
            break;
        }
        case 2: {
            limits l;
            if (!decode_limits(r, &l, 1))
                return 0;
            limits *grown = realloc(m->memories, (m->memory_count + 1) * sizeof *grown);
            if (!grown)
                return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
            m->memories = grown;
            im->index = m->memory_count;
            m->memories[m->memory_count++] = l;
            m->imported_memories++;
            break;
        }
        case 3: {
            global_type g;
            memset(&g, 0, sizeof g);
            if (!decode_global_type(r, &g))
                return 0;
            global_type *grown = realloc(m->globals, (m->global_count + 1) * sizeof *grown);
            if (!grown)
                return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
            m->globals = grown;
            im->index = m->global_count;
            m->globals[m->global_count++] = g;
            m->imported_globals++;
            break;
        }
        default:
            r->p--;
            return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed import kind");
        }
    }
    return 1;
}

static int decode_functions(reader *r, wasmrt_module *m, uint32_t *declared)
{
    uint32_t n;
    if (!decode_count(r, &n))
        return 0;
    *declared = n;
    func_entry *f = calloc((size_t)m->imported_funcs + n + 1, sizeof *f);
    if (!f)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    free(m->funcs);
    m->funcs = f;
    m->func_count = m->imported_funcs + n;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->import_count; i++)
        if (m->imports[i].kind == WASMRT_EXTERN_FUNC) {
            f[k].type_at = m->imports[i].at;
            f[k++].type_index = m->imports[i].index;
        }
    for (uint32_t i = 0; i < n; i++) {
        f[k].type_at = reader_offset(r);
        if (!reader_u32(r, &f[k++].type_index))
            return 0;
    }
    return 1;
}

static int decode_tables(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n))
        return 0;
    table_type *t = realloc(m->tables, ((size_t)m->table_count + n + 1) * sizeof *t);
    if (!t)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    m->tables = t;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_table_type(r, &m->tables[m->table_count++]))
            return 0;
    return 1;
}

static int decode_memories(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n))
        return 0;
    limits *l = realloc(m->memories, ((size_t)m->memory_count + n + 1) * sizeof *l);
    if (!l)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    m->memories = l;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_limits(r, &m->memories[m->memory_count++], 1))
            return 0;
    return 1;
}

static int decode_globals(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n))
        return 0;
    global_type *g = realloc(m->globals, ((size_t)m->global_count + n + 1) * sizeof *g);
    if (!g)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    m->globals = g;
    for (uint32_t i = 0; i < n; i++) {
        global_type *gt = &m->globals[m->global_count++];
        memset(gt, 0, sizeof *gt);
        if (!decode_global_type(r, gt) || !decode_const_expr(r, &gt->init))
            return 0;
    }
    return 1;
}

static int decode_exports(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n) || !decode_alloc(r, (void **)&m->exports, n, sizeof *m->exports))
        return 0;
    m->export_count = n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t kind;
        if (!decode_name_len(r, &m->exports[i].name, &m->exports[i].name_len) ||
            !reader_byte(r, &kind))
            return 0;
        if (kind > 3) {
            r->p--;
            return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed export kind");
        }
        m->exports[i].kind = (wasmrt_extern_kind)kind;
        m->exports[i].at = reader_offset(r);
        if (!reader_u32(r, &m->exports[i].index))
            return 0;
    }
    return 1;
}

static int decode_elem_items(reader *r, elem_segment *s, int exprs)
{
    if (!decode_count(r, &s->count) || !decode_alloc(r, (void **)&s->items, s->count, sizeof *s->items))
        return 0;
    for (uint32_t i = 0; i < s->count; i++) {
        if (exprs) {
            if (!decode_const_expr(r, &s->items[i]))
                return 0;
        } else {
            s->items[i].opcode = 0xd2;
            s->items[i].type = WASMRT_FUNCREF;
            if (!reader_u32(r, &s->items[i].index))
                return 0;
        }
    }
    return 1;
}

static int decode_elems(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n) || !decode_alloc(r, (void **)&m->elems, n, sizeof *m->elems))
        return 0;
    m->elem_count = n;
    for (uint32_t i = 0; i < n; i++) {
        elem_segment *s = &m->elems[i];
        uint32_t flags;
        s->at = reader_offset(r);
        if (!reader_u32(r, &flags))
            return 0;
        if (flags > 7)
            return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed elements segment kind");
        s->type = WASMRT_FUNCREF;
        s->mode = (flags & 1) ? ((flags & 2) ? SEGMENT_DECLARATIVE : SEGMENT_PASSIVE) : SEGMENT_ACTIVE;
        if (!(flags & 1)) {
            if ((flags & 2) && !reader_u32(r, &s->table))
                return 0;
            if (!decode_const_expr(r, &s->offset))
                return 0;
        }
        int exprs = (flags & 4) != 0;
        if (flags & 3) {
            /* explicit element kind (0x00 = funcref) or reference type */
            if (exprs) {
                if (!decode_reftype(r, &s->type))
                    return 0;
            } else {
                uint8_t kind;
                if (!reader_byte(r, &kind))
                    return 0;
                if (kind != 0) {
                    r->p--;
                    return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed element kind");
                }
            }
        }
        if (!decode_elem_items(r, s, exprs))
            return 0;
    }
    return 1;
}

static int decode_code(reader *r, wasmrt_module *m, uint32_t declared)
{
    uint32_t n;
    if (!reader_u32(r, &n))
        return 0;
    if (n != declared)
        return reader_fail(r, WASMRT_ERR_MALFORMED,
                           "function and code section have inconsistent lengths");
    for (uint32_t i = 0; i < n; i++) {
        func_entry *f = &m->funcs[m->imported_funcs + i];
        uint32_t size, runs;
        if (!reader_u32(r, &size))
            return 0;
        if (size > (size_t)(r->end - r->p))
            return reader_fail(r, WASMRT_ERR_MALFORMED,
                               r->at_file_end ? "unexpected end" : "unexpected end of section or function");
        reader body = *r;
        body.end = r->p + size;
        body.at_file_end = 0;
        if (body.end > r->end) /* the section reader runs to the file end */
            body.end = r->end;
        if (!reader_u32(&body, &runs) ||
            (runs > size && !reader_fail(&body, WASMRT_ERR_MALFORMED, "too many locals"))) {
            r->status = body.status; /* the error is filled in already */
            return 0;
        }
        f->local_run_counts = calloc(runs + 1, sizeof *f->local_run_counts);
        f->local_run_types = calloc(runs + 1, sizeof *f->local_run_types);
        if (!f->local_run_counts || !f->local_run_types)
            return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
        f->local_run_count = runs;
        uint64_t total = 0;
        for (uint32_t k = 0; k < runs; k++) {
            if (!reader_u32(&body, &f->local_run_counts[k]) ||
                !decode_valtype(&body, &f->local_run_types[k])) {
                r->status = body.status;
                return 0;
            }
            total += f->local_run_counts[k];
            if (total > MAX_LOCALS) {
                reader_fail(&body, WASMRT_ERR_MALFORMED, "too many locals");
                r->status = body.status;
                return 0;
            }
        }
        f->local_count = (uint32_t)total;
        f->body_offset = (size_t)(body.p - r->base);
        f->body_size = (size_t)(body.end - body.p);
        r->p = body.end;
    }
    return 1;
}

static int decode_datas(reader *r, wasmrt_module *m)
{
    uint32_t n;
    if (!decode_count(r, &n))
        return 0;
    if (m->has_data_count && n != m->data_count)
        return reader_fail(r, WASMRT_ERR_MALFORMED,
                           "data count and data section have inconsistent lengths");
    if (!decode_alloc(r, (void **)&m->datas, n, sizeof *m->datas))
        return 0;
    m->data_count = n;
    for (uint32_t i = 0; i < n; i++) {
        data_segment *d = &m->datas[i];
        uint32_t flags;
        d->at = reader_offset(r);
        if (!reader_u32(r, &flags))
            return 0;
        if (flags > 2)
            return reader_fail(r, WASMRT_ERR_MALFORMED, "malformed data segment kind");
        d->mode = flags == 1 ? SEGMENT_PASSIVE : SEGMENT_ACTIVE;
        if (flags == 2 && !reader_u32(r, &d->memory))
            return 0;
        if (flags != 1 && !decode_const_expr(r, &d->offset))
            return 0;
        if (!decode_count(r, &d->size) || !reader_bytes(r, d->size, &d->bytes))
            return 0;
    }
    return 1;
}

/* The name section is advisory: a malformed one is ignored, as the spec allows. */
static void decode_name_section(reader *r, wasmrt_module *m)
{
    wasmrt_error scratch;
    reader s = *r;
    s.error = &scratch;
    s.status = WASMRT_OK;
    while (s.p < s.end && s.status == WASMRT_OK) {
        uint8_t id;
        uint32_t size;
        if (!reader_byte(&s, &id) || !reader_u32(&s, &size) || size > (size_t)(s.end - s.p))
            return;
        const uint8_t *next = s.p + size;
        if (id == 1 && m->func_count && !m->func_names) {
            uint32_t n;
            m->func_names = calloc(m->func_count, sizeof *m->func_names);
            if (!m->func_names || !reader_u32(&s, &n))
                return;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t idx;
                char *name;
                if (!reader_u32(&s, &idx) || !decode_name(&s, &name))
                    return;
                if (idx < m->func_count && !m->func_names[idx])
                    m->func_names[idx] = name;
                else
                    free(name);
            }
        }
        s.p = next;
    }
}

static int decode_section_record(reader *r, wasmrt_module *m, const char *name, size_t offset,
                                 size_t size)
{
    section_info *s = realloc(m->sections, (m->section_count + 1) * sizeof *s);
    if (!s)
        return reader_fail(r, WASMRT_ERR_RESOURCE, "out of memory");
    m->sections = s;
    snprintf(s[m->section_count].name, sizeof s->name, "%s", name);
    s[m->section_count].offset = offset;
    s[m->section_count].size = size;
    m->section_count++;
    return 1;
}

/* Position of each section id in the required order (custom sections excepted). */
static const int decode_section_rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
static const char *const decode_section_names[13] = {
    "custom", "type", "import", "function", "table", "memory", "global",
    "export", "start", "element", "code", "data", "datacount"};

static int decode_section(reader *r, wasmrt_module *m, uint8_t id, uint32_t *declared)
{
    switch (id) {
    case 1: return decode_types(r, m);
    case 2: return decode_imports(r, m);
    case 3: return decode_functions(r, m, declared);
    case 4: return decode_tables(r, m);
    case 5: return decode_memories(r, m);
    case 6: return decode_globals(r, m);
    case 7: return decode_exports(r, m);
    case 8: m->has_start = 1; m->start_at = reader_offset(r); return reader_u32(r, &m->start);
    case 9: return decode_elems(r, m);
    case 10: return decode_code(r, m, *declared);
    case 11: return decode_datas(r, m);
    case 12: m->has_data_count = 1; return reader_u32(r, &m->data_count);
    }
    return 0;
}

wasmrt_status decode_module(wasmrt_module *m, wasmrt_error *error)
{
    reader r = {m->bytes, m->bytes, m->bytes + m->size, 1, error, WASMRT_OK};
    const uint8_t *version;
    if (m->size < 4)
        return error_set(error, WASMRT_ERR_MALFORMED, m->size, "unexpected end: no magic header");
    if (memcmp(m->bytes, "\0asm", 4) != 0)
        return error_set(error, WASMRT_ERR_MALFORMED, 0, "magic header not detected");
    r.p += 4;
    if (m->size < 8)
        return error_set(error, WASMRT_ERR_MALFORMED, m->size, "unexpected end: no binary version");
    if (!reader_bytes(&r, 4, &version))
        return error_set(error, WASMRT_ERR_MALFORMED, 4, "unknown binary version");
    if (memcmp(version, "\1\0\0\0", 4) != 0)
        return error_set(error, WASMRT_ERR_MALFORMED, 4, "unknown binary version");
    int last_rank = 0, saw_code = 0, saw_func = 0;
    uint32_t declared = 0;
    if (!decode_alloc(&r, (void **)&m->funcs, 1, sizeof *m->funcs))
        return r.status;
    while (r.p < r.end) {
        size_t start = reader_offset(&r);
        uint8_t id;
        uint32_t size;
        reader_byte(&r, &id);
        if (id > 12) {
            r.p--;
            reader_fail(&r, WASMRT_ERR_MALFORMED, "malformed section id");
            return r.status;
        }
        if (!reader_u32(&r, &size))
            return r.status;
        if (size > (size_t)(r.end - r.p)) {
            reader_fail(&r, WASMRT_ERR_MALFORMED, "length out of bounds");
            return r.status;
        }
        /* like the reference decoder, a section's contents are read up to the end
           of the file and its size is checked afterwards: that decides which error a
           truncated or overlong section reports */
        reader s = r;
        const uint8_t *section_end = r.p + size;
        s.at_file_end = 0;
        const char *name = decode_section_names[id];
        char custom_name[48];
        if (id == 0) {
            char *cname;
            s.end = section_end;
            if (!decode_name(&s, &cname))
                return s.status;
            snprintf(custom_name, sizeof custom_name, "custom:%s", cname);
            name = custom_name;
            m->custom_count++;
            if (strcmp(cname, "name") == 0)
                decode_name_section(&s, m);
            free(cname);
            s.p = s.end;
        } else {
            int rank = decode_section_rank[id];
            if (rank <= last_rank) {
                r.p--;
                reader_fail(&r, WASMRT_ERR_MALFORMED, "unexpected content after last section");
                return r.status;
            }
            last_rank = rank;
            if (id == 10) {
                saw_code = 1;
                m->code_size = size;
                m->code_end = (size_t)(section_end - m->bytes);
            }
            if (id == 3)
                saw_func = 1;
            if (id == 10 && !saw_func) {
                /* no function section: the code section must be empty */
                func_entry *f = calloc((size_t)m->imported_funcs + 1, sizeof *f);
                if (!f)
                    return error_set(error, WASMRT_ERR_RESOURCE, start, "out of memory");
                free(m->funcs);
                m->funcs = f;
                m->func_count = m->imported_funcs;
                saw_func = 1;
            }
            if (!decode_section(&s, m, id, &declared))
                return s.status;
            if (s.p != section_end) {
                reader_fail(&s, WASMRT_ERR_MALFORMED, "section size mismatch");
                return s.status;
            }
        }
        if (!decode_section_record(&r, m, name, start, (size_t)(section_end - m->bytes) - start))
            return r.status;
        r.p = section_end;
    }
    if (!saw_func) {
        /* import-only or empty module: build the function space from the imports */
        uint32_t none = 0;
        reader t = r;
        static const uint8_t zero = 0;
        t.p = &zero;
        t.end = &zero + 1;
        t.at_file_end = 0;
        if (!decode_functions(&t, m, &none))
            return t.status;
        declared = 0;
    }
    if (!saw_code && declared != 0)
        return error_set(error, WASMRT_ERR_MALFORMED, m->size,
                         "function and code section have inconsistent lengths");
    if (m->has_data_count && m->data_count && !m->datas)
        return error_set(error, WASMRT_ERR_MALFORMED, m->size,
                         "data count and data section have inconsistent lengths");
    return WASMRT_OK;
}

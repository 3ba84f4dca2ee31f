/* validate.c: module-level validation (index spaces, limits, constant expressions,
 * exports, start, segments) and the per-function type check, which compile.c runs
 * in validate-only mode. Every failure is WASMRT_ERR_INVALID with the spec's phrase
 * and the byte offset of the offending item. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "engine.h"
#include "load.h"
#include "module.h"

#define validate_fail(error, at, ...) error_set(error, WASMRT_ERR_INVALID, at, __VA_ARGS__)

static wasmrt_status validate_const(const wasmrt_module *m, const const_expr *e,
                                    wasmrt_valtype expect, wasmrt_error *error)
{
    wasmrt_valtype t = e->type;
    if (e->opcode == 0x23) {
        if (e->index >= m->global_count || e->index >= m->imported_globals)
            return validate_fail(error, e->at, "unknown global %u (constant expressions may "
                                 "read imported globals only)", e->index);
        if (m->globals[e->index].mutable_)
            return validate_fail(error, e->at, "constant expression required: global %u is "
                                 "mutable", e->index);
        t = m->globals[e->index].type;
    } else if (e->opcode == 0xd2 && e->index >= m->func_count) {
        return validate_fail(error, e->at, "unknown function %u", e->index);
    }
    if (t != expect)
        return validate_fail(error, e->at, "type mismatch: constant expression of type 0x%02x "
                             "where 0x%02x is expected", (unsigned)t, (unsigned)expect);
    return WASMRT_OK;
}

static wasmrt_status validate_limits(const limits *l, int is_memory, wasmrt_error *error)
{
    if (is_memory && (l->min > WASM_MAX_PAGES || (l->has_max && l->max > WASM_MAX_PAGES)))
        return validate_fail(error, l->at, "memory size must be at most 65536 pages (4GiB)");
    if (l->has_max && l->min > l->max)
        return validate_fail(error, l->at, "size minimum must not be greater than maximum "
                             "(%llu > %llu)", (unsigned long long)l->min,
                             (unsigned long long)l->max);
    return WASMRT_OK;
}

static wasmrt_status validate_exports(const wasmrt_module *m, wasmrt_error *error)
{
    static const char *const kinds[4] = {"function", "table", "memory", "global"};
    const uint32_t counts[4] = {m->func_count, m->table_count, m->memory_count, m->global_count};
    for (uint32_t i = 0; i < m->export_count; i++) {
        const export_desc *e = &m->exports[i];
        if (e->index >= counts[e->kind])
            return validate_fail(error, e->at, "unknown %s %u", kinds[e->kind], e->index);
        for (uint32_t k = 0; k < i; k++)
            if (m->exports[k].name_len == e->name_len &&
                memcmp(m->exports[k].name, e->name, e->name_len) == 0)
                return validate_fail(error, e->at, "duplicate export name \"%s\"", e->name);
    }
    return WASMRT_OK;
}

static wasmrt_status validate_segments(wasmrt_module *m, wasmrt_error *error)
{
    wasmrt_status s;
    for (uint32_t i = 0; i < m->elem_count; i++) {
        const elem_segment *e = &m->elems[i];
        if (e->mode == SEGMENT_ACTIVE) {
            if (e->table >= m->table_count)
                return validate_fail(error, e->at, "unknown table %u", e->table);
            if (m->tables[e->table].elem != e->type)
                return validate_fail(error, e->at, "type mismatch: element segment %u and "
                                     "table %u hold different types", i, e->table);
            if ((s = validate_const(m, &e->offset, WASMRT_I32, error)) != WASMRT_OK)
                return s;
        }
        for (uint32_t k = 0; k < e->count; k++) {
            if ((s = validate_const(m, &e->items[k], e->type, error)) != WASMRT_OK)
                return s;
            if (e->items[k].opcode == 0xd2)
                m->declared_funcs[e->items[k].index] = 1;
        }
    }
    for (uint32_t i = 0; i < m->data_count && m->datas; i++) {
        const data_segment *d = &m->datas[i];
        if (d->mode != SEGMENT_ACTIVE)
            continue;
        if (d->memory >= m->memory_count)
            return validate_fail(error, d->at, "unknown memory %u", d->memory);
        if ((s = validate_const(m, &d->offset, WASMRT_I32, error)) != WASMRT_OK)
            return s;
    }
    return WASMRT_OK;
}

wasmrt_status validate_module(wasmrt_module *m, int check_bodies, wasmrt_error *error)
{
    wasmrt_status s;
    m->declared_funcs = calloc((size_t)m->func_count + 1, 1);
    if (!m->declared_funcs)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < m->func_count; i++) {
        func_entry *f = &m->funcs[i];
        if (f->type_index >= m->type_count)
            return validate_fail(error, f->type_at, "unknown type %u", f->type_index);
        f->type = m->types[f->type_index];
        f->index = i;
        f->module = m;
    }
    for (uint32_t i = 0; i < m->table_count; i++)
        if ((s = validate_limits(&m->tables[i].lim, 0, error)) != WASMRT_OK)
            return s;
    if (m->memory_count > 1)
        return validate_fail(error, m->memories[1].at, "multiple memories (%u)", m->memory_count);
    for (uint32_t i = 0; i < m->memory_count; i++)
        if ((s = validate_limits(&m->memories[i], 1, error)) != WASMRT_OK)
            return s;
    for (uint32_t i = m->imported_globals; i < m->global_count; i++) {
        const global_type *g = &m->globals[i];
        if ((s = validate_const(m, &g->init, g->type, error)) != WASMRT_OK)
            return s;
        if (g->init.opcode == 0xd2)
            m->declared_funcs[g->init.index] = 1;
    }
    if ((s = validate_exports(m, error)) != WASMRT_OK)
        return s;
    for (uint32_t i = 0; i < m->export_count; i++)
        if (m->exports[i].kind == WASMRT_EXTERN_FUNC)
            m->declared_funcs[m->exports[i].index] = 1;
    if (m->has_start) {
        if (m->start >= m->func_count)
            return validate_fail(error, m->start_at, "unknown function %u", m->start);
        const functype *t = m->funcs[m->start].type;
        if (t->param_count || t->result_count)
            return validate_fail(error, m->start_at,
                                 "start function %u must take and return nothing", m->start);
    }
    if ((s = validate_segments(m, error)) != WASMRT_OK)
        return s;
    for (uint32_t i = m->imported_funcs; check_bodies && i < m->func_count; i++)
        if ((s = compile_pass(m, &m->funcs[i], NULL, NULL, error)) != WASMRT_OK)
            return s;
    return WASMRT_OK;
}

/* instance.c: instantiation (import resolution through the linker, one allocation
 * for the instance's functions, tables and globals, memory with the module's
 * copy-on-write image, element and data segments, the start function), exports,
 * and the per-instance accessors. Nothing immutable is copied per instance. The
 * instance's bounds mode is chosen here, per instance under WASMRT_BOUNDS_DEFAULT: a
 * guard memory runs the module's code, an explicit one its checked twin's. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "exec.h"
#include "instance.h"
#include "jit.h"
#include "load.h"
#include "memory.h"

/* linker.c */
const wasmrt_extern *linker_lookup(const wasmrt_linker *linker, const char *module,
                                   const char *name);

int64_t table_grow(wasmrt_table *table, uint32_t delta, void *init)
{
    uint32_t old = table->size;
    uint64_t want = (uint64_t)old + delta;
    uint64_t max = table->has_max ? table->max : UINT32_MAX;
    if (want > max || want > (1u << 24))
        return -1;
    if (delta) {
        void **items = realloc(table->items, (size_t)(want ? want : 1) * sizeof *items);
        if (!items)
            return -1;
        for (uint64_t i = old; i < want; i++)
            items[i] = init;
        table->items = items;
        table->size = (uint32_t)want;
    }
    return old;
}

int const_eval(const wasmrt_instance *inst, const const_expr *e, uint64_t *out)
{
    switch (e->opcode) {
    case 0x23: *out = inst->globals[e->index]->value; break;
    case 0xd2: *out = (uint64_t)(uintptr_t)inst->funcs[e->index]; break;
    case 0xd0: *out = 0; break;
    default: *out = e->bits; break;
    }
    return 1;
}

void *instance_elem_item(const wasmrt_instance *inst, uint32_t seg, uint32_t k)
{
    uint64_t v;
    const_eval(inst, &inst->module->elems[seg].items[k], &v);
    return (void *)(uintptr_t)v;
}

static wasmrt_status instance_link_error(wasmrt_error *error, const import_desc *im,
                                         const char *what)
{
    return error_set(error, WASMRT_ERR_LINK, WASMRT_NO_OFFSET, "%s: import \"%s\" \"%s\"", what,
                     im->module, im->name);
}

static int instance_limits_match(uint64_t size, int has_max, uint64_t max, const limits *want)
{
    if (size < want->min)
        return 0;
    if (want->has_max && (!has_max || max > want->max))
        return 0;
    return 1;
}

static wasmrt_status instance_resolve(wasmrt_instance *inst, const wasmrt_linker *linker,
                                      wasmrt_error *error)
{
    const wasmrt_module *m = inst->module;
    uint32_t nf = 0;
    for (uint32_t i = 0; i < m->import_count; i++) {
        const import_desc *im = &m->imports[i];
        const wasmrt_extern *ext = linker ? linker_lookup(linker, im->module, im->name) : NULL;
        if (!ext)
            return instance_link_error(error, im, "unknown import");
        if (ext->kind != im->kind)
            return instance_link_error(error, im, "incompatible import type (wrong kind)");
        switch (im->kind) {
        case WASMRT_EXTERN_FUNC:
            if (ext->of.func->type != m->types[im->index])
                return instance_link_error(error, im, "incompatible import type (function signature)");
            inst->funcs[nf++] = ext->of.func;
            break;
        case WASMRT_EXTERN_TABLE: {
            const table_type *want = &m->tables[im->index];
            wasmrt_table *t = ext->of.table;
            if (t->elem != want->elem ||
                !instance_limits_match(t->size, t->has_max, t->max, &want->lim))
                return instance_link_error(error, im, "incompatible import type (table)");
            inst->tables[im->index] = t;
            break;
        }
        case WASMRT_EXTERN_MEMORY: {
            wasmrt_memory *mem = ext->of.memory;
            if (!instance_limits_match(mem->pages, mem->has_max, mem->max_pages,
                                       &m->memories[im->index]))
                return instance_link_error(error, im, "incompatible import type (memory limits)");
            /* explicit code runs on either memory (instance_code_for picks it); guard
               code, all an explicit engine has, needs a guard memory */
            if (mem->guard && m->engine->config.bounds == WASMRT_BOUNDS_EXPLICIT)
                return instance_link_error(error, im, "incompatible import type (memory bounds mode)");
            inst->memory = mem;
            break;
        }
        case WASMRT_EXTERN_GLOBAL: {
            const global_type *want = &m->globals[im->index];
            wasmrt_global *g = ext->of.global;
            if (g->type != want->type || g->mutable_ != want->mutable_)
                return instance_link_error(error, im, "incompatible import type (global)");
            inst->globals[im->index] = g;
            break;
        }
        }
    }
    return WASMRT_OK;
}

/* The module's initial memory as a memfd, built once, when every active data
 * segment has a constant offset inside the initial pages of its own memory. Built
 * for the second instance: the first copies its segments, since the image costs a
 * memfd, a write and shared-memory page faults that only later instances repay
 * (a one-instance `wasmrt run` would pay them all). */
static int instance_image(wasmrt_module *m)
{
    pthread_mutex_lock(&m->lock);
    if (m->image_state == 0 && !m->image_deferred) {
        m->image_deferred = 1;
    } else if (m->image_state == 0) {
        m->image_state = -1;
        size_t end = 0;
        int ok = m->memory_count == 1 && m->imported_memories == 0 && !m->bounds_checked;
        for (uint32_t i = 0; ok && i < m->data_count; i++) {
            const data_segment *d = &m->datas[i];
            if (d->mode != SEGMENT_ACTIVE)
                continue;
            if (d->offset.opcode != 0x41 ||
                (uint64_t)(uint32_t)d->offset.bits + d->size > m->memories[0].min * WASM_PAGE)
                ok = 0;
            else if ((uint32_t)d->offset.bits + (size_t)d->size > end)
                end = (uint32_t)d->offset.bits + (size_t)d->size;
        }
        end = (end + 4095) & ~(size_t)4095;
        uint8_t *buf = ok && end ? calloc(1, end) : NULL;
        if (buf) {
            for (uint32_t i = 0; i < m->data_count; i++) {
                const data_segment *d = &m->datas[i];
                if (d->mode == SEGMENT_ACTIVE)
                    memcpy(buf + (uint32_t)d->offset.bits, d->bytes, d->size);
            }
            m->image_fd = memory_build_image(buf, end);
            if (m->image_fd >= 0) {
                m->image_size = end;
                m->image_state = 1;
            }
            free(buf);
        }
    }
    int ok = m->image_state == 1;
    pthread_mutex_unlock(&m->lock);
    return ok;
}

static wasmrt_status instance_segments(wasmrt_instance *inst, int image_mapped,
                                       wasmrt_error *error)
{
    const wasmrt_module *m = inst->module;
    for (uint32_t i = 0; i < m->elem_count; i++) {
        const elem_segment *e = &m->elems[i];
        if (e->mode == SEGMENT_ACTIVE) {
            uint64_t off;
            const_eval(inst, &e->offset, &off);
            wasmrt_table *t = inst->tables[e->table];
            if ((uint64_t)(uint32_t)off + e->count > t->size)
                return error_trap(error, WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, NULL);
            for (uint32_t k = 0; k < e->count; k++)
                t->items[(uint32_t)off + k] = instance_elem_item(inst, i, k);
        }
        if (e->mode != SEGMENT_PASSIVE)
            inst->elem_dropped[i] = 1;
    }
    for (uint32_t i = 0; i < m->data_count; i++) {
        const data_segment *d = &m->datas[i];
        if (d->mode != SEGMENT_ACTIVE)
            continue;
        inst->data_dropped[i] = 1;
        if (image_mapped)
            continue;
        uint64_t off;
        const_eval(inst, &d->offset, &off);
        if ((uint64_t)(uint32_t)off + d->size > inst->memory->size)
            return error_trap(error, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, NULL);
        memcpy(inst->memory->base + (uint32_t)off, d->bytes, d->size);
    }
    return WASMRT_OK;
}

/* Creates the instance's own memory 0 in the bounds mode the engine asks for. Under
 * WASMRT_BOUNDS_DEFAULT a guard reservation while the process holds fewer than the
 * engine's limit (and while the address space has room), else an explicit memory. */
static wasmrt_status instance_memory(wasmrt_instance *inst, wasmrt_error *error)
{
    const wasmrt_module *m = inst->module;
    const limits *l = &m->memories[0];
    const wasmrt_config *cfg = &m->engine->config;
    uint32_t cap = cfg->max_memory_pages ? cfg->max_memory_pages : WASM_MAX_PAGES;
    uint32_t max = l->has_max && l->max < cap ? (uint32_t)l->max : cap;
    if (l->min > max)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                         "memory of %llu pages exceeds the limit of %u pages",
                         (unsigned long long)l->min, max);
    uint32_t limit =
        cfg->guard_memory_limit ? cfg->guard_memory_limit : WASMRT_DEFAULT_GUARD_MEMORY_LIMIT;
    int guard = cfg->bounds == WASMRT_BOUNDS_GUARD ||
                (cfg->bounds == WASMRT_BOUNDS_DEFAULT && memory_guard_reservations() < limit);
    wasmrt_status s =
        memory_init(&inst->own_memory, (uint32_t)l->min, max, l->has_max, guard, error);
    if (s == WASMRT_ERR_RESOURCE && guard && cfg->bounds == WASMRT_BOUNDS_DEFAULT)
        s = memory_init(&inst->own_memory, (uint32_t)l->min, max, l->has_max, 0, error);
    return s;
}

/* The module whose code fits the instance's memory: a guard memory runs the module's
 * guard code, an explicit one (or none) code with checks, the module's checked twin in a
 * guard-mode engine. */
static wasmrt_module *instance_code_for(wasmrt_module *m, const wasmrt_memory *mem,
                                        wasmrt_error *error)
{
    if (!m->memory_count || mem->guard || m->bounds_checked) return m;
    return module_checked_twin(m, error);
}

wasmrt_status wasmrt_instance_new(wasmrt_linker *linker, const wasmrt_module *module,
                                  wasmrt_instance **out, wasmrt_error *error)
{
    wasmrt_module *m = (wasmrt_module *)module;
    uint32_t nf = m->func_count, nt = m->table_count, ng = m->global_count;
    uint32_t own_f = nf - m->imported_funcs, own_t = nt - m->imported_tables,
             own_g = ng - m->imported_globals;
    /* compiled code's table first, at a fixed offset from the instance (layout.h) */
    int compiled = m->engine->config.mode == WASMRT_MODE_JIT;
    size_t table = compiled ? jit_instance_table_bytes(m) : 0;
    size_t size = sizeof(wasmrt_instance) + table + nf * sizeof(wasmrt_func *) +
                  own_f * sizeof(wasmrt_func) + nt * sizeof(wasmrt_table *) +
                  own_t * sizeof(wasmrt_table) + ng * sizeof(wasmrt_global *) +
                  own_g * sizeof(wasmrt_global) + m->elem_count + m->data_count + 16;
    wasmrt_instance *inst = calloc(1, size);
    if (!inst)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    char *p = (char *)(inst + 1) + table;
    inst->funcs = (wasmrt_func **)p;
    p += nf * sizeof(wasmrt_func *);
    wasmrt_func *funcs = (wasmrt_func *)p;
    p += own_f * sizeof(wasmrt_func);
    inst->tables = (wasmrt_table **)p;
    p += nt * sizeof(wasmrt_table *);
    wasmrt_table *tables = (wasmrt_table *)p;
    p += own_t * sizeof(wasmrt_table);
    inst->globals = (wasmrt_global **)p;
    p += ng * sizeof(wasmrt_global *);
    wasmrt_global *globals = (wasmrt_global *)p;
    p += own_g * sizeof(wasmrt_global);
    inst->elem_dropped = (uint8_t *)p;
    inst->data_dropped = (uint8_t *)p + m->elem_count;
    inst->module = m;
    inst->engine = m->engine;
    inst->memory = &inst->own_memory;
    inst->own_tables_first = m->imported_tables;
    inst->own_tables_end = m->table_count;

    wasmrt_status s = instance_resolve(inst, linker, error);
    if (s == WASMRT_OK && m->memory_count && !m->imported_memories)
        s = instance_memory(inst, error);
    if (s == WASMRT_OK) {
        /* the twin decodes the same bytes: every index and count below holds for it */
        wasmrt_module *code = instance_code_for(m, inst->memory, error);
        if (code)
            inst->module = m = code;
        else
            s = error ? error->status : WASMRT_ERR_RESOURCE;
    }
    for (uint32_t i = 0; s == WASMRT_OK && i < own_f; i++) {
        funcs[i].type = m->funcs[m->imported_funcs + i].type;
        funcs[i].inst = inst;
        funcs[i].entry = &m->funcs[m->imported_funcs + i];
        inst->funcs[m->imported_funcs + i] = &funcs[i];
    }
    for (uint32_t i = 0; s == WASMRT_OK && i < own_t; i++) {
        const table_type *tt = &m->tables[m->imported_tables + i];
        wasmrt_table *t = &tables[i];
        t->elem = tt->elem;
        t->has_max = tt->lim.has_max;
        t->max = (uint32_t)tt->lim.max;
        inst->tables[m->imported_tables + i] = t;
        if (tt->lim.min > (1u << 24) || table_grow(t, (uint32_t)tt->lim.min, NULL) < 0)
            s = error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                          "table of %llu elements is too large", (unsigned long long)tt->lim.min);
    }
    /* a recycled memory is resident and zero: copying the segments beats mapping the
       image over it (which would drop those pages and fault them back); an explicit
       memory takes copies too, so that it stays one mapping */
    int image_mapped = 0;
    if (s == WASMRT_OK && m->memory_count && !m->imported_memories && inst->own_memory.guard &&
        !inst->own_memory.recycled && instance_image(m))
        image_mapped = memory_map_image(&inst->own_memory, m->image_fd, m->image_size);
    for (uint32_t i = 0; s == WASMRT_OK && i < own_g; i++) {
        const global_type *gt = &m->globals[m->imported_globals + i];
        globals[i].type = gt->type;
        globals[i].mutable_ = gt->mutable_;
        inst->globals[m->imported_globals + i] = &globals[i];
        const_eval(inst, &gt->init, &globals[i].value);
        globals[i].value_hi = gt->init.opcode == 0x23 ? inst->globals[gt->init.index]->value_hi
                                                      : gt->init.bits_hi;
    }
    if (s == WASMRT_OK && compiled)
        jit_instance_init(inst);
    int segments_started = s == WASMRT_OK;
    if (s == WASMRT_OK)
        s = instance_segments(inst, image_mapped, error);
    if (s == WASMRT_OK && m->has_start) {
        uint64_t none = 0;
        s = exec_call(inst->funcs[m->start], &none, NULL, &none, NULL, error);
    }
    if (s != WASMRT_OK) {
        if (segments_started)
            instance_orphan(inst);
        else
            wasmrt_instance_free(inst);
        return s;
    }
    *out = inst;
    return WASMRT_OK;
}

void instance_release(wasmrt_instance *inst)
{
    memory_release(&inst->own_memory);
    for (uint32_t i = inst->own_tables_first; i < inst->own_tables_end; i++)
        free(inst->tables[i] ? inst->tables[i]->items : NULL);
    free(inst);
}

void instance_orphan(wasmrt_instance *inst)
{
    wasmrt_engine *e = inst->engine;
    pthread_mutex_lock(&e->lock);
    inst->next_orphan = e->orphans;
    e->orphans = inst;
    pthread_mutex_unlock(&e->lock);
}

void wasmrt_instance_free(wasmrt_instance *inst)
{
    if (inst)
        instance_release(inst);
}

void wasmrt_instance_set_user(wasmrt_instance *instance, void *user)
{
    instance->user = user;
}

void *wasmrt_instance_user(const wasmrt_instance *instance)
{
    return instance->user;
}

/* Looks an export up by C string (compared up to the stored name's first NUL, as a C
 * caller can express it) or, with length != NO_LENGTH, by its exact bytes. */
#define INSTANCE_NO_LENGTH ((size_t)-1)
static wasmrt_status instance_export_find(wasmrt_instance *inst, const char *name, size_t length,
                                          wasmrt_extern *out)
{
    const wasmrt_module *m = inst->module;
    for (uint32_t i = 0; i < m->export_count; i++) {
        const export_desc *e = &m->exports[i];
        if (length == INSTANCE_NO_LENGTH ? strcmp(e->name, name) != 0
                                         : e->name_len != length || memcmp(e->name, name, length) != 0)
            continue;
        out->kind = e->kind;
        switch (e->kind) {
        case WASMRT_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
        case WASMRT_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
        case WASMRT_EXTERN_MEMORY: out->of.memory = inst->memory; break;
        case WASMRT_EXTERN_GLOBAL: out->of.global = inst->globals[e->index]; break;
        }
        return WASMRT_OK;
    }
    return WASMRT_ERR_NOT_FOUND;
}

wasmrt_status wasmrt_instance_export(wasmrt_instance *inst, const char *name, wasmrt_extern *out)
{
    return instance_export_find(inst, name, INSTANCE_NO_LENGTH, out);
}

wasmrt_status wasmrt_instance_export_bytes(wasmrt_instance *inst, const char *name, size_t length,
                                           wasmrt_extern *out)
{
    return instance_export_find(inst, name, length, out);
}

wasmrt_func *wasmrt_instance_func(wasmrt_instance *instance, const char *name)
{
    wasmrt_extern ext;
    if (wasmrt_instance_export(instance, name, &ext) != WASMRT_OK || ext.kind != WASMRT_EXTERN_FUNC)
        return NULL;
    return ext.of.func;
}

void wasmrt_func_type(const wasmrt_func *func, wasmrt_functype *out)
{
    out->param_count = func->type->param_count;
    out->result_count = func->type->result_count;
    out->params = func->type->params;
    out->results = func->type->results;
}

wasmrt_bounds_mode wasmrt_instance_bounds(const wasmrt_instance *instance)
{
    return instance->module->bounds_checked ? WASMRT_BOUNDS_EXPLICIT : WASMRT_BOUNDS_GUARD;
}

uint8_t *wasmrt_instance_memory(wasmrt_instance *instance, uint64_t *size_bytes)
{
    if (!instance->memory->base) {
        if (size_bytes)
            *size_bytes = 0;
        return NULL;
    }
    return wasmrt_memory_data(instance->memory, size_bytes);
}

uint8_t *wasmrt_memory_data(wasmrt_memory *memory, uint64_t *size_bytes)
{
    if (size_bytes)
        *size_bytes = memory->size;
    return memory->base;
}

/* engine.c: the engine object (configuration, interned function types, host objects
 * it owns), error values and names, typed values, and host-created functions,
 * memories, tables and globals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exec.h"
#include "instance.h"
#include "interp.h"
#include "jit.h"
#include "memory.h"

typedef struct engine_object {
    struct engine_object *next;
    void (*release)(void *);
    max_align_t data[];
} engine_object;

wasmrt_status error_set(wasmrt_error *error, wasmrt_status status, size_t offset,
                        const char *fmt, ...)
{
    if (error) {
        va_list ap;
        memset(error, 0, sizeof *error);
        error->status = status;
        error->offset = offset;
        error->func_index = WASMRT_NO_FUNC;
        va_start(ap, fmt);
        vsnprintf(error->message, sizeof error->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

wasmrt_status error_trap(wasmrt_error *error, wasmrt_trap_kind kind, const char *detail)
{
    if (detail && *detail)
        error_set(error, WASMRT_ERR_TRAP, WASMRT_NO_OFFSET, "%s: %s", wasmrt_trap_name(kind), detail);
    else
        error_set(error, WASMRT_ERR_TRAP, WASMRT_NO_OFFSET, "%s", wasmrt_trap_name(kind));
    if (error)
        error->trap = kind;
    return WASMRT_ERR_TRAP;
}

const char *wasmrt_valtype_name(wasmrt_valtype type)
{
    switch (type) {
    case WASMRT_I32: return "i32";
    case WASMRT_I64: return "i64";
    case WASMRT_F32: return "f32";
    case WASMRT_F64: return "f64";
    case WASMRT_V128: return "v128";
    case WASMRT_FUNCREF: return "funcref";
    case WASMRT_EXTERNREF: return "externref";
    }
    return "?";
}

const char *wasmrt_status_name(wasmrt_status status)
{
    switch (status) {
    case WASMRT_OK: return "ok";
    case WASMRT_ERR_MALFORMED: return "malformed";
    case WASMRT_ERR_INVALID: return "invalid";
    case WASMRT_ERR_UNSUPPORTED: return "unsupported";
    case WASMRT_ERR_LINK: return "link error";
    case WASMRT_ERR_TRAP: return "trap";
    case WASMRT_ERR_EXIT: return "exit";
    case WASMRT_ERR_RESOURCE: return "resource exhausted";
    case WASMRT_ERR_NOT_FOUND: return "not found";
    case WASMRT_ERR_ARGUMENT: return "bad argument";
    case WASMRT_ERR_IO: return "i/o error";
    }
    return "unknown status";
}

const char *wasmrt_trap_name(wasmrt_trap_kind kind)
{
    switch (kind) {
    case WASMRT_TRAP_NONE: return "no trap";
    case WASMRT_TRAP_UNREACHABLE: return "unreachable";
    case WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS: return "out of bounds memory access";
    case WASMRT_TRAP_TABLE_OUT_OF_BOUNDS: return "out of bounds table access (undefined element)";
    case WASMRT_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH: return "indirect call type mismatch";
    case WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO: return "integer divide by zero";
    case WASMRT_TRAP_INTEGER_OVERFLOW: return "integer overflow";
    case WASMRT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASMRT_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WASMRT_TRAP_NULL_REFERENCE: return "null reference";
    case WASMRT_TRAP_OUT_OF_FUEL: return "out of fuel";
    case WASMRT_TRAP_DEADLINE: return "deadline exceeded";
    case WASMRT_TRAP_HOST: return "host function trapped";
    }
    return "unknown trap";
}

float wasmrt_value_f32(wasmrt_value v)
{
    float f;
    memcpy(&f, &v.of.f32_bits, 4);
    return f;
}

double wasmrt_value_f64(wasmrt_value v)
{
    double d;
    memcpy(&d, &v.of.f64_bits, 8);
    return d;
}

wasmrt_value wasmrt_f32(float f)
{
    wasmrt_value v;
    memset(&v, 0, sizeof v);
    v.type = WASMRT_F32;
    memcpy(&v.of.f32_bits, &f, 4);
    return v;
}

wasmrt_value wasmrt_f64(double d)
{
    wasmrt_value v;
    memset(&v, 0, sizeof v);
    v.type = WASMRT_F64;
    memcpy(&v.of.f64_bits, &d, 8);
    return v;
}

void wasmrt_config_default(wasmrt_config *config)
{
    memset(config, 0, sizeof *config);
    config->mode = jit_supported() ? WASMRT_MODE_JIT : WASMRT_MODE_INTERP;
    config->bounds = WASMRT_BOUNDS_DEFAULT;
    config->lazy_compile = 1;
}

wasmrt_status wasmrt_engine_new(const wasmrt_config *config, wasmrt_engine **out,
                                wasmrt_error *error)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, interp_init);
    wasmrt_engine *e = calloc(1, sizeof *e);
    if (!e)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    if (config)
        e->config = *config;
    else
        wasmrt_config_default(&e->config);
    if (e->config.mode != WASMRT_MODE_INTERP &&
        (e->config.mode != WASMRT_MODE_JIT || !jit_supported())) {
        free(e);
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "execution mode %d: this build runs the interpreter (0)%s", (int)config->mode,
                         jit_supported() ? " and the compiler (1)" : " only");
    }
    if (e->config.max_memory_pages > WASM_MAX_PAGES)
        e->config.max_memory_pages = WASM_MAX_PAGES;
    if (e->config.cache_dir && *e->config.cache_dir &&
        !(e->cache_dir = strdup(e->config.cache_dir))) {
        free(e);
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    }
    e->config.cache_dir = e->cache_dir;
    pthread_mutex_init(&e->lock, NULL);
    *out = e;
    return WASMRT_OK;
}

void wasmrt_engine_free(wasmrt_engine *e)
{
    if (!e)
        return;
    for (engine_object *o = e->objects, *next; o; o = next) {
        next = o->next;
        if (o->release)
            o->release(o->data);
        free(o);
    }
    for (wasmrt_instance *i = e->orphans, *next; i; i = next) {
        next = i->next_orphan;
        instance_release(i);
    }
    for (functype *t = e->types, *next; t; t = next) {
        next = t->next;
        free(t);
    }
    pthread_mutex_destroy(&e->lock);
    free(e->cache_dir);
    free(e);
}

const functype *engine_intern_type(wasmrt_engine *e, const wasmrt_valtype *params,
                                   uint32_t np, const wasmrt_valtype *results, uint32_t nr)
{
    pthread_mutex_lock(&e->lock);
    for (functype *t = e->types; t; t = t->next)
        if (t->param_count == np && t->result_count == nr &&
            !memcmp(t->params, params, np * sizeof *params) &&
            !memcmp(t->results, results, nr * sizeof *results)) {
            pthread_mutex_unlock(&e->lock);
            return t;
        }
    functype *t = malloc(sizeof *t + (np + nr + 1) * sizeof(wasmrt_valtype));
    if (t) {
        t->param_count = np;
        t->result_count = nr;
        t->params = (wasmrt_valtype *)(t + 1);
        t->results = t->params + np;
        memcpy(t->params, params, np * sizeof *params);
        memcpy(t->results, results, nr * sizeof *results);
        t->next = e->types;
        e->types = t;
    }
    pthread_mutex_unlock(&e->lock);
    return t;
}

static void *engine_own_with(wasmrt_engine *e, size_t size, void (*release)(void *))
{
    engine_object *o = calloc(1, sizeof *o + size);
    if (!o)
        return NULL;
    o->release = release;
    pthread_mutex_lock(&e->lock);
    o->next = e->objects;
    e->objects = o;
    pthread_mutex_unlock(&e->lock);
    return o->data;
}

void *engine_own(wasmrt_engine *e, size_t size)
{
    return engine_own_with(e, size, NULL);
}

static int engine_sig_type(char c, wasmrt_valtype *out)
{
    switch (c) {
    case 'i': *out = WASMRT_I32; return 1;
    case 'I': *out = WASMRT_I64; return 1;
    case 'f': *out = WASMRT_F32; return 1;
    case 'F': *out = WASMRT_F64; return 1;
    case 'v': *out = WASMRT_V128; return 1;
    case 'r': *out = WASMRT_EXTERNREF; return 1;
    case 'R': *out = WASMRT_FUNCREF; return 1;
    }
    return 0;
}

wasmrt_status wasmrt_func_new_host(wasmrt_engine *e, const char *signature, wasmrt_host_fn fn,
                                   void *user, wasmrt_func **out, wasmrt_error *error)
{
    wasmrt_valtype types[64];
    uint32_t np = 0, nr = 0;
    const char *colon = signature ? strchr(signature, ':') : NULL;
    if (!colon || !fn || strlen(signature) > 64)
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "host function signature \"%s\": expected \"params:results\" with "
                         "letters iIfFrR, and a function", signature ? signature : "(null)");
    for (const char *p = signature; *p; p++) {
        if (p == colon)
            continue;
        if (!engine_sig_type(*p, &types[np + nr]))
            return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                             "host function signature \"%s\": '%c' is not one of iIfFrR",
                             signature, *p);
        if (p < colon)
            np++;
        else
            nr++;
    }
    const functype *t = engine_intern_type(e, types, np, types + np, nr);
    wasmrt_func *f = t ? engine_own(e, sizeof *f) : NULL;
    if (!f)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    f->type = t;
    f->host = fn;
    f->user = user;
    *out = f;
    return WASMRT_OK;
}

static void engine_release_memory(void *p)
{
    memory_release(p);
}

wasmrt_status wasmrt_memory_new(wasmrt_engine *e, uint32_t min_pages, uint32_t max_pages,
                                int has_max, wasmrt_memory **out, wasmrt_error *error)
{
    uint32_t cap = e->config.max_memory_pages ? e->config.max_memory_pages : WASM_MAX_PAGES;
    uint32_t max = has_max && max_pages < cap ? max_pages : cap;
    if (min_pages > max || (has_max && max_pages < min_pages))
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "memory limits: minimum %u pages exceeds maximum %u", min_pages, max);
    wasmrt_memory *m = engine_own_with(e, sizeof *m, engine_release_memory);
    if (!m)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    wasmrt_status s = memory_init(m, min_pages, max, has_max,
                                  e->config.bounds != WASMRT_BOUNDS_EXPLICIT, error);
    if (s != WASMRT_OK)
        return s;
    if (has_max)
        m->max_pages = max_pages < max ? max_pages : max;
    *out = m;
    return WASMRT_OK;
}

static void engine_release_table(void *p)
{
    free(((wasmrt_table *)p)->items);
}

wasmrt_status wasmrt_table_new(wasmrt_engine *e, wasmrt_valtype elem, uint32_t min, uint32_t max,
                               int has_max, wasmrt_table **out, wasmrt_error *error)
{
    if (!valtype_is_ref(elem) || (has_max && max < min))
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "table: element type must be funcref or externref and min <= max");
    wasmrt_table *t = engine_own_with(e, sizeof *t, engine_release_table);
    if (!t)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    t->elem = elem;
    t->has_max = has_max;
    t->max = max;
    if (table_grow(t, min, NULL) < 0)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                         "table of %u elements is too large", min);
    *out = t;
    return WASMRT_OK;
}

wasmrt_status wasmrt_global_new(wasmrt_engine *e, wasmrt_value initial, int mutable_,
                                wasmrt_global **out, wasmrt_error *error)
{
    wasmrt_global *g = engine_own(e, sizeof *g);
    if (!g)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    g->type = initial.type;
    g->mutable_ = mutable_ != 0;
    g->value = value_to_bits(initial);
    g->value_hi = value_hi_bits(initial);
    *out = g;
    return WASMRT_OK;
}

wasmrt_value wasmrt_global_get(const wasmrt_global *global)
{
    return value_from_bits(global->type, global->value, global->value_hi);
}

wasmrt_status wasmrt_global_set(wasmrt_global *global, wasmrt_value value, wasmrt_error *error)
{
    if (!global->mutable_)
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET, "global is immutable");
    if (value.type != global->type)
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "global has type 0x%02x, value has 0x%02x", (unsigned)global->type,
                         (unsigned)value.type);
    global->value = value_to_bits(value);
    global->value_hi = value_hi_bits(value);
    return WASMRT_OK;
}

/* linker.c: names -> externs for resolving imports. A flat list searched by
 * (module, name); later definitions replace earlier ones. Each entry keeps a hash of
 * its two names so a search compares strings only on a likely match (WASI alone
 * defines 46 names; every instantiation looks up each import). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "module.h"

typedef struct linker_entry {
    char *module, *name;
    uint32_t hash; /* linker_hash(module, name) */
    wasmrt_extern ext;
} linker_entry;

struct wasmrt_linker {
    wasmrt_engine *engine;
    linker_entry *entries;
    uint32_t count, cap;
};

wasmrt_status wasmrt_linker_new(wasmrt_engine *engine, wasmrt_linker **out, wasmrt_error *error)
{
    wasmrt_linker *l = calloc(1, sizeof *l);
    if (!l)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    l->engine = engine;
    *out = l;
    return WASMRT_OK;
}

void wasmrt_linker_free(wasmrt_linker *l)
{
    if (!l)
        return;
    for (uint32_t i = 0; i < l->count; i++) {
        free(l->entries[i].module);
        free(l->entries[i].name);
    }
    free(l->entries);
    free(l);
}

/* FNV-1a over "module\0name" */
static uint32_t linker_hash(const char *module, const char *name)
{
    uint32_t h = 2166136261u;
    for (const char *s = module; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h *= 16777619u;
    for (const char *s = name; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static linker_entry *linker_find(const wasmrt_linker *l, const char *module, const char *name)
{
    uint32_t h = linker_hash(module, name);
    for (uint32_t i = 0; i < l->count; i++)
        if (l->entries[i].hash == h && strcmp(l->entries[i].name, name) == 0 &&
            strcmp(l->entries[i].module, module) == 0)
            return &l->entries[i];
    return NULL;
}

const wasmrt_extern *linker_lookup(const wasmrt_linker *l, const char *module, const char *name)
{
    linker_entry *e = linker_find(l, module, name);
    return e ? &e->ext : NULL;
}

wasmrt_status wasmrt_linker_define(wasmrt_linker *l, const char *module, const char *name,
                                   wasmrt_extern ext, wasmrt_error *error)
{
    if (!module || !name || (ext.kind == WASMRT_EXTERN_FUNC && !ext.of.func))
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "linker definition needs a module name, a name and an object");
    linker_entry *e = linker_find(l, module, name);
    if (e) {
        e->ext = ext;
        return WASMRT_OK;
    }
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 32;
        linker_entry *grown = realloc(l->entries, cap * sizeof *grown);
        if (!grown)
            return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
        l->entries = grown;
        l->cap = cap;
    }
    e = &l->entries[l->count];
    e->module = strdup(module);
    e->name = strdup(name);
    if (!e->module || !e->name) {
        free(e->module);
        free(e->name);
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    }
    e->ext = ext;
    e->hash = linker_hash(module, name);
    l->count++;
    return WASMRT_OK;
}

wasmrt_status wasmrt_linker_define_func(wasmrt_linker *l, const char *module, const char *name,
                                        const char *signature, wasmrt_host_fn fn, void *user,
                                        wasmrt_error *error)
{
    wasmrt_extern ext;
    ext.kind = WASMRT_EXTERN_FUNC;
    wasmrt_status s = wasmrt_func_new_host(l->engine, signature, fn, user, &ext.of.func, error);
    if (s != WASMRT_OK)
        return s;
    return wasmrt_linker_define(l, module, name, ext, error);
}

wasmrt_status wasmrt_linker_define_instance(wasmrt_linker *l, const char *module,
                                            wasmrt_instance *instance, wasmrt_error *error)
{
    const wasmrt_module *m = instance->module;
    for (uint32_t i = 0; i < m->export_count; i++) {
        wasmrt_extern ext;
        wasmrt_instance_export_bytes(instance, m->exports[i].name, m->exports[i].name_len, &ext);
        wasmrt_status s = wasmrt_linker_define(l, module, m->exports[i].name, ext, error);
        if (s != WASMRT_OK)
            return s;
    }
    return WASMRT_OK;
}

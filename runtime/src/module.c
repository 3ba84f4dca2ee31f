/* module.c: the module object: loading (copy, decode, validate, optionally translate
 * everything up front), freeing, and the read-only queries (imports, exports, stats,
 * sections). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "code.h"
#include "engine.h"
#include "jit.h"
#include "load.h"

void wasmrt_module_free(wasmrt_module *m)
{
    if (!m)
        return;
    wasmrt_module_free(m->checked_twin);
    for (uint32_t i = 0; i < m->import_count; i++) {
        free(m->imports[i].module);
        free(m->imports[i].name);
    }
    free(m->imports);
    for (uint32_t i = 0; m->funcs && i < m->func_count; i++) {
        free(m->funcs[i].local_run_counts);
        free(m->funcs[i].local_run_types);
        code *cd = atomic_load(&m->funcs[i].compiled);
        if (!code_cache_owns(m, cd))
            free(cd);
    }
    code_cache_unmap(m);
    jit_module_free(m);
    free(m->funcs);
    free(m->types);
    free(m->tables);
    free(m->memories);
    free(m->globals);
    for (uint32_t i = 0; i < m->export_count && m->exports; i++)
        free(m->exports[i].name);
    free(m->exports);
    for (uint32_t i = 0; i < m->elem_count && m->elems; i++)
        free(m->elems[i].items);
    free(m->elems);
    free(m->datas);
    free(m->sections);
    free(m->declared_funcs);
    for (uint32_t i = 0; m->func_names && i < m->func_count; i++)
        free(m->func_names[i]);
    free(m->func_names);
    if (m->image_state == 1)
        close(m->image_fd);
    pthread_mutex_destroy(&m->lock);
    free(m->bytes);
    free(m);
}

/* Loads bytes translated or compiled with or without explicit bounds checks;
 * `validated` says the bodies were type-checked already (a twin of a loaded module), so
 * only the module-level checks run. With `aot`, a compiled module's mapping
 * (src/jit/aot.c): its bodies were validated when they were compiled, and its machine
 * code becomes the functions'. */
static wasmrt_status module_load(wasmrt_engine *engine, const uint8_t *bytes, size_t size,
                                 int bounds_checked, int validated, aot_file *aot,
                                 wasmrt_module **out, wasmrt_error *error)
{
    wasmrt_module *m = calloc(1, sizeof *m);
    if (!m || !(m->bytes = malloc(size ? size : 1))) {
        free(m);
        aot_close(aot);
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    }
    memcpy(m->bytes, bytes, size);
    m->size = size;
    m->engine = engine;
    m->image_fd = -1;
    m->bounds_checked = bounds_checked;
    pthread_mutex_init(&m->lock, NULL);
    if (engine->config.cache_dir)
        cache_hash(bytes, size, m->cache_key);
    int cached = validated || aot ||
                 (engine->config.cache_dir && cache_validated(engine, m->cache_key, size));
    wasmrt_status s = decode_module(m, error);
    /* The spec decodes every body before validating anything, so a malformed body
       wins over an invalid module. The structural walk (decode_bodies) costs a
       quarter of a load and the type-checking pass rejects everything it does, so it
       runs only to decide which error to report when validation fails. */
    if (s == WASMRT_OK && (s = validate_module(m, !cached, error)) != WASMRT_OK) {
        wasmrt_error malformed;
        if (decode_bodies(m, &malformed) != WASMRT_OK) {
            if (error)
                *error = malformed;
            s = malformed.status;
        }
    }
    int compiled = engine->config.mode == WASMRT_MODE_JIT;
    if (s == WASMRT_OK && engine->config.cache_dir && !compiled)
        code_cache_load(m);
    if (s == WASMRT_OK && compiled)
        jit_module_init(m);
    if (aot) {
        if (s == WASMRT_OK && !compiled)
            s = error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                          "a compiled module runs on an engine in WASMRT_MODE_JIT");
        if (s == WASMRT_OK)
            s = aot_adopt(m, aot, error);
        else
            aot_close(aot);
    } else if (s == WASMRT_OK && compiled && engine->config.cache_dir) {
        jit_cache_load(m);
    }
    /* eager: every function translated (or compiled) now */
    for (uint32_t i = m->imported_funcs; s == WASMRT_OK && !engine->config.lazy_compile &&
                                         i < m->func_count;
         i++)
        if (compiled ? !jit_compile(&m->funcs[i], error) : !compile_get(&m->funcs[i], error))
            s = error ? error->status : WASMRT_ERR_RESOURCE;
    if (s != WASMRT_OK) {
        wasmrt_module_free(m);
        return s;
    }
    if (!cached && engine->config.cache_dir)
        cache_record_validated(engine, m->cache_key, size);
    *out = m;
    return WASMRT_OK;
}

wasmrt_status wasmrt_module_load(wasmrt_engine *engine, const uint8_t *bytes, size_t size,
                                 wasmrt_module **out, wasmrt_error *error)
{
    if (size >= 8 && memcmp(bytes, "wasmrtAO", 8) == 0)
        return error_set(error, WASMRT_ERR_MALFORMED, 0,
                         "not a WebAssembly module but a compiled module (.cwasm): load it "
                         "from its file (wasmrt_module_load_compiled)");
    return module_load(engine, bytes, size, engine->config.bounds == WASMRT_BOUNDS_EXPLICIT, 0,
                       NULL, out, error);
}

wasmrt_module *module_checked_twin(wasmrt_module *m, wasmrt_error *error)
{
    if (m->bounds_checked) return m;
    pthread_mutex_lock(&m->lock);
    wasmrt_module *twin = m->checked_twin;
    if (!twin && module_load(m->engine, m->bytes, m->size, 1, 1, NULL, &twin, error) == WASMRT_OK)
        m->checked_twin = twin;
    pthread_mutex_unlock(&m->lock);
    return m->checked_twin;
}

wasmrt_status wasmrt_module_load_compiled(wasmrt_engine *engine, const char *path,
                                          wasmrt_module **out, wasmrt_error *error)
{
    aot_file *f;
    const uint8_t *bytes;
    size_t size;
    wasmrt_status s = aot_open(engine, path, &f, &bytes, &size, error);
    if (s != WASMRT_OK)
        return s;
    return module_load(engine, bytes, size, engine->config.bounds == WASMRT_BOUNDS_EXPLICIT, 0, f,
                       out, error);
}

wasmrt_status wasmrt_module_write_compiled(wasmrt_module *module, const char *path,
                                           wasmrt_error *error)
{
    return aot_write(module, path, error);
}

/* The module's code and its checked twin's, each under its own bounds mode's key. */
wasmrt_status wasmrt_module_cache_code(wasmrt_module *module)
{
    wasmrt_status s = WASMRT_OK;
    for (wasmrt_module *m = module; m && s == WASMRT_OK; m = m->checked_twin)
        s = m->engine->config.mode == WASMRT_MODE_JIT ? jit_cache_store(m) : code_cache_store(m);
    return s;
}

wasmrt_status wasmrt_module_load_file(wasmrt_engine *engine, const char *path,
                                      wasmrt_module **out, wasmrt_error *error)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return error_set(error, WASMRT_ERR_IO, WASMRT_NO_OFFSET, "%s: cannot open: %s", path,
                         strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                                 "%s: out of memory reading it", path);
            }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (!failed && len >= 8 && memcmp(buf, "wasmrtAO", 8) == 0) {
        free(buf);
        return wasmrt_module_load_compiled(engine, path, out, error);
    }
    if (failed) {
        free(buf);
        return error_set(error, WASMRT_ERR_IO, WASMRT_NO_OFFSET, "%s: read error", path);
    }
    wasmrt_status s = wasmrt_module_load(engine, buf, len, out, error);
    free(buf);
    if (s != WASMRT_OK && error) {
        char msg[sizeof error->message];
        memcpy(msg, error->message, sizeof msg);
        int n = snprintf(error->message, sizeof error->message, "%s: ", path);
        if (n > 0 && (size_t)n < sizeof error->message)
            memcpy(error->message + n, msg, sizeof msg - (size_t)n - 1);
        error->message[sizeof error->message - 1] = 0;
    }
    return s;
}

uint32_t wasmrt_module_import_count(const wasmrt_module *m)
{
    return m->import_count;
}

void wasmrt_module_import(const wasmrt_module *m, uint32_t i, wasmrt_import_info *out)
{
    out->module = m->imports[i].module;
    out->name = m->imports[i].name;
    out->kind = m->imports[i].kind;
}

uint32_t wasmrt_module_export_count(const wasmrt_module *m)
{
    return m->export_count;
}

void wasmrt_module_export(const wasmrt_module *m, uint32_t i, wasmrt_export_info *out)
{
    out->name = m->exports[i].name;
    out->kind = m->exports[i].kind;
    out->index = m->exports[i].index;
}

wasmrt_status wasmrt_module_export_functype(const wasmrt_module *m, const char *name,
                                            wasmrt_functype *out)
{
    for (uint32_t i = 0; i < m->export_count; i++)
        if (m->exports[i].kind == WASMRT_EXTERN_FUNC && strcmp(m->exports[i].name, name) == 0) {
            const functype *t = m->funcs[m->exports[i].index].type;
            out->param_count = t->param_count;
            out->result_count = t->result_count;
            out->params = t->params;
            out->results = t->results;
            return WASMRT_OK;
        }
    return WASMRT_ERR_NOT_FOUND;
}

void wasmrt_module_get_stats(const wasmrt_module *m, wasmrt_module_stats *out)
{
    memset(out, 0, sizeof *out);
    out->binary_size = m->size;
    out->function_count = m->func_count - m->imported_funcs;
    out->imported_function_count = m->imported_funcs;
    out->memory_count = m->memory_count;
    if (m->memory_count) {
        out->memory_min_pages = (uint32_t)m->memories[0].min;
        out->memory_max_pages = (uint32_t)m->memories[0].max;
        out->memory_has_max = m->memories[0].has_max;
    }
    out->table_count = m->table_count;
    out->global_count = m->global_count;
    out->data_count = m->data_count;
    out->element_count = m->elem_count;
    out->custom_count = m->custom_count;
    out->code_size = m->code_size;
    for (uint32_t i = 0; m->datas && i < m->data_count; i++)
        out->data_size += m->datas[i].size;
    int jit = m->engine->config.mode == WASMRT_MODE_JIT;
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++) {
        if (atomic_load_explicit(&m->funcs[i].compiled, memory_order_acquire) ||
            atomic_load_explicit(&m->funcs[i].body, memory_order_acquire))
            out->compiled_function_count++;
        if (jit && jit_interpreted(&m->funcs[i])) out->interpreted_function_count++;
    }
}

const char *wasmrt_module_func_name(const wasmrt_module *m, uint32_t index)
{
    return m->func_names && index < m->func_count ? m->func_names[index] : NULL;
}

uint32_t wasmrt_module_section_count(const wasmrt_module *m)
{
    return m->section_count;
}

void wasmrt_module_section(const wasmrt_module *m, uint32_t i, const char **name, size_t *offset,
                           size_t *size)
{
    *name = m->sections[i].name;
    *offset = m->sections[i].offset;
    *size = m->sections[i].size;
}

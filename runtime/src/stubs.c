/* stubs.c: temporary bodies for the wasmrt.h functions not implemented yet; each
 * reports WASMRT_ERR_UNSUPPORTED so embedders can link while the engine is written. */
#include <string.h>
#include <stdio.h>
#include "wasmrt.h"

static wasmrt_status stub_unsupported(wasmrt_error *error, const char *what)
{
    if (error) {
        memset(error, 0, sizeof *error);
        error->status = WASMRT_ERR_UNSUPPORTED;
        error->offset = WASMRT_NO_OFFSET;
        error->func_index = WASMRT_NO_FUNC;
        snprintf(error->message, sizeof error->message, "%s: not implemented yet", what);
    }
    return WASMRT_ERR_UNSUPPORTED;
}

float wasmrt_value_f32(wasmrt_value v)
{
    (void)v;
    return 0;
}

double wasmrt_value_f64(wasmrt_value v)
{
    (void)v;
    return 0;
}

wasmrt_value wasmrt_f32(float v)
{
    (void)v;
    wasmrt_value r;
    memset(&r, 0, sizeof r);
    return r;
}

wasmrt_value wasmrt_f64(double v)
{
    (void)v;
    wasmrt_value r;
    memset(&r, 0, sizeof r);
    return r;
}

const char *wasmrt_status_name(wasmrt_status status)
{
    (void)status;
    return NULL;
}

const char *wasmrt_trap_name(wasmrt_trap_kind kind)
{
    (void)kind;
    return NULL;
}

void wasmrt_config_default(wasmrt_config *config)
{
    (void)config;
}

wasmrt_status wasmrt_engine_new(const wasmrt_config *config, wasmrt_engine **out, wasmrt_error *error)
{
    (void)config;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_engine_new");
}

void wasmrt_engine_free(wasmrt_engine *engine)
{
    (void)engine;
}

wasmrt_status wasmrt_module_load(wasmrt_engine *engine, const uint8_t *bytes, size_t size, wasmrt_module **out, wasmrt_error *error)
{
    (void)engine;
    (void)bytes;
    (void)size;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_module_load");
}

wasmrt_status wasmrt_module_load_file(wasmrt_engine *engine, const char *path, wasmrt_module **out, wasmrt_error *error)
{
    (void)engine;
    (void)path;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_module_load_file");
}

void wasmrt_module_free(wasmrt_module *module)
{
    (void)module;
}

uint32_t wasmrt_module_import_count(const wasmrt_module *module)
{
    (void)module;
    return 0;
}

void wasmrt_module_import(const wasmrt_module *module, uint32_t i, wasmrt_import_info *out)
{
    (void)module;
    (void)i;
    (void)out;
}

uint32_t wasmrt_module_export_count(const wasmrt_module *module)
{
    (void)module;
    return 0;
}

void wasmrt_module_export(const wasmrt_module *module, uint32_t i, wasmrt_export_info *out)
{
    (void)module;
    (void)i;
    (void)out;
}

wasmrt_status wasmrt_module_export_functype(const wasmrt_module *module, const char *name, wasmrt_functype *out)
{
    (void)module;
    (void)name;
    (void)out;
    return stub_unsupported(NULL, "wasmrt_module_export_functype");
}

void wasmrt_module_get_stats(const wasmrt_module *module, wasmrt_module_stats *out)
{
    (void)module;
    (void)out;
}

uint32_t wasmrt_module_section_count(const wasmrt_module *module)
{
    (void)module;
    return 0;
}

void wasmrt_module_section(const wasmrt_module *module, uint32_t i, const char **name, size_t *offset, size_t *size)
{
    (void)module;
    (void)i;
    (void)name;
    (void)offset;
    (void)size;
}

wasmrt_status wasmrt_func_new_host(wasmrt_engine *engine, const char *signature, wasmrt_host_fn fn, void *user, wasmrt_func **out, wasmrt_error *error)
{
    (void)engine;
    (void)signature;
    (void)fn;
    (void)user;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_func_new_host");
}

wasmrt_status wasmrt_memory_new(wasmrt_engine *engine, uint32_t min_pages, uint32_t max_pages, int has_max, wasmrt_memory **out, wasmrt_error *error)
{
    (void)engine;
    (void)min_pages;
    (void)max_pages;
    (void)has_max;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_memory_new");
}

wasmrt_status wasmrt_table_new(wasmrt_engine *engine, wasmrt_valtype elem, uint32_t min, uint32_t max, int has_max, wasmrt_table **out, wasmrt_error *error)
{
    (void)engine;
    (void)elem;
    (void)min;
    (void)max;
    (void)has_max;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_table_new");
}

wasmrt_status wasmrt_global_new(wasmrt_engine *engine, wasmrt_value initial, int mutable_, wasmrt_global **out, wasmrt_error *error)
{
    (void)engine;
    (void)initial;
    (void)mutable_;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_global_new");
}

wasmrt_instance *wasmrt_caller_instance(wasmrt_caller *caller)
{
    (void)caller;
    return NULL;
}

uint8_t *wasmrt_caller_memory(wasmrt_caller *caller, uint64_t *size_bytes)
{
    (void)caller;
    (void)size_bytes;
    return NULL;
}

wasmrt_status wasmrt_caller_trap(wasmrt_caller *caller, const char *message)
{
    (void)caller;
    (void)message;
    return stub_unsupported(NULL, "wasmrt_caller_trap");
}

wasmrt_status wasmrt_caller_exit(wasmrt_caller *caller, int exit_code)
{
    (void)caller;
    (void)exit_code;
    return stub_unsupported(NULL, "wasmrt_caller_exit");
}

wasmrt_status wasmrt_linker_new(wasmrt_engine *engine, wasmrt_linker **out, wasmrt_error *error)
{
    (void)engine;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_linker_new");
}

void wasmrt_linker_free(wasmrt_linker *linker)
{
    (void)linker;
}

wasmrt_status wasmrt_linker_define(wasmrt_linker *linker, const char *module, const char *name, wasmrt_extern ext, wasmrt_error *error)
{
    (void)linker;
    (void)module;
    (void)name;
    (void)ext;
    (void)error;
    return stub_unsupported(error, "wasmrt_linker_define");
}

wasmrt_status wasmrt_linker_define_func(wasmrt_linker *linker, const char *module, const char *name, const char *signature, wasmrt_host_fn fn, void *user, wasmrt_error *error)
{
    (void)linker;
    (void)module;
    (void)name;
    (void)signature;
    (void)fn;
    (void)user;
    (void)error;
    return stub_unsupported(error, "wasmrt_linker_define_func");
}

wasmrt_status wasmrt_linker_define_instance(wasmrt_linker *linker, const char *module, wasmrt_instance *instance, wasmrt_error *error)
{
    (void)linker;
    (void)module;
    (void)instance;
    (void)error;
    return stub_unsupported(error, "wasmrt_linker_define_instance");
}

wasmrt_status wasmrt_instance_new(wasmrt_linker *linker, const wasmrt_module *module, wasmrt_instance **out, wasmrt_error *error)
{
    (void)linker;
    (void)module;
    (void)out;
    (void)error;
    return stub_unsupported(error, "wasmrt_instance_new");
}

void wasmrt_instance_free(wasmrt_instance *instance)
{
    (void)instance;
}

void wasmrt_instance_set_user(wasmrt_instance *instance, void *user)
{
    (void)instance;
    (void)user;
}

void *wasmrt_instance_user(const wasmrt_instance *instance)
{
    (void)instance;
    return NULL;
}

wasmrt_status wasmrt_instance_export(wasmrt_instance *instance, const char *name, wasmrt_extern *out)
{
    (void)instance;
    (void)name;
    (void)out;
    return stub_unsupported(NULL, "wasmrt_instance_export");
}

wasmrt_func *wasmrt_instance_func(wasmrt_instance *instance, const char *name)
{
    (void)instance;
    (void)name;
    return NULL;
}

void wasmrt_func_type(const wasmrt_func *func, wasmrt_functype *out)
{
    (void)func;
    (void)out;
}

wasmrt_status wasmrt_func_call(wasmrt_func *func, const wasmrt_value *args, uint32_t arg_count, wasmrt_value *results, uint32_t result_count, wasmrt_error *error)
{
    (void)func;
    (void)args;
    (void)arg_count;
    (void)results;
    (void)result_count;
    (void)error;
    return stub_unsupported(error, "wasmrt_func_call");
}

wasmrt_status wasmrt_instance_call(wasmrt_instance *instance, const char *name, const wasmrt_value *args, uint32_t arg_count, wasmrt_value *results, uint32_t result_count, wasmrt_error *error)
{
    (void)instance;
    (void)name;
    (void)args;
    (void)arg_count;
    (void)results;
    (void)result_count;
    (void)error;
    return stub_unsupported(error, "wasmrt_instance_call");
}

uint8_t *wasmrt_instance_memory(wasmrt_instance *instance, uint64_t *size_bytes)
{
    (void)instance;
    (void)size_bytes;
    return NULL;
}

uint8_t *wasmrt_memory_data(wasmrt_memory *memory, uint64_t *size_bytes)
{
    (void)memory;
    (void)size_bytes;
    return NULL;
}

wasmrt_value wasmrt_global_get(const wasmrt_global *global)
{
    (void)global;
    wasmrt_value r;
    memset(&r, 0, sizeof r);
    return r;
}

wasmrt_status wasmrt_global_set(wasmrt_global *global, wasmrt_value value, wasmrt_error *error)
{
    (void)global;
    (void)value;
    (void)error;
    return stub_unsupported(error, "wasmrt_global_set");
}

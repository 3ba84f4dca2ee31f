/* fuzz_target.c: the libFuzzer target over wasmrt: load the input as a module; if it
 * loads, give it every import it asks for (host functions returning zeros, memories,
 * tables and globals of the imported type), instantiate it and call every exported
 * function with zero arguments, under fuel, a deadline and a memory limit so that no
 * input can hang.
 *
 * Besides crashes and sanitizer reports, a finding is any broken promise of wasmrt.h:
 * a rejected module whose error lacks the byte offset or the message, a status outside
 * the documented set for that call, a trap status without a trap kind. Such a case
 * aborts with a line saying which promise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_imports.h"
#include "wasmrt.h"

enum {
    FUZZ_MAX_PAGES = 256,   /* 16 MiB per memory */
    FUZZ_FUEL = 500000,     /* per call: keeps each input well under a second */
    FUZZ_MAX_CALLS = 64,    /* exports called per input */
    FUZZ_MAX_VALUES = 1024, /* params / results of one call */
};
#define FUZZ_DEADLINE_NS 200000000ull /* 200 ms per call, in case fuel is coarse */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_contract_checks = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *contract = getenv("WASMRT_FUZZ_CONTRACT");
    (void)argc;
    (void)argv;
    fuzz_contract_checks = !(contract && strcmp(contract, "0") == 0);
    return 0;
}

/* A broken promise: abort, so that libFuzzer keeps the input as a finding. */
static void fuzz_finding(const char *what, const wasmrt_error *error)
{
    fprintf(stderr, "fuzz finding: %s (status %s, trap %d, offset %zu, message \"%s\")\n", what,
            wasmrt_status_name(error->status) ? wasmrt_status_name(error->status) : "?",
            (int)error->trap, error->offset, error->message);
    abort();
}

/* A rejected module must say where and why (wasmrt.h, "Errors"). */
static void fuzz_check_load_error(wasmrt_status st, const wasmrt_error *error, size_t size)
{
    if (!fuzz_contract_checks)
        return;
    if (st != error->status) fuzz_finding("load: returned status differs from error.status", error);
    if (error->message[0] == '\0') fuzz_finding("load: rejected without a message", error);
    if (st == WASMRT_ERR_MALFORMED || st == WASMRT_ERR_INVALID) {
        if (error->offset == WASMRT_NO_OFFSET || error->offset > size)
            fuzz_finding("load: malformed/invalid without a byte offset inside the module", error);
        return;
    }
    if (st != WASMRT_ERR_UNSUPPORTED && st != WASMRT_ERR_RESOURCE)
        fuzz_finding("load: status outside malformed/invalid/unsupported/resource", error);
}

static void fuzz_check_run_error(const char *phase, wasmrt_status st, const wasmrt_error *error)
{
    char what[128];
    if (!fuzz_contract_checks)
        return;
    if (st == WASMRT_ERR_TRAP && error->trap == WASMRT_TRAP_NONE) {
        snprintf(what, sizeof what, "%s: trap status without a trap kind", phase);
        fuzz_finding(what, error);
    }
    if (st == WASMRT_ERR_TRAP || st == WASMRT_ERR_RESOURCE || st == WASMRT_ERR_LINK ||
        st == WASMRT_ERR_UNSUPPORTED)
        return;
    snprintf(what, sizeof what, "%s: unexpected status", phase);
    fuzz_finding(what, error);
}

/* Every imported function: writes zeros of the result types. */
static wasmrt_status fuzz_host_zero(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                                    wasmrt_value *results)
{
    const fuzz_import *im = user;
    (void)caller;
    (void)args;
    for (uint32_t i = 0; i < im->result_count; i++) {
        memset(&results[i], 0, sizeof results[i]);
        results[i].type = im->results[i];
    }
    return WASMRT_OK;
}

static wasmrt_value fuzz_zero(wasmrt_valtype type)
{
    wasmrt_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    return v;
}

/* Defines one import; a failure only means instantiation will report a link error. */
static void fuzz_define_import(wasmrt_engine *engine, wasmrt_linker *linker,
                               const wasmrt_import_info *info, fuzz_import *im)
{
    wasmrt_error error;
    wasmrt_extern ext = {.kind = im->kind};
    wasmrt_status st = WASMRT_ERR_ARGUMENT;
    switch (im->kind) {
    case WASMRT_EXTERN_FUNC:
        st = wasmrt_func_new_host(engine, im->signature, fuzz_host_zero, im, &ext.of.func, &error);
        break;
    case WASMRT_EXTERN_TABLE:
        if (im->min <= 100000)
            st = wasmrt_table_new(engine, im->valtype, im->min, im->max, im->has_max, &ext.of.table,
                                  &error);
        break;
    case WASMRT_EXTERN_MEMORY:
        if (im->min <= FUZZ_MAX_PAGES)
            st = wasmrt_memory_new(engine, im->min, im->max, im->has_max, &ext.of.memory, &error);
        break;
    case WASMRT_EXTERN_GLOBAL:
        st =
            wasmrt_global_new(engine, fuzz_zero(im->valtype), im->mutable_, &ext.of.global, &error);
        break;
    }
    if (st == WASMRT_OK) wasmrt_linker_define(linker, info->module, info->name, ext, &error);
}

static void fuzz_call_exports(wasmrt_module *module, wasmrt_instance *instance)
{
    static wasmrt_value args[FUZZ_MAX_VALUES], results[FUZZ_MAX_VALUES];
    uint32_t n = wasmrt_module_export_count(module), calls = 0;
    for (uint32_t i = 0; i < n && calls < FUZZ_MAX_CALLS; i++) {
        wasmrt_export_info info;
        wasmrt_functype ft;
        wasmrt_error error;
        wasmrt_module_export(module, i, &info);
        if (info.kind != WASMRT_EXTERN_FUNC) continue;
        if (wasmrt_module_export_functype(module, info.name, &ft) != WASMRT_OK) {
            /* Another export of the same name would be invalid, so this is a bug. */
            memset(&error, 0, sizeof error);
            snprintf(error.message, sizeof error.message, "export '%s'", info.name);
            fuzz_finding("export_functype: a listed function export is not found", &error);
        }
        if (ft.param_count > FUZZ_MAX_VALUES || ft.result_count > FUZZ_MAX_VALUES) continue;
        for (uint32_t p = 0; p < ft.param_count; p++)
            args[p] = fuzz_zero(ft.params[p]);
        calls++;
        wasmrt_status st = wasmrt_instance_call(instance, info.name, args, ft.param_count, results,
                                                ft.result_count, &error);
        if (st != WASMRT_OK && st != WASMRT_ERR_EXIT) fuzz_check_run_error("call", st, &error);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasmrt_config config;
    wasmrt_engine *engine = NULL;
    wasmrt_module *module = NULL;
    wasmrt_linker *linker = NULL;
    wasmrt_instance *instance = NULL;
    wasmrt_error error;
    fuzz_import *imports = NULL;
    int import_count = 0;

    wasmrt_config_default(&config);
    /* Explicit checks: the fuzzer's own SIGSEGV handling stays in charge, and no
     * 8 GiB reservation per input. */
    config.bounds = WASMRT_BOUNDS_EXPLICIT;
    config.max_memory_pages = FUZZ_MAX_PAGES;
    config.max_call_depth = 2000;
    config.fuel = FUZZ_FUEL;
    config.deadline_ns = FUZZ_DEADLINE_NS;
    memset(&error, 0, sizeof error);
    if (wasmrt_engine_new(&config, &engine, &error) != WASMRT_OK)
        fuzz_finding("engine_new failed", &error);

    memset(&error, 0, sizeof error);
    error.offset = WASMRT_NO_OFFSET;
    wasmrt_status st = wasmrt_module_load(engine, data, size, &module, &error);
    if (st != WASMRT_OK) {
        fuzz_check_load_error(st, &error, size);
        goto out;
    }
    import_count = fuzz_imports_read(data, size, &imports);
    if (import_count < 0 || (uint32_t)import_count != wasmrt_module_import_count(module))
        goto out; /* a type the fuzzer cannot build, e.g. v128 */
    if (wasmrt_linker_new(engine, &linker, &error) != WASMRT_OK)
        fuzz_finding("linker_new failed", &error);
    for (int i = 0; i < import_count; i++) {
        wasmrt_import_info info;
        wasmrt_module_import(module, (uint32_t)i, &info);
        if (info.kind != imports[i].kind) {
            snprintf(error.message, sizeof error.message, "import %d: kind %d vs %d", i,
                     (int)info.kind, (int)imports[i].kind);
            fuzz_finding("module_import disagrees with the binary's import section", &error);
        }
        fuzz_define_import(engine, linker, &info, &imports[i]);
    }
    st = wasmrt_instance_new(linker, module, &instance, &error);
    if (st != WASMRT_OK) {
        fuzz_check_run_error("instantiate", st, &error);
        goto out;
    }
    fuzz_call_exports(module, instance);
out:
    if (instance) wasmrt_instance_free(instance);
    if (linker) wasmrt_linker_free(linker);
    if (module) wasmrt_module_free(module);
    wasmrt_engine_free(engine);
    fuzz_imports_free(imports, import_count);
    return 0;
}

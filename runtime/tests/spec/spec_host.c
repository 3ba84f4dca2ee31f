/* spec_host.c: the "spectest" host module that spec scripts import from, as the
 * spec-test folder's README describes it: four globals of 666 / 666.6, a funcref table
 * of 10 (max 20), a memory of 1 page (max 2) and the print functions. */
#include <inttypes.h>
#include <string.h>

#include "spec.h"

/* The print functions write their arguments to the FILE given as user data, or
 * nowhere when it is NULL (the runner passes stdout only with -v). */
static wasmrt_status spec_host_print(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                                     wasmrt_value *results, unsigned count)
{
    FILE *out = user;
    (void)caller;
    (void)results;
    if (!out) return WASMRT_OK;
    fputs("spectest.print:", out);
    for (unsigned i = 0; i < count; i++) {
        char buf[64];
        spec_value_format(args[i], buf, sizeof buf);
        fprintf(out, " %s", buf);
    }
    fputc('\n', out);
    return WASMRT_OK;
}

static wasmrt_status spec_host_print0(wasmrt_caller *c, void *u, const wasmrt_value *a,
                                      wasmrt_value *r)
{
    return spec_host_print(c, u, a, r, 0);
}

static wasmrt_status spec_host_print1(wasmrt_caller *c, void *u, const wasmrt_value *a,
                                      wasmrt_value *r)
{
    return spec_host_print(c, u, a, r, 1);
}

static wasmrt_status spec_host_print2(wasmrt_caller *c, void *u, const wasmrt_value *a,
                                      wasmrt_value *r)
{
    return spec_host_print(c, u, a, r, 2);
}

static wasmrt_status spec_host_define_extern(wasmrt_linker *linker, const char *name,
                                             wasmrt_extern ext, wasmrt_error *error)
{
    return wasmrt_linker_define(linker, "spectest", name, ext, error);
}

static wasmrt_status spec_host_define_global(wasmrt_engine *engine, wasmrt_linker *linker,
                                             const char *name, wasmrt_value value,
                                             wasmrt_error *error)
{
    wasmrt_extern ext = {.kind = WASMRT_EXTERN_GLOBAL};
    wasmrt_status st = wasmrt_global_new(engine, value, 0, &ext.of.global, error);
    if (st != WASMRT_OK) return st;
    return spec_host_define_extern(linker, name, ext, error);
}

wasmrt_status spec_host_define(wasmrt_engine *engine, wasmrt_linker *linker, wasmrt_error *error,
                               FILE *print_to)
{
    static const struct {
        const char *name, *signature;
        wasmrt_host_fn fn;
    } funcs[] = {
        {"print", ":", spec_host_print0},           {"print_i32", "i:", spec_host_print1},
        {"print_i64", "I:", spec_host_print1},      {"print_f32", "f:", spec_host_print1},
        {"print_f64", "F:", spec_host_print1},      {"print_i32_f32", "if:", spec_host_print2},
        {"print_f64_f64", "FF:", spec_host_print2},
    };
    wasmrt_status st;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        st = wasmrt_linker_define_func(linker, "spectest", funcs[i].name, funcs[i].signature,
                                       funcs[i].fn, print_to, error);
        if (st != WASMRT_OK) return st;
    }

    /* 666.6 rounded to each width, as the reference interpreter's spectest has it. */
    if ((st = spec_host_define_global(engine, linker, "global_i32", wasmrt_i32(666), error)) ||
        (st = spec_host_define_global(engine, linker, "global_i64", wasmrt_i64(666), error)) ||
        (st = spec_host_define_global(engine, linker, "global_f32", wasmrt_f32(666.6f), error)) ||
        (st = spec_host_define_global(engine, linker, "global_f64", wasmrt_f64(666.6), error)))
        return st;

    wasmrt_extern table = {.kind = WASMRT_EXTERN_TABLE};
    st = wasmrt_table_new(engine, WASMRT_FUNCREF, 10, 20, 1, &table.of.table, error);
    if (st != WASMRT_OK || (st = spec_host_define_extern(linker, "table", table, error))) return st;

    wasmrt_extern memory = {.kind = WASMRT_EXTERN_MEMORY};
    st = wasmrt_memory_new(engine, 1, 2, 1, &memory.of.memory, error);
    if (st != WASMRT_OK || (st = spec_host_define_extern(linker, "memory", memory, error)))
        return st;
    return WASMRT_OK;
}

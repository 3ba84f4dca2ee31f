/* cli_inspect.c: `wasmrt inspect MODULE.wasm`: what a module is made of (sections
 * with offsets and sizes), what it needs (imports), what it offers (exports with
 * function types), its memory, and summary counts and sizes. */
#include "cli.h"

#include <stdio.h>

static const char *cli_kind_name(wasmrt_extern_kind kind)
{
    switch (kind) {
    case WASMRT_EXTERN_FUNC:
        return "func";
    case WASMRT_EXTERN_TABLE:
        return "table";
    case WASMRT_EXTERN_MEMORY:
        return "memory";
    case WASMRT_EXTERN_GLOBAL:
        return "global";
    }
    return "?";
}

static void cli_print_functype(const wasmrt_functype *type)
{
    printf(" (");
    for (uint32_t i = 0; i < type->param_count; i++)
        printf("%s%s", i ? ", " : "", wasmrt_valtype_name(type->params[i]));
    printf(") -> (");
    for (uint32_t i = 0; i < type->result_count; i++)
        printf("%s%s", i ? ", " : "", wasmrt_valtype_name(type->results[i]));
    printf(")");
}

static void cli_print_module(const char *path, const wasmrt_module *module)
{
    wasmrt_module_stats stats;
    wasmrt_module_get_stats(module, &stats);
    printf("module: %s (%zu bytes)\n", path, stats.binary_size);

    uint32_t sections = wasmrt_module_section_count(module);
    printf("sections (%u):\n", sections);
    for (uint32_t i = 0; i < sections; i++) {
        const char *name;
        size_t offset, size;
        wasmrt_module_section(module, i, &name, &offset, &size);
        printf("  %-24s offset 0x%06zx  size %8zu\n", name, offset, size);
    }

    uint32_t imports = wasmrt_module_import_count(module);
    printf("imports (%u):\n", imports);
    for (uint32_t i = 0; i < imports; i++) {
        wasmrt_import_info info;
        wasmrt_module_import(module, i, &info);
        printf("  %-6s %s.%s\n", cli_kind_name(info.kind), info.module, info.name);
    }

    uint32_t exports = wasmrt_module_export_count(module);
    printf("exports (%u):\n", exports);
    for (uint32_t i = 0; i < exports; i++) {
        wasmrt_export_info info;
        wasmrt_module_export(module, i, &info);
        printf("  %-6s %s [%u]", cli_kind_name(info.kind), info.name, info.index);
        wasmrt_functype type;
        if (info.kind == WASMRT_EXTERN_FUNC &&
            wasmrt_module_export_functype(module, info.name, &type) == WASMRT_OK)
            cli_print_functype(&type);
        printf("\n");
    }

    if (stats.memory_count == 0) {
        printf("memory: none\n");
    } else {
        printf("memory: %u, min %u pages (%llu KiB)", stats.memory_count, stats.memory_min_pages,
               (unsigned long long)stats.memory_min_pages * 64);
        if (stats.memory_has_max)
            printf(", max %u pages (%llu KiB)\n", stats.memory_max_pages,
                   (unsigned long long)stats.memory_max_pages * 64);
        else
            printf(", no max\n");
    }
    printf("functions: %u defined, %u imported\n", stats.function_count,
           stats.imported_function_count);
    printf("tables: %u, globals: %u, element segments: %u, custom sections: %u\n",
           stats.table_count, stats.global_count, stats.element_count, stats.custom_count);
    printf("code: %zu bytes, data: %u segments, %zu bytes\n", stats.code_size, stats.data_count,
           stats.data_size);
}

int cli_inspect(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "wasmrt inspect: expected exactly one MODULE.wasm, found %d arguments\n",
                argc - 1);
        return CLI_EXIT_USAGE;
    }
    wasmrt_config config;
    wasmrt_config_default(&config);
    wasmrt_engine *engine;
    wasmrt_error error;
    if (wasmrt_engine_new(&config, &engine, &error) != WASMRT_OK) {
        cli_print_error("engine", &error);
        return CLI_EXIT_ERROR;
    }
    wasmrt_module *module;
    if (cli_module_load(engine, argv[1], &module) != WASMRT_OK) {
        wasmrt_engine_free(engine);
        return CLI_EXIT_ERROR;
    }
    cli_print_module(argv[1], module);
    wasmrt_module_free(module);
    wasmrt_engine_free(engine);
    return 0;
}

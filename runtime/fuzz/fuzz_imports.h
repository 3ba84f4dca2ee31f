/* fuzz_imports.h: the types of a module's imports, read from its binary. wasmrt.h
 * lists imports by name and kind only, but the fuzzer must build a host function,
 * memory, table or global of exactly the imported type for instantiation to go on. */
#ifndef FUZZ_IMPORTS_H
#define FUZZ_IMPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "wasmrt.h"

typedef struct fuzz_import {
    wasmrt_extern_kind kind;
    /* func: wasmrt signature string ("iI:f") and the result types */
    char *signature;
    wasmrt_valtype *results;
    uint32_t result_count;
    /* table, memory: limits; table: element type; global: value type, mutability */
    uint32_t min, max;
    int has_max;
    wasmrt_valtype valtype;
    int mutable_;
} fuzz_import;

/* Reads the type and import sections of a module that wasmrt already accepted.
 * Returns the number of imports in *out (caller frees with fuzz_imports_free), or -1
 * if an import uses a type the fuzzer cannot build (v128, unknown limits flags). */
int fuzz_imports_read(const uint8_t *bytes, size_t size, fuzz_import **out);
void fuzz_imports_free(fuzz_import *imports, int count);

#endif

/* fuzz_imports.c: reads the type and import sections of a wasm binary, just far
 * enough to know each import's type. It runs only on modules wasmrt has accepted, but
 * checks every bound anyway: a disagreement with the engine must not crash the fuzzer. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_imports.h"

typedef struct fuzz_reader {
    const uint8_t *p, *end;
    int failed;
} fuzz_reader;

static uint8_t fuzz_byte(fuzz_reader *r)
{
    if (r->p >= r->end) {
        r->failed = 1;
        return 0;
    }
    return *r->p++;
}

static uint32_t fuzz_u32(fuzz_reader *r)
{
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        uint8_t b = fuzz_byte(r);
        v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    r->failed = 1;
    return 0;
}

static void fuzz_skip(fuzz_reader *r, uint32_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->failed = 1;
        r->p = r->end;
        return;
    }
    r->p += n;
}

/* The wasmrt signature letter of a value type, or 0 if the fuzzer cannot supply it. */
static char fuzz_letter(uint8_t type)
{
    switch (type) {
    case WASMRT_I32:
        return 'i';
    case WASMRT_I64:
        return 'I';
    case WASMRT_F32:
        return 'f';
    case WASMRT_F64:
        return 'F';
    case WASMRT_V128:
        return 'v';
    case WASMRT_EXTERNREF:
        return 'r';
    case WASMRT_FUNCREF:
        return 'R';
    default:
        return 0;
    }
}

typedef struct fuzz_functype {
    char *signature;
    wasmrt_valtype *results;
    uint32_t result_count;
} fuzz_functype;

static int fuzz_read_types(fuzz_reader *r, fuzz_functype **out, uint32_t *count)
{
    uint32_t n = fuzz_u32(r);
    if (r->failed || n > (uint32_t)(r->end - r->p)) return -1;
    fuzz_functype *types = calloc(n ? n : 1, sizeof *types);
    if (!types) return -1;
    *out = types;
    *count = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        if (fuzz_byte(r) != 0x60) return -1;
        uint32_t params = fuzz_u32(r);
        if (r->failed || params > (uint32_t)(r->end - r->p)) return -1;
        const uint8_t *param_types = r->p;
        fuzz_skip(r, params);
        uint32_t results = fuzz_u32(r);
        if (r->failed || results > (uint32_t)(r->end - r->p)) return -1;
        const uint8_t *result_types = r->p;
        fuzz_skip(r, results);
        char *sig = malloc((size_t)params + results + 2);
        wasmrt_valtype *res = calloc(results ? results : 1, sizeof *res);
        types[i].signature = sig;
        types[i].results = res;
        types[i].result_count = results;
        if (!sig || !res) return -1;
        size_t k = 0;
        for (uint32_t j = 0; j < params; j++)
            sig[k++] = fuzz_letter(param_types[j]);
        sig[k++] = ':';
        for (uint32_t j = 0; j < results; j++) {
            sig[k++] = fuzz_letter(result_types[j]);
            res[j] = (wasmrt_valtype)result_types[j];
        }
        sig[k] = '\0';
        if (strlen(sig) != k) /* a type without a letter */
            types[i].signature[0] = '\0', types[i].result_count = UINT32_MAX;
    }
    return r->failed ? -1 : 0;
}

static void fuzz_read_limits(fuzz_reader *r, fuzz_import *im)
{
    uint8_t flags = fuzz_byte(r);
    if (flags > 1) {
        r->failed = 1;
        return;
    }
    im->min = fuzz_u32(r);
    im->has_max = flags == 1;
    im->max = im->has_max ? fuzz_u32(r) : 0;
}

static int fuzz_read_imports(fuzz_reader *r, const fuzz_functype *types, uint32_t type_count,
                             fuzz_import **out, uint32_t *allocated)
{
    uint32_t n = fuzz_u32(r);
    if (r->failed || n > (uint32_t)(r->end - r->p)) return -1;
    fuzz_import *imports = calloc(n ? n : 1, sizeof *imports);
    if (!imports) return -1;
    *out = imports;
    *allocated = n;
    for (uint32_t i = 0; i < n; i++) {
        fuzz_import *im = &imports[i];
        fuzz_skip(r, fuzz_u32(r)); /* module name */
        fuzz_skip(r, fuzz_u32(r)); /* field name */
        uint8_t kind = fuzz_byte(r);
        if (r->failed) return -1;
        im->kind = (wasmrt_extern_kind)kind;
        if (kind == WASMRT_EXTERN_FUNC) {
            uint32_t t = fuzz_u32(r);
            if (t >= type_count || types[t].result_count == UINT32_MAX) return -1;
            im->signature = strdup(types[t].signature);
            im->result_count = types[t].result_count;
            im->results = calloc(im->result_count ? im->result_count : 1, sizeof *im->results);
            if (!im->signature || !im->results) return -1;
            memcpy(im->results, types[t].results, im->result_count * sizeof *im->results);
        } else if (kind == WASMRT_EXTERN_TABLE) {
            im->valtype = (wasmrt_valtype)fuzz_byte(r);
            fuzz_read_limits(r, im);
        } else if (kind == WASMRT_EXTERN_MEMORY) {
            fuzz_read_limits(r, im);
        } else if (kind == WASMRT_EXTERN_GLOBAL) {
            uint8_t type = fuzz_byte(r);
            if (!fuzz_letter(type)) return -1;
            im->valtype = (wasmrt_valtype)type;
            im->mutable_ = fuzz_byte(r) == 1;
        } else {
            return -1;
        }
        if (r->failed) return -1;
    }
    return (int)n;
}

static int fuzz_read_import_section(fuzz_reader *r, const fuzz_functype *types, uint32_t type_count,
                                    fuzz_import **out)
{
    uint32_t allocated = 0;
    int count = fuzz_read_imports(r, types, type_count, out, &allocated);
    if (count < 0) {
        fuzz_imports_free(*out, (int)allocated);
        *out = NULL;
    }
    return count;
}

int fuzz_imports_read(const uint8_t *bytes, size_t size, fuzz_import **out)
{
    fuzz_reader r = {bytes, bytes + size, 0};
    fuzz_functype *types = NULL;
    uint32_t type_count = 0;
    int count = 0;
    *out = NULL;
    fuzz_skip(&r, 8); /* magic and version */
    while (!r.failed && r.p < r.end) {
        uint8_t id = fuzz_byte(&r);
        uint32_t len = fuzz_u32(&r);
        if (r.failed || len > (uint32_t)(r.end - r.p)) break;
        fuzz_reader section = {r.p, r.p + len, 0};
        r.p += len;
        if (id == 1 && !types) {
            if (fuzz_read_types(&section, &types, &type_count) != 0) {
                count = -1;
                break;
            }
        } else if (id == 2) {
            count = fuzz_read_import_section(&section, types, type_count, out);
            break;
        } else if (id > 2 && id != 12) {
            break; /* past the import section (12, datacount, may not come earlier) */
        }
    }
    for (uint32_t i = 0; i < type_count; i++) {
        free(types[i].signature);
        free(types[i].results);
    }
    free(types);
    return count;
}

void fuzz_imports_free(fuzz_import *imports, int count)
{
    for (int i = 0; imports && i < count; i++) {
        free(imports[i].signature);
        free(imports[i].results);
    }
    free(imports);
}

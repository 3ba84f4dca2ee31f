/* code.h: a function's translated code (the internal code of ops.h that compile.c
 * writes and interp.c runs), and how a stage gets it: translated on first use. */
#ifndef WASMRT_CODE_H
#define WASMRT_CODE_H

#include "module.h"

/* Compiled code of one function (compile.c), read by interp.c. The words are
 * followed by reloc_count relocations, uint32_t each: which words hold a host
 * pointer, so code_cache.c can store them as indices (position << 1 | kind). */
struct code {
    uint32_t param_slots; /* = param count */
    uint32_t local_slots; /* non-parameter locals, zeroed on entry */
    uint32_t frame_slots; /* params + locals + operand stack high water */
    uint32_t word_count;
    uint32_t func_index; /* in the module's function space: names a trap's function */
    uint32_t reloc_count;
    uint64_t words[];
};
enum code_reloc_kind {
    CODE_RELOC_FUNC = 0, /* OP_CALL's func_entry *; the word after next caches the callee */
    CODE_RELOC_TYPE = 1  /* OP_CALL_INDIRECT's interned functype * */
};
static inline uint32_t *code_relocs(code *cd)
{
    return (uint32_t *)(cd->words + cd->word_count);
}

/* Translates one defined function to the interpreter's code (emit.c; the pass
 * of compile.h with the interpreter's backend). */
wasmrt_status compile_function(const wasmrt_module *module, const func_entry *fn, code **out,
                               wasmrt_error *error);
/* The compiled code of fn, translating it on first use (thread-safe). */
code *compile_get(func_entry *fn, wasmrt_error *error);

#endif

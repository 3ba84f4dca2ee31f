/* layout.h: what compiled code and the engine agree on, in memory and in code files:
 * the instance's table of function entries and global cells (at a fixed offset from
 * the instance, which r14 holds), the helper table compiled code calls through, and
 * the record before each compiled function (its index, its entries, the code offsets
 * where a guard page may stop a memory access). Compiled code holds no address: it
 * reaches everything through these, so it runs at any address, in any instance of its
 * module, and can be stored in a file. */
#ifndef WASMRT_JIT_LAYOUT_H
#define WASMRT_JIT_LAYOUT_H

#include <stdint.h>

#include "module.h"

/* The instance is followed by void *[func_count] (where a call to each function
 * goes: its compiled body, or a stub that compiles it or runs it in the
 * interpreter), then wasmrt_global *[global_count] (each global's cell). */
#define JIT_TABLE_OFFSET ((int32_t)sizeof(wasmrt_instance))
static inline int32_t jit_func_slot(uint32_t func)
{
    return JIT_TABLE_OFFSET + 8 * (int32_t)func;
}
static inline int32_t jit_global_slot(const wasmrt_module *m, uint32_t global)
{
    return JIT_TABLE_OFFSET + 8 * (int32_t)(m->func_count + global);
}
static inline void **jit_table(wasmrt_instance *inst)
{
    return (void **)(inst + 1);
}

/* The helper table (wasmrt_instance.jit_helpers): stubs and C functions compiled code
 * calls, by index. The order is part of the code file format (aot.c). */
enum jit_helper {
    JH_TRAP,          /* stub: esi = trap kind, edx = function: record and unwind */
    JH_STATUS,        /* stub: eax = a status (not OK), edx = function: unwind */
    JH_LAZY,          /* stub: a call's target not compiled yet (r11 = its table slot) */
    JH_INTERP,        /* stub: a call's target runs in the interpreter */
    JH_MEMORY_GROW,   /* C: (inst, delta) -> old size or -1 */
    JH_CALL_IMPORT,   /* C: (thread, inst, function, args) -> status */
    JH_CALL_INDIRECT, /* C: (thread, inst, wasmrt_func *, args) -> status */
    JH_DEADLINE,      /* C: (thread) -> trap kind */
    JH_MEMORY_COPY,   /* C: exec_ops.c's (inst, fp, pc) -> trap kind */
    JH_MEMORY_FILL,
    JH_MEMORY_INIT,
    JH_TABLE_GET,
    JH_TABLE_SET,
    JH_TABLE_GROW,
    JH_TABLE_FILL,
    JH_TABLE_COPY,
    JH_TABLE_INIT,
    JH_COUNT
};

/* Every record's size is a multiple of this, and records lie back to back from a
 * chunk's or a code file's page-aligned start, so a function's code sits at the same
 * offset in its cache lines however it was placed: compiled lazily in call order,
 * eagerly, or mapped from a compiled module. With 16, fib(40) from a `.cwasm` ran 21%
 * slower than compiled lazily: the same bytes at another offset. */
#define JIT_RECORD_ALIGN 64u

/* Before each compiled function, JIT_RECORD_ALIGN-aligned. Offsets are from the
 * record's start; the next record follows at `size`. */
typedef struct jit_record {
    uint32_t func;     /* index in the module's function space */
    uint32_t size;     /* bytes from this record to the next */
    uint32_t body;     /* the body: the internal convention (jitc.h) */
    uint32_t entry;    /* the C-convention entry's body (slots at rbx; jit_enter calls it) */
    uint32_t code_end; /* where the code ends (the fault table follows) */
    uint32_t nfaults;  /* uint32_t code offsets, sorted, at code_end */
} jit_record;

/* The file of machine code (src/jit/aot.c): this header, the module's bytes (in a
 * compiled module), a uint32_t per defined function (its record's offset in the code,
 * or AOT_NONE), then from a page boundary the records back to back. */
#define AOT_MAGIC "wasmrtAO"
#define AOT_VERSION 1
#define AOT_NONE UINT32_MAX
#define AOT_PAGE 4096u

typedef struct aot_header {
    char magic[8];
    uint32_t version, header_size;
    uint64_t build;  /* cache_build_id() of the writer */
    uint64_t layout; /* what the code relies on (aot_layout) */
    uint32_t bounds; /* 1: explicit bounds checks */
    uint32_t metered;
    uint32_t cpu_features; /* jit_cpu_features() of the writer: what the code may use */
    uint32_t func_count, imported_funcs, global_count;
    uint64_t module_hash[2];             /* cache_hash of the module's bytes */
    uint64_t module_offset, module_size; /* the bytes (a compiled module; else 0) */
    uint64_t table_offset;               /* uint32_t per defined function */
    uint64_t code_offset, code_size;     /* the records, from a page boundary */
    uint64_t file_size;
    uint64_t checksum; /* aot_checksum: all the file but this field (the header's last) */
} aot_header;
_Static_assert(sizeof(aot_header) == offsetof(aot_header, checksum) + 8 &&
                   offsetof(aot_header, checksum) % 8 == 0,
               "the checksum ends the header, in whole words");

/* The file's checksum: every byte but the field's. */
uint64_t aot_checksum(const uint8_t *file, size_t size);

#endif

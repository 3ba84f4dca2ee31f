/* module.h: the engine's internal data model: the decoded module (types, imports,
 * functions, segments, exports) and the runtime objects (engine, instance, memory,
 * table, global, func). Data only: each stage that fills or reads it declares its
 * functions in its own header (load.h, code.h, interp.h, exec.h, memory.h,
 * instance.h, cache.h, engine.h), so the stages depend on this file and not on each
 * other. Nothing here is part of the public API. */
#ifndef WASMRT_MODULE_H
#define WASMRT_MODULE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

#include "wasmrt.h"

#define WASM_PAGE 65536u
#define WASM_MAX_PAGES 65536u
#define ENGINE_DEFAULT_CALL_DEPTH 65536u
#define EXEC_MAX_FRAMES (1u << 20)
#define EXEC_STACK_BYTES (128ull << 20)
/* A v128 in slot s keeps its upper 8 bytes EXEC_V128_HI slots further, in the shadow
 * half of the value stack (simd.h): frames and slot indices stay as scalar code has
 * them. */
#define EXEC_V128_HI (EXEC_STACK_BYTES / sizeof(uint64_t))
/* Guard-mode reservation: any u32 address plus any u32 offset stays inside it. */
#define MEMORY_GUARD_RESERVATION (8ull << 30)

/* A function type, interned per engine so equal types share one pointer and
 * call_indirect compares pointers. params and results point into one array. */
typedef struct functype {
    uint32_t param_count, result_count;
    wasmrt_valtype *params, *results;
    struct functype *next; /* intern list */
} functype;

typedef struct limits {
    uint64_t min, max;
    int has_max;
    size_t at; /* byte offset in the binary, for errors */
} limits;

/* A constant expression: one instruction (MVP + reference types + v128.const). */
typedef struct const_expr {
    uint8_t opcode; /* 0x41 0x42 0x43 0x44 0xd0 0xd2 0x23, 0xfd for v128.const */
    uint32_t index; /* ref.func / global.get */
    uint64_t bits;  /* number constants; a v128's low 8 bytes */
    uint64_t bits_hi; /* a v128's high 8 bytes */
    wasmrt_valtype type;
    size_t at;
} const_expr;

typedef struct import_desc {
    char *module, *name;
    wasmrt_extern_kind kind;
    uint32_t index; /* type index (func); else index into the kind's space */
    size_t at;      /* offset of the type index (func) */
} import_desc;

typedef struct table_type {
    wasmrt_valtype elem;
    limits lim;
} table_type;

typedef struct global_type {
    wasmrt_valtype type;
    int mutable_;
    const_expr init; /* defined globals */
} global_type;

typedef struct export_desc {
    char *name;
    uint32_t name_len; /* names may hold NUL bytes */
    wasmrt_extern_kind kind;
    uint32_t index;
    size_t at;
} export_desc;

enum segment_mode { SEGMENT_ACTIVE, SEGMENT_PASSIVE, SEGMENT_DECLARATIVE };

typedef struct elem_segment {
    enum segment_mode mode;
    size_t at;
    uint32_t table;
    const_expr offset;
    wasmrt_valtype type;
    uint32_t count;
    const_expr *items;
} elem_segment;

typedef struct data_segment {
    enum segment_mode mode;
    size_t at;
    uint32_t memory;
    const_expr offset;
    const uint8_t *bytes; /* into the module's copy of the binary */
    uint32_t size;
} data_segment;

/* A function's translated code (code.h); module data only points at it. */
typedef struct code code;

struct wasmrt_module;
/* One function of the module's function space (imports first). */
typedef struct func_entry {
    uint32_t type_index;
    size_t type_at; /* where the type index was read */
    const functype *type;
    uint32_t index;
    /* defined functions only */
    size_t body_offset, body_size; /* the expression after the locals */
    uint32_t local_count;          /* excluding params */
    uint32_t local_run_count;      /* (count, type) runs as decoded */
    uint32_t *local_run_counts;
    wasmrt_valtype *local_run_types;
    _Atomic(code *) compiled;
    struct wasmrt_module *module;
    _Atomic(void *) native;   /* compiled mode: the entry (jit.h jit_fn) */
    _Atomic(void *) internal; /* compiled mode: the C entry's body (src/jit/stubs.c) */
    _Atomic(void *) body;     /* compiled mode: where calls from compiled code go */
} func_entry;

typedef struct section_info {
    char name[48];
    size_t offset, size;
} section_info;

struct wasmrt_engine {
    wasmrt_config config;
    char *cache_dir; /* config.cache_dir points here */
    pthread_mutex_t lock; /* type interning and host-object list */
    functype *types;
    struct engine_object *objects; /* host objects owned by the engine */
    struct wasmrt_instance *orphans; /* failed instantiations others may reference */
};

struct wasmrt_module {
    wasmrt_engine *engine;
    uint8_t *bytes;
    size_t size;
    uint32_t type_count;
    const functype **types;
    uint32_t import_count;
    import_desc *imports;
    uint32_t func_count, imported_funcs;
    func_entry *funcs;
    uint32_t table_count, imported_tables;
    table_type *tables;
    uint32_t memory_count, imported_memories;
    limits *memories;
    uint32_t global_count, imported_globals;
    global_type *globals;
    uint32_t export_count;
    export_desc *exports;
    int has_start;
    uint32_t start;
    size_t start_at;
    uint32_t elem_count;
    elem_segment *elems;
    int has_data_count;
    uint32_t data_count;
    data_segment *datas;
    uint32_t custom_count;
    size_t code_size, code_end;
    uint32_t section_count;
    section_info *sections;
    uint8_t *declared_funcs; /* funcs referenced outside code: ref.func allowed */
    char **func_names;       /* from the name section, may be NULL */
    pthread_mutex_t lock;    /* lazy compile, memory image */
    int image_state;         /* 0 = not built, 1 = built, -1 = not usable */
    int image_deferred;      /* the first instance went without (instance.c) */
    int image_fd;
    size_t image_size;
    uint64_t cache_key[2]; /* cache.c: hash of bytes, when the engine has a cache */
    void *code_map; /* code_cache.c: the mapped file the cached code lives in */
    size_t code_map_size;
    uint32_t code_map_count; /* functions adopted from it */
    struct tier_arena *jit; /* src/jit/arena.c: machine code, when compiled */
    uint32_t jit_adopted;   /* functions whose code came from a file (src/jit/aot.c) */
    /* Translation with explicit bounds checks (every access compared with the memory's
     * size) rather than for a guard reservation. Set from the engine's bounds mode; the
     * checked twin below has it set in a guard-mode engine. */
    int bounds_checked;
    /* A guard-code module's copy loaded again for explicit-bounds instances (instance.c:
     * WASMRT_BOUNDS_DEFAULT beyond the guard limit, or an imported explicit memory); made
     * on first need under lock, freed with the module. Shares nothing mutable. */
    struct wasmrt_module *checked_twin;
};

/* ---- runtime objects --------------------------------------------------------- */

struct wasmrt_func {
    const functype *type;
    wasmrt_instance *inst;    /* NULL for host functions */
    const func_entry *entry;  /* defined wasm function */
    wasmrt_host_fn host;
    void *user;
};

struct wasmrt_memory {
    uint8_t *base;
    uint64_t size;       /* bytes accessible */
    uint64_t reserved;   /* bytes of address space mapped at base */
    uint32_t pages, max_pages;
    int has_max;
    int guard;           /* 1 = guard-page reservation, no explicit checks */
    int recycled;        /* the reservation came from memory.c's pool (zeroed) */
};

struct wasmrt_table {
    wasmrt_valtype elem;
    uint32_t size, max;
    int has_max;
    void **items;
};

struct wasmrt_global {
    uint64_t value; /* first: instances point at it as their cell */
    uint64_t value_hi; /* a v128's high 8 bytes */
    wasmrt_valtype type;
    int mutable_;
};

struct wasmrt_instance {
    const struct wasmrt_module *module;
    wasmrt_engine *engine;
    void *user;
    wasmrt_memory *memory;     /* memory 0, own or imported */
    wasmrt_func **funcs;       /* whole function space */
    wasmrt_table **tables;
    wasmrt_global **globals;
    uint8_t *elem_dropped, *data_dropped;
    wasmrt_memory own_memory;
    uint32_t own_tables_first, own_tables_end; /* tables this instance created */
    struct wasmrt_instance *next_orphan;       /* engine list, see instance.c */
    void *const *jit_helpers;                  /* src/jit/: the helper table */
    const struct functype *const *jit_types;   /* the module's types, for call_indirect */
    /* followed in the same allocation by the compiled code's table (src/jit/layout.h,
       when compiled), the arrays above and the owned objects */
};

static inline int valtype_is_ref(wasmrt_valtype t)
{
    return t == WASMRT_FUNCREF || t == WASMRT_EXTERNREF;
}

#endif

/* module.h: the engine's internal data model, shared by the pipeline stages
 * (decode -> validate -> compile -> interp) and the runtime objects (engine,
 * instance, memory, table, global, func). Nothing here is part of the public API. */
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

/* A constant expression: one instruction (MVP + reference types). */
typedef struct const_expr {
    uint8_t opcode; /* 0x41 0x42 0x43 0x44 0xd0 0xd2 0x23 */
    uint32_t index; /* ref.func / global.get */
    uint64_t bits;  /* number constants */
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

/* Compiled code of one function (compile.c), read by interp.c. The words are
 * followed by reloc_count relocations, uint32_t each: which words hold a host
 * pointer, so code_cache.c can store them as indices (position << 1 | kind). */
typedef struct code {
    uint32_t param_slots;  /* = param count */
    uint32_t local_slots;  /* non-parameter locals, zeroed on entry */
    uint32_t frame_slots;  /* params + locals + operand stack high water */
    uint32_t word_count;
    uint32_t func_index;   /* in the module's function space: names a trap's function */
    uint32_t reloc_count;
    uint64_t words[];
} code;
enum code_reloc_kind {
    CODE_RELOC_FUNC = 0, /* OP_CALL's func_entry *; the word after next caches the callee */
    CODE_RELOC_TYPE = 1  /* OP_CALL_INDIRECT's interned functype * */
};
static inline uint32_t *code_relocs(code *cd)
{
    return (uint32_t *)(cd->words + cd->word_count);
}

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
    _Atomic(void *) internal; /* compiled mode: the body, called from compiled code */
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
    struct jit_arena *jit;   /* jit.c: machine code, when compiled */
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
    /* followed in the same allocation by the arrays above and the owned objects */
};

/* ---- errors (engine.c) ------------------------------------------------------- */

wasmrt_status error_set(wasmrt_error *error, wasmrt_status status, size_t offset,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
wasmrt_status error_trap(wasmrt_error *error, wasmrt_trap_kind kind, const char *detail);

/* ---- engine.c ---------------------------------------------------------------- */

const functype *engine_intern_type(wasmrt_engine *engine, const wasmrt_valtype *params,
                                   uint32_t param_count, const wasmrt_valtype *results,
                                   uint32_t result_count);
void *engine_own(wasmrt_engine *engine, size_t size);

/* ---- decode.c / validate.c --------------------------------------------------- */

wasmrt_status decode_module(wasmrt_module *module, wasmrt_error *error);
/* decode_body.c: every body well-formed, before any type checking */
wasmrt_status decode_bodies(const wasmrt_module *module, wasmrt_error *error);
/* check_bodies = 0: the module-level checks only (the bodies passed before: cache.c) */
wasmrt_status validate_module(wasmrt_module *module, int check_bodies, wasmrt_error *error);
/* cache.c: whether these bytes validated before; recording that they did */
/* key: cache_hash of the module's bytes (wasmrt_module.cache_key) */
int cache_validated(const wasmrt_engine *engine, const uint64_t key[2], size_t size);
void cache_record_validated(const wasmrt_engine *engine, const uint64_t key[2], size_t size);
/* the 128-bit hash naming entries; an entry's path (suffix appended); mkdir -p */
void cache_hash(const uint8_t *p, size_t n, uint64_t out[2]);
int cache_path(const wasmrt_engine *engine, const uint64_t key[2], size_t size, const char *suffix,
               char *path, size_t cap);
int cache_make_dir(const wasmrt_engine *engine);

/* code_cache.c: translated code saved by earlier runs (wasmrt_module_cache_code).
 * The file: this header, then entry_count `code` images (words, relocations, padded
 * to 8 bytes) with relocated words holding indices. */
typedef struct code_cache_header {
    char magic[8];
    uint64_t fingerprint;  /* this build: handler addresses and GNU build ID */
    uint64_t module_size;
    uint32_t func_count;   /* the module's function space, a consistency check */
    uint32_t entry_count;
    uint64_t payload_size; /* bytes after the header */
    uint64_t checksum;     /* code_cache_sum of the payload */
} code_cache_header;
uint64_t code_cache_sum(const uint8_t *p, size_t n);
void code_cache_load(wasmrt_module *module);
int code_cache_owns(const wasmrt_module *module, const code *cd);
void code_cache_unmap(wasmrt_module *module);
int valtype_is_ref(wasmrt_valtype t);

/* ---- module.c ------------------------------------------------------------------ */

/* The module's checked twin (see wasmrt_module.checked_twin), loading it on first call;
 * the module itself when its code is already checked. NULL with error on failure. */
wasmrt_module *module_checked_twin(wasmrt_module *module, wasmrt_error *error);

/* ---- compile.c ----------------------------------------------------------------- */

/* Validates (out == NULL) or translates one defined function. */
wasmrt_status compile_function(const wasmrt_module *module, const func_entry *fn, code **out,
                               wasmrt_error *error);
/* The compiled code of fn, translating it on first use (thread-safe). */
code *compile_get(func_entry *fn, wasmrt_error *error);

/* ---- interp.c ------------------------------------------------------------------ */

/* Handler addresses by internal opcode (ops.h), filled by interp_init(). */
extern const void **interp_labels;
void interp_init(void);

/* ---- exec.c: calls from the host into wasm ---------------------------------- */

wasmrt_status exec_call(wasmrt_func *func, const uint64_t *args, uint64_t *results,
                        wasmrt_error *error);

/* ---- memory.c ------------------------------------------------------------------- */

wasmrt_status memory_init(wasmrt_memory *mem, uint32_t pages, uint32_t max_pages, int has_max,
                          int guard, wasmrt_error *error);
/* Returns the old page count or -1. */
int64_t memory_grow(wasmrt_memory *mem, uint32_t delta);
void memory_release(wasmrt_memory *mem);
/* Live memories of the process holding a guard reservation. */
uint32_t memory_guard_reservations(void);
/* Maps the module's initial-memory image copy-on-write; 0 if unusable. */
int memory_map_image(wasmrt_memory *mem, int fd, size_t size);
int memory_build_image(const uint8_t *data, size_t size);

/* ---- table (instance.c) -------------------------------------------------------- */

int64_t table_grow(wasmrt_table *table, uint32_t delta, void *init);
/* Keeps a failed instance alive until the engine is freed: its functions may
 * already sit in imported tables (the spec keeps such partial effects). */
void instance_orphan(wasmrt_instance *inst);
void instance_release(wasmrt_instance *inst);

/* ---- values ------------------------------------------------------------------- */

uint64_t value_to_bits(wasmrt_value v);
wasmrt_value value_from_bits(wasmrt_valtype type, uint64_t bits);
int const_eval(const wasmrt_instance *inst, const const_expr *e, uint64_t *out);

#endif

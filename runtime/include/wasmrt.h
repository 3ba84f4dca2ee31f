/* wasmrt.h: the public embedding API of the wasmrt WebAssembly engine.
 *
 * The only header an embedder (the wasmvs harness, the `wasmrt` CLI, the WASI layer,
 * the spec-test runner) includes. It says what the engine offers, not how.
 *
 * Life cycle:
 *   engine   = wasmrt_engine_new(&config)          limits and execution mode
 *   module   = wasmrt_module_load(engine, bytes)   decode + validate (+ compile, lazily)
 *                                                  immutable; shared by any number of
 *                                                  instances
 *   linker   = wasmrt_linker_new(engine)           names -> externs for imports
 *   instance = wasmrt_instance_new(linker, module) memories, tables, globals, start func
 *   wasmrt_instance_call(instance, "name", args, results)
 *
 * Errors: every fallible function returns a wasmrt_status and, when it is not
 * WASMRT_OK, fills the caller's wasmrt_error (may be NULL) with the kind, the trap
 * kind, the byte offset in the module, the function index and a message that says
 * what was expected and what was found.
 *
 * Threads: an engine, a module and a linker may be shared between threads once built;
 * an instance is used by one thread at a time.
 */
#ifndef WASMRT_H
#define WASMRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMRT_VERSION "0.1.0"

typedef struct wasmrt_engine wasmrt_engine;
typedef struct wasmrt_module wasmrt_module;
typedef struct wasmrt_linker wasmrt_linker;
typedef struct wasmrt_instance wasmrt_instance;
typedef struct wasmrt_func wasmrt_func;
typedef struct wasmrt_memory wasmrt_memory;
typedef struct wasmrt_table wasmrt_table;
typedef struct wasmrt_global wasmrt_global;
/* The context a host function runs in: the calling instance and its memory. */
typedef struct wasmrt_caller wasmrt_caller;

/* ---- values ------------------------------------------------------------------ */

typedef enum wasmrt_valtype {
    WASMRT_I32 = 0x7f,
    WASMRT_I64 = 0x7e,
    WASMRT_F32 = 0x7d,
    WASMRT_F64 = 0x7c,
    WASMRT_V128 = 0x7b, /* 128-bit vector (of.v128: lanes little-endian, as in memory) */
    WASMRT_FUNCREF = 0x70,
    WASMRT_EXTERNREF = 0x6f,
} wasmrt_valtype;

/* A typed value. Floats are carried as their bits so NaN payloads survive. A null
 * reference is ref == NULL; a funcref points to a wasmrt_func; an externref is any
 * host pointer (the engine never dereferences it). */
typedef struct wasmrt_value {
    wasmrt_valtype type;
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        void *ref;
        uint64_t v128[2]; /* bytes 0-7, bytes 8-15 */
    } of;
} wasmrt_value;

static inline wasmrt_value wasmrt_i32(int32_t v)
{
    wasmrt_value x;
    x.type = WASMRT_I32;
    x.of.i64 = 0;
    x.of.i32 = v;
    return x;
}
static inline wasmrt_value wasmrt_i64(int64_t v)
{
    wasmrt_value x;
    x.type = WASMRT_I64;
    x.of.i64 = v;
    return x;
}
/* The text format's name of a value type: "i32", "funcref", ...; "?" if unknown. */
const char *wasmrt_valtype_name(wasmrt_valtype type);
float wasmrt_value_f32(wasmrt_value v);
double wasmrt_value_f64(wasmrt_value v);
wasmrt_value wasmrt_f32(float v);
wasmrt_value wasmrt_f64(double v);

/* ---- errors ------------------------------------------------------------------ */

typedef enum wasmrt_status {
    WASMRT_OK = 0,
    WASMRT_ERR_MALFORMED,     /* the binary cannot be decoded */
    WASMRT_ERR_INVALID,       /* decoded, but fails validation */
    WASMRT_ERR_UNSUPPORTED,   /* a feature not implemented (e.g. threads, memory64) */
    WASMRT_ERR_LINK,          /* an import is missing or has the wrong type */
    WASMRT_ERR_TRAP,          /* execution trapped; see wasmrt_error.trap */
    WASMRT_ERR_EXIT,          /* the guest asked to exit; see wasmrt_error.exit_code */
    WASMRT_ERR_RESOURCE,      /* out of memory, address space, or a configured limit */
    WASMRT_ERR_NOT_FOUND,     /* no export of that name or kind */
    WASMRT_ERR_ARGUMENT,      /* the embedder passed wrong arguments (count, types) */
    WASMRT_ERR_IO,            /* reading a file failed */
} wasmrt_status;

typedef enum wasmrt_trap_kind {
    WASMRT_TRAP_NONE = 0,
    WASMRT_TRAP_UNREACHABLE,
    WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS,
    WASMRT_TRAP_TABLE_OUT_OF_BOUNDS,      /* also undefined element in call_indirect */
    WASMRT_TRAP_UNINITIALIZED_ELEMENT,
    WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
    WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO,
    WASMRT_TRAP_INTEGER_OVERFLOW,
    WASMRT_TRAP_INVALID_CONVERSION,
    WASMRT_TRAP_STACK_EXHAUSTED,
    WASMRT_TRAP_NULL_REFERENCE,
    WASMRT_TRAP_OUT_OF_FUEL,
    WASMRT_TRAP_DEADLINE,
    WASMRT_TRAP_HOST,                     /* a host function trapped */
} wasmrt_trap_kind;

#define WASMRT_NO_OFFSET ((size_t)-1)
#define WASMRT_NO_FUNC ((uint32_t)-1)

typedef struct wasmrt_error {
    wasmrt_status status;
    wasmrt_trap_kind trap;
    size_t offset;       /* byte offset in the module binary, or WASMRT_NO_OFFSET */
    uint32_t func_index; /* function where it happened, or WASMRT_NO_FUNC */
    int exit_code;       /* with WASMRT_ERR_EXIT */
    char message[256];
} wasmrt_error;

const char *wasmrt_status_name(wasmrt_status status);
/* The spec's wording for a trap kind, e.g. "integer divide by zero". */
const char *wasmrt_trap_name(wasmrt_trap_kind kind);

/* ---- engine ------------------------------------------------------------------ */

typedef enum wasmrt_bounds_mode {
    WASMRT_BOUNDS_DEFAULT = 0, /* per instance: guard pages while the process holds fewer
                                  than guard_memory_limit guard reservations, explicit checks
                                  beyond (and wherever the 8 GiB reservation fails) */
    WASMRT_BOUNDS_GUARD,       /* reserve 8 GiB per memory; no explicit checks */
    WASMRT_BOUNDS_EXPLICIT,    /* compare every access; memory sized as needed */
} wasmrt_bounds_mode;

/* WASMRT_BOUNDS_DEFAULT's guard_memory_limit when the config leaves it 0: 4096 guard
 * reservations take 32 TiB, a quarter of x86-64's user address space (which holds about
 * 16,380 of them), leaving the rest to everything else the process maps. */
#define WASMRT_DEFAULT_GUARD_MEMORY_LIMIT 4096u

typedef enum wasmrt_exec_mode {
    WASMRT_MODE_INTERP = 0, /* the fast interpreter */
    WASMRT_MODE_JIT = 1,    /* compiled to machine code on first call (x86-64 Linux);
                               the default where available */
} wasmrt_exec_mode;

typedef struct wasmrt_config {
    wasmrt_exec_mode mode;
    wasmrt_bounds_mode bounds;
    uint32_t max_memory_pages; /* per memory; 0 = 65536 (4 GiB) */
    uint32_t max_call_depth;   /* 0 = engine default */
    uint64_t fuel;             /* instructions-ish budget per call; 0 = unlimited */
    uint64_t deadline_ns;      /* wall-clock budget per call in ns; 0 = none */
    int lazy_compile;          /* 1 (default via wasmrt_config_default) = translate on first call */
    /* WASMRT_BOUNDS_DEFAULT: an instance's memory gets a guard reservation while fewer
     * than this many live memories of the process (every engine's) hold one; beyond, it
     * gets explicit checks and a
     * mapping of only its size (an explicit instance runs its module's code translated
     * with checks, made once per module on first need). 0 = the default below. */
    uint32_t guard_memory_limit;
    /* Cache directory (copied by wasmrt_engine_new; NULL = none, the default).
     * Validation: a module whose bodies validated once leaves an empty file named by
     * a hash of its bytes; loading the same bytes again skips type-checking the
     * bodies (most of a load); each function is still type-checked when translated.
     * Code: what wasmrt_module_cache_code stored is mapped at load and
     * runs without translating again; such a file is trusted, so it is used only
     * when owned by this user and not writable by others (code_cache.c). */
    const char *cache_dir;
} wasmrt_config;

void wasmrt_config_default(wasmrt_config *config);
wasmrt_status wasmrt_engine_new(const wasmrt_config *config, wasmrt_engine **out,
                                wasmrt_error *error);
void wasmrt_engine_free(wasmrt_engine *engine);

/* ---- module ------------------------------------------------------------------ */

typedef enum wasmrt_extern_kind {
    WASMRT_EXTERN_FUNC = 0,
    WASMRT_EXTERN_TABLE = 1,
    WASMRT_EXTERN_MEMORY = 2,
    WASMRT_EXTERN_GLOBAL = 3,
} wasmrt_extern_kind;

/* Decodes and validates; the bytes are copied, so the caller may free them. A compiled
 * module's bytes (.cwasm) are malformed here: it loads from its file, mapped. */
wasmrt_status wasmrt_module_load(wasmrt_engine *engine, const uint8_t *bytes, size_t size,
                                 wasmrt_module **out, wasmrt_error *error);
/* Reads the file and loads it; errors name the file. A compiled module (.cwasm) is
 * loaded as wasmrt_module_load_compiled does. */
wasmrt_status wasmrt_module_load_file(wasmrt_engine *engine, const char *path,
                                      wasmrt_module **out, wasmrt_error *error);
/* Compiled modules (.cwasm): the module's bytes and the machine code of all its
 * functions in one file, run without compiling. write compiles every function (an
 * engine in WASMRT_MODE_JIT) and writes the file. load maps it (the code runs where
 * it is mapped, never copied) after checking it serves this engine: written by this
 * same build of wasmrt, for the engine's bounds mode and metering (fuel or deadline),
 * for CPU features this machine has, undamaged, its records in range; otherwise it
 * fails with a message saying which, and nothing of the file runs. Loading does not
 * type-check the bodies again (they were, when compiled): a compiled module is
 * trusted as a native program is. */
wasmrt_status wasmrt_module_write_compiled(wasmrt_module *module, const char *path,
                                           wasmrt_error *error);
wasmrt_status wasmrt_module_load_compiled(wasmrt_engine *engine, const char *path,
                                          wasmrt_module **out, wasmrt_error *error);
/* Frees the module; every instance of it must be freed first. */
void wasmrt_module_free(wasmrt_module *module);
/* With a cache directory configured: stores the machine code of every function
 * compiled so far (WASMRT_MODE_JIT; the interpreter code of every function translated,
 * WASMRT_MODE_INTERP), so the next load of the same bytes by this same build of the
 * engine (same bounds mode and metering) maps it instead of compiling. Writes nothing
 * when there is nothing new; best effort (an error only means no file). */
wasmrt_status wasmrt_module_cache_code(wasmrt_module *module);

typedef struct wasmrt_import_info {
    const char *module;
    const char *name;
    wasmrt_extern_kind kind;
} wasmrt_import_info;

typedef struct wasmrt_export_info {
    const char *name;
    wasmrt_extern_kind kind;
    uint32_t index;
} wasmrt_export_info;

typedef struct wasmrt_functype {
    uint32_t param_count;
    uint32_t result_count;
    const wasmrt_valtype *params;
    const wasmrt_valtype *results;
} wasmrt_functype;

uint32_t wasmrt_module_import_count(const wasmrt_module *module);
void wasmrt_module_import(const wasmrt_module *module, uint32_t i, wasmrt_import_info *out);
uint32_t wasmrt_module_export_count(const wasmrt_module *module);
void wasmrt_module_export(const wasmrt_module *module, uint32_t i, wasmrt_export_info *out);
/* Type of an exported function by export name; WASMRT_ERR_NOT_FOUND if absent. */
wasmrt_status wasmrt_module_export_functype(const wasmrt_module *module, const char *name,
                                            wasmrt_functype *out);

/* Facts for `wasmrt inspect`. */
typedef struct wasmrt_module_stats {
    size_t binary_size;
    uint32_t function_count; /* defined, not imported */
    uint32_t imported_function_count;
    uint32_t memory_count;
    uint32_t memory_min_pages, memory_max_pages; /* memory 0; max 0 = none */
    int memory_has_max;
    uint32_t table_count, global_count, data_count, element_count, custom_count;
    size_t code_size; /* bytes of the code section */
    size_t data_size; /* bytes of the data segments */
    uint32_t compiled_function_count; /* translated for the interpreter, or compiled
                                         (WASMRT_MODE_JIT), so far (lazy compile: on
                                         first call) */
    uint32_t interpreted_function_count; /* of those, in WASMRT_MODE_JIT, the ones the
                                            compiler left to the interpreter (SIMD on a
                                            CPU without SSSE3 and SSE4.1) */
} wasmrt_module_stats;
void wasmrt_module_get_stats(const wasmrt_module *module, wasmrt_module_stats *out);
/* The name the module's "name" custom section gives function `index` (in the function
 * space, imports first, as in wasmrt_error.func_index), or NULL when it gives none. */
const char *wasmrt_module_func_name(const wasmrt_module *module, uint32_t index);

/* Sections in file order, for `wasmrt inspect`. Name is the spec's ("type", "code",
 * "custom:name", ...). */
uint32_t wasmrt_module_section_count(const wasmrt_module *module);
void wasmrt_module_section(const wasmrt_module *module, uint32_t i, const char **name,
                           size_t *offset, size_t *size);

/* ---- host objects ------------------------------------------------------------ */

/* A host function. Arguments arrive typed as the signature says; the function writes
 * every result (with its type). Return WASMRT_OK, or wasmrt_caller_trap(...) /
 * wasmrt_caller_exit(...). */
typedef wasmrt_status (*wasmrt_host_fn)(wasmrt_caller *caller, void *user,
                                        const wasmrt_value *args, wasmrt_value *results);

/* Signature strings: params ":" results, one letter each: i=i32 I=i64 f=f32 F=f64
 * v=v128 r=externref R=funcref. "iiii:i" takes four i32 and returns one; ":" takes and
 * returns nothing. */
wasmrt_status wasmrt_func_new_host(wasmrt_engine *engine, const char *signature,
                                   wasmrt_host_fn fn, void *user, wasmrt_func **out,
                                   wasmrt_error *error);
wasmrt_status wasmrt_memory_new(wasmrt_engine *engine, uint32_t min_pages, uint32_t max_pages,
                                int has_max, wasmrt_memory **out, wasmrt_error *error);
wasmrt_status wasmrt_table_new(wasmrt_engine *engine, wasmrt_valtype elem, uint32_t min,
                               uint32_t max, int has_max, wasmrt_table **out,
                               wasmrt_error *error);
wasmrt_status wasmrt_global_new(wasmrt_engine *engine, wasmrt_value initial, int mutable_,
                                wasmrt_global **out, wasmrt_error *error);
/* Host-created objects are owned by the engine and freed with it. */

/* The instance calling a host function, and its memory 0 (NULL/0 if it has none).
 * The base pointer stays valid until the guest grows memory. */
wasmrt_instance *wasmrt_caller_instance(wasmrt_caller *caller);
uint8_t *wasmrt_caller_memory(wasmrt_caller *caller, uint64_t *size_bytes);
/* Call from a host function as `return wasmrt_caller_trap(caller, "...")`. */
wasmrt_status wasmrt_caller_trap(wasmrt_caller *caller, const char *message);
/* Ends the whole call chain with WASMRT_ERR_EXIT and this code (WASI proc_exit). */
wasmrt_status wasmrt_caller_exit(wasmrt_caller *caller, int exit_code);

/* ---- linker ------------------------------------------------------------------ */

typedef struct wasmrt_extern {
    wasmrt_extern_kind kind;
    union {
        wasmrt_func *func;
        wasmrt_table *table;
        wasmrt_memory *memory;
        wasmrt_global *global;
    } of;
} wasmrt_extern;

wasmrt_status wasmrt_linker_new(wasmrt_engine *engine, wasmrt_linker **out, wasmrt_error *error);
void wasmrt_linker_free(wasmrt_linker *linker);
/* Later definitions of the same (module, name) replace earlier ones. Names are copied. */
wasmrt_status wasmrt_linker_define(wasmrt_linker *linker, const char *module, const char *name,
                                   wasmrt_extern ext, wasmrt_error *error);
/* Shorthand: a host function by signature string (see wasmrt_func_new_host). */
wasmrt_status wasmrt_linker_define_func(wasmrt_linker *linker, const char *module,
                                        const char *name, const char *signature,
                                        wasmrt_host_fn fn, void *user, wasmrt_error *error);
/* Every export of an instance under one module name (the spec's `register`). */
wasmrt_status wasmrt_linker_define_instance(wasmrt_linker *linker, const char *module,
                                            wasmrt_instance *instance, wasmrt_error *error);

/* ---- instance ---------------------------------------------------------------- */

/* Resolves imports through the linker, creates memories/tables/globals, applies
 * element and data segments, runs the start function. An instance keeps only what is
 * its own: memory pages it touched, globals, tables; everything immutable stays in the
 * module. */
wasmrt_status wasmrt_instance_new(wasmrt_linker *linker, const wasmrt_module *module,
                                  wasmrt_instance **out, wasmrt_error *error);
void wasmrt_instance_free(wasmrt_instance *instance);

/* Any per-instance pointer for the embedder (e.g. the WASI context). */
void wasmrt_instance_set_user(wasmrt_instance *instance, void *user);
void *wasmrt_instance_user(const wasmrt_instance *instance);

wasmrt_status wasmrt_instance_export(wasmrt_instance *instance, const char *name,
                                     wasmrt_extern *out);
/* The same for a name of `length` bytes, which may hold NUL bytes (Wasm names are
 * UTF-8 and may contain U+0000). */
wasmrt_status wasmrt_instance_export_bytes(wasmrt_instance *instance, const char *name,
                                           size_t length, wasmrt_extern *out);
/* An exported function, or NULL. */
wasmrt_func *wasmrt_instance_func(wasmrt_instance *instance, const char *name);
void wasmrt_func_type(const wasmrt_func *func, wasmrt_functype *out);

/* Calls with typed arguments; result_count must match the function type. */
wasmrt_status wasmrt_func_call(wasmrt_func *func, const wasmrt_value *args, uint32_t arg_count,
                               wasmrt_value *results, uint32_t result_count,
                               wasmrt_error *error);
/* Shorthand: look up an exported function by name and call it. */
wasmrt_status wasmrt_instance_call(wasmrt_instance *instance, const char *name,
                                   const wasmrt_value *args, uint32_t arg_count,
                                   wasmrt_value *results, uint32_t result_count,
                                   wasmrt_error *error);

/* How the instance's code checks memory accesses: WASMRT_BOUNDS_GUARD (its memory 0
 * reserves guard pages, the code checks nothing) or WASMRT_BOUNDS_EXPLICIT (every access
 * is compared with the memory's size). Under WASMRT_BOUNDS_DEFAULT it varies per instance. */
wasmrt_bounds_mode wasmrt_instance_bounds(const wasmrt_instance *instance);

/* Memory 0 of the instance (NULL if none). */
uint8_t *wasmrt_instance_memory(wasmrt_instance *instance, uint64_t *size_bytes);
uint8_t *wasmrt_memory_data(wasmrt_memory *memory, uint64_t *size_bytes);
wasmrt_value wasmrt_global_get(const wasmrt_global *global);
wasmrt_status wasmrt_global_set(wasmrt_global *global, wasmrt_value value, wasmrt_error *error);


/* ---- WASI preview1 (runtime/src/wasi/) --------------------------------------- */

/* A WASI context: what one guest may see. Capability-based: nothing beyond the
 * arguments, environment, preopened directories, standard streams and sockets given
 * here. Several instances may share a context only if they run one at a time. */
typedef struct wasmrt_wasi wasmrt_wasi;

typedef struct wasmrt_wasi_preopen {
    const char *host_path;  /* directory on the host */
    const char *guest_path; /* the name the guest sees, e.g. "/data" or "." */
} wasmrt_wasi_preopen;

typedef struct wasmrt_wasi_config {
    int argc;
    const char *const *argv; /* argv[0] is the program name the guest sees */
    int envc;
    const char *const *envp; /* "KEY=VALUE" */
    uint32_t preopen_count;
    const wasmrt_wasi_preopen *preopens;
    int stdin_fd, stdout_fd, stderr_fd; /* host fds for guest fds 0,1,2; -1 = closed */
    /* Listening sockets handed to the guest (LISTEN_FDS convention): they become the
     * guest fds right after the preopened directories. Not closed by the context. */
    uint32_t listen_fd_count;
    const int *listen_fds;
} wasmrt_wasi_config;

/* Fills in defaults: no args, no env, no preopens, stdio = host 0/1/2, no sockets. */
void wasmrt_wasi_config_default(wasmrt_wasi_config *config);
wasmrt_status wasmrt_wasi_new(const wasmrt_wasi_config *config, wasmrt_wasi **out,
                              wasmrt_error *error);
void wasmrt_wasi_free(wasmrt_wasi *wasi);

/* Defines every wasi_snapshot_preview1 function in the linker. A call uses the WASI
 * context set on the calling instance with wasmrt_instance_set_user() when there is
 * one, else the context given here (which may be NULL only if every instance has its
 * own). */
wasmrt_status wasmrt_wasi_define(wasmrt_linker *linker, wasmrt_wasi *wasi, wasmrt_error *error);

/* Runs a WASI command: calls the `_start` export; a proc_exit(n) anywhere ends it with
 * *exit_code = n and WASMRT_OK; returning from _start is exit code 0. A trap returns
 * WASMRT_ERR_TRAP with the error filled. */
wasmrt_status wasmrt_wasi_run_command(wasmrt_instance *instance, int *exit_code,
                                      wasmrt_error *error);
/* Initialises a WASI reactor: calls `_initialize` when exported. */
wasmrt_status wasmrt_wasi_initialize_reactor(wasmrt_instance *instance, wasmrt_error *error);

#ifdef __cplusplus
}
#endif
#endif

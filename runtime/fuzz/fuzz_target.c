/* fuzz_target.c: the libFuzzer target over wasmrt: load the input as a module; if it
 * loads, give it every import it asks for (host functions returning zeros, memories,
 * tables and globals of the imported type), instantiate it and call every exported
 * function, with zero arguments and then (if it has parameters and did not run out
 * of fuel) twice with edge values (fuzz_arg), under fuel, a deadline and a memory
 * limit so that no input can hang.
 *
 * Differential: every input runs twice, on an engine in WASMRT_MODE_INTERP and on one
 * in WASMRT_MODE_JIT (two engines, modules, linkers and instances; each engine gets
 * its own fresh imported memories, tables and globals; the host functions return
 * zeros and keep no state). The interpreter checks bounds explicitly; the compiler
 * does for half of the inputs and relies on guard pages for the other half (by a bit
 * of the input's hash), so its fault tables and signal path are compared too. The
 * tiers must agree on everything observable: the load status, the
 * instantiation status and trap, and per export call the status, the trap (kind,
 * function index, byte offset), the exit code and the result values bit for bit (NaN
 * payloads included; references by null-ness and function type); after the calls,
 * memory 0, every exported and imported memory and every exported and imported global.
 * Fuel is counted at the same points in both tiers, so running out of it must match
 * too. A wall-clock deadline does not: when either side hits WASMRT_TRAP_DEADLINE,
 * that call and everything after it for the input is not compared. At exit a line
 * "fuzz diff: ..." says how much was compared and how much a deadline cut short.
 *
 * Besides crashes and sanitizer reports, a finding is any broken promise of wasmrt.h:
 * a rejected module whose error lacks the byte offset or the message, a status outside
 * the documented set for that call, a trap status without a trap kind, or a
 * difference between the two tiers. Such a case aborts with a line saying which
 * promise ("fuzz finding: ..."), and for a difference both sides.
 *
 * Environment: WASMRT_FUZZ_CONTRACT=0 skips the error-contract checks;
 * WASMRT_FUZZ_DIFF=0 runs only the default engine (the compiler where available),
 * with no comparison; WASMRT_FUZZ_NAN_BITS=0 takes any NaN result for any other of its
 * type (to look past a known NaN-payload difference; memory is still compared byte
 * for byte, so a NaN stored there still counts). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_imports.h"
#include "wasmrt.h"

enum {
    FUZZ_MAX_PAGES = 256,   /* 16 MiB per memory */
    FUZZ_FUEL = 500000,     /* per call: keeps each input well under a second */
    FUZZ_MAX_CALLS = 64,    /* exports called per input (each up to FUZZ_ARG_PASSES times) */
    FUZZ_MAX_VALUES = 1024, /* params / results of one call */
    FUZZ_PRINT_VALUES = 16, /* values printed per side in a difference report */
};
#define FUZZ_DEADLINE_NS 200000000ull /* 200 ms per call, in case fuel is coarse */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_contract_checks = 1;
static int fuzz_differential = 1;
static int fuzz_nan_bits = 1;

/* What the comparison covered, printed at exit (fuzz_run.sh keeps it in the log). */
static struct {
    uint64_t inputs;       /* instantiated on both sides (or failing alike) */
    uint64_t calls;        /* export calls compared */
    uint64_t out_of_fuel;  /* compared calls that ran out of fuel on both sides */
    uint64_t deadlines[3]; /* inputs whose comparison a deadline ended: interp, jit, both */
} fuzz_stats;

static void fuzz_print_stats(void)
{
    if (!fuzz_differential) return;
    fprintf(stderr,
            "fuzz diff: %" PRIu64 " inputs compared, %" PRIu64 " calls compared (%" PRIu64
            " out of fuel), inputs cut short by a deadline: %" PRIu64 " (interp %" PRIu64
            ", jit %" PRIu64 ", both %" PRIu64 ")\n",
            fuzz_stats.inputs, fuzz_stats.calls, fuzz_stats.out_of_fuel,
            fuzz_stats.deadlines[0] + fuzz_stats.deadlines[1] + fuzz_stats.deadlines[2],
            fuzz_stats.deadlines[0], fuzz_stats.deadlines[1], fuzz_stats.deadlines[2]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *contract = getenv("WASMRT_FUZZ_CONTRACT");
    const char *diff = getenv("WASMRT_FUZZ_DIFF");
    (void)argc;
    (void)argv;
    fuzz_contract_checks = !(contract && strcmp(contract, "0") == 0);
    const char *nan_bits = getenv("WASMRT_FUZZ_NAN_BITS");
    fuzz_differential = !(diff && strcmp(diff, "0") == 0);
    fuzz_nan_bits = !(nan_bits && strcmp(nan_bits, "0") == 0);
    atexit(fuzz_print_stats);
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

/* Every imported function: writes zeros of the result types. Stateless, so both
 * tiers may share it (and the fuzz_import it reads). */
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

/* Defines one import; a failure only means instantiation will report a link error.
 * Returns whether *ext was created (it is the engine's, freed with it). */
static int fuzz_define_import(wasmrt_engine *engine, wasmrt_linker *linker,
                              const wasmrt_import_info *info, fuzz_import *im, wasmrt_extern *ext)
{
    wasmrt_error error;
    wasmrt_status st = WASMRT_ERR_ARGUMENT;
    memset(ext, 0, sizeof *ext);
    ext->kind = im->kind;
    switch (im->kind) {
    case WASMRT_EXTERN_FUNC:
        st = wasmrt_func_new_host(engine, im->signature, fuzz_host_zero, im, &ext->of.func, &error);
        break;
    case WASMRT_EXTERN_TABLE:
        if (im->min <= 100000)
            st = wasmrt_table_new(engine, im->valtype, im->min, im->max, im->has_max,
                                  &ext->of.table, &error);
        break;
    case WASMRT_EXTERN_MEMORY:
        if (im->min <= FUZZ_MAX_PAGES)
            st = wasmrt_memory_new(engine, im->min, im->max, im->has_max, &ext->of.memory, &error);
        break;
    case WASMRT_EXTERN_GLOBAL:
        st = wasmrt_global_new(engine, fuzz_zero(im->valtype), im->mutable_, &ext->of.global,
                               &error);
        break;
    }
    if (st != WASMRT_OK) return 0;
    wasmrt_linker_define(linker, info->module, info->name, *ext, &error);
    return 1;
}

/* ---- one side: an engine in one mode and everything built on it ----------------- */

typedef struct fuzz_side {
    const char *name; /* "interp", "jit" */
    wasmrt_engine *engine;
    wasmrt_module *module;
    wasmrt_linker *linker;
    wasmrt_instance *instance;
    wasmrt_extern *imports; /* what was defined for each import (created[i]) */
    int *created;
    wasmrt_status st; /* of the last step (load, instantiate, call) */
    wasmrt_error error;
    wasmrt_value results[FUZZ_MAX_VALUES];
} fuzz_side;

static fuzz_side fuzz_sides[2];
static wasmrt_value fuzz_args[FUZZ_MAX_VALUES];
static uint32_t fuzz_arg_count; /* of the call being compared; 0 outside calls */

static void fuzz_side_new(fuzz_side *s, const char *name, int set_mode, wasmrt_exec_mode mode,
                          wasmrt_bounds_mode bounds)
{
    wasmrt_config config;
    wasmrt_config_default(&config);
    if (set_mode) config.mode = mode;
    /* Explicit checks by default: the fuzzer's own SIGSEGV handling stays in charge, and
     * no 8 GiB reservation per input. */
    config.bounds = bounds;
    config.max_memory_pages = FUZZ_MAX_PAGES;
    config.max_call_depth = 2000;
    config.fuel = FUZZ_FUEL;
    config.deadline_ns = FUZZ_DEADLINE_NS;
    memset(s, 0, sizeof *s);
    s->name = name;
    if (wasmrt_engine_new(&config, &s->engine, &s->error) != WASMRT_OK)
        fuzz_finding("engine_new failed", &s->error);
}

static void fuzz_side_free(fuzz_side *s)
{
    if (s->instance) wasmrt_instance_free(s->instance);
    if (s->linker) wasmrt_linker_free(s->linker);
    if (s->module) wasmrt_module_free(s->module);
    if (s->engine) wasmrt_engine_free(s->engine);
    free(s->imports);
    free(s->created);
    memset(s, 0, sizeof *s);
}

/* Loads; returns whether the module loaded. */
static int fuzz_side_load(fuzz_side *s, const uint8_t *data, size_t size)
{
    memset(&s->error, 0, sizeof s->error);
    s->error.offset = WASMRT_NO_OFFSET;
    s->st = wasmrt_module_load(s->engine, data, size, &s->module, &s->error);
    if (s->st != WASMRT_OK) {
        fuzz_check_load_error(s->st, &s->error, size);
        s->module = NULL;
        return 0;
    }
    return 1;
}

/* Defines the imports (fresh objects of this side's engine) and instantiates; returns
 * whether the module got an instance. */
static int fuzz_side_instantiate(fuzz_side *s, fuzz_import *imports, int import_count)
{
    wasmrt_error error;
    memset(&error, 0, sizeof error);
    if (wasmrt_linker_new(s->engine, &s->linker, &error) != WASMRT_OK)
        fuzz_finding("linker_new failed", &error);
    s->imports = calloc(import_count ? (size_t)import_count : 1, sizeof *s->imports);
    s->created = calloc(import_count ? (size_t)import_count : 1, sizeof *s->created);
    if (!s->imports || !s->created) {
        snprintf(error.message, sizeof error.message, "%d imports", import_count);
        fuzz_finding("out of memory in the fuzzer", &error);
    }
    for (int i = 0; i < import_count; i++) {
        wasmrt_import_info info;
        wasmrt_module_import(s->module, (uint32_t)i, &info);
        if (info.kind != imports[i].kind) {
            snprintf(error.message, sizeof error.message, "import %d: kind %d vs %d", i,
                     (int)info.kind, (int)imports[i].kind);
            fuzz_finding("module_import disagrees with the binary's import section", &error);
        }
        s->created[i] =
            fuzz_define_import(s->engine, s->linker, &info, &imports[i], &s->imports[i]);
    }
    memset(&s->error, 0, sizeof s->error);
    s->st = wasmrt_instance_new(s->linker, s->module, &s->instance, &s->error);
    if (s->st != WASMRT_OK) {
        fuzz_check_run_error("instantiate", s->st, &s->error);
        s->instance = NULL;
        return 0;
    }
    return 1;
}

/* Calls one export with fuzz_args; results in s->results. */
static void fuzz_side_call(fuzz_side *s, const char *name, const wasmrt_functype *ft)
{
    memset(&s->error, 0, sizeof s->error);
    memset(s->results, 0, ft->result_count * sizeof s->results[0]);
    s->st = wasmrt_instance_call(s->instance, name, fuzz_args, ft->param_count, s->results,
                                 ft->result_count, &s->error);
    if (s->st != WASMRT_OK && s->st != WASMRT_ERR_EXIT)
        fuzz_check_run_error("call", s->st, &s->error);
}

/* ---- comparing the two sides ---------------------------------------------------- */

static int fuzz_hit_deadline(const fuzz_side *s)
{
    return s->st == WASMRT_ERR_TRAP && s->error.trap == WASMRT_TRAP_DEADLINE;
}

/* Whether either side hit its deadline (counted: the comparison ends there). */
static int fuzz_deadline(const fuzz_side *a, const fuzz_side *b)
{
    int which = fuzz_hit_deadline(a) | fuzz_hit_deadline(b) << 1;
    if (which) fuzz_stats.deadlines[which - 1]++;
    return which != 0;
}

/* Whether two values are the same: numbers bit for bit (NaNs too, unless
 * WASMRT_FUZZ_NAN_BITS=0), references by null-ness and, for functions, by type (the two
 * sides' function objects are different objects). */
static int fuzz_value_equal(const wasmrt_value *a, const wasmrt_value *b)
{
    if (a->type != b->type) return 0;
    switch (a->type) {
    case WASMRT_I32:
        return (uint32_t)a->of.i32 == (uint32_t)b->of.i32;
    case WASMRT_F32:
        if (!fuzz_nan_bits && (a->of.f32_bits & 0x7fffffffu) > 0x7f800000u)
            return (b->of.f32_bits & 0x7fffffffu) > 0x7f800000u;
        return a->of.f32_bits == b->of.f32_bits;
    case WASMRT_I64:
        return a->of.i64 == b->of.i64;
    case WASMRT_F64:
        if (!fuzz_nan_bits && (a->of.f64_bits & 0x7fffffffffffffffu) > 0x7ff0000000000000u)
            return (b->of.f64_bits & 0x7fffffffffffffffu) > 0x7ff0000000000000u;
        return a->of.f64_bits == b->of.f64_bits;
    case WASMRT_V128: /* all 16 bytes: the lane shape is not known here */
        return a->of.v128[0] == b->of.v128[0] && a->of.v128[1] == b->of.v128[1];
    case WASMRT_FUNCREF: {
        if (!a->of.ref || !b->of.ref) return !a->of.ref == !b->of.ref;
        wasmrt_functype fa, fb;
        wasmrt_func_type(a->of.ref, &fa);
        wasmrt_func_type(b->of.ref, &fb);
        return fa.param_count == fb.param_count && fa.result_count == fb.result_count &&
               memcmp(fa.params, fb.params, fa.param_count * sizeof *fa.params) == 0 &&
               memcmp(fa.results, fb.results, fa.result_count * sizeof *fa.results) == 0;
    }
    default:
        return !a->of.ref == !b->of.ref;
    }
}

/* Arguments: every function with parameters is called up to FUZZ_ARG_PASSES times
 * (until a call runs out of fuel), in this order, on the state the previous calls
 * left: zeros (as before the tiers were compared), then a value for each parameter on
 * its own (an operator seeing its operands differ), then one value for all parameters
 * (the operands equal, but not zero). A value is one of the edges of its type in the
 * tables below (signs, extremes, shift counts, NaNs with payloads, infinities,
 * subnormals) or, one time in four, any bits; which one is drawn from a hash of the
 * input, the export and the parameter, so an input always gets the same arguments and
 * each mutation of it others. */
enum { FUZZ_ARG_PASSES = 3, FUZZ_ARG_VALUES = 12 };
static const char *const fuzz_pass_name[FUZZ_ARG_PASSES] = {"zeros", "distinct", "equal"};
static const uint64_t fuzz_i64_values[FUZZ_ARG_VALUES] = {
    1, UINT64_MAX, 0x8000000000000000u, 0x7fffffffffffffffu, 2, 31, 32, 63, 64,
    0x80000000u, 0xffffffffu, 0x0123456789abcdefu};
static const uint32_t fuzz_i32_values[FUZZ_ARG_VALUES] = {
    1, UINT32_MAX, 0x80000000u, 0x7fffffffu, 2, 31, 32, 0xfffeu, 0x10000u, 0x7fu, 0xff80u,
    0x01234567u};
static const uint32_t fuzz_f32_values[FUZZ_ARG_VALUES] = {
    0x3f800000u, 0xbf800000u, 0x80000000u, 0x7fc00000u, 0xffa00001u, 0x7f800000u, 0xff800000u,
    0x00000001u, 0x7f7fffffu, 0x4f000000u, 0xcf000001u, 0x3f000000u};
static const uint64_t fuzz_f64_values[FUZZ_ARG_VALUES] = {
    0x3ff0000000000000u, 0xbff0000000000000u, 0x8000000000000000u, 0x7ff8000000000000u,
    0xfff4000000000001u, 0x7ff0000000000000u, 0xfff0000000000000u, 0x0000000000000001u,
    0x7fefffffffffffffu, 0x43e0000000000000u, 0xc3e0000000000001u, 0x3fe0000000000000u};

static uint64_t fuzz_input_hash; /* of the input being run */

static uint64_t fuzz_mix(uint64_t x) /* splitmix64's finaliser */
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

/* Argument `param` of export `export_index` in `pass`. References are always null:
 * the fuzzer has no other to give. */
static wasmrt_value fuzz_arg(wasmrt_valtype type, uint32_t pass, uint32_t export_index,
                             uint32_t param)
{
    wasmrt_value v = fuzz_zero(type);
    if (pass == 0) return v;
    uint64_t h = fuzz_mix(fuzz_input_hash ^ fuzz_mix((uint64_t)export_index << 32 |
                                                     (pass == 1 ? param : UINT32_MAX)));
    uint32_t k = (uint32_t)(h % (FUZZ_ARG_VALUES + FUZZ_ARG_VALUES / 3));
    uint64_t bits = fuzz_mix(h);
    switch (type) {
    case WASMRT_I32:
        v.of.i32 = (int32_t)(k < FUZZ_ARG_VALUES ? fuzz_i32_values[k] : (uint32_t)bits);
        break;
    case WASMRT_I64:
        v.of.i64 = (int64_t)(k < FUZZ_ARG_VALUES ? fuzz_i64_values[k] : bits);
        break;
    case WASMRT_F32:
        v.of.f32_bits = k < FUZZ_ARG_VALUES ? fuzz_f32_values[k] : (uint32_t)bits;
        break;
    case WASMRT_F64:
        v.of.f64_bits = k < FUZZ_ARG_VALUES ? fuzz_f64_values[k] : bits;
        break;
    case WASMRT_V128:
        /* two f64 edges, or four lanes each an i32 or f32 edge (which also gives i8
           and i16 lanes their extremes), or any bits */
        if (k % 3 == 0) {
            for (int half = 0; half < 2; half++)
                v.of.v128[half] = fuzz_f64_values[(bits >> (8 * half)) % FUZZ_ARG_VALUES];
        } else if (k % 3 == 1) {
            for (int lane = 0; lane < 4; lane++) {
                uint32_t pick = (uint32_t)(bits >> (8 * lane)) % (2 * FUZZ_ARG_VALUES);
                uint64_t x = pick < FUZZ_ARG_VALUES ? fuzz_i32_values[pick]
                                                    : fuzz_f32_values[pick - FUZZ_ARG_VALUES];
                v.of.v128[lane / 2] |= x << (32 * (lane % 2));
            }
        } else {
            v.of.v128[0] = bits;
            v.of.v128[1] = fuzz_mix(bits);
        }
        break;
    default:
        break;
    }
    return v;
}

static void fuzz_print_value(const wasmrt_value *v)
{
    switch (v->type) {
    case WASMRT_I32:
        fprintf(stderr, " i32:0x%08" PRIx32, (uint32_t)v->of.i32);
        break;
    case WASMRT_F32:
        fprintf(stderr, " f32:0x%08" PRIx32 "(%g)", v->of.f32_bits, (double)wasmrt_value_f32(*v));
        break;
    case WASMRT_I64:
        fprintf(stderr, " i64:0x%016" PRIx64, (uint64_t)v->of.i64);
        break;
    case WASMRT_F64:
        fprintf(stderr, " f64:0x%016" PRIx64 "(%g)", v->of.f64_bits, wasmrt_value_f64(*v));
        break;
    case WASMRT_V128: /* bytes 15..0 */
        fprintf(stderr, " v128:0x%016" PRIx64 "%016" PRIx64, v->of.v128[1], v->of.v128[0]);
        break;
    default:
        fprintf(stderr, " %s:%s", wasmrt_valtype_name(v->type), v->of.ref ? "non-null" : "null");
        break;
    }
}

/* One side of a difference report: status, trap, function, message, values. */
static void fuzz_print_side(const fuzz_side *s, const wasmrt_value *values, uint32_t count)
{
    const char *status = wasmrt_status_name(s->st);
    fprintf(stderr,
            "  %-6s status %s, trap %d (%s), exit %d, func %" PRIu32
            ", offset %zu, message \"%s\"\n",
            s->name, status ? status : "?", (int)s->error.trap,
            s->error.trap ? wasmrt_trap_name(s->error.trap) : "none", s->error.exit_code,
            s->error.func_index, s->error.offset, s->error.message);
    if (!values) return;
    fprintf(stderr, "         values:");
    for (uint32_t i = 0; i < count && i < FUZZ_PRINT_VALUES; i++)
        fuzz_print_value(&values[i]);
    if (count > FUZZ_PRINT_VALUES) fprintf(stderr, " ... (%" PRIu32 " values)", count);
    fprintf(stderr, "%s\n", count ? "" : " (none)");
}

/* A difference between the tiers: both sides, then abort. */
static void fuzz_difference(const char *what, const fuzz_side *a, const fuzz_side *b,
                            uint32_t value_count, int with_values)
{
    fprintf(stderr, "fuzz finding: interp and jit differ: %s\n", what);
    if (fuzz_arg_count) {
        fprintf(stderr, "  arguments:");
        for (uint32_t i = 0; i < fuzz_arg_count && i < FUZZ_PRINT_VALUES; i++)
            fuzz_print_value(&fuzz_args[i]);
        if (fuzz_arg_count > FUZZ_PRINT_VALUES)
            fprintf(stderr, " ... (%" PRIu32 " values)", fuzz_arg_count);
        fprintf(stderr, "\n");
    }
    fuzz_print_side(a, with_values ? a->results : NULL, value_count);
    fuzz_print_side(b, with_values ? b->results : NULL, value_count);
    abort();
}

/* Same status and, by status, the same trap (kind, function, offset) or exit code. */
static int fuzz_outcome_equal(const fuzz_side *a, const fuzz_side *b)
{
    if (a->st != b->st) return 0;
    /* a trap: the same kind, named in the same function at the same byte offset */
    if (a->st == WASMRT_ERR_TRAP)
        return a->error.trap == b->error.trap && a->error.func_index == b->error.func_index &&
               a->error.offset == b->error.offset;
    if (a->st == WASMRT_ERR_EXIT) return a->error.exit_code == b->error.exit_code;
    return 1;
}

static void fuzz_compare_call(const char *name, uint32_t pass, const fuzz_side *a,
                              const fuzz_side *b, uint32_t result_count)
{
    char what[200];
    if (!fuzz_outcome_equal(a, b)) {
        snprintf(what, sizeof what, "call \"%s\" (arguments: %s): outcome", name,
                 fuzz_pass_name[pass]);
        fuzz_difference(what, a, b, result_count, a->st == WASMRT_OK || b->st == WASMRT_OK);
    }
    if (a->st != WASMRT_OK) return;
    for (uint32_t i = 0; i < result_count; i++)
        if (!fuzz_value_equal(&a->results[i], &b->results[i])) {
            snprintf(what, sizeof what, "call \"%s\" (arguments: %s): result %" PRIu32, name,
                     fuzz_pass_name[pass], i);
            fuzz_difference(what, a, b, result_count, 1);
        }
}

static void fuzz_compare_memory(const char *what, const uint8_t *ma, uint64_t sa,
                                const uint8_t *mb, uint64_t sb)
{
    char line[256];
    if (sa != sb || (sa && (!ma || !mb))) {
        snprintf(line, sizeof line, "%s: size %" PRIu64 " vs %" PRIu64 " bytes (%s vs %s)", what,
                 sa, sb, ma ? "mapped" : "NULL", mb ? "mapped" : "NULL");
        fuzz_difference(line, &fuzz_sides[0], &fuzz_sides[1], 0, 0);
    }
    if (sa == 0 || memcmp(ma, mb, (size_t)sa) == 0) return;
    uint64_t at = 0;
    while (ma[at] == mb[at])
        at++;
    snprintf(line, sizeof line,
             "%s (%" PRIu64 " bytes): first difference at 0x%" PRIx64 ": 0x%02x vs 0x%02x", what,
             sa, at, ma[at], mb[at]);
    fuzz_difference(line, &fuzz_sides[0], &fuzz_sides[1], 0, 0);
}

static void fuzz_compare_global(const char *what, const wasmrt_global *ga,
                                const wasmrt_global *gb)
{
    char line[256];
    fuzz_side *a = &fuzz_sides[0], *b = &fuzz_sides[1];
    a->results[0] = wasmrt_global_get(ga);
    b->results[0] = wasmrt_global_get(gb);
    if (fuzz_value_equal(&a->results[0], &b->results[0])) return;
    snprintf(line, sizeof line, "%s: value (shown as the result)", what);
    fuzz_difference(line, a, b, 1, 1);
}

/* The state the calls leave: memory 0, exported memories and globals, and the
 * imported memories and globals each side created (even without an instance: a start
 * function that trapped may have written them). */
static void fuzz_compare_state(int import_count)
{
    fuzz_side *a = &fuzz_sides[0], *b = &fuzz_sides[1];
    char what[200];
    uint64_t sa = 0, sb = 0;
    const uint8_t *ma, *mb;
    if (a->instance && b->instance) {
        ma = wasmrt_instance_memory(a->instance, &sa);
        mb = wasmrt_instance_memory(b->instance, &sb);
        fuzz_compare_memory("memory 0", ma, sa, mb, sb);
        uint32_t n = wasmrt_module_export_count(a->module);
        for (uint32_t i = 0; i < n; i++) {
            wasmrt_export_info info;
            wasmrt_extern ea, eb;
            wasmrt_module_export(a->module, i, &info);
            if (info.kind != WASMRT_EXTERN_MEMORY && info.kind != WASMRT_EXTERN_GLOBAL) continue;
            wasmrt_status fa = wasmrt_instance_export(a->instance, info.name, &ea);
            wasmrt_status fb = wasmrt_instance_export(b->instance, info.name, &eb);
            snprintf(what, sizeof what, "export \"%s\"", info.name);
            if (fa != fb || (fa == WASMRT_OK && ea.kind != eb.kind)) {
                a->st = fa, b->st = fb;
                fuzz_difference(what, a, b, 0, 0);
            }
            if (fa != WASMRT_OK || ea.kind != info.kind) continue;
            if (info.kind == WASMRT_EXTERN_MEMORY) {
                ma = wasmrt_memory_data(ea.of.memory, &sa);
                mb = wasmrt_memory_data(eb.of.memory, &sb);
                fuzz_compare_memory(what, ma, sa, mb, sb);
            } else {
                fuzz_compare_global(what, ea.of.global, eb.of.global);
            }
        }
    }
    for (int i = 0; i < import_count; i++) {
        if (a->created[i] != b->created[i]) {
            snprintf(what, sizeof what, "import %d: defined on one side only", i);
            fuzz_difference(what, a, b, 0, 0);
        }
        if (!a->created[i]) continue;
        snprintf(what, sizeof what, "import %d", i);
        if (a->imports[i].kind == WASMRT_EXTERN_MEMORY) {
            ma = wasmrt_memory_data(a->imports[i].of.memory, &sa);
            mb = wasmrt_memory_data(b->imports[i].of.memory, &sb);
            fuzz_compare_memory(what, ma, sa, mb, sb);
        } else if (a->imports[i].kind == WASMRT_EXTERN_GLOBAL) {
            fuzz_compare_global(what, a->imports[i].of.global, b->imports[i].of.global);
        }
    }
}

/* Calls up to FUZZ_MAX_CALLS function exports on every side, comparing after each
 * call; returns 0 when a deadline ended the comparison. */
static int fuzz_call_exports(int sides)
{
    fuzz_side *a = &fuzz_sides[0], *b = &fuzz_sides[1];
    uint32_t n = wasmrt_module_export_count(a->module), calls = 0;
    for (uint32_t i = 0; i < n && calls < FUZZ_MAX_CALLS; i++) {
        wasmrt_export_info info;
        wasmrt_functype ft;
        wasmrt_error error;
        wasmrt_module_export(a->module, i, &info);
        if (info.kind != WASMRT_EXTERN_FUNC) continue;
        if (wasmrt_module_export_functype(a->module, info.name, &ft) != WASMRT_OK) {
            /* Another export of the same name would be invalid, so this is a bug. */
            memset(&error, 0, sizeof error);
            snprintf(error.message, sizeof error.message, "export '%s'", info.name);
            fuzz_finding("export_functype: a listed function export is not found", &error);
        }
        if (ft.param_count > FUZZ_MAX_VALUES || ft.result_count > FUZZ_MAX_VALUES) continue;
        calls++;
        for (uint32_t pass = 0; pass < (ft.param_count ? FUZZ_ARG_PASSES : 1); pass++) {
            for (uint32_t p = 0; p < ft.param_count; p++)
                fuzz_args[p] = fuzz_arg(ft.params[p], pass, i, p);
            fuzz_arg_count = ft.param_count;
            for (int k = 0; k < sides; k++)
                fuzz_side_call(&fuzz_sides[k], info.name, &ft);
            if (sides < 2) continue;
            if (fuzz_deadline(a, b)) {
                fuzz_arg_count = 0;
                return 0;
            }
            fuzz_compare_call(info.name, pass, a, b, ft.result_count);
            fuzz_stats.calls++;
            /* Out of fuel: most likely a loop the arguments do not end; other
             * arguments would cost as much again (the slower tier needs 100 ms or
             * more for the fuel in this build) for little news. */
            if (a->st == WASMRT_ERR_TRAP && a->error.trap == WASMRT_TRAP_OUT_OF_FUEL) {
                fuzz_stats.out_of_fuel++;
                break;
            }
        }
    }
    fuzz_arg_count = 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import *imports = NULL;
    int import_count = 0;
    int sides = fuzz_differential ? 2 : 1;
    fuzz_side *a = &fuzz_sides[0], *b = &fuzz_sides[1];
    fuzz_input_hash = 0xcbf29ce484222325u; /* FNV-1a, for fuzz_arg */
    for (size_t i = 0; i < size; i++)
        fuzz_input_hash = (fuzz_input_hash ^ data[i]) * 0x100000001b3u;
    /* interp first, on every step: a difference report shows it first */
    if (sides == 2) {
        int guard = (fuzz_input_hash >> 7) & 1;
        fuzz_side_new(a, "interp", 1, WASMRT_MODE_INTERP, WASMRT_BOUNDS_EXPLICIT);
        fuzz_side_new(b, guard ? "jit (guard pages)" : "jit", 1, WASMRT_MODE_JIT,
                      guard ? WASMRT_BOUNDS_GUARD : WASMRT_BOUNDS_EXPLICIT);
    } else {
        fuzz_side_new(a, "default", 0, WASMRT_MODE_JIT, WASMRT_BOUNDS_EXPLICIT);
    }

    int loaded = 0;
    for (int k = 0; k < sides; k++)
        loaded += fuzz_side_load(&fuzz_sides[k], data, size);
    if (sides == 2 && (a->st != b->st || loaded == 1))
        fuzz_difference("load: status", a, b, 0, 0);
    if (loaded < sides) goto out;

    import_count = fuzz_imports_read(data, size, &imports);
    if (import_count < 0) goto out; /* an import the fuzzer cannot build */
    for (int k = 0; k < sides; k++)
        if ((uint32_t)import_count != wasmrt_module_import_count(fuzz_sides[k].module)) goto out;

    int instantiated = 0;
    for (int k = 0; k < sides; k++)
        instantiated += fuzz_side_instantiate(&fuzz_sides[k], imports, import_count);
    if (sides == 2) {
        if (fuzz_deadline(a, b)) goto out;
        if (!fuzz_outcome_equal(a, b)) fuzz_difference("instantiate: outcome", a, b, 0, 0);
        fuzz_stats.inputs++;
    }
    if (instantiated == sides && !fuzz_call_exports(sides)) goto out;
    if (sides == 2) fuzz_compare_state(import_count);
out:
    for (int k = 0; k < sides; k++)
        fuzz_side_free(&fuzz_sides[k]);
    fuzz_imports_free(imports, import_count);
    return 0;
}

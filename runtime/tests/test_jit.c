/* test_jit.c: the compiling tier (src/jit/) against the interpreter. Most tests run the
 * same calls on two instances of one module, one in WASMRT_MODE_INTERP and one in
 * WASMRT_MODE_JIT, and require the same status, trap kind, trapping function and
 * results from both, besides the values the spec gives: integer ops and their edge
 * cases, every load and store width, offsets past 2 GiB, memory.grow, globals, tables,
 * several results, floats, calls across instances, a function larger than a code
 * chunk. Then what compiled code has to get right on its own: the C stack check
 * (default and small call depth, a 256 KiB thread, C code run at the limit), host calls
 * and calls back into Wasm, machine code made after a fork in parent and child, the
 * lazy compile from two threads at once, fuel.
 *
 * Three tests guard bugs these tests found and that were fixed: the first call of the
 * main thread made deep in its stack, a call made on a coroutine's stack, the
 * function a trap names after a host swallowed another trap.
 *
 * Modules: tests/wat/test_jit.wat (most functions), test_jit_trap.wat (trapping
 * functions at known indices), test_jit_host.wat (host imports), test_jit_fork.wat
 * (look-alike functions), test_jit_link_a.wat and test_jit_link_b.wat (two instances,
 * one importing the other); the large function is made here. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "test_util.h"

#define I32(x) wasmrt_i32((int32_t)(x))
#define I64(x) wasmrt_i64((int64_t)(x))
/* an argument list: the array and its length */
#define ARGS(...)                                                                        \
    (const wasmrt_value[]){__VA_ARGS__},                                                 \
        (uint32_t)(sizeof((const wasmrt_value[]){__VA_ARGS__}) / sizeof(wasmrt_value))
#define NO_ARGS NULL, 0u

/* ---- running one call, comparing two ------------------------------------------------- */

static wasmrt_config jt_config(wasmrt_exec_mode mode, wasmrt_bounds_mode bounds)
{
    wasmrt_config c;
    wasmrt_config_default(&c);
    c.mode = mode;
    c.bounds = bounds;
    return c;
}

static void jt_env_init(test_env *env, const wasmrt_config *config)
{
    memset(env, 0, sizeof *env);
    if (wasmrt_engine_new(config, &env->engine, &env->error) != WASMRT_OK)
        fail_msg("engine: %s", env->error.message);
    assert_int_equal(wasmrt_linker_new(env->engine, &env->linker, &env->error), WASMRT_OK);
}

/* What a call did. */
typedef struct outcome {
    wasmrt_status status;
    wasmrt_trap_kind trap;
    uint32_t func;
    int exit_code;
    uint32_t nres;
    wasmrt_value res[8];
    char message[256];
} outcome;

static outcome jt_call(wasmrt_instance *in, const char *name, const wasmrt_value *args,
                       uint32_t argc)
{
    outcome o;
    memset(&o, 0, sizeof o);
    wasmrt_func *f = wasmrt_instance_func(in, name);
    if (!f)
        fail_msg("no export %s", name);
    wasmrt_functype t;
    wasmrt_func_type(f, &t);
    assert_true(t.result_count <= 8);
    o.nres = t.result_count;
    wasmrt_error err;
    memset(&err, 0, sizeof err);
    o.status = wasmrt_func_call(f, args, argc, o.res, o.nres, &err);
    o.func = WASMRT_NO_FUNC;
    if (o.status != WASMRT_OK) {
        o.trap = err.trap;
        o.func = err.func_index;
        o.exit_code = err.exit_code;
        memcpy(o.message, err.message, sizeof o.message);
        memset(o.res, 0, sizeof o.res);
    }
    return o;
}

static uint64_t value_bits(wasmrt_value v)
{
    switch (v.type) {
    case WASMRT_I32: return (uint32_t)v.of.i32;
    case WASMRT_F32: return v.of.f32_bits;
    case WASMRT_I64: return (uint64_t)v.of.i64;
    case WASMRT_F64: return v.of.f64_bits;
    default: return (uint64_t)(uintptr_t)v.of.ref;
    }
}

static void describe(const outcome *o, char *buf, size_t size)
{
    if (o->status == WASMRT_ERR_TRAP) {
        snprintf(buf, size, "trap \"%s\" in func %d (%s)", wasmrt_trap_name(o->trap),
                 o->func == WASMRT_NO_FUNC ? -1 : (int)o->func, o->message);
        return;
    }
    if (o->status != WASMRT_OK) {
        snprintf(buf, size, "%s (%s)", wasmrt_status_name(o->status), o->message);
        return;
    }
    size_t n = (size_t)snprintf(buf, size, "ok");
    for (uint32_t i = 0; i < o->nres && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, " %s:0x%llx", wasmrt_valtype_name(o->res[i].type),
                              (unsigned long long)value_bits(o->res[i]));
}

static void describe_args(const wasmrt_value *args, uint32_t argc, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < argc && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s0x%llx", i ? ", " : "",
                              (unsigned long long)value_bits(args[i]));
}

static int same_outcome(const outcome *a, const outcome *b)
{
    if (a->status != b->status || a->nres != b->nres)
        return 0;
    if (a->status == WASMRT_ERR_TRAP)
        return a->trap == b->trap && a->func == b->func;
    if (a->status == WASMRT_ERR_EXIT)
        return a->exit_code == b->exit_code;
    if (a->status != WASMRT_OK)
        return 1;
    for (uint32_t i = 0; i < a->nres; i++)
        if (a->res[i].type != b->res[i].type || value_bits(a->res[i]) != value_bits(b->res[i]))
            return 0;
    return 1;
}

/* The same module in both modes, same bounds mode. */
typedef struct pair {
    test_env interp, jit;
} pair;

/* Both engines configured as *base is, but for the mode. */
static void pair_init_config(pair *p, const wasmrt_config *base)
{
    wasmrt_config c = *base;
    c.mode = WASMRT_MODE_INTERP;
    jt_env_init(&p->interp, &c);
    c.mode = WASMRT_MODE_JIT;
    jt_env_init(&p->jit, &c);
}

static void pair_init(pair *p, wasmrt_bounds_mode bounds)
{
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, bounds);
    pair_init_config(p, &c);
}

static void pair_instantiate(pair *p, const char *name)
{
    test_env_instantiate(&p->interp, name);
    test_env_instantiate(&p->jit, name);
}

static void pair_free(pair *p)
{
    test_env_free(&p->interp);
    test_env_free(&p->jit);
}

/* Runs the call in both modes; fails unless they agree. Returns the outcome. */
static outcome both(pair *p, const char *name, const wasmrt_value *args, uint32_t argc)
{
    outcome a = jt_call(p->interp.instance, name, args, argc);
    outcome b = jt_call(p->jit.instance, name, args, argc);
    if (!same_outcome(&a, &b)) {
        char sa[600], sb[600], sargs[300];
        describe(&a, sa, sizeof sa);
        describe(&b, sb, sizeof sb);
        describe_args(args, argc, sargs, sizeof sargs);
        fail_msg("%s(%s): the interpreter gives %s, compiled code %s", name, sargs, sa, sb);
    }
    return b;
}

static void expect_ok(const outcome *o, const char *name)
{
    if (o->status != WASMRT_OK) {
        char s[600];
        describe(o, s, sizeof s);
        fail_msg("%s: expected a return, got %s", name, s);
    }
}

static void both_i32(pair *p, const char *name, int32_t want, const wasmrt_value *args,
                     uint32_t argc)
{
    outcome o = both(p, name, args, argc);
    expect_ok(&o, name);
    if (o.res[0].of.i32 != want)
        fail_msg("%s: expected %d (0x%x), got %d (0x%x)", name, want, (unsigned)want,
                 o.res[0].of.i32, (unsigned)o.res[0].of.i32);
}

static void both_i64(pair *p, const char *name, int64_t want, const wasmrt_value *args,
                     uint32_t argc)
{
    outcome o = both(p, name, args, argc);
    expect_ok(&o, name);
    if (o.res[0].of.i64 != want)
        fail_msg("%s: expected 0x%llx, got 0x%llx", name, (unsigned long long)want,
                 (unsigned long long)o.res[0].of.i64);
}

static void both_trap(pair *p, const char *name, wasmrt_trap_kind kind, const wasmrt_value *args,
                      uint32_t argc)
{
    outcome o = both(p, name, args, argc);
    if (o.status != WASMRT_ERR_TRAP || o.trap != kind) {
        char s[600];
        describe(&o, s, sizeof s);
        fail_msg("%s: expected trap \"%s\", got %s", name, wasmrt_trap_name(kind), s);
    }
}

/* The same, naming the function the trap must be in. */
static void both_trap_in(pair *p, const char *name, wasmrt_trap_kind kind, uint32_t func,
                         const wasmrt_value *args, uint32_t argc)
{
    outcome o = both(p, name, args, argc);
    if (o.status != WASMRT_ERR_TRAP || o.trap != kind || o.func != func) {
        char s[600];
        describe(&o, s, sizeof s);
        fail_msg("%s: expected trap \"%s\" in func %u, got %s", name, wasmrt_trap_name(kind),
                 func, s);
    }
}

/* One instance: name(want) returns want (an i32). */
static void check_returns_arg(wasmrt_instance *in, const char *name, int32_t want)
{
    outcome o = jt_call(in, name, ARGS(I32(want)));
    expect_ok(&o, name);
    assert_int_equal(o.res[0].of.i32, want);
}

/* ---- results agree: integer arithmetic ----------------------------------------------- */

static const char *const int_ops[] = {
    "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl",
    "shr_s", "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s",
    "le_u", "ge_s", "ge_u",
};

static const int32_t i32_vals[] = {
    0, 1, -1, 2, 7, -7, 31, 32, 33, 63, 64, 100, INT32_MIN, INT32_MAX, 0x12345678,
    (int32_t)0x80000001,
};

static const int64_t i64_vals[] = {
    0, 1, -1, 2, 63, 64, 65, 127, INT64_MIN, INT64_MAX, 0x100000000LL, 0xffffffffLL,
    0x80000000LL, -0x80000000LL, 0x123456789abcdef0LL, (int64_t)INT32_MIN,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void arith_sweep(pair *p)
{
    char name[32];
    for (size_t k = 0; k < COUNT(int_ops); k++) {
        snprintf(name, sizeof name, "i32_%s", int_ops[k]);
        for (size_t i = 0; i < COUNT(i32_vals); i++)
            for (size_t j = 0; j < COUNT(i32_vals); j++)
                both(p, name, ARGS(I32(i32_vals[i]), I32(i32_vals[j])));
        snprintf(name, sizeof name, "i64_%s", int_ops[k]);
        for (size_t i = 0; i < COUNT(i64_vals); i++)
            for (size_t j = 0; j < COUNT(i64_vals); j++)
                both(p, name, ARGS(I64(i64_vals[i]), I64(i64_vals[j])));
    }
    static const char *const un32[] = {"i32_eqz", "i32_clz", "i32_ctz", "i32_popcnt",
                                       "i64_extend_i32_s", "i64_extend_i32_u", "i32_extend8_s",
                                       "i32_extend16_s", "i32_shl_33", "i32_shr_s_63",
                                       "i32_shr_u_m1", "i32_rotl_37", "i32_rotr_32",
                                       "i32_mul_big", "i32_add_min", "i32_and_k",
                                       "i32_div_s_m1", "i32_rem_s_m1", "i32_div_u_7",
                                       "i32_div_by_0", "i32_lt_s_min", "i32_gt_u_big",
                                       "i32_ge_s_m5", "br_i32_le_u_big", "br_table",
                                       "and_loop", "and_zero_loop"};
    static const char *const un64[] = {"i64_eqz", "i64_clz", "i64_ctz", "i64_popcnt",
                                       "i32_wrap_i64", "i64_extend8_s", "i64_extend16_s",
                                       "i64_extend32_s", "i64_shl_65", "i64_shr_s_127",
                                       "i64_shr_u_64", "i64_rotl_100", "i64_rotr_m1",
                                       "i64_add_big", "i64_sub_2g", "i64_mul_big",
                                       "i64_and_high", "i64_or_u32max", "i64_xor_min",
                                       "i64_mul_m3", "i64_div_s_m1", "i64_rem_s_m1",
                                       "i64_rem_u_big", "i64_lt_s_4g", "i64_eq_big",
                                       "i64_gt_u_u32max", "i64_le_u_2g", "i64_ge_s_neg",
                                       "i64_ne_m1", "br_i64_gt_u_4g", "br_i64_eq_u32max",
                                       "br_i64_lt_s_neg"};
    for (size_t k = 0; k < COUNT(un32); k++)
        for (size_t i = 0; i < COUNT(i32_vals); i++)
            both(p, un32[k], ARGS(I32(i32_vals[i])));
    for (size_t k = 0; k < COUNT(un64); k++)
        for (size_t i = 0; i < COUNT(i64_vals); i++)
            both(p, un64[k], ARGS(I64(i64_vals[i])));
    for (size_t i = 0; i < COUNT(i64_vals); i++)
        for (size_t j = 0; j < COUNT(i64_vals); j++)
            both(p, "br_i64_ge_u_slot", ARGS(I64(i64_vals[i]), I64(i64_vals[j])));
    for (size_t i = 0; i < COUNT(i32_vals); i++)
        for (size_t j = 0; j < COUNT(i32_vals); j++) {
            both(p, "br_i32_ne_slot", ARGS(I32(i32_vals[i]), I32(i32_vals[j])));
            both(p, "i32_sub_widened", ARGS(I32(i32_vals[i]), I32(i32_vals[j])));
            both(p, "i32_div_widened", ARGS(I32(i32_vals[i]), I32(i32_vals[j])));
            both(p, "i32_rem_widened", ARGS(I32(i32_vals[i]), I32(i32_vals[j])));
            both(p, "br_table_value", ARGS(I32(i32_vals[i]), I32(i32_vals[j])));
        }
}

static void arith_values(pair *p)
{
    /* division: the two traps, INT_MIN % -1, rounding toward zero */
    both_trap(p, "i32_div_s", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I32(INT32_MIN), I32(-1)));
    both_trap(p, "i64_div_s", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I64(INT64_MIN), I64(-1)));
    both_trap(p, "i32_div_s_m1", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I32(INT32_MIN)));
    both_trap(p, "i64_div_s_m1", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I64(INT64_MIN)));
    both_i32(p, "i32_rem_s", 0, ARGS(I32(INT32_MIN), I32(-1)));
    both_i64(p, "i64_rem_s", 0, ARGS(I64(INT64_MIN), I64(-1)));
    both_i32(p, "i32_rem_s_m1", 0, ARGS(I32(INT32_MIN)));
    both_i64(p, "i64_rem_s_m1", 0, ARGS(I64(INT64_MIN)));
    both_i64(p, "i32_rem_widened", 0, ARGS(I32(INT32_MIN), I32(-1)));
    both_i32(p, "i32_div_s_m1", -5, ARGS(I32(5)));
    both_i64(p, "i64_div_s_m1", -0x100000000LL, ARGS(I64(0x100000000LL)));
    both_i64(p, "i32_div_widened", 7, ARGS(I32(-7), I32(-1)));
    both_i64(p, "i32_div_widened", 0x80000000LL, ARGS(I32(INT32_MIN), I32(1)));
    both_i64(p, "i32_div_widened", 0xfffffffdLL, ARGS(I32(-6), I32(2)));
    both_i64(p, "i32_rem_widened", 0xffffffffLL, ARGS(I32(-7), I32(2)));
    both_i64(p, "i32_sub_widened", 0xffffffffLL, ARGS(I32(0), I32(1)));
    static const char *const divs[] = {"div_s", "div_u", "rem_s", "rem_u"};
    char name[32];
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "i32_%s", divs[k]);
        both_trap(p, name, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, ARGS(I32(1), I32(0)));
        both_trap(p, name, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, ARGS(I32(INT32_MIN), I32(0)));
        snprintf(name, sizeof name, "i64_%s", divs[k]);
        both_trap(p, name, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, ARGS(I64(1), I64(0)));
        /* a divisor that is zero only in its low half is not zero */
        both(p, name, ARGS(I64(5), I64(0x100000000LL)));
    }
    both_i64(p, "i64_div_u", 0, ARGS(I64(5), I64(0x100000000LL)));
    both_trap(p, "i32_div_by_0", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, ARGS(I32(9)));
    both_i32(p, "i32_div_s", -3, ARGS(I32(-7), I32(2)));
    both_i32(p, "i32_rem_s", -1, ARGS(I32(-7), I32(2)));
    both_i32(p, "i32_div_u", 0x7ffffffc, ARGS(I32(-7), I32(2)));
    both_i32(p, "i32_rem_u", 1, ARGS(I32(-7), I32(2)));
    both_i64(p, "i64_div_s", -3, ARGS(I64(-7), I64(2)));
    both_i64(p, "i64_rem_u", 1, ARGS(I64(-7), I64(2)));
    both_i32(p, "i32_div_u_7", 613566756, ARGS(I32(-1)));
    both_i64(p, "i64_rem_u_big", (int64_t)(UINT64_MAX % 0x100000007ULL), ARGS(I64(-1)));

    /* shifts and rotates by counts >= the width use the count modulo the width */
    both_i32(p, "i32_shl", 2, ARGS(I32(1), I32(33)));
    both_i32(p, "i32_shr_u", 1, ARGS(I32(INT32_MIN), I32(63)));
    both_i32(p, "i32_shr_s", INT32_MIN, ARGS(I32(INT32_MIN), I32(32)));
    both_i32(p, "i32_rotl", 3, ARGS(I32(0x80000001), I32(33)));
    both_i32(p, "i32_rotr", INT32_MIN, ARGS(I32(1), I32(65)));
    both_i64(p, "i64_shl", 2, ARGS(I64(1), I64(65)));
    both_i64(p, "i64_shr_s", -1, ARGS(I64(INT64_MIN), I64(127)));
    both_i64(p, "i64_shr_u", 1, ARGS(I64(INT64_MIN), I64(-1)));
    both_i64(p, "i64_rotl", 3, ARGS(I64((int64_t)0x8000000000000001ULL), I64(65)));
    both_i64(p, "i64_rotr", INT64_MIN, ARGS(I64(1), I64(129)));
    both_i32(p, "i32_shl_33", 6, ARGS(I32(3)));
    both_i32(p, "i32_shr_s_63", -1, ARGS(I32(INT32_MIN)));
    both_i32(p, "i32_shr_u_m1", 1, ARGS(I32(INT32_MIN)));
    both_i32(p, "i32_rotl_37", 0x30, ARGS(I32(0x80000001)));
    both_i32(p, "i32_rotr_32", 0x12345678, ARGS(I32(0x12345678)));
    both_i64(p, "i64_shl_65", 6, ARGS(I64(3)));
    both_i64(p, "i64_shr_s_127", -1, ARGS(I64(INT64_MIN)));
    both_i64(p, "i64_shr_u_64", 0x123456789abcdef0LL, ARGS(I64(0x123456789abcdef0LL)));
    both_i64(p, "i64_rotl_100", 1LL << 36, ARGS(I64(1)));
    both_i64(p, "i64_rotr_m1", 2, ARGS(I64(1)));

    /* wide constants */
    both_i64(p, "i64_add_big", 0x12345678aLL, ARGS(I64(1)));
    both_i64(p, "i64_sub_2g", -0x80000000LL, ARGS(I64(0)));
    both_i64(p, "i64_mul_big", 0x300000003LL, ARGS(I64(3)));
    both_i64(p, "i64_and_high", (int64_t)0xffffffff00000000ULL, ARGS(I64(-1)));
    both_i64(p, "i64_or_u32max", 0x1ffffffffLL, ARGS(I64(0x100000000LL)));
    both_i64(p, "i64_xor_min", INT64_MIN + 1, ARGS(I64(1)));
    both_i64(p, "i64_mul_m3", -15, ARGS(I64(5)));
    both_i32(p, "i32_mul_big", (int32_t)0x9e3779b9u, ARGS(I32(1)));
    both_i32(p, "i32_add_min", INT32_MIN + 1, ARGS(I32(1)));
    both_i32(p, "i32_and_k", (int32_t)0xfff0000fu, ARGS(I32(-1)));

    /* compares with constants that do not fit in 32 bits (as values and branches) */
    both_i32(p, "i64_lt_s_4g", 1, ARGS(I64(0xffffffffLL)));
    both_i32(p, "i64_lt_s_4g", 0, ARGS(I64(0x100000000LL)));
    both_i32(p, "i64_lt_s_4g", 1, ARGS(I64(-1)));
    both_i32(p, "i64_eq_big", 1, ARGS(I64(0x123456789LL)));
    both_i32(p, "i64_eq_big", 0, ARGS(I64(0x23456789LL)));
    both_i32(p, "i64_gt_u_u32max", 0, ARGS(I64(0xffffffffLL)));
    both_i32(p, "i64_gt_u_u32max", 1, ARGS(I64(0x100000000LL)));
    both_i32(p, "i64_gt_u_u32max", 0, ARGS(I64(0x7fffffffLL)));
    both_i32(p, "i64_gt_u_u32max", 1, ARGS(I64(-1)));
    both_i32(p, "i64_le_u_2g", 1, ARGS(I64(0x80000000LL)));
    both_i32(p, "i64_le_u_2g", 0, ARGS(I64(0x80000001LL)));
    both_i32(p, "i64_le_u_2g", 0, ARGS(I64(-0x80000000LL)));
    both_i32(p, "i64_ge_s_neg", 1, ARGS(I64(-0x80000001LL)));
    both_i32(p, "i64_ge_s_neg", 0, ARGS(I64(-0x80000002LL)));
    both_i32(p, "i64_ne_m1", 0, ARGS(I64(-1)));
    both_i32(p, "i64_ne_m1", 1, ARGS(I64(0xffffffffLL)));
    both_i32(p, "i32_lt_s_min", 0, ARGS(I32(INT32_MIN)));
    both_i32(p, "i32_gt_u_big", 1, ARGS(I32(0xfffffff1)));
    both_i32(p, "i32_gt_u_big", 0, ARGS(I32(0xfffffff0)));
    both_i32(p, "i32_ge_s_m5", 1, ARGS(I32(-5)));
    both_i32(p, "i32_ge_s_m5", 0, ARGS(I32(-6)));
    both_i32(p, "br_i64_gt_u_4g", 1, ARGS(I64(0x100000001LL)));
    both_i32(p, "br_i64_gt_u_4g", 0, ARGS(I64(0x100000000LL)));
    both_i32(p, "br_i64_gt_u_4g", 0, ARGS(I64(0xffffffffLL)));
    both_i32(p, "br_i64_gt_u_4g", 1, ARGS(I64(-1)));
    both_i32(p, "br_i64_eq_u32max", 1, ARGS(I64(0xffffffffLL)));
    both_i32(p, "br_i64_eq_u32max", 0, ARGS(I64(-1)));
    both_i32(p, "br_i64_lt_s_neg", 1, ARGS(I64(-0x100000001LL)));
    both_i32(p, "br_i64_lt_s_neg", 0, ARGS(I64(-0x100000000LL)));
    both_i32(p, "br_i64_lt_s_neg", 0, ARGS(I64(0x7fffffffLL)));
    both_i32(p, "br_i64_lt_s_neg", 1, ARGS(I64(INT64_MIN)));
    both_i32(p, "br_i64_ge_u_slot", 1, ARGS(I64(-1), I64(0xffffffffLL)));
    both_i32(p, "br_i64_ge_u_slot", 0, ARGS(I64(0xffffffffLL), I64(0x100000000LL)));
    both_i32(p, "br_i32_le_u_big", 1, ARGS(I32(0x80000001)));
    both_i32(p, "br_i32_le_u_big", 0, ARGS(I32(0x80000002)));
    both_i32(p, "br_i32_le_u_big", 1, ARGS(I32(0)));
    both_i32(p, "count_to_1000", 1000, ARGS(I32(-5)));
    both_i32(p, "count_to_1000", 2001, ARGS(I32(2000)));
    both_i32(p, "count_to_1000", INT32_MAX, ARGS(I32(INT32_MAX - 1)));
    both_i32(p, "count_n", 22, ARGS(I32(10), I32(10)));
    both_i32(p, "count_n", 3, ARGS(I32(0), I32(0)));
    both_i32(p, "and_loop", 41, ARGS(I32(0)));
    both_i32(p, "and_loop", 9, ARGS(I32(1)));
    both_i32(p, "and_loop", 1, ARGS(I32(0x100)));
    both_i32(p, "and_zero_loop", 1, ARGS(I32(0)));
    both_i32(p, "and_zero_loop", 3, ARGS(I32(0x180)));

    /* unary ops and conversions */
    both_i32(p, "i64_eqz", 0, ARGS(I64(0x100000000LL)));
    both_i32(p, "i64_eqz", 1, ARGS(I64(0)));
    both_i32(p, "i32_eqz", 1, ARGS(I32(0)));
    both_i32(p, "i32_clz", 32, ARGS(I32(0)));
    both_i64(p, "i64_ctz", 64, ARGS(I64(0)));
    both_i64(p, "i64_popcnt", 64, ARGS(I64(-1)));
    both_i64(p, "i64_clz", 31, ARGS(I64(0x100000000LL)));
    both_i64(p, "i64_extend_i32_s", -1, ARGS(I32(-1)));
    both_i64(p, "i64_extend_i32_u", 0xffffffffLL, ARGS(I32(-1)));
    both_i32(p, "i32_wrap_i64", (int32_t)0x87654321u, ARGS(I64(0x1234567887654321LL)));
    both_i32(p, "i32_extend8_s", -128, ARGS(I32(0x80)));
    both_i32(p, "i32_extend8_s", 127, ARGS(I32(0x17f)));
    both_i32(p, "i32_extend16_s", -32768, ARGS(I32(0x8000)));
    both_i64(p, "i64_extend8_s", -128, ARGS(I64(0x180)));
    both_i64(p, "i64_extend16_s", 0x7fff, ARGS(I64(0xffff7fffLL)));
    both_i64(p, "i64_extend32_s", -0x80000000LL, ARGS(I64(0x80000000LL)));
    both_i64(p, "i64_extend32_s", 0x7fffffff, ARGS(I64(0x17fffffffLL)));

    /* br_table: an index past the end (also as unsigned) takes the default */
    static const struct {
        int32_t index, want;
    } bt[] = {{0, 10}, {1, 11}, {2, 12}, {3, 13}, {4, 13}, {100, 13}, {-1, 13},
              {INT32_MIN, 13}, {INT32_MAX, 13}};
    for (size_t i = 0; i < COUNT(bt); i++)
        both_i32(p, "br_table", bt[i].want, ARGS(I32(bt[i].index)));
    both_i32(p, "br_table_value", 1015, ARGS(I32(0), I32(5)));
    both_i32(p, "br_table_value", 1005, ARGS(I32(1), I32(5)));
    both_i32(p, "br_table_value", 1015, ARGS(I32(2), I32(5)));
    both_i32(p, "br_table_value", 1015, ARGS(I32(-1), I32(5)));

    /* select: any non-zero i32 condition picks the first */
    both_i32(p, "select_i32", 2, ARGS(I32(1), I32(2), I32(0)));
    both_i32(p, "select_i32", 1, ARGS(I32(1), I32(2), I32(1)));
    both_i32(p, "select_i32", 1, ARGS(I32(1), I32(2), I32(INT32_MIN)));
    both_i32(p, "select_i32", 1, ARGS(I32(1), I32(2), I32(-1)));
    both_i64(p, "select_i64", 2, ARGS(I64(0x100000000LL), I64(2), I32(0)));
    both_i64(p, "select_i64", 0x100000000LL, ARGS(I64(0x100000000LL), I64(2), I32(7)));
    both_i64(p, "select_i64", -1, ARGS(I64(-1), I64(0x100000000LL), I32(0x80000000)));
}

static void test_arith_agrees(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, WASMRT_BOUNDS_DEFAULT);
    pair_instantiate(&p, "test_jit");
    arith_values(&p);
    arith_sweep(&p);
    pair_free(&p);
}

/* ---- memory: every width, offsets past 2 GiB, growing -------------------------------- */

static const char *const loads[] = {
    "i32_load", "i64_load", "f32_load", "f64_load", "i32_load8_s", "i32_load8_u",
    "i32_load16_s", "i32_load16_u", "i64_load8_s", "i64_load8_u", "i64_load16_s",
    "i64_load16_u", "i64_load32_s", "i64_load32_u", "i32_load8_s_off3", "i64_load32_s_add",
    "i64_load16_s_add_wrap",
};

static const char *const offset_loads[] = {
    "off_7ffffff7", "off_7ffffff8", "off_7fffffff", "off_80000000", "off_80000000_add",
    "off_fffffffc", "off_ffffffff",
};

static void memory_in_mode(wasmrt_bounds_mode bounds)
{
    pair p;
    pair_init(&p, bounds);
    pair_instantiate(&p, "test_jit");

    /* loads: bytes 80 ff 7f 01 80 00 00 80 fe ff ff ff ff ff ff 7f at 0 */
    both_i32(&p, "i32_load", 0x017fff80, ARGS(I32(0)));
    both_i64(&p, "i64_load", (int64_t)0x80000080017fff80ULL, ARGS(I32(0)));
    both_i32(&p, "f32_load", (int32_t)0x80000080u, ARGS(I32(4)));
    both_i64(&p, "f64_load", 0x7ffffffffffffffeLL, ARGS(I32(8)));
    both_i32(&p, "i32_load8_s", -128, ARGS(I32(0)));
    both_i32(&p, "i32_load8_u", 128, ARGS(I32(0)));
    both_i32(&p, "i32_load16_s", -128, ARGS(I32(0)));
    both_i32(&p, "i32_load16_u", 0xff80, ARGS(I32(0)));
    both_i32(&p, "i32_load16_s", 0x7fff, ARGS(I32(1)));
    both_i64(&p, "i64_load8_s", -1, ARGS(I32(1)));
    both_i64(&p, "i64_load8_u", 255, ARGS(I32(1)));
    both_i64(&p, "i64_load16_s", -32768, ARGS(I32(6)));
    both_i64(&p, "i64_load16_u", 0x8000, ARGS(I32(6)));
    both_i64(&p, "i64_load32_s", (int64_t)(int32_t)0x80000080u, ARGS(I32(4)));
    both_i64(&p, "i64_load32_u", 0x80000080LL, ARGS(I32(4)));
    both_i32(&p, "i32_load8_s_off3", 1, ARGS(I32(0)));
    both_i32(&p, "i32_load8_s_off3", -120, ARGS(I32(65532)));
    both_i64(&p, "i64_load32_s_add", 0x8001, ARGS(I32(0)));
    both_i64(&p, "i64_load16_s_add_wrap", -128, ARGS(I32(8)));
    both_trap(&p, "i64_load16_s_add_wrap", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0)));
    both_i32(&p, "i32_load8_u", 0x88, ARGS(I32(65535)));
    both_trap(&p, "i32_load8_u", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65536)));
    both_trap(&p, "i64_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65529)));
    both_i64(&p, "i64_load", (int64_t)0x8807060504030201ULL, ARGS(I32(65528)));
    for (size_t k = 0; k < COUNT(loads); k++) {
        for (int32_t a = 0; a < 16; a++)
            both(&p, loads[k], ARGS(I32(a)));
        for (int32_t a = 65524; a <= 65540; a++)
            both(&p, loads[k], ARGS(I32(a)));
        both(&p, loads[k], ARGS(I32(-1)));
        both(&p, loads[k], ARGS(I32(INT32_MIN)));
    }

    /* stores over 0xaa bytes, read back as eight bytes */
    const int64_t aa = (int64_t)0xaaaaaaaaaaaaaaaaULL;
    both_i64(&p, "i32_store", (aa & ~0xffffffffLL) | 0x11223344, ARGS(I32(16), I32(0x11223344)));
    both_i64(&p, "i64_store", 0x0102030405060708LL, ARGS(I32(16), I64(0x0102030405060708LL)));
    both_i64(&p, "f32_store", (aa & ~0xffffffffLL) | 0x7fc00001, ARGS(I32(16), I32(0x7fc00001)));
    both_i64(&p, "f64_store", 0x7ff4000000000001LL, ARGS(I32(16), I64(0x7ff4000000000001LL)));
    both_i64(&p, "i32_store8", (aa & ~0xffLL) | 0xff, ARGS(I32(16), I32(0x1ff)));
    both_i64(&p, "i32_store16", (aa & ~0xffffLL) | 0x2345, ARGS(I32(16), I32(0x12345)));
    both_i64(&p, "i64_store8", (aa & ~0xffLL) | 0x34, ARGS(I32(16), I64(0x1234)));
    both_i64(&p, "i64_store16", (aa & ~0xffffLL) | 0xfffe, ARGS(I32(16), I64(-2)));
    both_i64(&p, "i64_store32", (aa & ~0xffffffffLL) | 0x23456789,
             ARGS(I32(16), I64(0x123456789LL)));
    both_i64(&p, "i32_store16_off", (aa & ~0xffffLL) | 0xbeef, ARGS(I32(16), I32(0xbeef)));
    both_i64(&p, "copy8", (int64_t)0x80000080017fff80ULL, ARGS(I32(0), I32(32)));
    both_i64(&p, "copy2", (aa & ~0xffffLL) | 0xff80, ARGS(I32(0), I32(40)));
    both_i32(&p, "funnel_store", 0x345678ab, ARGS(I32(48), I32(0x12345678), I32(0xab000000)));
    both_i64(&p, "i64_store", 0x0102030405060708LL, ARGS(I32(16), I64(0x0102030405060708LL)));
    both_trap(&p, "i32_store", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65532), I32(1)));
    both_trap(&p, "copy8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0), I32(65529)));
    both_trap(&p, "copy8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65529), I32(0)));
    both_trap(&p, "funnel_store", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS,
              ARGS(I32(65533), I32(1), I32(2)));
    both_i64(&p, "i64_load", 0x0102030405060708LL, ARGS(I32(16)) ); /* unchanged by the traps */
    for (int32_t a = 65526; a <= 65536; a += 2) {
        both(&p, "i32_store8", ARGS(I32(a), I32(a)));
        both(&p, "i64_store32", ARGS(I32(a), I64(a)));
    }

    /* offsets near and past 2^31: all out of bounds of one page, in both bounds modes */
    for (size_t k = 0; k < COUNT(offset_loads); k++) {
        both_trap(&p, offset_loads[k], WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0)));
        both_trap(&p, offset_loads[k], WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0x10)));
        both_trap(&p, offset_loads[k], WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(-1)));
        both_trap(&p, offset_loads[k], WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(INT32_MIN)));
    }
    both_trap(&p, "store_off_80000000", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0), I32(1)));
    both_trap(&p, "store8_off_ffffffff", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(-1), I32(1)));
    both_trap(&p, "store64_off_7ffffff8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(8), I64(1)));

    /* memory.grow, and the new pages used by this function, by the caller of the
       function that grew, and after an indirect call that grew */
    both_i32(&p, "size", 1, NO_ARGS);
    both_i32(&p, "grow_and_touch", 0x5a5a5a5a + 0x017fff80, ARGS(I32(1)));
    both_i32(&p, "size", 2, NO_ARGS);
    both_i32(&p, "load_last", 0x5a5a5a5a, ARGS(I32(4)));
    both_i32(&p, "call_grow_then_touch", (int32_t)(0x12345678u + 0x80000080u), ARGS(I32(2)));
    both_i32(&p, "indirect_grow_then_touch", (int32_t)(0x0badf00du + 0x80000080u), ARGS(I32(3)));
    both_i32(&p, "size", 7, NO_ARGS);
    both_i32(&p, "i32_load", 0x0badf00d, ARGS(I32(5 * 65536 - 4)));
    both_i32(&p, "i32_load", 0x12345678, ARGS(I32(3 * 65536 - 4)));
    both_i32(&p, "i32_load", 0, ARGS(I32(7 * 65536 - 4)));
    both_trap(&p, "i32_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(7 * 65536 - 3)));
    /* larger steps (explicit bounds: the memory may move) */
    both_i32(&p, "call_grow_then_touch", (int32_t)(0x12345678u + 0x80000080u), ARGS(I32(20)));
    both_i32(&p, "grow_and_touch", 0x5a5a5a5a + 0x017fff80, ARGS(I32(40)));
    both_i32(&p, "size", 67, NO_ARGS);
    both_i32(&p, "i32_load", 0x5a5a5a5a, ARGS(I32(67 * 65536 - 4)));
    both_i32(&p, "i32_load", 0x12345678, ARGS(I32(8 * 65536 - 4)));
    both_i64(&p, "i64_load8_u", 0xaa, ARGS(I32(65535))); /* the 0xaa fill of the stores */
    both_trap(&p, "i32_load8_u", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(67 * 65536)));
    both_i32(&p, "grow", -1, ARGS(I32(70000)));
    both_i32(&p, "grow_and_touch", -1, ARGS(I32(65536)));
    both_i32(&p, "grow", 67, ARGS(I32(0)));
    pair_free(&p);
}

static void test_memory_agrees_guard(void **state)
{
    (void)state;
    memory_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_memory_agrees_explicit(void **state)
{
    (void)state;
    memory_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

/* A memory of 2 GiB + 64 KiB: offsets of 2^31 and above reach real bytes, the same as
 * the address computed in a register does, and the end is where it is. */
static void big_memory_in_mode(wasmrt_bounds_mode bounds)
{
    pair p;
    pair_init(&p, bounds);
    pair_instantiate(&p, "test_jit");
    both_i32(&p, "grow", 1, ARGS(I32(32768)));
    both_i32(&p, "size", 32769, NO_ARGS);
    both(&p, "store_off_80000000", ARGS(I32(0x10), I32(0x11223344)));
    both_i32(&p, "i32_load", 0x11223344, ARGS(I32(0x80000010)));
    both_i32(&p, "off_80000000", 0x11223344, ARGS(I32(0x10)));
    both_i32(&p, "off_80000000_add", 0x11223344, ARGS(I32(0)));
    both_i64(&p, "off_7ffffff8", 0x11223344, ARGS(I32(0x18)));
    both_i32(&p, "off_7ffffff7", 0x44, ARGS(I32(0x19)));
    both_i32(&p, "off_7fffffff", 0x33, ARGS(I32(0x12)));
    both(&p, "store64_off_7ffffff8", ARGS(I32(0x20), I64(0x0102030405060708LL)));
    both_i64(&p, "i64_load", 0x0102030405060708LL, ARGS(I32(0x80000018)));
    both(&p, "store_off_80000000", ARGS(I32(0xfffc), I32(-2)));
    both_i32(&p, "off_80000000", -2, ARGS(I32(0xfffc)));
    both_i32(&p, "i32_load", -2, ARGS(I32(0x8000fffc)));
    both_trap(&p, "off_80000000", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0xfffd)));
    both_trap(&p, "off_80000000_add", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0xffee)));
    both_trap(&p, "store_off_80000000", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS,
              ARGS(I32(0x10000), I32(1)));
    both_trap(&p, "i32_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0x8000fffd)));
    both_trap(&p, "off_fffffffc", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0)));
    both_trap(&p, "off_ffffffff", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0)));
    both_trap(&p, "off_7ffffff8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0x10009)));
    pair_free(&p);
}

static void test_offsets_past_2g(void **state)
{
    (void)state;
    big_memory_in_mode(WASMRT_BOUNDS_GUARD);
    big_memory_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

/* ---- globals, call_indirect, locals, several results, calls -------------------------- */

static void test_calls_globals_locals_agree(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, WASMRT_BOUNDS_DEFAULT);
    pair_instantiate(&p, "test_jit");

    both_i32(&p, "g32_add", 12, ARGS(I32(5)));
    both_i32(&p, "g32_add", -8, ARGS(I32(-20)));
    both_i64(&p, "g64_xor", 0x123456789abcdef0LL ^ 0x0f0f0f0f0f0f0f0fLL,
             ARGS(I64(0x0f0f0f0f0f0f0f0fLL)));
    both_i64(&p, "k64", -0x7edcba9876543211LL, NO_ARGS);
    for (int i = 0; i < 5; i++)
        both(&p, "globals_mixed", ARGS(I32(i + 3)));
    both(&p, "g64_xor", ARGS(I64(0)));

    /* call_indirect: 0 doubles, 1 wrong type, 2 null, 3 divides, 5 null, 6.. outside */
    both_i32(&p, "call_indirect", 42, ARGS(I32(0), I32(21)));
    both_trap(&p, "call_indirect", WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH, ARGS(I32(1), I32(0)));
    both_trap(&p, "call_indirect", WASMRT_TRAP_UNINITIALIZED_ELEMENT, ARGS(I32(2), I32(0)));
    both_trap(&p, "call_indirect", WASMRT_TRAP_UNINITIALIZED_ELEMENT, ARGS(I32(5), I32(0)));
    both_trap(&p, "call_indirect", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(6), I32(0)));
    both_trap(&p, "call_indirect", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(-1), I32(0)));
    both_trap(&p, "call_indirect", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(INT32_MIN), I32(0)));
    both_i32(&p, "call_indirect", 25, ARGS(I32(3), I32(4)));
    both_trap_in(&p, "call_indirect", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, 2, ARGS(I32(3), I32(0)));
    both_i32(&p, "call_indirect_void", 77, ARGS(I32(1)));
    both_trap(&p, "call_indirect_void", WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH, ARGS(I32(0)));
    both_trap(&p, "call_indirect_void", WASMRT_TRAP_UNINITIALIZED_ELEMENT, ARGS(I32(2)));

    /* locals are zero on entry where a previous callee left its own: 16 (stored one
       by one), 17 and 24 (one string store); parameters untouched */
    both_i64(&p, "locals_zeroed", 7 + 1100 + 150000, ARGS(I32(0x5a5a)));
    both_i64(&p, "locals_zeroed", 7 + 1100 + 150000, ARGS(I32(-1)));
    both_i64(&p, "dirty", 2 * 0x77, ARGS(I32(0x77)));
    both_i64(&p, "clean24_direct", 0, ARGS(I32(1), I64(2)));
    both_i64(&p, "dirty", 2 * 0x78, ARGS(I32(0x78)));
    both_i64(&p, "clean24", 3, ARGS(I32(1), I64(2)));

    /* several results */
    outcome o = both(&p, "multi", ARGS(I32(5), I32(3)));
    expect_ok(&o, "multi");
    assert_int_equal(o.nres, 3);
    assert_int_equal(o.res[0].of.i32, 8);
    assert_true(o.res[1].type == WASMRT_I64 && o.res[1].of.i64 == 15);
    assert_int_equal(o.res[2].of.i32, 2);
    o = both(&p, "multi", ARGS(I32(INT32_MIN), I32(-1)));
    assert_int_equal(o.res[0].of.i32, INT32_MAX);
    assert_true(o.res[1].of.i64 == 0x80000000LL);
    assert_int_equal(o.res[2].of.i32, INT32_MIN + 1);
    both_i64(&p, "multi_caller",
             (int64_t)((uint64_t)8 * 1000003 ^ 15 ^ ((uint64_t)2 << 32)), ARGS(I32(5), I32(3)));
    both(&p, "multi_caller", ARGS(I32(-5), I32(INT32_MAX)));
    o = both(&p, "swap5", ARGS(I32(1), I64(0x200000002LL), I32(-3), I64(INT64_MIN), I32(5)));
    expect_ok(&o, "swap5");
    assert_int_equal(o.nres, 5);
    assert_int_equal(o.res[0].of.i32, 5);
    assert_true(o.res[1].of.i64 == INT64_MIN);
    assert_int_equal(o.res[2].of.i32, -3);
    assert_true(o.res[3].of.i64 == 0x200000002LL);
    assert_int_equal(o.res[4].of.i32, 1);
    o = both(&p, "multi_block", ARGS(I32(1)));
    assert_true(o.res[0].of.i32 == 1 && o.res[1].of.i32 == 2);
    o = both(&p, "multi_block", ARGS(I32(0)));
    assert_true(o.res[0].of.i32 == 3 && o.res[1].of.i32 == 4);

    /* calls, a loop mixing everything */
    both_i32(&p, "rec", 50, ARGS(I32(50)));
    both_i32(&p, "fib", 6765, ARGS(I32(20)));
    both_i32(&p, "count_loop", 100, ARGS(I32(100)));
    both(&p, "checksum", ARGS(I32(1000), I32(7)));
    both(&p, "checksum", ARGS(I32(3000), I32(-7)));
    pair_free(&p);
}

/* ---- more: constants on the left, stepped pointers, floats, bulk memory, tables ------ */

static int is_nan_bits(uint64_t bits, int f64)
{
    return f64 ? (bits & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL &&
                     (bits & 0x000fffffffffffffULL) != 0
               : (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0;
}

/* As both(), for a float result carried as its bits: any NaN equals any NaN (Wasm
 * leaves the payload of a NaN result to the implementation). */
static void both_float(pair *p, const char *name, int f64, const wasmrt_value *args,
                       uint32_t argc)
{
    outcome a = jt_call(p->interp.instance, name, args, argc);
    outcome b = jt_call(p->jit.instance, name, args, argc);
    if (same_outcome(&a, &b))
        return;
    if (a.status == WASMRT_OK && b.status == WASMRT_OK &&
        is_nan_bits(value_bits(a.res[0]), f64) && is_nan_bits(value_bits(b.res[0]), f64))
        return;
    char sa[600], sb[600], sargs[300];
    describe(&a, sa, sizeof sa);
    describe(&b, sb, sizeof sb);
    describe_args(args, argc, sargs, sizeof sargs);
    fail_msg("%s(%s): the interpreter gives %s, compiled code %s", name, sargs, sa, sb);
}

static const uint64_t f64_vals[] = {
    0, 0x8000000000000000ULL, 0x3ff0000000000000ULL /* 1 */, 0xbff8000000000000ULL /* -1.5 */,
    0x4004000000000000ULL /* 2.5 */, 0x3fe0000000000000ULL /* 0.5 */,
    0x7ff8000000000000ULL /* NaN */, 0x7ff4000000000001ULL /* sNaN */,
    0xfff8000000000123ULL /* -NaN */, 0x7ff0000000000000ULL /* inf */,
    0xfff0000000000000ULL /* -inf */, 0x7e37e43c8800759cULL /* 1e300 */,
    0xc1e0000000000000ULL /* -2^31 */, 0x41dfffffffe00000ULL /* 2^31 - 0.5 */,
    0x41f0000000000000ULL /* 2^32 */, 0x43f0000000000000ULL /* 2^64 */, 1 /* subnormal */,
    0xc1e0000000200000ULL /* -2^31 - 1 */,
};

static const uint32_t f32_vals[] = {
    0, 0x80000000u, 0x3f800000u /* 1 */, 0xbfc00000u /* -1.5 */, 0x7fc00000u /* NaN */,
    0x7fa00001u /* sNaN */, 0x7f800000u /* inf */, 0xff800000u /* -inf */,
    0x4f800000u /* 2^32 */, 0x4f7fffffu /* just below 2^32 */, 0xbf7fffffu /* -0.99.. */,
    1 /* subnormal */, 0x7f7fffffu /* max */,
};

static void test_more_ops_agree(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, WASMRT_BOUNDS_DEFAULT);
    pair_instantiate(&p, "test_jit");

    /* constants on the left; constants as values */
    for (size_t i = 0; i < COUNT(i32_vals); i++) {
        both(&p, "i32_sub_from_k", ARGS(I32(i32_vals[i])));
        both(&p, "i32_shl_k_by", ARGS(I32(i32_vals[i])));
        both(&p, "i32_gt_s_k_left", ARGS(I32(i32_vals[i])));
    }
    for (size_t i = 0; i < COUNT(i64_vals); i++) {
        both(&p, "i64_lt_u_k_left", ARGS(I64(i64_vals[i])));
        both(&p, "i64_div_s_k_left", ARGS(I64(i64_vals[i])));
    }
    both_i32(&p, "i32_sub_from_k", 6, ARGS(I32(-1)));
    both_i32(&p, "i32_shl_k_by", 0x20002, ARGS(I32(33)));
    both_i32(&p, "i64_lt_u_k_left", 1, ARGS(I64(0x100000001LL)));
    both_i32(&p, "i64_lt_u_k_left", 0, ARGS(I64(0x100000000LL)));
    both_i32(&p, "i32_gt_s_k_left", 1, ARGS(I32(INT32_MIN)));
    both_i64(&p, "i64_div_s_k_left", -INT64_MAX, ARGS(I64(-1)));
    both_trap(&p, "i64_div_s_k_left", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, ARGS(I64(0)));
    outcome o = both(&p, "consts", NO_ARGS);
    expect_ok(&o, "consts");
    assert_true(o.res[0].of.i64 == 0xffffffffLL);
    assert_true(o.res[1].of.i64 == 0x80000000LL);
    assert_true(o.res[2].of.i64 == -1);
    assert_int_equal(o.res[3].of.i32, -1);
    assert_true(o.res[4].of.i64 == INT64_MIN);
    assert_int_equal(o.res[5].of.i32, INT32_MIN);
    both_i64(&p, "consts_widened", 0xffffffffLL + 0x80000000LL, NO_ARGS);

    /* stepped pointers: bytes 80 ff 7f 01 | 80 00 00 80 | fe ff ff ff | ff ff ff 7f */
    both_i32(&p, "step_sum", (int32_t)(0x80000080u + 0xfffffffeu + 0x7fffffffu),
             ARGS(I32(0), I32(3)));
    both_i32(&p, "step_sum", 0x017fff80, ARGS(I32(-4), I32(1)));
    both_trap(&p, "step_sum", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65528), I32(2)));
    both_i32(&p, "step_load8_s", 1, ARGS(I32(4)));
    both_i32(&p, "step_load8_s", -128, ARGS(I32(5)));
    both_trap(&p, "step_load8_s", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(2)));
    /* p + k wraps at 32 bits, p + offset does not */
    both_trap(&p, "step_load8_s", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(1)));
    both_trap(&p, "step_load8_s", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0)));
    both_trap(&p, "step_load8_s", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65537)));
    both_trap(&p, "step_load_far", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0)));
    both_trap(&p, "step_load_far", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(-16)));

    /* floats through the helpers, traps of the truncations */
    for (size_t i = 0; i < COUNT(f64_vals); i++) {
        for (size_t j = 0; j < COUNT(f64_vals); j++) {
            for (int32_t op = 0; op < 7; op++)
                both_float(&p, "f64_bin", 1, ARGS(I32(op), I64(f64_vals[i]), I64(f64_vals[j])));
            both(&p, "f64_cmp", ARGS(I64(f64_vals[i]), I64(f64_vals[j])));
        }
        if (!is_nan_bits(f64_vals[i], 1))
            both(&p, "f64_un", ARGS(I64(f64_vals[i])));
        both(&p, "f64_to_i32_s", ARGS(I64(f64_vals[i])));
        both(&p, "f64_to_i64_u", ARGS(I64(f64_vals[i])));
        both(&p, "f64_to_i32_sat_s", ARGS(I64(f64_vals[i])));
        both_float(&p, "f64_demote", 0, ARGS(I64(f64_vals[i])));
    }
    for (size_t i = 0; i < COUNT(f32_vals); i++) {
        for (size_t j = 0; j < COUNT(f32_vals); j++)
            for (int32_t op = 0; op < 7; op++)
                both_float(&p, "f32_bin", 0, ARGS(I32(op), I32(f32_vals[i]), I32(f32_vals[j])));
        both(&p, "f32_to_i32_u", ARGS(I32(f32_vals[i])));
    }
    for (size_t i = 0; i < COUNT(i64_vals); i++) {
        both(&p, "i64_to_f32_s", ARGS(I64(i64_vals[i])));
        both(&p, "i64_to_f64_u", ARGS(I64(i64_vals[i])));
    }
    /* 2.5 + 1.5 = 4; min(0, -0) = -0; -1.5 against 1: ne, lt, le; NaN against NaN: ne */
    both_i64(&p, "f64_bin", 0x4010000000000000LL,
             ARGS(I32(0), I64(0x4004000000000000ULL), I64(0x3ff8000000000000ULL)));
    both_i64(&p, "f64_bin", (int64_t)0x8000000000000000ULL,
             ARGS(I32(6), I64(0), I64(0x8000000000000000ULL)));
    both_i32(&p, "f64_cmp", 0x2 | 0x4 | 0x10,
             ARGS(I64(0xbff8000000000000ULL), I64(0x3ff0000000000000ULL)));
    both_i32(&p, "f64_cmp", 0x2, ARGS(I64(0x7ff8000000000000ULL), I64(0x7ff8000000000000ULL)));
    both_trap(&p, "f64_to_i32_s", WASMRT_TRAP_INVALID_CONVERSION, ARGS(I64(0x7ff8000000000000ULL)));
    both_trap(&p, "f64_to_i32_s", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I64(0x41f0000000000000ULL)));
    both_trap(&p, "f64_to_i32_s", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I64(0xc1e0000000200000ULL)));
    both_i32(&p, "f64_to_i32_s", INT32_MIN, ARGS(I64(0xc1e0000000000000ULL)));
    both_i32(&p, "f64_to_i32_s", INT32_MAX, ARGS(I64(0x41dfffffffe00000ULL)));
    both_trap(&p, "f64_to_i64_u", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I64(0x43f0000000000000ULL)));
    both_trap(&p, "f32_to_i32_u", WASMRT_TRAP_INTEGER_OVERFLOW, ARGS(I32(0x4f800000u)));
    both_i32(&p, "f32_to_i32_u", (int32_t)0xffffff00u, ARGS(I32(0x4f7fffffu)));
    both_i32(&p, "f32_to_i32_u", 0, ARGS(I32(0xbf7fffffu)));
    both_i32(&p, "f64_to_i32_sat_s", INT32_MAX, ARGS(I64(0x7ff0000000000000ULL)));

    /* bulk memory: fill, overlapping copies, init and drop; traps */
    both_i64(&p, "mem_fill", 0x7777777777777777LL, ARGS(I32(100), I32(0x77), I32(8)));
    both_i64(&p, "mem_fill", (int64_t)0x7777777777777700ULL, ARGS(I32(99), I32(0x100), I32(1)));
    both_trap(&p, "mem_fill", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(65530), I32(1), I32(7)));
    both_i64(&p, "mem_copy", (int64_t)0xfe80000080017fffULL, ARGS(I32(0), I32(1), I32(8)));
    both(&p, "mem_copy", ARGS(I32(3), I32(0), I32(9)));
    both_trap(&p, "mem_copy", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(0), I32(65535), I32(2)));
    both_i32(&p, "mem_init", (int32_t)0xefbeadde, ARGS(I32(200), I32(0), I32(4)));
    both_trap(&p, "mem_init", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(200), I32(1), I32(4)));
    both(&p, "data_drop", NO_ARGS);
    both_trap(&p, "mem_init", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, ARGS(I32(200), I32(0), I32(1)));
    both(&p, "mem_init", ARGS(I32(200), I32(0), I32(0)));

    /* tables: size, grow, set, get, fill, copy, and calls through what they wrote */
    both_i32(&p, "tab_size", 6, NO_ARGS);
    both_i32(&p, "tab_is_null", 1, ARGS(I32(2)));
    both(&p, "tab_set_double", ARGS(I32(2)));
    both_i32(&p, "tab_is_null", 0, ARGS(I32(2)));
    both_i32(&p, "call_indirect", 18, ARGS(I32(2), I32(9)));
    both_trap(&p, "tab_set_double", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(6)));
    both_trap(&p, "tab_is_null", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(6)));
    both_i32(&p, "tab_grow", 6, ARGS(I32(3)));
    both_i32(&p, "tab_size", 9, NO_ARGS);
    both_trap(&p, "call_indirect", WASMRT_TRAP_UNINITIALIZED_ELEMENT, ARGS(I32(8), I32(1)));
    both(&p, "tab_fill_div", ARGS(I32(6), I32(3)));
    both_i32(&p, "call_indirect", 20, ARGS(I32(8), I32(5)));
    both_trap(&p, "tab_fill_div", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(8), I32(2)));
    both(&p, "tab_copy", ARGS(I32(0), I32(6), I32(2)));
    both_i32(&p, "call_indirect", 50, ARGS(I32(1), I32(2)));
    both_trap(&p, "tab_copy", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, ARGS(I32(8), I32(0), I32(2)));
    both_i32(&p, "tab_grow", -1, ARGS(I32(-1)));
    pair_free(&p);
}

/* ---- calls across instances: two memories, a shared table and global ----------------- */

typedef struct linked {
    test_env env;                 /* module and instance: B */
    wasmrt_module *module_a;
    wasmrt_instance *instance_a;
} linked;

static void linked_init(linked *l, wasmrt_exec_mode mode, wasmrt_bounds_mode bounds)
{
    wasmrt_config c = jt_config(mode, bounds);
    jt_env_init(&l->env, &c);
    l->module_a = test_load(l->env.engine, "test_jit_link_a");
    assert_int_equal(wasmrt_instance_new(l->env.linker, l->module_a, &l->instance_a, &l->env.error),
                     WASMRT_OK);
    assert_int_equal(
        wasmrt_linker_define_instance(l->env.linker, "a", l->instance_a, &l->env.error),
        WASMRT_OK);
    test_env_instantiate(&l->env, "test_jit_link_b");
}

static void linked_free(linked *l)
{
    test_env_free(&l->env); /* B first: it uses A's exports */
    wasmrt_instance_free(l->instance_a);
    wasmrt_module_free(l->module_a);
}

static uint32_t mem_word(wasmrt_instance *in, uint64_t at)
{
    uint64_t size;
    uint8_t *m = wasmrt_instance_memory(in, &size);
    assert_non_null(m);
    assert_true(at + 4 <= size);
    uint32_t v;
    memcpy(&v, m + at, 4);
    return v;
}

static void cross_instance_in_mode(wasmrt_bounds_mode bounds)
{
    linked l[2];
    linked_init(&l[0], WASMRT_MODE_INTERP, bounds);
    linked_init(&l[1], WASMRT_MODE_JIT, bounds);
    pair p = {l[0].env, l[1].env};

    /* A's code on A's memory (one page), B's on B's (two) */
    both_i32(&p, "both_loads", 3, ARGS(I32(0)));
    both_trap_in(&p, "both_loads", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 0, ARGS(I32(65536)));
    both_i32(&p, "b_load", 0, ARGS(I32(65536)));
    both_trap_in(&p, "b_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 7, ARGS(I32(131069)));
    both_trap_in(&p, "both_loads", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 0, ARGS(I32(-4)));
    both_trap_in(&p, "b_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 7, ARGS(I32(-4)));
    /* through A's table */
    both_i32(&p, "via_table", 3, ARGS(I32(0), I32(0)));
    both_i32(&p, "via_table", 102, ARGS(I32(1), I32(10)));
    both_trap_in(&p, "via_table", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, 1, ARGS(I32(1), I32(0)));
    both_trap_in(&p, "via_table", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 0, ARGS(I32(0), I32(65535)));
    both_trap_in(&p, "b_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 7, ARGS(I32(131072)));
    /* B's fault after A's code ran in the same call (guard: B's reservation watched again) */
    both_i32(&p, "a_then_b_load", 3, ARGS(I32(0)));
    both_i32(&p, "a_then_b_load", 1, ARGS(I32(65536)));
    both_trap_in(&p, "a_then_b_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 10, ARGS(I32(131072)));
    both_trap_in(&p, "table_then_b_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 11, ARGS(I32(-1)));
    /* stores land in the right memory */
    both_i32(&p, "store_a_load_b", 0, ARGS(I32(8)));
    for (int m = 0; m < 2; m++) {
        assert_int_equal(mem_word(l[m].instance_a, 8), 0x5555);
        assert_int_equal(mem_word(l[m].env.instance, 8), 0);
    }
    both_i32(&p, "grow_a_then_b", 77, ARGS(I32(1)));
    both_i32(&p, "grow_a_then_b", 77, ARGS(I32(10)));
    for (int m = 0; m < 2; m++) {
        assert_int_equal(mem_word(l[m].env.instance, 131068), 77);
        assert_int_equal(mem_word(l[m].instance_a, 131068), 0);
    }
    both_i32(&p, "both_loads", 2, ARGS(I32(65536 * 11 - 4)));
    both_i32(&p, "bump_ga", 101, NO_ARGS);
    both_i32(&p, "bump_ga", 102, NO_ARGS);
    linked_free(&l[0]);
    linked_free(&l[1]);
}

static void test_cross_instance_guard(void **state)
{
    (void)state;
    cross_instance_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_cross_instance_explicit(void **state)
{
    (void)state;
    cross_instance_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

/* ---- one function larger than a code chunk ------------------------------------------- */

static void put_leb(uint8_t **w, uint64_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        *(*w)++ = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
}

static void put_sleb(uint8_t **w, int64_t v)
{
    for (;;) {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
            *(*w)++ = b;
            return;
        }
        *(*w)++ = b | 0x80;
    }
}

enum { BIG_STEPS = 12000 };

/* (func (export "big") (param $x i32) (param $rounds i32) (result i32)
 *   (local $acc i32) (local $n i32)
 *   loop: $acc = $acc * 31 + $x + i for i = 0 .. BIG_STEPS - 1 (unrolled);
 *         $n += 1; br_if loop ($n < $rounds)
 *   $acc)
 * and (func (export "small") (result i32) i32.const 7) after it. */
static uint8_t *big_module(size_t *size)
{
    uint8_t *m = malloc((size_t)BIG_STEPS * 16 + 256), *w = m;
    assert_non_null(m);
    static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                   /* types: (i32 i32) -> i32, () -> i32 */
                                   1, 11, 2, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 1, 0x7f,
                                   /* functions */
                                   3, 3, 2, 0, 1,
                                   /* exports "big" 0, "small" 1 */
                                   7, 15, 2, 3, 'b', 'i', 'g', 0, 0,
                                   5, 's', 'm', 'a', 'l', 'l', 0, 1};
    memcpy(w, head, sizeof head);
    w += sizeof head;
    uint8_t *body = malloc((size_t)BIG_STEPS * 16 + 64), *b = body;
    assert_non_null(body);
    *b++ = 1, *b++ = 2, *b++ = 0x7f;          /* two locals i32 */
    *b++ = 0x03, *b++ = 0x40;                 /* loop */
    for (int i = 0; i < BIG_STEPS; i++) {
        *b++ = 0x20, *b++ = 2;                /* local.get $acc */
        *b++ = 0x41, *b++ = 31;               /* i32.const 31 */
        *b++ = 0x6c;                          /* i32.mul */
        *b++ = 0x20, *b++ = 0;                /* local.get $x */
        *b++ = 0x6a;                          /* i32.add */
        *b++ = 0x41;                          /* i32.const i */
        put_sleb(&b, i);
        *b++ = 0x6a;                          /* i32.add */
        *b++ = 0x21, *b++ = 2;                /* local.set $acc */
    }
    /* local.get $n; i32.const 1; i32.add; local.tee $n; local.get $rounds; i32.lt_u;
       br_if 0; end; local.get $acc; end */
    *b++ = 0x20, *b++ = 3, *b++ = 0x41, *b++ = 1, *b++ = 0x6a, *b++ = 0x22, *b++ = 3;
    *b++ = 0x20, *b++ = 1, *b++ = 0x49, *b++ = 0x0d, *b++ = 0;
    *b++ = 0x0b, *b++ = 0x20, *b++ = 2, *b++ = 0x0b;
    size_t blen = (size_t)(b - body);
    static const uint8_t small[] = {0, 0x41, 7, 0x0b};
    uint8_t lenbuf[8], *lw = lenbuf;
    put_leb(&lw, blen);
    size_t section = 1 + (size_t)(lw - lenbuf) + blen + 1 + sizeof small;
    *w++ = 10;
    put_leb(&w, section);
    *w++ = 2;
    put_leb(&w, blen);
    memcpy(w, body, blen);
    w += blen;
    *w++ = sizeof small;
    memcpy(w, small, sizeof small);
    w += sizeof small;
    free(body);
    *size = (size_t)(w - m);
    return m;
}

static int32_t big_expected(int32_t x, int32_t rounds)
{
    uint32_t acc = 0;
    int32_t done = 0;
    do {
        for (int i = 0; i < BIG_STEPS; i++)
            acc = acc * 31u + (uint32_t)x + (uint32_t)i;
        done++;
    } while ((uint32_t)done < (uint32_t)rounds);
    return (int32_t)acc;
}

static void test_function_larger_than_a_chunk(void **state)
{
    (void)state;
    size_t size;
    uint8_t *bytes = big_module(&size);
    pair p;
    pair_init(&p, WASMRT_BOUNDS_DEFAULT);
    test_env *e[2] = {&p.interp, &p.jit};
    for (int m = 0; m < 2; m++) {
        if (wasmrt_module_load(e[m]->engine, bytes, size, &e[m]->module, &e[m]->error) != WASMRT_OK)
            fail_msg("big module: %s", e[m]->error.message);
        assert_int_equal(wasmrt_instance_new(e[m]->linker, e[m]->module, &e[m]->instance,
                                             &e[m]->error),
                         WASMRT_OK);
    }
    free(bytes);
    /* compiled small first, big after it, small again: code on both sides of it */
    both_i32(&p, "small", 7, NO_ARGS);
    both_i32(&p, "big", big_expected(3, 1), ARGS(I32(3), I32(1)));
    both_i32(&p, "big", big_expected(-5, 3), ARGS(I32(-5), I32(3)));
    both_i32(&p, "small", 7, NO_ARGS);
    pair_free(&p);
}

/* ---- traps name their function ------------------------------------------------------- */

/* indices of tests/wat/test_jit_trap.wat */
enum { TF_INNER_LOAD = 0, TF_INNER_DIV = 1, TF_INNER_UNREACHABLE = 2, TF_INDIRECT = 5,
       TF_AFTER_CALL = 6, TF_STORE_FAR = 7, TF_FOREVER = 9, TF_INDIRECT_OUTER = 10,
       TF_DIV64 = 12 };

static void trap_names_in_mode(wasmrt_bounds_mode bounds)
{
    pair p;
    pair_init(&p, bounds);
    pair_instantiate(&p, "test_jit_trap");
    for (int round = 0; round < 2; round++) {
        /* round 0 compiles each function on this call, round 1 runs it compiled */
        both_trap_in(&p, "outer_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, TF_INNER_LOAD,
                     ARGS(I32(1 << 20)));
        both_i32(&p, "fine", 1, ARGS(I32(0)));
        both_trap_in(&p, "outer_load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, TF_INNER_LOAD,
                     ARGS(I32(-4)));
        both_i32(&p, "outer_load", 2, ARGS(I32(65532)));
        /* traps in callees reached through the table, and of the table itself */
        both_trap_in(&p, "indirect", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, TF_INNER_LOAD,
                     ARGS(I32(0), I32(70000)));
        both_trap_in(&p, "indirect", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, TF_INNER_DIV,
                     ARGS(I32(1), I32(0)));
        both_trap_in(&p, "indirect", WASMRT_TRAP_UNREACHABLE, TF_INNER_UNREACHABLE,
                     ARGS(I32(2), I32(1)));
        both_i32(&p, "indirect", 5, ARGS(I32(2), I32(0)));
        both_trap_in(&p, "indirect", WASMRT_TRAP_UNINITIALIZED_ELEMENT, TF_INDIRECT,
                     ARGS(I32(3), I32(0)));
        both_trap_in(&p, "indirect", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, TF_INDIRECT,
                     ARGS(I32(9), I32(0)));
        both_trap_in(&p, "indirect_outer", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, TF_INNER_LOAD,
                     ARGS(I32(0), I32(-1)));
        both_trap_in(&p, "indirect_outer", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, TF_INNER_DIV,
                     ARGS(I32(1), I32(0)));
        both_i32(&p, "indirect_outer", 51, ARGS(I32(1), I32(2)));
        /* a trap after a callee returned names the caller */
        both_trap_in(&p, "after_call", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, TF_AFTER_CALL,
                     ARGS(I32(0)));
        both_trap_in(&p, "calls_store_far", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, TF_STORE_FAR,
                     ARGS(I32(0)));
        both_trap_in(&p, "forever", WASMRT_TRAP_STACK_EXHAUSTED, TF_FOREVER, ARGS(I32(0)));
        both_trap_in(&p, "div64", WASMRT_TRAP_INTEGER_OVERFLOW, TF_DIV64,
                     ARGS(I64(INT64_MIN), I64(-1)));
        both_i32(&p, "fine", 1, ARGS(I32(0)));
    }
    pair_free(&p);
}

static void test_trap_names_function_guard(void **state)
{
    (void)state;
    trap_names_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_trap_names_function_explicit(void **state)
{
    (void)state;
    trap_names_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

/* ---- unbounded recursion ------------------------------------------------------------- */

static void test_recursion_default_depth(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, WASMRT_BOUNDS_DEFAULT);
    pair_instantiate(&p, "test_jit");
    both_trap(&p, "forever", WASMRT_TRAP_STACK_EXHAUSTED, ARGS(I32(0)));
    both_trap(&p, "forever_wide", WASMRT_TRAP_STACK_EXHAUSTED, ARGS(I32(0)));
    both_i32(&p, "rec", 10000, ARGS(I32(10000)));
    both_trap(&p, "forever", WASMRT_TRAP_STACK_EXHAUSTED, ARGS(I32(0)));
    both_i32(&p, "fib", 610, ARGS(I32(15)));
    pair_free(&p);
}

static void test_recursion_small_depth(void **state)
{
    (void)state;
    pair pr, *p = &pr;
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    c.max_call_depth = 100;
    pair_init_config(p, &c);
    pair_instantiate(p, "test_jit");
    both_i32(p, "rec", 90, ARGS(I32(90)));
    both_trap(p, "rec", WASMRT_TRAP_STACK_EXHAUSTED, ARGS(I32(200)));
    both_trap(p, "forever", WASMRT_TRAP_STACK_EXHAUSTED, ARGS(I32(0)));
    both_i32(p, "rec", 90, ARGS(I32(90)));
    /* the limit is the same number of calls in both modes: 100 frames, rec(99) */
    int deepest = -1;
    for (int32_t n = 90; n < 110; n++) {
        outcome o = both(p, "rec", ARGS(I32(n)));
        if (o.status == WASMRT_OK)
            deepest = n;
    }
    assert_int_equal(deepest, 99);
    pair_free(p);
}

/* The frame limit past what the C stack holds: the C stack check must stop it. */
static void test_recursion_c_stack_main_thread(void **state)
{
    (void)state;
    test_env env;
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    c.max_call_depth = 1u << 20; /* the most frames there are */
    jt_env_init(&env, &c);
    test_env_instantiate(&env, "test_jit");
    outcome o = jt_call(env.instance, "forever", ARGS(I32(0)));
    assert_int_equal(o.status, WASMRT_ERR_TRAP);
    assert_int_equal(o.trap, WASMRT_TRAP_STACK_EXHAUSTED);
    o = jt_call(env.instance, "forever_wide", ARGS(I32(0)));
    assert_int_equal(o.status, WASMRT_ERR_TRAP);
    assert_int_equal(o.trap, WASMRT_TRAP_STACK_EXHAUSTED);
    o = jt_call(env.instance, "rec", ARGS(I32(20000)));
    expect_ok(&o, "rec");
    assert_int_equal(o.res[0].of.i32, 20000);
    test_env_free(&env);
}

/* ---- host functions (for the recursion tests too) ------------------------------------ */

typedef struct host_state {
    int types_ok;
    int32_t a;
    int64_t b;
    float c;
    double d;
    wasmrt_value many[8];
    int pass_on; /* "swallow" on a trap of its call back: 0 returns 0, 1 passes the
                    trap on, 2 traps itself */
} host_state;

static wasmrt_status h_mixed(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                             wasmrt_value *results)
{
    (void)caller;
    host_state *s = user;
    s->types_ok = args[0].type == WASMRT_I32 && args[1].type == WASMRT_I64 &&
                  args[2].type == WASMRT_F32 && args[3].type == WASMRT_F64;
    s->a = args[0].of.i32;
    s->b = args[1].of.i64;
    s->c = wasmrt_value_f32(args[2]);
    s->d = wasmrt_value_f64(args[3]);
    results[0] = I64((uint64_t)s->b + (uint64_t)(int64_t)s->a + (uint64_t)(int64_t)(s->c * 2) +
                     (uint64_t)(int64_t)(s->d * 4));
    return WASMRT_OK;
}

static wasmrt_status h_many(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                            wasmrt_value *results)
{
    (void)caller;
    host_state *s = user;
    uint64_t sum = 0;
    for (int i = 0; i < 8; i++) {
        s->many[i] = args[i];
        uint64_t v = args[i].type == WASMRT_I32 ? (uint64_t)(int64_t)args[i].of.i32
                                               : (uint64_t)args[i].of.i64;
        sum += v * (uint64_t)(i + 1);
    }
    results[0] = I64(sum);
    return WASMRT_OK;
}

static wasmrt_status h_pair(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                            wasmrt_value *results)
{
    (void)caller, (void)user;
    results[0] = I32((uint32_t)args[0].of.i32 * 2u);
    results[1] = I64((uint64_t)(int64_t)args[0].of.i32 << 33);
    return WASMRT_OK;
}

/* x >= 0: square(x); x = -0x7fffffff: host_forever(0); other x < 0: down(-x). The
 * status of the call back is passed on. */
static wasmrt_status h_reenter(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                               wasmrt_value *results)
{
    (void)user;
    int32_t x = args[0].of.i32;
    const char *name = x >= 0 ? "square" : x == -0x7fffffff ? "host_forever" : "down";
    wasmrt_value arg = I32(x >= 0 ? x : x == -0x7fffffff ? 0 : -x), res;
    wasmrt_error err;
    wasmrt_status s = wasmrt_instance_call(wasmrt_caller_instance(caller), name, &arg, 1, &res,
                                           1, &err);
    if (s == WASMRT_OK)
        results[0] = res;
    return s;
}

static wasmrt_status h_grow(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                            wasmrt_value *results)
{
    (void)user;
    wasmrt_error err;
    return wasmrt_instance_call(wasmrt_caller_instance(caller), "grow_wasm", args, 1, results, 1,
                                &err);
}

static wasmrt_status h_fail(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                            wasmrt_value *results)
{
    (void)user, (void)args, (void)results;
    return wasmrt_caller_trap(caller, "refused by the host");
}

static wasmrt_status h_swallow(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                               wasmrt_value *results)
{
    host_state *s = user;
    wasmrt_error err;
    wasmrt_status st = wasmrt_instance_call(wasmrt_caller_instance(caller), "divide", args, 1,
                                            results, 1, &err);
    if (st == WASMRT_OK || s->pass_on == 1)
        return st;
    if (s->pass_on == 2)
        return wasmrt_caller_trap(caller, "the host traps after its call back trapped");
    results[0] = I32(0);
    return WASMRT_OK;
}

static wasmrt_status h_exit(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                            wasmrt_value *results)
{
    (void)user, (void)results;
    return wasmrt_caller_exit(caller, args[0].of.i32);
}

/* The imports of test_jit_host.wat; 0 when one cannot be defined. */
static int host_define_quiet(wasmrt_linker *linker, host_state *s)
{
    static const struct {
        const char *name, *sig;
        wasmrt_host_fn fn;
    } fns[] = {
        {"mixed", "iIfF:I", h_mixed},     {"many", "iIiIiIiI:I", h_many},
        {"pair", "i:iI", h_pair},         {"reenter", "i:i", h_reenter},
        {"grow", "i:i", h_grow},          {"fail", "i:", h_fail},
        {"swallow", "i:i", h_swallow},    {"exit", "i:", h_exit},
    };
    wasmrt_error err;
    for (size_t i = 0; i < COUNT(fns); i++)
        if (wasmrt_linker_define_func(linker, "env", fns[i].name, fns[i].sig, fns[i].fn, s,
                                      &err) != WASMRT_OK)
            return 0;
    return 1;
}

static void host_define(test_env *env, host_state *s)
{
    assert_true(host_define_quiet(env->linker, s));
}

/* indices of tests/wat/test_jit_host.wat */
enum { TH_CALL_FAIL = 16, TH_DIVIDE = 17, TH_CALL_SWALLOW = 18, TH_SWALLOW_THEN_TRAP = 19,
       TH_HOST_FOREVER = 21 };

/* ---- recursion on a thread with a small stack ---------------------------------------- */

typedef struct small_stack_result {
    outcome jit_forever, jit_forever_wide, jit_rec, jit_host_forever, jit_after, interp_forever;
    outcome jit_fault;
} small_stack_result;

static outcome run_once(wasmrt_exec_mode mode, const char *module, const char *name,
                        const wasmrt_value *args, uint32_t argc, int repeat_with_rec)
{
    /* no cmocka assertions on this thread: failures come back in the outcome */
    outcome o;
    memset(&o, 0, sizeof o);
    wasmrt_config c = jt_config(mode, WASMRT_BOUNDS_DEFAULT);
    wasmrt_engine *e = NULL;
    wasmrt_linker *l = NULL;
    wasmrt_module *m = NULL;
    wasmrt_instance *in = NULL;
    wasmrt_error err;
    host_state hs;
    memset(&hs, 0, sizeof hs);
    hs.pass_on = 1;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", TEST_WAT_DIR, module);
    o.status = WASMRT_ERR_IO;
    if (wasmrt_engine_new(&c, &e, &err) == WASMRT_OK &&
        wasmrt_linker_new(e, &l, &err) == WASMRT_OK &&
        (strcmp(module, "test_jit_host") != 0 || host_define_quiet(l, &hs)) &&
        wasmrt_module_load_file(e, path, &m, &err) == WASMRT_OK &&
        wasmrt_instance_new(l, m, &in, &err) == WASMRT_OK) {
        o = jt_call(in, name, args, argc);
        if (repeat_with_rec && o.status == WASMRT_ERR_TRAP) {
            /* after the trap, moderate recursion still works on this thread */
            outcome r = jt_call(in, "rec", ARGS(I32(1000)));
            if (r.status != WASMRT_OK || r.res[0].of.i32 != 1000)
                o.status = WASMRT_ERR_RESOURCE;
        }
    }
    if (in)
        wasmrt_instance_free(in);
    if (m)
        wasmrt_module_free(m);
    if (l)
        wasmrt_linker_free(l);
    if (e)
        wasmrt_engine_free(e);
    return o;
}

static void *small_stack_thread(void *arg)
{
    small_stack_result *r = arg;
    r->jit_forever = run_once(WASMRT_MODE_JIT, "test_jit", "forever", ARGS(I32(0)), 1);
    r->jit_forever_wide = run_once(WASMRT_MODE_JIT, "test_jit", "forever_wide", ARGS(I32(0)), 1);
    r->jit_rec = run_once(WASMRT_MODE_JIT, "test_jit", "rec", ARGS(I32(3000)), 0);
    /* wasm -> host -> wasm -> host ... : every level's C frames on this stack */
    r->jit_host_forever = run_once(WASMRT_MODE_JIT, "test_jit_host", "host_forever",
                                   ARGS(I32(0)), 0);
    r->jit_after = run_once(WASMRT_MODE_JIT, "test_jit_host", "down", ARGS(I32(20)), 0);
    r->interp_forever = run_once(WASMRT_MODE_INTERP, "test_jit", "forever", ARGS(I32(0)), 1);
    /* a memory fault (guard pages by default) in compiled code on this thread */
    r->jit_fault = run_once(WASMRT_MODE_JIT, "test_jit_trap", "outer_load", ARGS(I32(1 << 20)), 0);
    return NULL;
}

static void expect_outcome_trap(const outcome *o, const char *what, wasmrt_trap_kind kind)
{
    if (o->status != WASMRT_ERR_TRAP || o->trap != kind) {
        char s[600];
        describe(o, s, sizeof s);
        fail_msg("%s: expected trap \"%s\", got %s", what, wasmrt_trap_name(kind), s);
    }
}

static void test_recursion_small_thread_stack(void **state)
{
    (void)state;
    small_stack_result r;
    memset(&r, 0, sizeof r);
    pthread_attr_t attr;
    pthread_t th;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, (size_t)256 << 10), 0);
    assert_int_equal(pthread_create(&th, &attr, small_stack_thread, &r), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    pthread_attr_destroy(&attr);
    expect_outcome_trap(&r.jit_forever, "forever (compiled, 256 KiB stack)",
                        WASMRT_TRAP_STACK_EXHAUSTED);
    expect_outcome_trap(&r.jit_forever_wide, "forever_wide (compiled, 256 KiB stack)",
                        WASMRT_TRAP_STACK_EXHAUSTED);
    expect_ok(&r.jit_rec, "rec(3000) (compiled, 256 KiB stack)");
    assert_int_equal(r.jit_rec.res[0].of.i32, 3000);
    expect_outcome_trap(&r.jit_host_forever, "host_forever (compiled, 256 KiB stack)",
                        WASMRT_TRAP_STACK_EXHAUSTED);
    expect_ok(&r.jit_after, "down(20) (compiled, 256 KiB stack)");
    assert_int_equal(r.jit_after.res[0].of.i32, 40);
    expect_outcome_trap(&r.interp_forever, "forever (interpreter, 256 KiB stack)",
                        WASMRT_TRAP_STACK_EXHAUSTED);
    expect_outcome_trap(&r.jit_fault, "outer_load (compiled, 256 KiB stack)",
                        WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
    assert_int_equal(r.jit_fault.func, TF_INNER_LOAD);
}

/* ---- C code run at the bottom of the C stack compiled code may use ------------------- */

/* What probe_at_limit found (it runs on any thread: no cmocka there). */
typedef struct limit_probe {
    int32_t depth; /* the deepest recursion that returned */
    int returned, trapped;
    char failure[400];
} limit_probe;

static wasmrt_instance *probe_instance(wasmrt_engine *e, wasmrt_linker *l, const char *module,
                                       wasmrt_module **m)
{
    char path[1024];
    wasmrt_error err;
    wasmrt_instance *in = NULL;
    snprintf(path, sizeof path, "%s/%s.wasm", TEST_WAT_DIR, module);
    if (wasmrt_module_load_file(e, path, m, &err) != WASMRT_OK)
        return NULL;
    if (wasmrt_instance_new(l, *m, &in, &err) != WASMRT_OK) {
        wasmrt_module_free(*m);
        return NULL;
    }
    return in;
}

/* `deep`(n) on a fresh instance: its innermost call is the first call of a function
 * (compiled there, by C code running below the limit, in the reserve) or a host call
 * calling back into Wasm. 1: returned (`bottom` added to n), 0: trapped
 * STACK_EXHAUSTED, -1: anything else (in r->failure). */
static int probe_deep(wasmrt_engine *e, wasmrt_linker *l, const char *module, const char *deep,
                      int32_t n, int32_t bottom, limit_probe *r)
{
    wasmrt_module *m = NULL;
    wasmrt_instance *in = probe_instance(e, l, module, &m);
    if (!in) {
        snprintf(r->failure, sizeof r->failure, "instance of %s", module);
        return -1;
    }
    outcome o = jt_call(in, deep, ARGS(I32(n)));
    int k = -1;
    if (o.status == WASMRT_OK && o.res[0].of.i32 == n + bottom)
        k = 1;
    else if (o.status == WASMRT_ERR_TRAP && o.trap == WASMRT_TRAP_STACK_EXHAUSTED)
        k = 0;
    else if (!r->failure[0]) {
        char d[600];
        describe(&o, d, sizeof d);
        snprintf(r->failure, sizeof r->failure, "%s(%d): %.300s", deep, n, d);
    }
    wasmrt_instance_free(in);
    wasmrt_module_free(m);
    return k;
}

/* Finds how deep `deep` goes on this thread (compiled code stops at the C stack limit
 * or the frame limit), each try on a fresh instance, so its innermost call runs C code
 * at every depth the search tries, down to the limit; then calls it again at and
 * around that depth. Each call must return or trap STACK_EXHAUSTED, not crash. */
static void probe_at_limit(const char *module, const char *deep, int32_t bottom, limit_probe *r)
{
    memset(r, 0, sizeof *r);
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    c.max_call_depth = 1u << 20;
    wasmrt_engine *e = NULL;
    wasmrt_linker *l = NULL;
    host_state hs;
    memset(&hs, 0, sizeof hs);
    if (wasmrt_engine_new(&c, &e, NULL) != WASMRT_OK ||
        wasmrt_linker_new(e, &l, NULL) != WASMRT_OK || !host_define_quiet(l, &hs)) {
        snprintf(r->failure, sizeof r->failure, "engine");
        goto out;
    }
    int32_t lo = 0, hi = (1 << 20) - 16;
    while (hi - lo > 1 && !r->failure[0]) {
        int32_t mid = lo + (hi - lo) / 2;
        int k = probe_deep(e, l, module, deep, mid, bottom, r);
        if (k == 1)
            lo = mid;
        else if (k == 0)
            hi = mid;
    }
    r->depth = lo;
    static const int32_t around[] = {-1000, -5, -1, 0, 1, 5, 1000};
    for (size_t k = 0; k < COUNT(around) && !r->failure[0]; k++) {
        int got = probe_deep(e, l, module, deep, lo + around[k], bottom, r);
        r->returned += got == 1;
        r->trapped += got == 0;
    }
out:
    if (l)
        wasmrt_linker_free(l);
    if (e)
        wasmrt_engine_free(e);
}

static void expect_probe(const limit_probe *r, const char *what)
{
    if (r->failure[0])
        fail_msg("%s: %s", what, r->failure);
    assert_true(r->depth > 2000);
    assert_int_equal(r->returned + r->trapped, 7);
    assert_true(r->returned >= 1);
    assert_true(r->trapped >= 1);
}

static void test_lazy_compile_at_stack_limit(void **state)
{
    (void)state;
    limit_probe r;
    probe_at_limit("test_jit", "deep_then_fresh", 500, &r);
    expect_probe(&r, "first call at the limit (main thread)");
    probe_at_limit("test_jit_host", "deep_then_host", 9, &r);
    expect_probe(&r, "host call at the limit (main thread)");
}

static void *probe_thread(void *arg)
{
    limit_probe *r = arg;
    probe_at_limit("test_jit", "deep_then_fresh", 500, &r[0]);
    probe_at_limit("test_jit_host", "deep_then_host", 9, &r[1]);
    return NULL;
}

static void test_lazy_compile_at_stack_limit_small_thread(void **state)
{
    (void)state;
    limit_probe r[2];
    pthread_attr_t attr;
    pthread_t th;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, (size_t)256 << 10), 0);
    assert_int_equal(pthread_create(&th, &attr, probe_thread, r), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    pthread_attr_destroy(&attr);
    expect_probe(&r[0], "first call at the limit (256 KiB thread)");
    expect_probe(&r[1], "host call at the limit (256 KiB thread)");
}

/* ---- the main thread's first call made deep in its stack --------------------------------
 *
 * Regression (fixed: the main thread's stack top now comes from AT_EXECFN):
 * on the main thread the C stack compiled code
 * may use was taken as 3/4 of RLIMIT_STACK below the frame of the thread's first call,
 * not below the top of the stack. When that first call is made with more than 1/4 of
 * the stack already in use, unbounded recursion in compiled code ran past the real
 * end of the stack and the process died of SIGSEGV instead of trapping
 * STACK_EXHAUSTED (8 MiB limit: a first call made 2.5 MiB deep already crashes). The
 * test runs in a new process (this program run with FIRST_CALL_DEEP), where no Wasm
 * call was made yet. */

#define FIRST_CALL_DEEP "--first-call-deep"

static int first_call_deep_run(void)
{
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    c.max_call_depth = 1u << 20;
    wasmrt_engine *e;
    wasmrt_linker *l;
    wasmrt_module *m;
    wasmrt_instance *in;
    wasmrt_error err;
    char path[1024];
    snprintf(path, sizeof path, "%s/test_jit.wasm", TEST_WAT_DIR);
    if (wasmrt_engine_new(&c, &e, &err) != WASMRT_OK ||
        wasmrt_linker_new(e, &l, &err) != WASMRT_OK ||
        wasmrt_module_load_file(e, path, &m, &err) != WASMRT_OK ||
        wasmrt_instance_new(l, m, &in, &err) != WASMRT_OK)
        return 2;
    wasmrt_value arg = I32(0), res;
    wasmrt_status s = wasmrt_instance_call(in, "forever", &arg, 1, &res, 1, &err);
    int code = s == WASMRT_ERR_TRAP && err.trap == WASMRT_TRAP_STACK_EXHAUSTED ? 0 : 3;
    wasmrt_instance_free(in);
    wasmrt_module_free(m);
    wasmrt_linker_free(l);
    wasmrt_engine_free(e);
    return code;
}

/* Uses about `kib` KiB of stack, then makes the process's first Wasm call. */
static int __attribute__((noinline)) first_call_deep_burn(long kib)
{
    volatile char buf[4096];
    memset((char *)buf, (int)kib, sizeof buf);
    int r = kib <= 4 ? first_call_deep_run() : first_call_deep_burn(kib - 4);
    return r + buf[kib & 1023] - (int)(char)kib;
}

static int first_call_deep_main(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur > ((rlim_t)64 << 20) || rl.rlim_cur < ((rlim_t)1 << 20))
        return 77; /* no such limit to run into here */
    return first_call_deep_burn((long)(rl.rlim_cur / 1024 / 2));
}

static void test_first_call_deep_in_main_stack(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* quiet: the sanitizers' report of the overflow would be a thousand frames */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl("/proc/self/exe", "test_jit", FIRST_CALL_DEEP, (char *)NULL);
        _exit(4);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
        skip();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("unbounded recursion after a first "
                 "call made half way down the main thread's stack: %s %d, expected a "
                 "\"call stack exhausted\" trap",
                 WIFEXITED(status) ? "exit status" : "killed by signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* ---- calls made on another stack (a coroutine's) ----------------------------------------
 *
 * Regression (fixed: jit_stack_limit per entry from the host): the lowest address
 * compiled code may use is fixed per thread when its first call is made, as an
 * address in that thread's stack. A call made later on another stack (a coroutine's
 * stack from makecontext, as fiber-based embedders do, or a signal stack) is compared
 * with that address: a stack mapped below the thread's traps STACK_EXHAUSTED on its
 * first compiled frame (rec(10) fails), one above it has no check at all. The
 * interpreter runs these calls. */

static struct {
    ucontext_t main, fiber;
    wasmrt_instance *instance;
    outcome rec, forever;
} on_fiber;

static void fiber_body(void)
{
    on_fiber.rec = jt_call(on_fiber.instance, "rec", ARGS(I32(1000)));
    on_fiber.forever = jt_call(on_fiber.instance, "forever", ARGS(I32(0)));
    swapcontext(&on_fiber.fiber, &on_fiber.main);
}

/* Makes the calls of fiber_body on a new 1 MiB stack, in this mode. */
static void run_on_fiber(wasmrt_exec_mode mode, outcome *rec, outcome *forever)
{
    const size_t size = (size_t)1 << 20;
    test_env env;
    wasmrt_config c = jt_config(mode, WASMRT_BOUNDS_DEFAULT);
    jt_env_init(&env, &c);
    test_env_instantiate(&env, "test_jit");
    /* this thread's first call was made long ago, on its own stack; one more here */
    check_returns_arg(env.instance, "rec", 10);
    void *stack = malloc(size);
    assert_non_null(stack);
    memset(&on_fiber, 0, sizeof on_fiber);
    on_fiber.instance = env.instance;
    assert_int_equal(getcontext(&on_fiber.fiber), 0);
    on_fiber.fiber.uc_stack.ss_sp = stack;
    on_fiber.fiber.uc_stack.ss_size = size;
    on_fiber.fiber.uc_link = &on_fiber.main;
    makecontext(&on_fiber.fiber, fiber_body, 0);
    assert_int_equal(swapcontext(&on_fiber.main, &on_fiber.fiber), 0);
    *rec = on_fiber.rec;
    *forever = on_fiber.forever;
    free(stack);
    test_env_free(&env);
}

static void test_call_on_another_stack(void **state)
{
    (void)state;
    outcome rec[2], forever[2];
    run_on_fiber(WASMRT_MODE_INTERP, &rec[0], &forever[0]);
    run_on_fiber(WASMRT_MODE_JIT, &rec[1], &forever[1]);
    for (int m = 0; m < 2; m++) {
        if (rec[m].status != WASMRT_OK || rec[m].res[0].of.i32 != 1000) {
            char d[600];
            describe(&rec[m], d, sizeof d);
            fail_msg("%srec(1000) on a coroutine's stack, %s: %s",
                     m ? "C stack limit: " : "",
                     m ? "compiled" : "interpreter", d);
        }
        expect_outcome_trap(&forever[m], "forever on a coroutine's stack",
                            WASMRT_TRAP_STACK_EXHAUSTED);
    }
}

/* ---- host functions ------------------------------------------------------------------ */

static void host_in_mode(wasmrt_bounds_mode bounds)
{
    pair p;
    host_state hs[2];
    memset(hs, 0, sizeof hs);
    pair_init(&p, bounds);
    host_define(&p.interp, &hs[0]);
    host_define(&p.jit, &hs[1]);
    pair_instantiate(&p, "test_jit_host");

    /* arguments of every type arrive, results come back */
    both_i64(&p, "call_mixed", 0x100000000LL + 7 + 3 - 9 + 1, ARGS(I32(7), I64(0x100000000LL)));
    for (int m = 0; m < 2; m++) {
        assert_true(hs[m].types_ok);
        assert_int_equal(hs[m].a, 7);
        assert_true(hs[m].b == 0x100000000LL);
        assert_true(hs[m].c == 1.5f);
        assert_true(hs[m].d == -2.25);
    }
    outcome o = both(&p, "call_many", ARGS(I32(-9)));
    expect_ok(&o, "call_many");
    const int64_t want_many[8] = {-9, 0x100000000LL, -1, -2, 0x7fffffff, INT64_MAX, 8,
                                  0xfffffff7LL};
    uint64_t sum = 0;
    for (int i = 0; i < 8; i++) {
        sum += (uint64_t)want_many[i] * (uint64_t)(i + 1);
        for (int m = 0; m < 2; m++) {
            wasmrt_value v = hs[m].many[i];
            int64_t got = v.type == WASMRT_I32 ? v.of.i32 : v.of.i64;
            if (v.type != (i & 1 ? WASMRT_I64 : WASMRT_I32) || got != want_many[i])
                fail_msg("many: argument %d in mode %d: 0x%llx", i, m, (unsigned long long)got);
        }
    }
    assert_true((uint64_t)o.res[0].of.i64 == sum);
    both_i64(&p, "call_pair", 6 * 1000 + (3LL << 33), ARGS(I32(3)));
    both_i64(&p, "call_pair", -6 * 1000 + (int64_t)((uint64_t)-3LL << 33), ARGS(I32(-3)));

    /* calls back into Wasm from the host: once, then 40 levels deep */
    both_i32(&p, "call_reenter", 50, ARGS(I32(7)));
    both_i32(&p, "calls", 1, NO_ARGS);
    both_i32(&p, "down", 80, ARGS(I32(40)));
    both_i32(&p, "call_reenter", 10001, ARGS(I32(100)));
    both_i32(&p, "calls", 3, NO_ARGS);
    /* the memory grown by the call back is the caller's to use */
    both_i32(&p, "grow_through_host", 0x600dcafe, ARGS(I32(1)));
    both_i32(&p, "grow_through_host", 0x600dcafe, ARGS(I32(30)));

    /* traps: the host's, and one passed on from a call back (named where it happened) */
    both_trap_in(&p, "call_fail", WASMRT_TRAP_HOST, TH_CALL_FAIL, ARGS(I32(0)));
    hs[0].pass_on = hs[1].pass_on = 1;
    both_i32(&p, "call_swallow", 102, ARGS(I32(5)));
    both_trap_in(&p, "call_swallow", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, TH_DIVIDE, ARGS(I32(0)));
    hs[0].pass_on = hs[1].pass_on = 0;
    both_i32(&p, "call_swallow", 100, ARGS(I32(0)));
    both_i32(&p, "swallow_then_trap", 3, ARGS(I32(0)));
    /* a host exit ends the call with its code */
    o = both(&p, "call_exit", ARGS(I32(3)));
    assert_int_equal(o.status, WASMRT_ERR_EXIT);
    assert_int_equal(o.exit_code, 3);
    both_i32(&p, "call_reenter", 1, ARGS(I32(0)));
    /* a caller's locals in registers C may change survive a callee's host call (a
       compiled function that does not use those registers must keep them all the
       same): 74 from four calls, 47 and 327 from what the locals became */
    both_i64(&p, "keeps_locals", 448, ARGS(I32(2)));
    pair_free(&p);
}

static void test_host_calls_guard(void **state)
{
    (void)state;
    host_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_host_calls_explicit(void **state)
{
    (void)state;
    host_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

/* Unbounded recursion through a host function: compiled code checks the C stack each
 * time Wasm is entered again (the interpreter alone does not: not run here). */
static void test_host_recursion_compiled(void **state)
{
    (void)state;
    test_env env;
    host_state hs;
    memset(&hs, 0, sizeof hs);
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    jt_env_init(&env, &c);
    host_define(&env, &hs);
    test_env_instantiate(&env, "test_jit_host");
    outcome o = jt_call(env.instance, "host_forever", ARGS(I32(0)));
    expect_outcome_trap(&o, "host_forever", WASMRT_TRAP_STACK_EXHAUSTED);
    assert_int_equal(o.func, TH_HOST_FOREVER);
    o = jt_call(env.instance, "down", ARGS(I32(10)));
    expect_ok(&o, "down");
    assert_int_equal(o.res[0].of.i32, 20);
    test_env_free(&env);
}

/* A host function swallows the trap of its call back, then returns normally or
 * traps itself; then (first case) its Wasm caller traps: the error must name the
 * Wasm function where the reported trap happened, not the one whose trap was
 * swallowed.
 *
 * Regression (fixed in exec.c, as described below; both tiers agreed): wasmrt_error.func_index names the
 * function of the swallowed trap ("divide", 17) in both cases. exec_call leaves
 * t->trap_func set by the nested call that trapped, and the "innermost trap is
 * named" rule (the trap stubs of src/jit/, `out:` in interp.c) then keeps it. Resetting
 * t->trap_func to WASMRT_NO_FUNC when a host function returns WASMRT_OK
 * (exec_call_host) and in wasmrt_caller_trap fixes both. */
static void test_trap_after_swallowed_trap(void **state)
{
    (void)state;
    pair p;
    host_state hs[2];
    memset(hs, 0, sizeof hs);
    pair_init(&p, WASMRT_BOUNDS_DEFAULT);
    host_define(&p.interp, &hs[0]);
    host_define(&p.jit, &hs[1]);
    pair_instantiate(&p, "test_jit_host");
    outcome o[2][2];
    for (int m = 0; m < 2; m++) {
        test_env *env = m ? &p.jit : &p.interp;
        hs[m].pass_on = 0;
        o[m][0] = jt_call(env->instance, "swallow_then_trap", ARGS(I32(1)));
        hs[m].pass_on = 2;
        o[m][1] = jt_call(env->instance, "call_swallow", ARGS(I32(0)));
    }
    pair_free(&p); /* before any failure: nothing leaks */
    static const struct {
        wasmrt_trap_kind kind;
        uint32_t func;
    } want[2] = {{WASMRT_TRAP_UNREACHABLE, TH_SWALLOW_THEN_TRAP},
                 {WASMRT_TRAP_HOST, TH_CALL_SWALLOW}};
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 2; m++)
            if (o[m][k].status != WASMRT_ERR_TRAP || o[m][k].trap != want[k].kind ||
                o[m][k].func != want[k].func) {
                char d[600];
                describe(&o[m][k], d, sizeof d);
                fail_msg("stale trap_func: case %d, %s: expected trap \"%s\" "
                         "in func %u, got %s", k, m ? "compiled" : "interpreter",
                         wasmrt_trap_name(want[k].kind), want[k].func, d);
            }
}

/* ---- fork ---------------------------------------------------------------------------- */

/* f<k>(x) of tests/wat/test_jit_fork.wat */
static int32_t fork_expected(int k, int32_t x)
{
    uint32_t acc = (uint32_t)x + (uint32_t)k;
    for (int i = 0; i < k; i++)
        acc = acc * 31u + (uint32_t)i + 1000u * (uint32_t)k;
    return (int32_t)acc;
}

/* Calls f<k>(x) and checks it; 1 when right. No cmocka here: the child uses it too. */
static int fork_check(wasmrt_instance *in, int k, int32_t x)
{
    char name[16];
    snprintf(name, sizeof name, "f%d", k);
    wasmrt_value arg = I32(x), res;
    wasmrt_error err;
    if (wasmrt_instance_call(in, name, &arg, 1, &res, 1, &err) != WASMRT_OK)
        return 0;
    return res.of.i32 == fork_expected(k, x);
}

/* Run in a forked child (no cmocka): forks again; this process compiles f11 after that
 * fork, then lets the grandchild compile f12 and its own f11, then runs f11 again. 0
 * when all is right. */
static int fork_nested(wasmrt_instance *in)
{
    int sync[2];
    if (pipe(sync) != 0)
        return 91;
    pid_t pid = fork();
    if (pid < 0)
        return 92;
    if (pid == 0) {
        char b;
        close(sync[1]);
        if (read(sync[0], &b, 1) != 1)
            _exit(93);
        _exit(fork_check(in, 12, 4) && fork_check(in, 11, 5) && fork_check(in, 3, 6) ? 0 : 94);
    }
    close(sync[0]);
    int ok = fork_check(in, 11, 1);
    if (write(sync[1], "g", 1) != 1)
        ok = 0;
    close(sync[1]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 95;
    return ok && fork_check(in, 11, 2) && fork_check(in, 12, 3) ? 0 : 96;
}

static void test_fork_compiles_apart(void **state)
{
    (void)state;
    test_env env;
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    jt_env_init(&env, &c);
    test_env_instantiate(&env, "test_jit_fork");
    assert_true(fork_check(env.instance, 0, 5));
    for (int round = 0; round < 3; round++) {
        /* the parent compiles p0, p1 after the fork; the child, once the parent has,
           compiles c0, c1 and its own p0, p1: with one shared chunk, the child's code
           would land where the parent's p0, p1 are */
        int p0 = 1 + 4 * round, p1 = p0 + 1, c0 = p0 + 2, c1 = p0 + 3;
        int sync[2];
        assert_int_equal(pipe(sync), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            char b;
            close(sync[1]);
            if (read(sync[0], &b, 1) != 1)
                _exit(90);
            int code = 0;
            for (int32_t x = 0; x < 3 && !code; x++) {
                if (!fork_check(env.instance, c0, x + round))
                    code = 10 + c0;
                else if (!fork_check(env.instance, c1, x - round))
                    code = 10 + c1;
                else if (!fork_check(env.instance, p0, x * 7))
                    code = 10 + p0;
                else if (!fork_check(env.instance, p1, -x))
                    code = 10 + p1;
                else if (!fork_check(env.instance, 0, x))
                    code = 10;
            }
            for (int k = 1; k < p0 && !code; k++) /* compiled before the fork or now */
                if (!fork_check(env.instance, k, 99))
                    code = 10 + k;
            if (round == 0 && !code) /* and a fork of the fork */
                code = fork_nested(env.instance);
            _exit(code);
        }
        close(sync[0]);
        int ok_p0 = fork_check(env.instance, p0, 11);
        int ok_p1 = fork_check(env.instance, p1, -11);
        assert_int_equal(write(sync[1], "go", 1), 1);
        close(sync[1]);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(ok_p0 && ok_p1);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail_msg("round %d: the child %s %d", round,
                     WIFEXITED(status) ? "exited with" : "died of signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        /* the parent's code is intact, and what the child compiled is not the parent's */
        for (int32_t x = -2; x < 3; x++) {
            assert_true(fork_check(env.instance, p0, x));
            assert_true(fork_check(env.instance, p1, x));
            assert_true(fork_check(env.instance, 0, x));
        }
        if (round > 0) { /* compiled by the last child only: new here */
            assert_true(fork_check(env.instance, c0 - 4, 1));
            assert_true(fork_check(env.instance, c1 - 4, 2));
        }
    }
    for (int k = 0; k <= 12; k++)
        for (int32_t x = 0; x < 3; x++)
            assert_true(fork_check(env.instance, k, x * 1000 - 1));
    test_env_free(&env);
}

/* ---- two threads, one module --------------------------------------------------------- */

/* A call for a thread: arguments by letter, i = i32, I = i64 (made values before use). */
typedef struct thread_call {
    const char *name, *types;
    int64_t raw[5];
    wasmrt_value args[5];
    uint32_t argc;
    outcome want;
} thread_call;

#define TCALL(n, t, ...) {.name = n, .types = t, .raw = {__VA_ARGS__}}

static thread_call calls_a[] = {
    TCALL("i32_add", "ii", 1, 2), TCALL("i32_div_s", "ii", -100, 7),
    TCALL("i32_rotl", "ii", 0x12345678, 40), TCALL("i32_rem_u", "ii", -1, 10),
    TCALL("i32_lt_s", "ii", -1, 1), TCALL("fib", "i", 12), TCALL("checksum", "ii", 200, 3),
    TCALL("locals_zeroed", "i", 9), TCALL("br_table", "i", 2), TCALL("multi_caller", "ii", 3, 4),
    TCALL("rec", "i", 50), TCALL("i32_div_s", "ii", INT32_MIN, -1),
    TCALL("call_indirect", "ii", 0, 8), TCALL("i32_extend8_s", "i", 0xf0),
    TCALL("count_to_1000", "i", 900),
};

static thread_call calls_b[] = {
    TCALL("i64_mul", "II", 0x100000001LL, -3), TCALL("i64_div_u", "II", -1, 3),
    TCALL("i64_shr_s", "II", INT64_MIN, 65), TCALL("i64_gt_u", "II", -1, 1),
    TCALL("i64_eq_big", "I", 0x123456789LL), TCALL("fib", "i", 13),
    TCALL("multi", "ii", 6, 7), TCALL("count_n", "ii", 1, 50), TCALL("and_loop", "i", 3),
    TCALL("select_i64", "IIi", 1, 2, 0), TCALL("clean24", "iI", 5, 6),
    TCALL("swap5", "iIiIi", 1, 2, 3, -4, 5), TCALL("i64_rem_s", "II", 5, 0),
    TCALL("br_i64_gt_u_4g", "I", 0x100000005LL), TCALL("call_indirect", "ii", 3, 0),
};

static void thread_calls_prepare(thread_call *calls, size_t n, wasmrt_instance *ref)
{
    for (size_t i = 0; i < n; i++) {
        thread_call *c = &calls[i];
        c->argc = (uint32_t)strlen(c->types);
        for (uint32_t k = 0; k < c->argc; k++)
            c->args[k] = c->types[k] == 'i' ? I32(c->raw[k]) : I64(c->raw[k]);
        c->want = jt_call(ref, c->name, c->args, c->argc);
    }
}

typedef struct thread_arg {
    wasmrt_linker *linker;
    wasmrt_module *module;
    pthread_barrier_t *barrier;
    thread_call *calls;
    size_t ncalls;
    int iterations;
    char failure[700];
} thread_arg;

static void *calling_thread(void *p)
{
    thread_arg *a = p;
    wasmrt_instance *in = NULL;
    wasmrt_error err;
    wasmrt_status s = wasmrt_instance_new(a->linker, a->module, &in, &err);
    pthread_barrier_wait(a->barrier);
    if (s != WASMRT_OK) {
        snprintf(a->failure, sizeof a->failure, "instance: %s", err.message);
        return NULL;
    }
    for (int it = 0; it < a->iterations && !a->failure[0]; it++)
        for (size_t i = 0; i < a->ncalls; i++) {
            /* start where the other thread does not, so both compile at once */
            thread_call *c = &a->calls[(i + (size_t)it) % a->ncalls];
            outcome got = jt_call(in, c->name, c->args, c->argc);
            if (!same_outcome(&got, &c->want)) {
                char sw[600], sg[600];
                describe(&c->want, sw, sizeof sw);
                describe(&got, sg, sizeof sg);
                snprintf(a->failure, sizeof a->failure, "%s: want %.300s, got %.300s", c->name,
                         sw, sg);
                break;
            }
        }
    wasmrt_instance_free(in);
    return NULL;
}

static void test_two_threads_one_module(void **state)
{
    (void)state;
    /* the expected outcomes, from the interpreter */
    test_env ref;
    wasmrt_config ci = jt_config(WASMRT_MODE_INTERP, WASMRT_BOUNDS_DEFAULT);
    jt_env_init(&ref, &ci);
    test_env_instantiate(&ref, "test_jit");
    thread_calls_prepare(calls_a, COUNT(calls_a), ref.instance);
    thread_calls_prepare(calls_b, COUNT(calls_b), ref.instance);
    assert_int_equal(calls_a[11].want.trap, WASMRT_TRAP_INTEGER_OVERFLOW);
    assert_int_equal(calls_b[12].want.trap, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);
    test_env_free(&ref);

    test_env env;
    wasmrt_config cj = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    jt_env_init(&env, &cj);
    for (int round = 0; round < 12; round++) {
        /* a new module each round: every function is compiled again, by whichever
           thread calls it first */
        wasmrt_module *m = test_load(env.engine, "test_jit");
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, 2);
        thread_arg args[2] = {
            {env.linker, m, &barrier, calls_a, COUNT(calls_a), 20, {0}},
            {env.linker, m, &barrier, calls_b, COUNT(calls_b), 20, {0}},
        };
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, calling_thread, &args[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        pthread_barrier_destroy(&barrier);
        for (int i = 0; i < 2; i++)
            if (args[i].failure[0])
                fail_msg("round %d, thread %d: %s", round, i, args[i].failure);
        wasmrt_module_free(m);
    }
    test_env_free(&env);
}

/* ---- fuel ---------------------------------------------------------------------------- */

static void test_fuel_in_compiled_code(void **state)
{
    (void)state;
    pair pr, *p = &pr;
    wasmrt_config c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    c.fuel = 1000;
    pair_init_config(p, &c);
    pair_instantiate(p, "test_jit");
    outcome o = both(p, "spin", NO_ARGS);
    expect_outcome_trap(&o, "spin", WASMRT_TRAP_OUT_OF_FUEL);
    both_i32(p, "count_loop", 10, ARGS(I32(10)));
    both_trap(p, "count_loop", WASMRT_TRAP_OUT_OF_FUEL, ARGS(I32(100000)));
    /* the same budget ends the loop at the same iteration in both modes; each call
       starts with the full budget */
    int32_t lo = 0, hi = 5000;
    while (hi - lo > 1) {
        int32_t mid = (lo + hi) / 2;
        if (both(p, "count_loop", ARGS(I32(mid))).status == WASMRT_OK)
            lo = mid;
        else
            hi = mid;
    }
    assert_true(lo > 10 && lo < 1000);
    both_i32(p, "count_loop", lo, ARGS(I32(lo)));
    both_i32(p, "count_loop", lo, ARGS(I32(lo)));
    both_trap(p, "count_loop", WASMRT_TRAP_OUT_OF_FUEL, ARGS(I32(lo + 1)));
    pair_free(p);

    /* and the deadline */
    test_env env;
    c = jt_config(WASMRT_MODE_JIT, WASMRT_BOUNDS_DEFAULT);
    c.deadline_ns = 20 * 1000 * 1000;
    jt_env_init(&env, &c);
    test_env_instantiate(&env, "test_jit");
    o = jt_call(env.instance, "spin", NO_ARGS);
    expect_outcome_trap(&o, "spin with a deadline", WASMRT_TRAP_DEADLINE);
    test_env_free(&env);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], FIRST_CALL_DEEP) == 0)
        return first_call_deep_main();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arith_agrees),
        cmocka_unit_test(test_memory_agrees_guard),
        cmocka_unit_test(test_memory_agrees_explicit),
        cmocka_unit_test(test_offsets_past_2g),
        cmocka_unit_test(test_calls_globals_locals_agree),
        cmocka_unit_test(test_more_ops_agree),
        cmocka_unit_test(test_cross_instance_guard),
        cmocka_unit_test(test_cross_instance_explicit),
        cmocka_unit_test(test_function_larger_than_a_chunk),
        cmocka_unit_test(test_trap_names_function_guard),
        cmocka_unit_test(test_trap_names_function_explicit),
        cmocka_unit_test(test_recursion_default_depth),
        cmocka_unit_test(test_recursion_small_depth),
        cmocka_unit_test(test_recursion_c_stack_main_thread),
        cmocka_unit_test(test_recursion_small_thread_stack),
        cmocka_unit_test(test_lazy_compile_at_stack_limit),
        cmocka_unit_test(test_lazy_compile_at_stack_limit_small_thread),
        cmocka_unit_test(test_first_call_deep_in_main_stack),
        cmocka_unit_test(test_call_on_another_stack),
        cmocka_unit_test(test_host_calls_guard),
        cmocka_unit_test(test_host_calls_explicit),
        cmocka_unit_test(test_host_recursion_compiled),
        cmocka_unit_test(test_trap_after_swallowed_trap),
        cmocka_unit_test(test_fork_compiles_apart),
        cmocka_unit_test(test_two_threads_one_module),
        cmocka_unit_test(test_fuel_in_compiled_code),
    };
    return cmocka_run_group_tests_name("compiling tier", tests, NULL, NULL);
}

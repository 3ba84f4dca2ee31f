/* test_simd.c: v128 values crossing the engine's boundaries (tests/wat/test_simd.wat):
 * host arguments and results, calls between functions, host functions, globals,
 * blocks, select, multi-value returns and memory, in the interpreter and in the
 * compiling tier, with guard-page and explicit bounds; and the compiler's calling
 * convention and registers: arguments on the stack, results in words, v128 locals in
 * callee-saved registers, v128 values under C helpers' operands. The lane operations
 * themselves are the spec suite's (simd_*.wast). */
#include "test_util.h"

typedef struct simd_case {
    wasmrt_exec_mode mode;
    wasmrt_bounds_mode bounds;
} simd_case;

static const simd_case simd_cases[] = {
    {WASMRT_MODE_INTERP, WASMRT_BOUNDS_GUARD},
    {WASMRT_MODE_INTERP, WASMRT_BOUNDS_EXPLICIT},
    {WASMRT_MODE_JIT, WASMRT_BOUNDS_GUARD},
    {WASMRT_MODE_JIT, WASMRT_BOUNDS_EXPLICIT},
};
#define SIMD_CASES (sizeof simd_cases / sizeof simd_cases[0])

static wasmrt_value v128_i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    wasmrt_value v;
    memset(&v, 0, sizeof v);
    v.type = WASMRT_V128;
    v.of.v128[0] = a | (uint64_t)b << 32;
    v.of.v128[1] = c | (uint64_t)d << 32;
    return v;
}

static void assert_v128_equal(wasmrt_value v, wasmrt_value want)
{
    assert_int_equal(v.type, WASMRT_V128);
    assert_int_equal(v.of.v128[0], want.of.v128[0]);
    assert_int_equal(v.of.v128[1], want.of.v128[1]);
}

/* host "swap_halves": the two 8-byte halves exchanged */
static wasmrt_status host_swap_halves(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                                      wasmrt_value *results)
{
    (void)caller;
    (void)user;
    results[0] = args[0];
    results[0].of.v128[0] = args[0].of.v128[1];
    results[0].of.v128[1] = args[0].of.v128[0];
    return WASMRT_OK;
}

static void simd_env(test_env *env, const simd_case *c)
{
    wasmrt_config config;
    memset(env, 0, sizeof *env);
    wasmrt_config_default(&config);
    config.bounds = c->bounds;
    config.mode = c->mode;
    assert_int_equal(wasmrt_engine_new(&config, &env->engine, &env->error), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(env->engine, &env->linker, &env->error), WASMRT_OK);
    assert_int_equal(wasmrt_linker_define_func(env->linker, "host", "swap_halves", "v:v",
                                               host_swap_halves, NULL, &env->error),
                     WASMRT_OK);
    test_env_instantiate(env, "test_simd");
}

/* Calls export name with args, expecting one v128 result. */
static wasmrt_value simd_call(test_env *env, const char *name, const wasmrt_value *args,
                              uint32_t argc)
{
    wasmrt_value r[1];
    if (wasmrt_instance_call(env->instance, name, args, argc, r, 1, &env->error) != WASMRT_OK)
        fail_msg("%s: %s", name, env->error.message);
    return r[0];
}

static void test_v128_arguments_and_results(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        wasmrt_value args[2] = {v128_i32x4(1, 2, 3, 0xffffffff), v128_i32x4(10, 20, 30, 2)};
        assert_v128_equal(simd_call(&env, "add", args, 2), v128_i32x4(11, 22, 33, 1));
        test_env_free(&env);
    }
}

static void test_v128_survives_calls_and_locals(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        wasmrt_value x = v128_i32x4(5, 6, 7, 8);
        assert_v128_equal(simd_call(&env, "keep_across_calls", &x, 1), v128_i32x4(10, 12, 14, 42));
        /* a second call reuses the frame: the v128 local is zero again */
        assert_v128_equal(simd_call(&env, "fresh_local", NULL, 0), v128_i32x4(0, 0, 0, 0));
        test_env_free(&env);
    }
}

static void test_v128_through_a_host_function(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        wasmrt_value x = v128_i32x4(1, 2, 3, 4);
        assert_v128_equal(simd_call(&env, "through_host", &x, 1), v128_i32x4(3, 4, 1, 2));
        test_env_free(&env);
    }
}

static void test_v128_globals(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        wasmrt_value x = v128_i32x4(9, 9, 9, 9);
        assert_v128_equal(simd_call(&env, "global_roundtrip", &x, 1), v128_i32x4(1, 2, 3, 4));
        wasmrt_extern g;
        assert_int_equal(wasmrt_instance_export(env.instance, "g", &g), WASMRT_OK);
        assert_v128_equal(wasmrt_global_get(g.of.global), x);
        assert_int_equal(wasmrt_global_set(g.of.global, v128_i32x4(7, 0, 0, 7), &env.error),
                         WASMRT_OK);
        assert_v128_equal(simd_call(&env, "global_roundtrip", &x, 1), v128_i32x4(7, 0, 0, 7));
        test_env_free(&env);
    }
}

static void test_v128_select_branch_and_two_results(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        wasmrt_value a = v128_i32x4(1, 1, 1, 1), b = v128_i32x4(2, 2, 2, 2);
        wasmrt_value args[3] = {a, b, wasmrt_i32(0)};
        assert_v128_equal(simd_call(&env, "pick", args, 3), b);
        args[2] = wasmrt_i32(1);
        assert_v128_equal(simd_call(&env, "pick", args, 3), a);
        wasmrt_value br[2] = {a, wasmrt_i32(1)};
        assert_v128_equal(simd_call(&env, "branch_value", br, 2), a);
        br[1] = wasmrt_i32(0);
        wasmrt_value seven_eight = v128_i32x4(7, 0, 8, 0);
        assert_v128_equal(simd_call(&env, "branch_value", br, 2), seven_eight);
        wasmrt_value r[2], x = v128_i32x4(4, 5, 6, 7);
        assert_int_equal(wasmrt_instance_call(env.instance, "two_results", &x, 1, r, 2, &env.error),
                         WASMRT_OK);
        assert_int_equal(r[0].of.i32, 6);
        assert_v128_equal(r[1], x);
        test_env_free(&env);
    }
}

static void test_v128_many_arguments_and_results(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        /* from the host: v128 k is (k, 0, 0, 1) */
        wasmrt_value args[12], r[3];
        for (int k = 0; k < 12; k++)
            args[k] = v128_i32x4((uint32_t)k, 0, 0, 1);
        args[1] = wasmrt_i32(40);
        args[3] = wasmrt_f64(2.75);
        assert_int_equal(wasmrt_instance_call(env.instance, "many", args, 12, r, 3, &env.error),
                         WASMRT_OK);
        assert_v128_equal(r[0], v128_i32x4(0 + 2 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11, 0, 0, 10));
        assert_int_equal(r[1].of.i32, 42);
        assert_v128_equal(r[2], v128_i32x4(11, 0, 0, 1));
        /* between functions */
        wasmrt_value x = v128_i32x4(1, 2, 3, 0x80000000u);
        assert_int_equal(wasmrt_instance_call(env.instance, "call_many", &x, 1, r, 3, &env.error),
                         WASMRT_OK);
        assert_v128_equal(r[0], v128_i32x4(11, 22, 33, 0x80000000u));
        assert_int_equal(r[1].of.i32, 9);
        assert_v128_equal(r[2], v128_i32x4(2, 4, 6, 0));
        test_env_free(&env);
    }
}

static void test_v128_kept_in_registers_across_calls_and_c(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        wasmrt_value args[2] = {v128_i32x4(1, 0x10000, 3, 0x40000000), wasmrt_i32(5)};
        assert_v128_equal(simd_call(&env, "keep_in_registers", args, 2),
                          v128_i32x4(5, 0x50000, 15, 0x40000000u * 5u));
        assert_v128_equal(simd_call(&env, "keep_across_c", args, 1),
                          v128_i32x4(0x07070708, 0x07080707, 0x0707070a, 0x47070707));
        assert_v128_equal(simd_call(&env, "indirect_double", args, 1),
                          v128_i32x4(2, 0x20000, 6, 0x80000000u));
        test_env_free(&env);
    }
}

static void test_v128_memory_and_bounds(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIMD_CASES; i++) {
        test_env env;
        simd_env(&env, &simd_cases[i]);
        uint64_t size;
        uint8_t *mem = wasmrt_instance_memory(env.instance, &size);
        int32_t want = 0;
        for (int32_t k = 0; k < 64; k++) {
            memcpy(mem + 4 * k, &k, 4);
            want += k;
        }
        int32_t got;
        assert_int_equal(test_call_i32(env.instance, "sum", &got, &env.error, 1, 64), WASMRT_OK);
        assert_int_equal(got, want);
        /* the last 16 bytes load; one byte further traps */
        wasmrt_value at = wasmrt_i32((int32_t)(size - 16)), r[1];
        assert_int_equal(wasmrt_instance_call(env.instance, "load_at", &at, 1, r, 1, &env.error),
                         WASMRT_OK);
        at = wasmrt_i32((int32_t)(size - 15));
        assert_int_equal(wasmrt_instance_call(env.instance, "load_at", &at, 1, r, 1, &env.error),
                         WASMRT_ERR_TRAP);
        assert_int_equal(env.error.trap, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
        /* a lane store writes its lane's two bytes only */
        wasmrt_value st[2] = {wasmrt_i32(1000), v128_i32x4(0x44443333u, 0, 0, 0)};
        memset(mem + 1000, 0xee, 4);
        assert_int_equal(
            wasmrt_instance_call(env.instance, "store_lane_at", st, 2, NULL, 0, &env.error),
            WASMRT_OK);
        static const uint8_t lane1[4] = {0x44, 0x44, 0xee, 0xee};
        assert_memory_equal(mem + 1000, lane1, 4);
        test_env_free(&env);
    }
}

/* The float lane operations give the same bits in both tiers (the interpreter's C and
 * the compiler's SSE code), NaN payloads and signs included, and the NaN rules
 * exec_simd.c names: min/max give the default NaN, add the first NaN operand quieted. */
static void test_float_lanes_agree_between_tiers(void **state)
{
    (void)state;
    static const char *const ops[] = {"f32x4.add",
                                      "f32x4.sub",
                                      "f32x4.mul",
                                      "f32x4.div",
                                      "f32x4.min",
                                      "f32x4.max",
                                      "f32x4.pmin",
                                      "f32x4.pmax",
                                      "f64x2.add",
                                      "f64x2.sub",
                                      "f64x2.mul",
                                      "f64x2.div",
                                      "f64x2.min",
                                      "f64x2.max",
                                      "f64x2.pmin",
                                      "f64x2.pmax",
                                      "f32x4.sqrt",
                                      "f32x4.ceil",
                                      "f32x4.nearest",
                                      "f64x2.sqrt",
                                      "f64x2.floor",
                                      "f64x2.trunc",
                                      "f32x4.demote_f64x2_zero",
                                      "f64x2.promote_low_f32x4",
                                      "i32x4.trunc_sat_f32x4_u",
                                      "i32x4.trunc_sat_f64x2_s_zero"};
    /* f32 lanes: a quiet NaN with a payload, a signalling one, -1, +0, -0, inf, 2.5,
       4e9; as f64 lanes the same bits pair up into other NaNs and numbers */
    static const uint32_t lanes[] = {0x7fc01234u, 0xff800001u, 0xbf800000u, 0x00000000u,
                                     0x80000000u, 0x7f800000u, 0x40200000u, 0x4f6e6b28u};
    static const uint64_t f64[] = {0x7ff0000000000001ull, 0xfff8000000abcdefull,
                                   0xbff0000000000000ull, 0x8000000000000000ull,
                                   0x7ff0000000000000ull, 0x41f0000000000000ull};
    test_env env[2];
    simd_env(&env[0], &simd_cases[0]); /* interp, guard */
    simd_env(&env[1], &simd_cases[2]); /* jit, guard */
    for (size_t op = 0; op < sizeof ops / sizeof ops[0]; op++)
        for (size_t i = 0; i < 8; i++)
            for (size_t k = 0; k < 8; k++) {
                wasmrt_value args[2] = {
                    v128_i32x4(lanes[i], lanes[k], lanes[(i + 3) % 8], lanes[(k + 5) % 8]),
                    v128_i32x4(lanes[k], lanes[(i + 1) % 8], lanes[(k + 2) % 8], lanes[i])};
                if (i < 6 && k < 6) { /* f64 lanes for the f64x2 operations */
                    args[0].of.v128[0] = f64[i];
                    args[1].of.v128[0] = f64[k];
                }
                wasmrt_value r0 = simd_call(&env[0], ops[op], args, 2);
                wasmrt_value r1 = simd_call(&env[1], ops[op], args, 2);
                if (r0.of.v128[0] != r1.of.v128[0] || r0.of.v128[1] != r1.of.v128[1])
                    fail_msg("%s (inputs %zu, %zu): interp %016llx%016llx, jit %016llx%016llx",
                             ops[op], i, k, (unsigned long long)r0.of.v128[1],
                             (unsigned long long)r0.of.v128[0], (unsigned long long)r1.of.v128[1],
                             (unsigned long long)r1.of.v128[0]);
            }
    /* min of a NaN lane is the default NaN; add returns the first NaN operand quieted */
    wasmrt_value args[2] = {v128_i32x4(0x7fc01234u, 1, 0xff800001u, 0),
                            v128_i32x4(0x3f800000u, 0x7fc05678u, 0x7fc05678u, 0)};
    wasmrt_value r = simd_call(&env[1], "f32x4.min", args, 2);
    assert_int_equal(r.of.v128[0], 0xffc00000ffc00000ull);
    r = simd_call(&env[1], "f32x4.add", args, 2);
    assert_int_equal(r.of.v128[0], 0x7fc056787fc01234ull);
    assert_int_equal((uint32_t)r.of.v128[1], 0xffc00001u);
    test_env_free(&env[0]);
    test_env_free(&env[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v128_arguments_and_results),
        cmocka_unit_test(test_v128_survives_calls_and_locals),
        cmocka_unit_test(test_v128_through_a_host_function),
        cmocka_unit_test(test_v128_globals),
        cmocka_unit_test(test_v128_select_branch_and_two_results),
        cmocka_unit_test(test_v128_many_arguments_and_results),
        cmocka_unit_test(test_v128_kept_in_registers_across_calls_and_c),
        cmocka_unit_test(test_v128_memory_and_bounds),
        cmocka_unit_test(test_float_lanes_agree_between_tiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

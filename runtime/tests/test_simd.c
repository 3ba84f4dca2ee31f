/* test_simd.c: v128 values crossing the engine's boundaries (tests/wat/test_simd.wat):
 * host arguments and results, calls between functions, host functions, globals,
 * blocks, select, multi-value returns and memory, in the interpreter and in the
 * compiling tier, with guard-page and explicit bounds. The lane operations
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v128_arguments_and_results),
        cmocka_unit_test(test_v128_survives_calls_and_locals),
        cmocka_unit_test(test_v128_through_a_host_function),
        cmocka_unit_test(test_v128_globals),
        cmocka_unit_test(test_v128_select_branch_and_two_results),
        cmocka_unit_test(test_v128_memory_and_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_exec.c: execution semantics of the interpreter: the local.set hazard of
 * aliasing stack entries to locals, each trap kind, stack exhaustion, fuel and
 * deadline, lazy and eager translation. Each test runs in both bounds modes where
 * memory is involved. */
#include <math.h>

#include "test_util.h"

static void hazard_in_mode(int lazy)
{
    test_env env;
    test_env_init(&env, WASMRT_BOUNDS_DEFAULT, lazy);
    test_env_instantiate(&env, "test_hazard");
    assert_int_equal(test_i32(env.instance, "set_under_copy", 1, 3, 0), 8);
    assert_int_equal(test_i32(env.instance, "tee_under_copy", 1, 3, 0), 12);
    assert_int_equal(test_i32(env.instance, "retarget_under_copy", 2, 10, 4), -4);
    assert_int_equal(test_i32(env.instance, "set_in_block", 1, 3, 0), 10);
    assert_int_equal(test_i32(env.instance, "set_in_branch", 2, 3, 1), 6);
    assert_int_equal(test_i32(env.instance, "set_in_branch", 2, 3, 0), 103);
    assert_int_equal(test_i32(env.instance, "swap_sub", 2, 10, 3), -7);
    test_env_free(&env);
}

static void test_local_set_keeps_older_copies(void **state)
{
    (void)state;
    hazard_in_mode(1);
    hazard_in_mode(0);
}

static void traps_in_mode(wasmrt_bounds_mode bounds)
{
    test_env env;
    test_env_init(&env, bounds, 1);
    test_env_instantiate(&env, "test_traps");
    wasmrt_instance *in = env.instance;
    test_expect_trap(in, "unreachable", WASMRT_TRAP_UNREACHABLE, 0, 0, 0);
    test_expect_trap(in, "div_s", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, 2, 1, 0);
    test_expect_trap(in, "div_s", WASMRT_TRAP_INTEGER_OVERFLOW, 2, INT32_MIN, -1);
    assert_int_equal(test_i32(in, "div_s", 2, -7, 2), -3);
    test_expect_trap(in, "load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 65533, 0);
    test_expect_trap(in, "load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, -1, 0);
    test_expect_trap(in, "load_offset", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 1, 0);
    assert_int_equal(test_i32(in, "load_offset", 1, 0, 0), 0);
    test_expect_trap(in, "store", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 2, 65536, 1);
    test_expect_trap(in, "call", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, 2, 3, 0);
    test_expect_trap(in, "call", WASMRT_TRAP_UNINITIALIZED_ELEMENT, 2, 2, 0);
    test_expect_trap(in, "call", WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH, 2, 1, 0);
    assert_int_equal(test_i32(in, "call", 2, 0, 42), 42);
    test_expect_trap(in, "ref_null_call", WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH, 0, 0, 0);

    wasmrt_value arg = wasmrt_f64(NAN), res;
    wasmrt_error err;
    assert_int_equal(wasmrt_instance_call(in, "trunc", &arg, 1, &res, 1, &err), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_INVALID_CONVERSION);
    arg = wasmrt_f64(3e9);
    assert_int_equal(wasmrt_instance_call(in, "trunc", &arg, 1, &res, 1, &err), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_INTEGER_OVERFLOW);
    assert_int_equal(wasmrt_instance_call(in, "trunc_sat", &arg, 1, &res, 1, &err), WASMRT_OK);
    assert_int_equal(res.of.i32, INT32_MAX);
    wasmrt_value two[2] = {wasmrt_i64(5), wasmrt_i64(0)};
    assert_int_equal(wasmrt_instance_call(in, "rem_u64", two, 2, &res, 1, &err), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);

    /* after growing, the new page is accessible and the old boundary is not a trap */
    assert_int_equal(test_i32(in, "grow", 1, 1, 0), 1);
    assert_int_equal(test_i32(in, "load", 1, 65533, 0), 0);
    test_expect_trap(in, "load", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 131069, 0);
    test_env_free(&env);
}

static void test_trap_kinds_guard(void **state)
{
    (void)state;
    traps_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_trap_kinds_explicit(void **state)
{
    (void)state;
    traps_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

static void test_stack_exhaustion_is_a_trap(void **state)
{
    (void)state;
    test_env env;
    test_env_init(&env, WASMRT_BOUNDS_DEFAULT, 1);
    test_env_instantiate(&env, "test_traps");
    test_expect_trap(env.instance, "recurse", WASMRT_TRAP_STACK_EXHAUSTED, 1, 0, 0);
    test_expect_trap(env.instance, "recurse_wide", WASMRT_TRAP_STACK_EXHAUSTED, 1, 0, 0);
    /* the engine is usable afterwards, and moderate recursion works */
    wasmrt_value arg = wasmrt_i64(20), res;
    wasmrt_error err;
    assert_int_equal(wasmrt_instance_call(env.instance, "fac", &arg, 1, &res, 1, &err), WASMRT_OK);
    assert_true(res.of.i64 == 2432902008176640000LL);
    test_env_free(&env);
}

static void test_call_depth_is_configurable(void **state)
{
    (void)state;
    wasmrt_config config;
    wasmrt_engine *engine;
    wasmrt_linker *linker;
    wasmrt_instance *inst;
    wasmrt_error err;
    wasmrt_config_default(&config);
    config.max_call_depth = 10;
    assert_int_equal(wasmrt_engine_new(&config, &engine, &err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(engine, &linker, &err), WASMRT_OK);
    wasmrt_module *m = test_load(engine, "test_traps");
    assert_int_equal(wasmrt_instance_new(linker, m, &inst, &err), WASMRT_OK);
    wasmrt_value arg = wasmrt_i64(5), res;
    assert_int_equal(wasmrt_instance_call(inst, "fac", &arg, 1, &res, 1, &err), WASMRT_OK);
    arg = wasmrt_i64(20);
    assert_int_equal(wasmrt_instance_call(inst, "fac", &arg, 1, &res, 1, &err), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_STACK_EXHAUSTED);
    wasmrt_instance_free(inst);
    wasmrt_module_free(m);
    wasmrt_linker_free(linker);
    wasmrt_engine_free(engine);
}

static void spin_with(uint64_t fuel, uint64_t deadline_ns, wasmrt_trap_kind expect)
{
    wasmrt_config config;
    wasmrt_engine *engine;
    wasmrt_linker *linker;
    wasmrt_instance *inst;
    wasmrt_error err;
    wasmrt_config_default(&config);
    config.fuel = fuel;
    config.deadline_ns = deadline_ns;
    assert_int_equal(wasmrt_engine_new(&config, &engine, &err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(engine, &linker, &err), WASMRT_OK);
    wasmrt_module *m = test_load(engine, "test_traps");
    assert_int_equal(wasmrt_instance_new(linker, m, &inst, &err), WASMRT_OK);
    assert_int_equal(wasmrt_instance_call(inst, "spin", NULL, 0, NULL, 0, &err), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, expect);
    wasmrt_instance_free(inst);
    wasmrt_module_free(m);
    wasmrt_linker_free(linker);
    wasmrt_engine_free(engine);
}

static void test_fuel_and_deadline_stop_a_loop(void **state)
{
    (void)state;
    spin_with(100000, 0, WASMRT_TRAP_OUT_OF_FUEL);
    spin_with(0, 20 * 1000 * 1000, WASMRT_TRAP_DEADLINE);
}

static void test_lazy_compile_translates_on_first_call(void **state)
{
    (void)state;
    test_env env;
    wasmrt_module_stats st;
    test_env_init(&env, WASMRT_BOUNDS_DEFAULT, 1);
    test_env_instantiate(&env, "test_hazard");
    wasmrt_module_get_stats(env.module, &st);
    assert_int_equal(st.function_count, 6);
    assert_int_equal(st.compiled_function_count, 0);
    assert_int_equal(test_i32(env.instance, "set_under_copy", 1, 1, 0), 6);
    wasmrt_module_get_stats(env.module, &st);
    assert_int_equal(st.compiled_function_count, 1);
    test_env_free(&env);

    test_env_init(&env, WASMRT_BOUNDS_DEFAULT, 0);
    test_env_instantiate(&env, "test_hazard");
    wasmrt_module_get_stats(env.module, &st);
    assert_int_equal(st.compiled_function_count, 6);
    test_env_free(&env);
}

static void test_invalid_modules_are_rejected_at_load(void **state)
{
    (void)state;
    wasmrt_engine *engine;
    wasmrt_module *m;
    wasmrt_error err;
    assert_int_equal(wasmrt_engine_new(NULL, &engine, &err), WASMRT_OK);
    /* (func (result i32) i64.const 0): a type mismatch, found even with lazy compile */
    static const uint8_t bad_type[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f,
                                       3, 2, 1, 0, 10, 6, 1, 4, 0, 0x42, 0, 0x0b};
    assert_int_equal(wasmrt_module_load(engine, bad_type, sizeof bad_type, &m, &err),
                     WASMRT_ERR_INVALID);
    assert_non_null(strstr(err.message, "type mismatch"));
    assert_int_equal(err.func_index, 0);
    static const uint8_t bad_magic[] = {0, 'a', 's', 'x', 1, 0, 0, 0};
    assert_int_equal(wasmrt_module_load(engine, bad_magic, sizeof bad_magic, &m, &err),
                     WASMRT_ERR_MALFORMED);
    assert_string_equal(err.message, "magic header not detected");
    assert_int_equal(err.offset, 0);
    /* an unassigned SIMD sub-opcode (0xfd 0x9a) is malformed, naming the offset */
    static const uint8_t simd[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
                                   10, 7, 1, 5, 0, 0xfd, 0x9a, 0x01, 0x0b};
    assert_int_equal(wasmrt_module_load(engine, simd, sizeof simd, &m, &err),
                     WASMRT_ERR_MALFORMED);
    assert_non_null(strstr(err.message, "illegal opcode"));
    assert_int_equal(err.offset, 26);
    wasmrt_engine_free(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_set_keeps_older_copies),
        cmocka_unit_test(test_trap_kinds_guard),
        cmocka_unit_test(test_trap_kinds_explicit),
        cmocka_unit_test(test_stack_exhaustion_is_a_trap),
        cmocka_unit_test(test_call_depth_is_configurable),
        cmocka_unit_test(test_fuel_and_deadline_stop_a_loop),
        cmocka_unit_test(test_lazy_compile_translates_on_first_call),
        cmocka_unit_test(test_invalid_modules_are_rejected_at_load),
    };
    return cmocka_run_group_tests_name("engine exec", tests, NULL, NULL);
}

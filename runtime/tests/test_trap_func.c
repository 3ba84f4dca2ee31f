/* test_trap_func.c: a trap names the function it happened in (wasmrt_error.func_index,
 * and the name section's name through wasmrt_module_func_name): memory faults (the
 * guard-page path and the explicit checks), arithmetic traps, a trap from a host
 * function (named as its Wasm caller), stack exhaustion, a bad indirect call, in lazy
 * and eager translation. Indices are those of tests/wat/test_trap_func.wat. */
#include "test_util.h"

static wasmrt_status trap_host_fail(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                                    wasmrt_value *results)
{
    (void)user, (void)args, (void)results;
    return wasmrt_caller_trap(caller, "refused by the host");
}

/* Calls export `name` with one i32 and expects trap `kind` in function `func`, whose
 * name section entry is `func_name` (NULL: none). */
static void trap_expect(test_env *env, const char *name, int32_t arg, wasmrt_trap_kind kind,
                        uint32_t func, const char *func_name)
{
    wasmrt_error err;
    memset(&err, 0, sizeof err);
    wasmrt_status s = test_call_i32(env->instance, name, NULL, &err, 1, arg);
    if (s != WASMRT_ERR_TRAP || err.trap != kind)
        fail_msg("%s: expected trap \"%s\", got status %s (%s)", name, wasmrt_trap_name(kind),
                 wasmrt_status_name(s), s == WASMRT_OK ? "returned" : err.message);
    if (err.func_index != func)
        fail_msg("%s: expected the trap in function %u, found %d (%s)", name, func,
                 err.func_index == WASMRT_NO_FUNC ? -1 : (int)err.func_index, err.message);
    const char *got = wasmrt_module_func_name(env->module, err.func_index);
    if (func_name ? !got || strcmp(got, func_name) != 0 : got != NULL)
        fail_msg("%s: expected function %u named %s, found %s", name, func,
                 func_name ? func_name : "(none)", got ? got : "(none)");
}

static void trap_func_in_mode(wasmrt_bounds_mode bounds, int lazy)
{
    test_env env;
    test_env_init(&env, bounds, lazy);
    assert_int_equal(wasmrt_linker_define_func(env.linker, "env", "fail", ":", trap_host_fail,
                                               NULL, &env.error),
                     WASMRT_OK);
    test_env_instantiate(&env, "test_trap_func");
    trap_expect(&env, "outer_load", 1 << 20, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, "inner_load");
    /* a normal return between traps must leave no stale function behind */
    assert_int_equal(test_i32(env.instance, "fine", 1, 0, 0), 7);
    trap_expect(&env, "after_call", 0, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, 5, "after_call");
    trap_expect(&env, "div", 0, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, 2, "inner_div");
    trap_expect(&env, "calls_host", 0, WASMRT_TRAP_HOST, 6, "calls_host");
    trap_expect(&env, "forever", 0, WASMRT_TRAP_STACK_EXHAUSTED, 7, "forever");
    trap_expect(&env, "bad_indirect", 0, WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH, 8,
                "bad_indirect");
    trap_expect(&env, "anonymous", 0, WASMRT_TRAP_UNREACHABLE, 10, NULL);
    /* the same function again, once translated */
    trap_expect(&env, "outer_load", -4, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, "inner_load");
    assert_null(wasmrt_module_func_name(env.module, 1000));
    test_env_free(&env);
}

static void test_trap_func_guard_lazy(void **state)
{
    (void)state;
    trap_func_in_mode(WASMRT_BOUNDS_GUARD, 1);
}

static void test_trap_func_guard_eager(void **state)
{
    (void)state;
    trap_func_in_mode(WASMRT_BOUNDS_GUARD, 0);
}

static void test_trap_func_explicit(void **state)
{
    (void)state;
    trap_func_in_mode(WASMRT_BOUNDS_EXPLICIT, 1);
}

/* Errors that are not traps keep WASMRT_NO_FUNC. */
static void test_returning_call_has_no_func(void **state)
{
    (void)state;
    test_env env;
    test_env_init(&env, WASMRT_BOUNDS_DEFAULT, 1);
    assert_int_equal(wasmrt_linker_define_func(env.linker, "env", "fail", ":", trap_host_fail,
                                               NULL, &env.error),
                     WASMRT_OK);
    test_env_instantiate(&env, "test_trap_func");
    wasmrt_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(test_call_i32(env.instance, "fine", NULL, &err, 2, 1, 2),
                     WASMRT_ERR_ARGUMENT);
    assert_int_equal(err.func_index, WASMRT_NO_FUNC);
    test_env_free(&env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trap_func_guard_lazy),
        cmocka_unit_test(test_trap_func_guard_eager),
        cmocka_unit_test(test_trap_func_explicit),
        cmocka_unit_test(test_returning_call_has_no_func),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

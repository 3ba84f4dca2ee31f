/* test_host.c: the embedding side: host functions with typed arguments and results,
 * a host trap and a host exit (also from a nested host -> Wasm -> host call), host
 * globals imported mutable, exports of one instance imported by another through the
 * linker, missing and mistyped imports. */
#include "test_util.h"

static wasmrt_status host_add(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                              wasmrt_value *results)
{
    (void)user;
    uint64_t size;
    uint8_t *mem = wasmrt_caller_memory(caller, &size);
    /* the caller's memory is visible to the host */
    if (!mem || size != 65536 || memcmp(mem, "wasm", 4) != 0)
        return wasmrt_caller_trap(caller, "caller memory not visible");
    results[0] = wasmrt_i32(args[0].of.i32 + args[1].of.i32);
    return WASMRT_OK;
}

static wasmrt_status host_fail(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                               wasmrt_value *results)
{
    (void)user, (void)args, (void)results;
    return wasmrt_caller_trap(caller, "the host says no");
}

static wasmrt_status host_quit(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                               wasmrt_value *results)
{
    (void)user, (void)results;
    return wasmrt_caller_exit(caller, args[0].of.i32);
}

/* Calls back into the instance's "quit" export: the exit must end the outer call too. */
static wasmrt_status host_reenter(wasmrt_caller *caller, void *user, const wasmrt_value *args,
                                  wasmrt_value *results)
{
    (void)user, (void)results;
    wasmrt_error err;
    wasmrt_status s = wasmrt_instance_call(wasmrt_caller_instance(caller), "quit", args, 1, NULL, 0, &err);
    return s;
}

typedef struct host_fixture {
    test_env env;
    wasmrt_global *counter;
} host_fixture;

static int host_setup(void **state)
{
    host_fixture *fx = calloc(1, sizeof *fx);
    test_env *env = &fx->env;
    test_env_init(env, WASMRT_BOUNDS_DEFAULT, 1);
    wasmrt_error *err = &env->error;
    assert_int_equal(wasmrt_linker_define_func(env->linker, "env", "add", "ii:i", host_add, NULL, err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_define_func(env->linker, "env", "fail", ":", host_fail, NULL, err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_define_func(env->linker, "env", "quit", "i:", host_quit, NULL, err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_define_func(env->linker, "env", "reenter", "i:i", host_reenter, NULL, err), WASMRT_OK);
    wasmrt_extern ext;
    assert_int_equal(wasmrt_global_new(env->engine, wasmrt_i32(41), 1, &fx->counter, err), WASMRT_OK);
    ext.kind = WASMRT_EXTERN_GLOBAL;
    ext.of.global = fx->counter;
    assert_int_equal(wasmrt_linker_define(env->linker, "env", "counter", ext, err), WASMRT_OK);
    assert_int_equal(wasmrt_global_new(env->engine, wasmrt_i64(1LL << 40), 0, &ext.of.global, err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_define(env->linker, "env", "base", ext, err), WASMRT_OK);
    test_env_instantiate(env, "test_host");
    *state = fx;
    return 0;
}

static int host_teardown(void **state)
{
    host_fixture *fx = *state;
    test_env_free(&fx->env);
    free(fx);
    return 0;
}

static void test_host_function_typed_call(void **state)
{
    host_fixture *fx = *state;
    assert_int_equal(test_i32(fx->env.instance, "add_twice", 1, 7, 0), 21);
}

static void test_host_trap_carries_message(void **state)
{
    host_fixture *fx = *state;
    wasmrt_error err;
    assert_int_equal(test_call_i32(fx->env.instance, "fail", NULL, &err, 0), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_HOST);
    assert_non_null(strstr(err.message, "the host says no"));
}

static void test_host_exit_ends_the_call_chain(void **state)
{
    host_fixture *fx = *state;
    wasmrt_error err;
    assert_int_equal(test_call_i32(fx->env.instance, "quit", NULL, &err, 1, 3), WASMRT_ERR_EXIT);
    assert_int_equal(err.exit_code, 3);
    assert_int_equal(test_call_i32(fx->env.instance, "quit_nested", NULL, &err, 1, 7), WASMRT_ERR_EXIT);
    assert_int_equal(err.exit_code, 7);
    /* the instance keeps working after an exit */
    assert_int_equal(test_i32(fx->env.instance, "add_twice", 1, 1, 0), 3);
}

static void test_imported_mutable_global_is_shared(void **state)
{
    host_fixture *fx = *state;
    assert_int_equal(test_i32(fx->env.instance, "count", 0, 0, 0), 42);
    assert_int_equal(wasmrt_global_get(fx->counter).of.i32, 42);
    assert_int_equal(wasmrt_global_set(fx->counter, wasmrt_i32(100), NULL), WASMRT_OK);
    assert_int_equal(test_i32(fx->env.instance, "count", 0, 0, 0), 101);
    wasmrt_value r;
    assert_int_equal(wasmrt_instance_call(fx->env.instance, "base", NULL, 0, &r, 1, NULL), WASMRT_OK);
    assert_true(r.of.i64 == (1LL << 40));
}

static void test_exports_link_into_another_instance(void **state)
{
    host_fixture *fx = *state;
    test_env *env = &fx->env;
    wasmrt_instance *user;
    assert_int_equal(wasmrt_linker_define_instance(env->linker, "host", env->instance, &env->error), WASMRT_OK);
    wasmrt_module *m = test_load(env->engine, "test_link");
    assert_int_equal(wasmrt_instance_new(env->linker, m, &user, &env->error), WASMRT_OK);
    assert_int_equal(test_i32(user, "quad", 1, 5, 0), 20);
    assert_int_equal(test_i32(user, "first_byte", 0, 0, 0), 'w');
    wasmrt_instance_free(user);
    wasmrt_module_free(m);
}

static void test_missing_and_mistyped_imports(void **state)
{
    (void)state;
    test_env env;
    wasmrt_instance *inst;
    test_env_init(&env, WASMRT_BOUNDS_DEFAULT, 1);
    env.module = test_load(env.engine, "test_host");
    assert_int_equal(wasmrt_instance_new(env.linker, env.module, &inst, &env.error), WASMRT_ERR_LINK);
    assert_non_null(strstr(env.error.message, "unknown import"));
    assert_non_null(strstr(env.error.message, "add"));
    /* right name, wrong signature */
    assert_int_equal(wasmrt_linker_define_func(env.linker, "env", "add", "I:i", host_add, NULL, &env.error), WASMRT_OK);
    assert_int_equal(wasmrt_instance_new(env.linker, env.module, &inst, &env.error), WASMRT_ERR_LINK);
    assert_non_null(strstr(env.error.message, "incompatible import type"));
    test_env_free(&env);
}

static void test_wrong_arguments_are_refused(void **state)
{
    host_fixture *fx = *state;
    wasmrt_value arg = wasmrt_i64(1), res;
    wasmrt_error err;
    assert_int_equal(wasmrt_instance_call(fx->env.instance, "double", &arg, 1, &res, 1, &err), WASMRT_ERR_ARGUMENT);
    assert_int_equal(wasmrt_instance_call(fx->env.instance, "double", NULL, 0, &res, 1, &err), WASMRT_ERR_ARGUMENT);
    assert_int_equal(wasmrt_instance_call(fx->env.instance, "nope", NULL, 0, NULL, 0, &err), WASMRT_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_host_function_typed_call, host_setup, host_teardown),
        cmocka_unit_test_setup_teardown(test_host_trap_carries_message, host_setup, host_teardown),
        cmocka_unit_test_setup_teardown(test_host_exit_ends_the_call_chain, host_setup, host_teardown),
        cmocka_unit_test_setup_teardown(test_imported_mutable_global_is_shared, host_setup, host_teardown),
        cmocka_unit_test_setup_teardown(test_exports_link_into_another_instance, host_setup, host_teardown),
        cmocka_unit_test(test_missing_and_mistyped_imports),
        cmocka_unit_test_setup_teardown(test_wrong_arguments_are_refused, host_setup, host_teardown),
    };
    return cmocka_run_group_tests_name("engine host", tests, NULL, NULL);
}

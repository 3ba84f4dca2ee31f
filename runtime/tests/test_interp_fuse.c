/* test_interp_fuse.c: instructions the translator fuses for the interpreter (ops.h)
 * compute what the unfused sequence does: flag tests and loop steps branched on,
 * with and without a local.tee, with the local's old value still on the operand
 * stack. Eager and lazy
 * translation, both bounds modes. */
#include "test_util.h"

static void fuse_in_mode(wasmrt_bounds_mode bounds, int lazy)
{
    test_env env;
    test_env_init(&env, bounds, lazy);
    test_env_instantiate(&env, "test_interp_fuse");
    wasmrt_instance *in = env.instance;
    assert_int_equal(test_i32(in, "and_br_if", 1, 4, 0), 1);
    assert_int_equal(test_i32(in, "and_br_if", 1, 0xfb, 0), 2);
    assert_int_equal(test_i32(in, "and_tee_eqz", 1, 0x125, 0), 1037);
    assert_int_equal(test_i32(in, "and_tee_eqz", 1, 0x100, 0), 0);
    /* taken: 7 + x_old, then * 1000 + masked; not taken: 9 + x_old */
    assert_int_equal(test_i32(in, "and_tee_under_copy", 1, 0x31, 0), (7 + 0x31) * 1000 + 0x30);
    assert_int_equal(test_i32(in, "and_tee_under_copy", 1, 0x0f, 0), (9 + 0x0f) * 1000);
    assert_int_equal(test_i32(in, "and_if", 1, 0x81, 0), 0x81);
    assert_int_equal(test_i32(in, "and_if", 1, 0x7f, 0), 0);
    assert_int_equal(test_i32(in, "and_loop_evens", 1, 11, 0), 6);
    assert_int_equal(test_i32(in, "and_br_value", 1, 0x0b, 0), 3);
    assert_int_equal(test_i32(in, "and_br_value", 1, 0x03, 0), 103);
    assert_int_equal(test_i32(in, "add_loop_sum", 1, 10, 0), 0 + 3 + 6 + 9);
    assert_int_equal(test_i32(in, "add_loop_sum", 1, 0, 0), 0);
    assert_int_equal(test_i32(in, "add_loop_down", 1, 4, 0), 5); /* 2 0 -2 -4 -6 */
    assert_int_equal(test_i32(in, "add_under_copy", 1, 3, 0), (1 + 4) * 10 + 3);
    assert_int_equal(test_i32(in, "add_under_copy", 1, 4, 0), (2 + 5) * 10 + 4);
    assert_int_equal(test_i32(in, "add_wrap", 1, 0, 0), 0);
    assert_int_equal(test_i32(in, "add_wrap", 1, 1, 0), 1);
    assert_int_equal(test_i32(in, "add_wrap", 1, 10, 0), 1);
    assert_int_equal(test_i32(in, "add_wrap", 1, 11, 0), 0);
    assert_int_equal(test_i32(in, "add_self", 1, INT32_MAX, 0), INT32_MIN + 6);
    test_env_free(&env);
}

static void test_fused_branches(void **state)
{
    (void)state;
    fuse_in_mode(WASMRT_BOUNDS_DEFAULT, 1);
    fuse_in_mode(WASMRT_BOUNDS_DEFAULT, 0);
    fuse_in_mode(WASMRT_BOUNDS_EXPLICIT, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fused_branches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_interp_fuse.c: instructions the translator fuses for the interpreter (ops.h)
 * compute what the unfused sequence does: flag tests and loop steps branched on,
 * with and without a local.tee, with the local's old value still on the operand
 * stack; funnel shifts stored at once; results returned from where they are; loads
 * through a pointer just stepped; copies and local steps in pairs. Eager and lazy translation, both bounds modes. */
#include "test_util.h"

static int32_t fuse_call3(wasmrt_instance *in, const char *name, int32_t a, int32_t b, int32_t c)
{
    int32_t r = 0;
    wasmrt_error err;
    if (test_call_i32(in, name, &r, &err, 3, a, b, c) != WASMRT_OK)
        fail_msg("%s: %s", name, err.message);
    return r;
}

/* A fused funnel store past the end of memory traps (as the store would) and writes
   nothing, in either bounds mode. */
static void fuse_funnel_store_traps(wasmrt_instance *in)
{
    int32_t r;
    wasmrt_error err;
    /* bytes 65534..65537: half inside */
    assert_int_equal(test_call_i32(in, "funnel_store_local", &r, &err, 3, 65530, -1, -1),
                     WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
    assert_int_equal(test_i32(in, "peek", 1, 65532, 0), 0);
}

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
    assert_int_equal(fuse_call3(in, "funnel_store_local", 100, 0x11223344, 0xaabbccdd),
                     0x223344aa);
    assert_int_equal(fuse_call3(in, "funnel_store_add", 200, 0x11223344, 0xaabbccdd),
                     0x3344aabb);
    assert_int_equal(fuse_call3(in, "funnel_store_stack", 150, 0x11223344, 0xaabbccdd),
                     0x44aabbcc);
    fuse_funnel_store_traps(in);
    assert_int_equal(test_i32(in, "return_local", 2, 0, 9), 9);
    assert_int_equal(test_i32(in, "return_local", 2, 1, 9), 1);
    assert_int_equal(test_i32(in, "return_local", 2, 2, 9), 14);
    assert_int_equal(test_i32(in, "return_const", 2, 1, 0), 77);
    assert_int_equal(test_i32(in, "return_const", 2, 0, 0), -3);
    assert_int_equal(test_i32(in, "return_add", 2, 5, 6), 1001);
    assert_int_equal(test_i32(in, "return_old_local", 2, 5, 6), 5);
    assert_int_equal(test_i32(in, "step_scan", 1, 999, 0), 3);
    assert_int_equal(test_i32(in, "step_scan", 1, 1003, 0), 3);
    assert_int_equal(test_i32(in, "step_chase", 1, 2000, 0), 3);
    assert_int_equal(test_i32(in, "step_under_copy", 1, 1000, 0), 1000 - ('%' << 8) + 1002);
    assert_int_equal(test_i32(in, "step_signed", 1, 1002, 0), '%');
    assert_int_equal(test_i32(in, "copy_args", 2, 3, 8), 5 * 1000 - 5 * 10 + 8);
    assert_int_equal(test_i32(in, "copy_swap", 2, 0, 7), 0 - 7);
    assert_int_equal(test_i32(in, "copy_swap", 2, 9, 7), 7 - 9);
    /* "abc%de" at 1000: a + c + d */
    assert_int_equal(test_i32(in, "pair_loop", 2, 1000, 3), ('a' + 'c' + 'd') * 1000 + 1006);
    assert_int_equal(test_i32(in, "pair_step_load", 2, 1002, 5), '%' * 1000 + 4);
    int32_t r;
    wasmrt_error err;
    assert_int_equal(test_call_i32(in, "step_signed", &r, &err, 1, 65535), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
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

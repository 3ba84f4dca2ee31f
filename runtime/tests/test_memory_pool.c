/* test_memory_pool.c: reused memory reservations (memory.c's pool) start as fresh
 * ones would: every byte zero but the module's data segments, exactly the initial
 * pages accessible (a larger predecessor's pages trap until grown, then read zero),
 * whatever the previous instance wrote, grew or which module it was. */
#include "test_util.h"

/* Every accessible byte of the instance's memory is zero outside [at, at + len). */
static void pool_expect_zero(wasmrt_instance *inst, uint64_t pages, uint32_t at,
                             const char *data)
{
    uint64_t size = 0;
    const uint8_t *mem = wasmrt_instance_memory(inst, &size);
    assert_non_null(mem);
    assert_int_equal(size, pages * 65536);
    size_t len = data ? strlen(data) : 0;
    for (uint64_t i = 0; i < size; i++) {
        uint8_t want = i >= at && i < at + len ? (uint8_t)data[i - at] : 0;
        if (mem[i] != want)
            fail_msg("byte %llu of a fresh instance is 0x%02x, expected 0x%02x",
                     (unsigned long long)i, mem[i], want);
    }
}

/* Fills every byte the instance can reach after growing it by `grow` pages. */
static void pool_dirty(wasmrt_instance *inst, int32_t grow, int32_t pages_after)
{
    assert_int_not_equal(test_i32(inst, "grow", 1, grow, 0), -1);
    wasmrt_value args[3] = {wasmrt_i32(0), wasmrt_i32(0xab), wasmrt_i32(pages_after * 65536)};
    wasmrt_error err;
    assert_int_equal(wasmrt_instance_call(inst, "fill", args, 3, NULL, 0, &err), WASMRT_OK);
}

static void pool_in_mode(wasmrt_bounds_mode bounds)
{
    test_env env;
    test_env_init(&env, bounds, 1);
    wasmrt_module *small = test_load(env.engine, "test_memory");     /* 1 page, max 4 */
    wasmrt_module *large = test_load(env.engine, "test_memory_pool"); /* 3 pages, max 8 */
    wasmrt_instance *a, *b;
    for (int round = 0; round < 3; round++) {
        /* the same module again: dirty, grown, released, then fresh */
        assert_int_equal(wasmrt_instance_new(env.linker, small, &a, &env.error), WASMRT_OK);
        pool_expect_zero(a, 1, 16, "hello");
        pool_dirty(a, 3, 4);
        wasmrt_instance_free(a);
        assert_int_equal(wasmrt_instance_new(env.linker, small, &a, &env.error), WASMRT_OK);
        pool_expect_zero(a, 1, 16, "hello");
        /* the predecessor's fourth page is out of bounds again ... */
        test_expect_trap(a, "load8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 3 * 65536, 0);
        /* ... and zero once grown back */
        assert_int_equal(test_i32(a, "grow", 1, 3, 0), 1);
        pool_expect_zero(a, 4, 16, "hello");
        pool_dirty(a, 0, 4);
        /* another module takes the same reservation with more initial pages */
        wasmrt_instance_free(a);
        assert_int_equal(wasmrt_instance_new(env.linker, large, &b, &env.error), WASMRT_OK);
        pool_expect_zero(b, 3, 100, "pool");
        pool_dirty(b, 5, 8); /* 512 KiB: still small enough to be kept */
        wasmrt_instance_free(b);
    }
    /* several alive at once, then all released and taken again */
    wasmrt_instance *many[6];
    for (int i = 0; i < 6; i++) {
        assert_int_equal(wasmrt_instance_new(env.linker, small, &many[i], &env.error), WASMRT_OK);
        pool_expect_zero(many[i], 1, 16, "hello");
        pool_dirty(many[i], 0, 1);
    }
    for (int i = 0; i < 6; i++)
        wasmrt_instance_free(many[i]);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(wasmrt_instance_new(env.linker, small, &many[i], &env.error), WASMRT_OK);
        pool_expect_zero(many[i], 1, 16, "hello");
    }
    for (int i = 0; i < 6; i++)
        wasmrt_instance_free(many[i]);
    wasmrt_module_free(small);
    wasmrt_module_free(large);
    test_env_free(&env);
}

static void test_reused_memory_is_fresh_guard(void **state)
{
    (void)state;
    pool_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_reused_memory_is_fresh_explicit(void **state)
{
    (void)state;
    pool_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reused_memory_is_fresh_guard),
        cmocka_unit_test(test_reused_memory_is_fresh_explicit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

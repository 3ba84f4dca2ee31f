/* test_code_cache.c: the translated-code cache (src/code_cache.c). A run that
 * translated functions leaves a file beside the validation entry; the next load of
 * the same bytes adopts that code before any call and it computes the same results,
 * traps included (direct, recursive and indirect calls, memory, globals); a file is
 * rewritten only when something new was translated; and a damaged, truncated or
 * group/world-writable file, or one written under another bounds mode, is ignored.
 * Files damaged behind a correct checksum (entry sizes, function indices,
 * relocations) are refused or adopted in range, never read or written out of bounds:
 * thousands of seeded mutations, loaded under ASan in the sanitizer build. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "cache.h" /* the file's header and checksum, to forge consistent damage */

typedef struct cc_fixture {
    char dir[256];
    uint8_t *bytes;
    size_t size;
} cc_fixture;

static int cc_setup(void **state)
{
    cc_fixture *fx = calloc(1, sizeof *fx);
    *state = fx;
    if (test_temp_dir(fx->dir, sizeof fx->dir, "code-cache") != 0)
        return -1;
    fx->bytes = test_read_wasm("test_code_cache", &fx->size);
    return fx->bytes ? 0 : -1;
}

static int cc_teardown(void **state)
{
    cc_fixture *fx = *state;
    int r = test_remove_dir(fx->dir);
    free(fx->bytes);
    free(fx);
    return r;
}

typedef struct cc_run {
    wasmrt_engine *engine;
    wasmrt_module *module;
    wasmrt_linker *linker;
    wasmrt_instance *inst;
} cc_run;

/* Loads the module into a fresh engine; returns how many functions came translated. */
static uint32_t cc_open(cc_fixture *fx, cc_run *r, wasmrt_bounds_mode bounds)
{
    wasmrt_config config;
    wasmrt_config_default(&config);
    config.mode = WASMRT_MODE_INTERP; /* the cache holds the interpreter's code */
    config.cache_dir = fx->dir;
    config.bounds = bounds;
    wasmrt_error err;
    assert_int_equal(wasmrt_engine_new(&config, &r->engine, &err), WASMRT_OK);
    assert_int_equal(wasmrt_module_load(r->engine, fx->bytes, fx->size, &r->module, &err),
                     WASMRT_OK);
    wasmrt_module_stats stats;
    wasmrt_module_get_stats(r->module, &stats);
    assert_int_equal(wasmrt_linker_new(r->engine, &r->linker, &err), WASMRT_OK);
    assert_int_equal(wasmrt_instance_new(r->linker, r->module, &r->inst, &err), WASMRT_OK);
    return stats.compiled_function_count;
}

static void cc_close(cc_run *r)
{
    assert_int_equal(wasmrt_module_cache_code(r->module), WASMRT_OK);
    wasmrt_instance_free(r->inst);
    wasmrt_linker_free(r->linker);
    wasmrt_module_free(r->module);
    wasmrt_engine_free(r->engine);
}

/* Every export but "calls", with the results worked out by hand. */
static void cc_exercise(cc_run *r)
{
    assert_int_equal(test_i32_3(r->inst, "fib", 1, 15, 0, 0), 610);
    assert_int_equal(test_i32_3(r->inst, "apply", 3, 0, 2, 3), 5);  /* add */
    assert_int_equal(test_i32_3(r->inst, "apply", 3, 1, 4, 5), 20); /* mul */
    assert_int_equal(test_i32_3(r->inst, "apply", 3, 2, 10, 0), 55); /* fib, indirectly */
    assert_int_equal(test_i32_3(r->inst, "sum", 1, 10, 0, 0), 45);
    assert_int_equal(test_i32_3(r->inst, "divide", 2, 7, 2, 0), 3);
    wasmrt_value args[2] = {{.type = WASMRT_I32, .of.i32 = 1}, {.type = WASMRT_I32, .of.i32 = 0}};
    wasmrt_value res;
    wasmrt_error err;
    assert_int_equal(wasmrt_instance_call(r->inst, "divide", args, 2, &res, 1, &err),
                     WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);
}

static void cc_fill(cc_fixture *fx)
{
    cc_run r;
    assert_int_equal(cc_open(fx, &r, WASMRT_BOUNDS_GUARD), 0);
    cc_exercise(&r);
    cc_close(&r);
}

static void test_second_load_adopts_translated_code(void **state)
{
    cc_fixture *fx = *state;
    cc_fill(fx);
    char path[512];
    test_find_file(fx->dir, ".code-gu", path, sizeof path);
    assert_true(path[0] != 0);
    cc_run r;
    /* add, mul, $fib, apply, fib, sum, divide: all but "calls", before any call */
    assert_int_equal(cc_open(fx, &r, WASMRT_BOUNDS_GUARD), 7);
    cc_exercise(&r);
    /* fib(15) and fib(10) through the cached recursive calls: 1973 + 177 calls */
    assert_int_equal(test_i32_3(r.inst, "calls", 0, 0, 0, 0), 2150);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    cc_close(&r); /* "calls" is new: the file is rewritten with it */
    assert_int_equal(stat(path, &after), 0);
    assert_int_not_equal(before.st_ino, after.st_ino);
    assert_int_equal(cc_open(fx, &r, WASMRT_BOUNDS_GUARD), 8);
    cc_exercise(&r);
    assert_int_equal(stat(path, &before), 0);
    cc_close(&r); /* nothing new: left alone */
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
}

static void cc_expect_ignored(cc_fixture *fx)
{
    cc_run r;
    assert_int_equal(cc_open(fx, &r, WASMRT_BOUNDS_GUARD), 0);
    cc_exercise(&r);
    cc_close(&r);
}

static void test_damaged_file_is_ignored(void **state)
{
    cc_fixture *fx = *state;
    cc_fill(fx);
    char path[512];
    test_find_file(fx->dir, ".code-gu", path, sizeof path);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    uint8_t byte;
    assert_int_equal(pread(fd, &byte, 1, 200), 1);
    byte ^= 0x10;
    assert_int_equal(pwrite(fd, &byte, 1, 200), 1);
    close(fd);
    cc_expect_ignored(fx); /* and rewritten whole */
    test_find_file(fx->dir, ".code-gu", path, sizeof path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size - 8), 0);
    cc_expect_ignored(fx);
}

static void test_writable_by_others_is_ignored(void **state)
{
    cc_fixture *fx = *state;
    cc_fill(fx);
    char path[512];
    test_find_file(fx->dir, ".code-gu", path, sizeof path);
    assert_int_equal(chmod(path, 0622), 0);
    cc_expect_ignored(fx);
}

static void test_other_bounds_mode_keeps_its_own_file(void **state)
{
    cc_fixture *fx = *state;
    cc_fill(fx);
    cc_run r;
    assert_int_equal(cc_open(fx, &r, WASMRT_BOUNDS_EXPLICIT), 0);
    cc_exercise(&r);
    cc_close(&r);
    char path[512];
    test_find_file(fx->dir, ".code-cu", path, sizeof path);
    assert_true(path[0] != 0);
    assert_int_equal(cc_open(fx, &r, WASMRT_BOUNDS_EXPLICIT), 7);
    cc_exercise(&r);
    cc_close(&r);
}

static void test_damage_behind_a_good_checksum_stays_in_bounds(void **state)
{
    cc_fixture *fx = *state;
    cc_fill(fx);
    char path[512];
    test_find_file(fx->dir, ".code-gu", path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t good[1 << 16], bad[1 << 16];
    size_t size = fread(good, 1, sizeof good, f);
    fclose(f);
    size_t head = sizeof(code_cache_header);
    assert_true(size > head + 64);
    uint64_t seed = 0x2545f4914f6cdd1dull;
    for (int round = 0; round < 3000; round++) {
        memcpy(bad, good, size);
        /* small values where the entry headers and relocations live, or any byte */
        int flips = 1 + (int)(test_rand(&seed) % 4);
        for (int k = 0; k < flips; k++) {
            size_t at = head + test_rand(&seed) % (size - head);
            if (test_rand(&seed) & 1)
                bad[at] ^= (uint8_t)(1u << (test_rand(&seed) % 8));
            else
                bad[at] = (uint8_t)test_rand(&seed);
        }
        code_cache_header *h = (code_cache_header *)bad;
        h->checksum = cache_sum(bad + head, size - head);
        int fd = open(path, O_WRONLY | O_TRUNC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, bad, size), (ssize_t)size);
        close(fd);
        /* adopted or not, nothing runs: damaged code is only trusted not to be loaded
           out of bounds, never to be right */
        wasmrt_config config;
        wasmrt_config_default(&config);
        config.mode = WASMRT_MODE_INTERP;
        config.cache_dir = fx->dir;
        wasmrt_engine *e;
        wasmrt_module *m;
        wasmrt_error err;
        assert_int_equal(wasmrt_engine_new(&config, &e, &err), WASMRT_OK);
        assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
        wasmrt_module_stats stats;
        wasmrt_module_get_stats(m, &stats);
        assert_true(stats.compiled_function_count <= 8);
        wasmrt_module_free(m);
        wasmrt_engine_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_load_adopts_translated_code, cc_setup,
                                        cc_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_file_is_ignored, cc_setup, cc_teardown),
        cmocka_unit_test_setup_teardown(test_writable_by_others_is_ignored, cc_setup,
                                        cc_teardown),
        cmocka_unit_test_setup_teardown(test_other_bounds_mode_keeps_its_own_file, cc_setup,
                                        cc_teardown),
        cmocka_unit_test_setup_teardown(test_damage_behind_a_good_checksum_stays_in_bounds,
                                        cc_setup, cc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

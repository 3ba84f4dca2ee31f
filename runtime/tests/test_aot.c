/* test_aot.c: files of machine code (src/jit/aot.c). A compiled module (.cwasm) loads
 * with every function's code mapped, none compiled, and computes what the module does
 * compiled the usual way, traps and their function names included (direct, recursive
 * and indirect calls, memory, globals); the machine-code cache beside a module is
 * adopted by the next load and rewritten only when something new was compiled; a
 * module's checked twin (explicit bounds) has code and a cache file of its own. A
 * file from another build, another bounds mode or metering, for CPU features this
 * machine lacks, damaged or truncated, is refused with a message saying which. Files
 * damaged behind a correct checksum (record sizes, entries, fault tables, function
 * indices) are refused or adopted in range, never read out of bounds: thousands of
 * seeded mutations, loaded under ASan in the sanitizer build, nothing run. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "jit/layout.h" /* the file's header and checksum, to forge consistent damage */

typedef struct aot_fixture {
    char dir[256];
    char cwasm[300];
    uint8_t *bytes;
    size_t size;
} aot_fixture;

static int aot_setup(void **state)
{
    aot_fixture *fx = calloc(1, sizeof *fx);
    *state = fx;
    if (test_temp_dir(fx->dir, sizeof fx->dir, "aot") != 0) return -1;
    snprintf(fx->cwasm, sizeof fx->cwasm, "%s/m.cwasm", fx->dir);
    fx->bytes = test_read_wasm("test_code_cache", &fx->size);
    return fx->bytes ? 0 : -1;
}

static int aot_teardown(void **state)
{
    aot_fixture *fx = *state;
    int r = test_remove_dir(fx->dir);
    free(fx->bytes);
    free(fx);
    return r;
}

static wasmrt_engine *aot_engine(wasmrt_bounds_mode bounds, int metered, const char *cache)
{
    wasmrt_config c;
    wasmrt_config_default(&c);
    c.mode = WASMRT_MODE_JIT;
    c.bounds = bounds;
    c.cache_dir = cache;
    if (metered) c.fuel = 1u << 30;
    wasmrt_engine *e;
    wasmrt_error err;
    if (wasmrt_engine_new(&c, &e, &err) != WASMRT_OK) fail_msg("engine: %s", err.message);
    return e;
}

static uint32_t aot_compiled(const wasmrt_module *m)
{
    wasmrt_module_stats st;
    wasmrt_module_get_stats(m, &st);
    return st.compiled_function_count;
}

/* Every export, with the results worked out by hand; a trap named by its function. */
static void aot_exercise(wasmrt_engine *e, wasmrt_module *m)
{
    wasmrt_linker *l;
    wasmrt_instance *inst;
    wasmrt_error err;
    assert_int_equal(wasmrt_linker_new(e, &l, &err), WASMRT_OK);
    assert_int_equal(wasmrt_instance_new(l, m, &inst, &err), WASMRT_OK);
    assert_int_equal(test_i32_3(inst, "fib", 1, 15, 0, 0), 610);
    assert_int_equal(test_i32_3(inst, "apply", 3, 0, 2, 3), 5);   /* add */
    assert_int_equal(test_i32_3(inst, "apply", 3, 1, 4, 5), 20);  /* mul */
    assert_int_equal(test_i32_3(inst, "apply", 3, 2, 10, 0), 55); /* fib, indirectly */
    assert_int_equal(test_i32_3(inst, "sum", 1, 10, 0, 0), 45);
    assert_int_equal(test_i32_3(inst, "divide", 2, 7, 2, 0), 3);
    assert_int_equal(test_i32_3(inst, "calls", 0, 0, 0, 0), 1973 + 177);
    wasmrt_value args[2] = {wasmrt_i32(1), wasmrt_i32(0)}, res;
    assert_int_equal(wasmrt_instance_call(inst, "divide", args, 2, &res, 1, &err), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);
    assert_int_equal(err.func_index, 7); /* "divide" */
    wasmrt_instance_free(inst);
    wasmrt_linker_free(l);
}

static void aot_write(aot_fixture *fx, wasmrt_bounds_mode bounds, int metered)
{
    wasmrt_engine *e = aot_engine(bounds, metered, NULL);
    wasmrt_module *m;
    wasmrt_error err;
    assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
    if (wasmrt_module_write_compiled(m, fx->cwasm, &err) != WASMRT_OK)
        fail_msg("write: %s", err.message);
    wasmrt_module_free(m);
    wasmrt_engine_free(e);
}

/* Loading the compiled module in an engine: its status, and the message in `msg`. */
static wasmrt_status aot_load(aot_fixture *fx, wasmrt_bounds_mode bounds, int metered, char *msg,
                              size_t cap)
{
    wasmrt_engine *e = aot_engine(bounds, metered, NULL);
    wasmrt_module *m;
    wasmrt_error err;
    memset(&err, 0, sizeof err);
    wasmrt_status s = wasmrt_module_load_file(e, fx->cwasm, &m, &err);
    snprintf(msg, cap, "%s", s == WASMRT_OK ? "" : err.message);
    if (s == WASMRT_OK) wasmrt_module_free(m);
    wasmrt_engine_free(e);
    return s;
}

static void test_compiled_module_runs_without_compiling(void **state)
{
    aot_fixture *fx = *state;
    for (int explicit = 0; explicit < 2; explicit ++) {
        wasmrt_bounds_mode b = explicit ? WASMRT_BOUNDS_EXPLICIT : WASMRT_BOUNDS_GUARD;
        aot_write(fx, b, 0);
        wasmrt_engine *e = aot_engine(b, 0, NULL);
        wasmrt_module *m;
        wasmrt_error err;
        assert_int_equal(wasmrt_module_load_compiled(e, fx->cwasm, &m, &err), WASMRT_OK);
        assert_int_equal(aot_compiled(m), 8); /* all of them, before any call */
        aot_exercise(e, m);
        wasmrt_module_free(m);
        wasmrt_engine_free(e);
    }
}

static void test_machine_code_cache_is_adopted(void **state)
{
    aot_fixture *fx = *state;
    wasmrt_engine *e = aot_engine(WASMRT_BOUNDS_GUARD, 0, fx->dir);
    wasmrt_module *m;
    wasmrt_error err;
    assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
    assert_int_equal(aot_compiled(m), 0);
    aot_exercise(e, m);
    assert_int_equal(wasmrt_module_cache_code(m), WASMRT_OK);
    wasmrt_module_free(m);
    /* all eight ran: the next load has them before any call */
    assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
    assert_int_equal(aot_compiled(m), 8);
    aot_exercise(e, m);
    char path[512];
    struct stat before, after;
    test_find_file(fx->dir, ".jit-gu", path, sizeof path);
    assert_true(path[0] != 0);
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(before.st_mode & 0777, 0600);
    assert_int_equal(wasmrt_module_cache_code(m), WASMRT_OK); /* nothing new: kept */
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    wasmrt_module_free(m);
    /* written by the others' rules: group- or world-writable files are not used */
    assert_int_equal(chmod(path, 0622), 0);
    assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
    assert_int_equal(aot_compiled(m), 0);
    wasmrt_module_free(m);
    wasmrt_engine_free(e);
}

/* An engine in the default bounds mode past its guard limit (one guard memory): the
 * explicit instance runs the module's checked twin, compiled with checks, whose code
 * the cache keeps under its own key; a guard-pages .cwasm serves the same engine, its
 * explicit instances compiling the twin from the bytes in the file. */
static void test_checked_twin_has_code_of_its_own(void **state)
{
    aot_fixture *fx = *state;
    wasmrt_config c;
    wasmrt_config_default(&c);
    c.mode = WASMRT_MODE_JIT;
    c.guard_memory_limit = 1;
    c.cache_dir = fx->dir;
    wasmrt_engine *e;
    wasmrt_linker *l;
    wasmrt_module *m;
    wasmrt_instance *guard;
    wasmrt_error err;
    assert_int_equal(wasmrt_engine_new(&c, &e, &err), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(e, &l, &err), WASMRT_OK);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
        assert_int_equal(wasmrt_instance_new(l, m, &guard, &err), WASMRT_OK);
        assert_int_equal(wasmrt_instance_bounds(guard), WASMRT_BOUNDS_GUARD);
        aot_exercise(e, m); /* a second memory: explicit, the twin's code */
        assert_int_equal(wasmrt_module_cache_code(m), WASMRT_OK);
        char path[512];
        test_find_file(fx->dir, ".jit-cu", path, sizeof path);
        assert_true(path[0] != 0);
        test_find_file(fx->dir, ".jit-gu", path, sizeof path);
        assert_true(path[0] == 0); /* the guard instance ran nothing */
        wasmrt_instance_free(guard);
        wasmrt_module_free(m);
    }
    /* a compiled module (guard pages) in the same engine */
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    c.cache_dir = NULL;
    wasmrt_engine *plain;
    assert_int_equal(wasmrt_engine_new(&c, &plain, &err), WASMRT_OK);
    assert_int_equal(wasmrt_module_load_compiled(plain, fx->cwasm, &m, &err), WASMRT_OK);
    wasmrt_linker *pl;
    assert_int_equal(wasmrt_linker_new(plain, &pl, &err), WASMRT_OK);
    assert_int_equal(wasmrt_instance_new(pl, m, &guard, &err), WASMRT_OK);
    aot_exercise(plain, m);
    assert_int_equal(test_i32_3(guard, "fib", 1, 15, 0, 0), 610);
    wasmrt_instance_free(guard);
    wasmrt_linker_free(pl);
    wasmrt_module_free(m);
    wasmrt_engine_free(plain);
    wasmrt_linker_free(l);
    wasmrt_engine_free(e);
}

/* Rewrites a header field of the compiled module (the checksum left as it was). */
static void aot_patch(aot_fixture *fx, size_t offset, const void *value, size_t n)
{
    int fd = open(fx->cwasm, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, value, n, (off_t)offset), (ssize_t)n);
    close(fd);
}

static void test_foreign_or_damaged_file_is_refused(void **state)
{
    aot_fixture *fx = *state;
    char msg[256];
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 0, msg, sizeof msg), WASMRT_OK);
    /* another configuration */
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_EXPLICIT, 0, msg, sizeof msg),
                     WASMRT_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "compiled for guard pages, and this engine uses explicit"));
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 1, msg, sizeof msg), WASMRT_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "without fuel and deadline checks"));
    /* another build of wasmrt */
    uint64_t other = 0x1234;
    aot_patch(fx, offsetof(aot_header, build), &other, 8);
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 0, msg, sizeof msg), WASMRT_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "another build of wasmrt"));
    /* code for a CPU feature this machine lacks (one no CPU has yet) */
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    uint32_t features = 1u << 31;
    aot_patch(fx, offsetof(aot_header, cpu_features), &features, 4);
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 0, msg, sizeof msg), WASMRT_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "CPU features this machine lacks"));
    /* one byte of code changed: the checksum */
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    struct stat st;
    assert_int_equal(stat(fx->cwasm, &st), 0);
    uint8_t byte;
    int fd = open(fx->cwasm, O_RDWR);
    assert_int_equal(pread(fd, &byte, 1, st.st_size - 100), 1);
    byte ^= 0x40;
    assert_int_equal(pwrite(fd, &byte, 1, st.st_size - 100), 1);
    close(fd);
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 0, msg, sizeof msg), WASMRT_ERR_MALFORMED);
    assert_non_null(strstr(msg, "damaged (checksum mismatch)"));
    /* cut short */
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    assert_int_equal(truncate(fx->cwasm, st.st_size - 16), 0);
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 0, msg, sizeof msg), WASMRT_ERR_MALFORMED);
    assert_non_null(strstr(msg, "damaged"));
    assert_int_equal(truncate(fx->cwasm, 40), 0);
    assert_int_equal(aot_load(fx, WASMRT_BOUNDS_GUARD, 0, msg, sizeof msg), WASMRT_ERR_MALFORMED);
    /* its bytes handed over instead of the file */
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    wasmrt_engine *e = aot_engine(WASMRT_BOUNDS_GUARD, 0, NULL);
    wasmrt_module *m;
    wasmrt_error err;
    assert_int_equal(wasmrt_module_load(e, (const uint8_t *)"wasmrtAO\1\0\0\0", 12, &m, &err),
                     WASMRT_ERR_MALFORMED);
    assert_non_null(strstr(err.message, "load it from its file"));
    wasmrt_engine_free(e);
}

/* Mutations behind a correct checksum, where the records and the table live (or any
 * byte): the file is refused, or adopted in range; nothing of it runs. */
static void aot_damage_rounds(aot_fixture *fx, const char *path, int rounds, int compiled)
{
    static uint8_t good[1 << 18], bad[1 << 18];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t size = fread(good, 1, sizeof good, f);
    fclose(f);
    aot_header h;
    memcpy(&h, good, sizeof h);
    assert_true(size > h.code_offset + 64);
    uint64_t seed = 0x2545f4914f6cdd1dull;
    for (int round = 0; round < rounds; round++) {
        memcpy(bad, good, size);
        int flips = 1 + (int)(test_rand(&seed) % 4);
        for (int k = 0; k < flips; k++) {
            /* mostly record headers and fault tables and the function table */
            size_t at, span = size - h.table_offset;
            switch (test_rand(&seed) % 3) {
            case 0:
                at = h.code_offset + (test_rand(&seed) % 64);
                break;
            case 1:
                at = h.table_offset + test_rand(&seed) % span;
                break;
            default:
                at = sizeof h + test_rand(&seed) % (size - sizeof h);
                break;
            }
            if (test_rand(&seed) & 1)
                bad[at] ^= (uint8_t)(1u << (test_rand(&seed) % 8));
            else
                bad[at] = (uint8_t)test_rand(&seed);
        }
        uint64_t sum = aot_checksum(bad, size);
        memcpy(bad + offsetof(aot_header, checksum), &sum, 8);
        int fd = open(path, O_WRONLY | O_TRUNC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, bad, size), (ssize_t)size);
        close(fd);
        wasmrt_engine *e = aot_engine(WASMRT_BOUNDS_GUARD, 0, compiled ? NULL : fx->dir);
        wasmrt_module *m;
        wasmrt_error err;
        wasmrt_status s = compiled ? wasmrt_module_load_file(e, path, &m, &err)
                                   : wasmrt_module_load(e, fx->bytes, fx->size, &m, &err);
        if (s == WASMRT_OK) {
            assert_true(aot_compiled(m) <= 8);
            wasmrt_module_free(m);
        }
        wasmrt_engine_free(e);
    }
}

static void test_damage_behind_a_good_checksum_stays_in_bounds(void **state)
{
    aot_fixture *fx = *state;
    /* the cache beside the module */
    wasmrt_engine *e = aot_engine(WASMRT_BOUNDS_GUARD, 0, fx->dir);
    wasmrt_module *m;
    wasmrt_error err;
    assert_int_equal(wasmrt_module_load(e, fx->bytes, fx->size, &m, &err), WASMRT_OK);
    aot_exercise(e, m);
    assert_int_equal(wasmrt_module_cache_code(m), WASMRT_OK);
    wasmrt_module_free(m);
    wasmrt_engine_free(e);
    char path[512];
    test_find_file(fx->dir, ".jit-gu", path, sizeof path);
    assert_true(path[0] != 0);
    aot_damage_rounds(fx, path, 1500, 0);
    /* a compiled module */
    aot_write(fx, WASMRT_BOUNDS_GUARD, 0);
    aot_damage_rounds(fx, fx->cwasm, 1500, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_compiled_module_runs_without_compiling, aot_setup,
                                        aot_teardown),
        cmocka_unit_test_setup_teardown(test_machine_code_cache_is_adopted, aot_setup,
                                        aot_teardown),
        cmocka_unit_test_setup_teardown(test_checked_twin_has_code_of_its_own, aot_setup,
                                        aot_teardown),
        cmocka_unit_test_setup_teardown(test_foreign_or_damaged_file_is_refused, aot_setup,
                                        aot_teardown),
        cmocka_unit_test_setup_teardown(test_damage_behind_a_good_checksum_stays_in_bounds,
                                        aot_setup, aot_teardown),
    };
    return cmocka_run_group_tests_name("compiled modules and the machine-code cache", tests, NULL,
                                       NULL);
}

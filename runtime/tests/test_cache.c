/* test_cache.c: the validation cache (wasmrt_config.cache_dir, src/cache.c): a valid
 * module leaves one entry (in a directory created with its parents), a second load
 * uses it, an invalid module leaves none, no cache_dir writes nothing, and a forged
 * entry for an invalid module cannot make its invalid function run: translation
 * rejects it at the first call while the module's valid functions still work. */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "cache.h" /* cache_record_validated, to forge an entry */

static uint8_t *cache_read(const char *name, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", TEST_WAT_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    static uint8_t buf[1 << 16];
    *size = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t *copy = malloc(*size);
    memcpy(copy, buf, *size);
    return copy;
}

/* Entries in dir whose name starts with "v1-"; -1 when dir does not exist. */
static int cache_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strncmp(e->d_name, "v1-", 3) == 0)
            n++;
    closedir(d);
    return n;
}

static void cache_rm(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

typedef struct cache_fixture {
    char root[256]; /* a fresh temporary directory */
    char dir[512];  /* root/a/b/cache: parents missing at first */
} cache_fixture;

static int cache_setup(void **state)
{
    cache_fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->root, sizeof fx->root, "/tmp/wasmrt-cache-test-XXXXXX");
    if (!mkdtemp(fx->root))
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "%s/a/b/cache", fx->root);
    *state = fx;
    return 0;
}

static int cache_teardown(void **state)
{
    cache_fixture *fx = *state;
    cache_rm(fx->root);
    free(fx);
    return 0;
}

static wasmrt_engine *cache_engine(const char *dir)
{
    wasmrt_config config;
    wasmrt_config_default(&config);
    char copy[512];
    if (dir)
        snprintf(copy, sizeof copy, "%s", dir);
    config.cache_dir = dir ? copy : NULL; /* the engine keeps its own copy */
    wasmrt_engine *e = NULL;
    wasmrt_error err;
    assert_int_equal(wasmrt_engine_new(&config, &e, &err), WASMRT_OK);
    memset(copy, 'x', sizeof copy - 1);
    return e;
}

static void test_valid_module_leaves_one_entry(void **state)
{
    cache_fixture *fx = *state;
    wasmrt_engine *e = cache_engine(fx->dir);
    size_t size;
    uint8_t *bytes = cache_read("test_traps", &size);
    wasmrt_module *m = NULL;
    wasmrt_error err;
    assert_int_equal(cache_entries(fx->dir), -1);
    assert_int_equal(wasmrt_module_load(e, bytes, size, &m, &err), WASMRT_OK);
    wasmrt_module_free(m);
    assert_int_equal(cache_entries(fx->dir), 1);
    /* the second load uses the entry and adds none; the module still runs */
    assert_int_equal(wasmrt_module_load(e, bytes, size, &m, &err), WASMRT_OK);
    assert_int_equal(cache_entries(fx->dir), 1);
    wasmrt_linker *l = NULL;
    wasmrt_instance *inst = NULL;
    assert_int_equal(wasmrt_linker_new(e, &l, &err), WASMRT_OK);
    assert_int_equal(wasmrt_instance_new(l, m, &inst, &err), WASMRT_OK);
    wasmrt_value arg = wasmrt_i64(10), res;
    assert_int_equal(wasmrt_instance_call(inst, "fac", &arg, 1, &res, 1, &err), WASMRT_OK);
    assert_int_equal(res.of.i64, 3628800);
    wasmrt_instance_free(inst);
    wasmrt_linker_free(l);
    wasmrt_module_free(m);
    /* other bytes, another entry */
    bytes[size - 1] ^= 1; /* inside the name or a data byte: still valid */
    if (wasmrt_module_load(e, bytes, size, &m, &err) == WASMRT_OK) {
        wasmrt_module_free(m);
        assert_int_equal(cache_entries(fx->dir), 2);
    }
    free(bytes);
    wasmrt_engine_free(e);
}

static void test_invalid_module_leaves_none(void **state)
{
    cache_fixture *fx = *state;
    wasmrt_engine *e = cache_engine(fx->dir);
    size_t size;
    uint8_t *bytes = cache_read("test_cache_invalid", &size);
    wasmrt_module *m = NULL;
    wasmrt_error err;
    assert_int_equal(wasmrt_module_load(e, bytes, size, &m, &err), WASMRT_ERR_INVALID);
    assert_true(cache_entries(fx->dir) <= 0);
    free(bytes);
    wasmrt_engine_free(e);
}

static void test_no_cache_dir_writes_nothing(void **state)
{
    cache_fixture *fx = *state;
    wasmrt_engine *e = cache_engine(NULL);
    size_t size;
    uint8_t *bytes = cache_read("test_traps", &size);
    wasmrt_module *m = NULL;
    wasmrt_error err;
    assert_int_equal(wasmrt_module_load(e, bytes, size, &m, &err), WASMRT_OK);
    wasmrt_module_free(m);
    assert_int_equal(cache_entries(fx->dir), -1);
    free(bytes);
    wasmrt_engine_free(e);
}

static void test_forged_entry_cannot_run_invalid_code(void **state)
{
    cache_fixture *fx = *state;
    wasmrt_engine *e = cache_engine(fx->dir);
    size_t size;
    uint8_t *bytes = cache_read("test_cache_invalid", &size);
    uint64_t key[2];
    cache_hash(bytes, size, key);
    cache_record_validated(e, key, size);
    assert_int_equal(cache_entries(fx->dir), 1);
    wasmrt_module *m = NULL;
    wasmrt_error err;
    /* the forged entry lets the load through ... */
    assert_int_equal(wasmrt_module_load(e, bytes, size, &m, &err), WASMRT_OK);
    wasmrt_linker *l = NULL;
    wasmrt_instance *inst = NULL;
    assert_int_equal(wasmrt_linker_new(e, &l, &err), WASMRT_OK);
    assert_int_equal(wasmrt_instance_new(l, m, &inst, &err), WASMRT_OK);
    wasmrt_value res;
    assert_int_equal(wasmrt_instance_call(inst, "good", NULL, 0, &res, 1, &err), WASMRT_OK);
    assert_int_equal(res.of.i32, 42);
    /* ... but the invalid function is type-checked when translated, and refused */
    wasmrt_status s = wasmrt_instance_call(inst, "bad", NULL, 0, &res, 1, &err);
    assert_int_not_equal(s, WASMRT_OK);
    assert_non_null(strstr(err.message, "type mismatch"));
    wasmrt_instance_free(inst);
    wasmrt_linker_free(l);
    wasmrt_module_free(m);
    free(bytes);
    wasmrt_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_module_leaves_one_entry, cache_setup,
                                        cache_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_module_leaves_none, cache_setup,
                                        cache_teardown),
        cmocka_unit_test_setup_teardown(test_no_cache_dir_writes_nothing, cache_setup,
                                        cache_teardown),
        cmocka_unit_test_setup_teardown(test_forged_entry_cannot_run_invalid_code, cache_setup,
                                        cache_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

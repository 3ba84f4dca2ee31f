/* test_util.h: helpers shared by the engine unit tests: load a module compiled from
 * tests/wat/NAME.wat (TEST_WAT_DIR, set by tests.mk), instantiate it, call exports
 * with i32/i64 arguments and check results or traps. */
#ifndef WASMRT_TEST_UTIL_H
#define WASMRT_TEST_UTIL_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wasmrt.h"

typedef struct test_env {
    wasmrt_engine *engine;
    wasmrt_linker *linker;
    wasmrt_module *module;
    wasmrt_instance *instance;
    wasmrt_error error;
} test_env;

static inline wasmrt_module *test_load(wasmrt_engine *engine, const char *name)
{
    char path[1024];
    wasmrt_module *m = NULL;
    wasmrt_error err;
    snprintf(path, sizeof path, "%s/%s.wasm", TEST_WAT_DIR, name);
    if (wasmrt_module_load_file(engine, path, &m, &err) != WASMRT_OK)
        fail_msg("loading %s: %s", path, err.message);
    return m;
}

/* An engine with the given bounds mode and laziness, and an empty linker. */
static inline void test_env_init(test_env *env, wasmrt_bounds_mode bounds, int lazy)
{
    wasmrt_config config;
    memset(env, 0, sizeof *env);
    wasmrt_config_default(&config);
    config.bounds = bounds;
    config.lazy_compile = lazy;
    assert_int_equal(wasmrt_engine_new(&config, &env->engine, &env->error), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(env->engine, &env->linker, &env->error), WASMRT_OK);
}

static inline void test_env_instantiate(test_env *env, const char *name)
{
    env->module = test_load(env->engine, name);
    if (wasmrt_instance_new(env->linker, env->module, &env->instance, &env->error) != WASMRT_OK)
        fail_msg("instantiating %s: %s", name, env->error.message);
}

static inline void test_env_free(test_env *env)
{
    wasmrt_instance_free(env->instance);
    wasmrt_module_free(env->module);
    wasmrt_linker_free(env->linker);
    wasmrt_engine_free(env->engine);
}

/* Calls an export taking up to four i32 arguments and returning one i32. */
static inline wasmrt_status test_call_i32(wasmrt_instance *inst, const char *name, int32_t *result,
                                          wasmrt_error *error, int argc, ...)
{
    wasmrt_value args[4], res[1];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        args[i] = wasmrt_i32(va_arg(ap, int32_t));
    va_end(ap);
    wasmrt_func *f = wasmrt_instance_func(inst, name);
    if (!f)
        fail_msg("no export %s", name);
    wasmrt_functype t;
    wasmrt_func_type(f, &t);
    wasmrt_status s = wasmrt_func_call(f, args, (uint32_t)argc, res, t.result_count, error);
    if (s == WASMRT_OK && result && t.result_count)
        *result = res[0].of.i32;
    return s;
}

/* The result of an export given up to three i32 arguments (argc of a, b, c). */
static inline int32_t test_i32_3(wasmrt_instance *inst, const char *name, int argc, int32_t a,
                                 int32_t b, int32_t c)
{
    int32_t r = 0;
    wasmrt_error err;
    if (test_call_i32(inst, name, &r, &err, argc, a, b, c) != WASMRT_OK)
        fail_msg("%s: %s", name, err.message);
    return r;
}

static inline int32_t test_i32(wasmrt_instance *inst, const char *name, int argc, int32_t a,
                               int32_t b)
{
    return test_i32_3(inst, name, argc, a, b, 0);
}

/* Expects the call to trap with this kind. */
static inline void test_expect_trap(wasmrt_instance *inst, const char *name,
                                    wasmrt_trap_kind kind, int argc, int32_t a, int32_t b)
{
    wasmrt_error err;
    wasmrt_status s = test_call_i32(inst, name, NULL, &err, argc, a, b);
    if (s != WASMRT_ERR_TRAP || err.trap != kind)
        fail_msg("%s: expected trap \"%s\", got status %s (%s)", name, wasmrt_trap_name(kind),
                 wasmrt_status_name(s), s == WASMRT_OK ? "returned" : err.message);
}

/* ---- files: the cache tests' fixtures ---- */

/* tests/wat/NAME.wasm's bytes (malloc'd, at most 64 KiB), or NULL. */
static inline uint8_t *test_read_wasm(const char *name, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", TEST_WAT_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *bytes = malloc(1 << 16);
    *size = bytes ? fread(bytes, 1, 1 << 16, f) : 0;
    fclose(f);
    return bytes;
}

/* Creates /tmp/wasmrt-NAME-XXXXXX into dir; 0 on success. */
static inline int test_temp_dir(char *dir, size_t cap, const char *name)
{
    snprintf(dir, cap, "/tmp/wasmrt-%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

static inline int test_remove_dir(const char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The path of the entry of dir whose name ends in suffix (the last one), or "". */
static inline void test_find_file(const char *dir, const char *suffix, char *out, size_t cap)
{
    out[0] = 0;
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t ls = strlen(suffix);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > ls && strcmp(e->d_name + l - ls, suffix) == 0)
            snprintf(out, cap, "%s/%s", dir, e->d_name);
    }
    closedir(d);
}

/* xorshift64: the seeded mutations of the damage tests. */
static inline uint64_t test_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif

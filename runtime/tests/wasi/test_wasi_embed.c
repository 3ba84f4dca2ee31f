/* test_wasi_embed.c: the WASI section of wasmrt.h as an embedder (the harness) uses
 * it: one linker shared by instances that each carry their own context, commands and
 * their exit codes, traps, reactors, and configuration errors.
 *   test_wasi_embed TESTS_DIR WORKLOADS_WASM_DIR */
#include "wasmrt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static const char *tests_dir, *workloads_dir;

typedef struct fixture {
    wasmrt_engine *engine;
    wasmrt_linker *linker; /* WASI defined with no default context */
} fixture;

static int fixture_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    wasmrt_config config;
    wasmrt_config_default(&config);
    wasmrt_error error;
    assert_int_equal(wasmrt_engine_new(&config, &f->engine, &error), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(f->engine, &f->linker, &error), WASMRT_OK);
    assert_int_equal(wasmrt_wasi_define(f->linker, NULL, &error), WASMRT_OK);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture *f = *state;
    wasmrt_linker_free(f->linker);
    wasmrt_engine_free(f->engine);
    free(f);
    return 0;
}

static wasmrt_module *load(fixture *f, const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    wasmrt_module *module = NULL;
    wasmrt_error error;
    wasmrt_status status = wasmrt_module_load_file(f->engine, path, &module, &error);
    if (status != WASMRT_OK) fail_msg("loading %s: %s", path, error.message);
    return module;
}

/* Reads everything a pipe holds once the writer is closed. */
static void read_all(int fd, char *buf, size_t size)
{
    size_t used = 0;
    ssize_t n;
    while (used + 1 < size && (n = read(fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)n;
    buf[used] = '\0';
}

/* Runs a command in its own context with stdout to a pipe; returns the exit code. */
static int run_captured(fixture *f, wasmrt_module *module, int argc, const char *const *argv,
                        char *out, size_t out_size, wasmrt_status *status_out)
{
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    wasmrt_wasi_config wc;
    wasmrt_wasi_config_default(&wc);
    wc.argc = argc;
    wc.argv = argv;
    wc.stdin_fd = -1;
    wc.stdout_fd = pipe_fds[1];
    wasmrt_wasi *wasi;
    wasmrt_error error;
    assert_int_equal(wasmrt_wasi_new(&wc, &wasi, &error), WASMRT_OK);
    wasmrt_instance *instance;
    assert_int_equal(wasmrt_instance_new(f->linker, module, &instance, &error), WASMRT_OK);
    wasmrt_instance_set_user(instance, wasi);
    int exit_code = -1;
    *status_out = wasmrt_wasi_run_command(instance, &exit_code, &error);
    wasmrt_instance_free(instance);
    wasmrt_wasi_free(wasi);
    close(pipe_fds[1]);
    read_all(pipe_fds[0], out, out_size);
    close(pipe_fds[0]);
    return exit_code;
}

static void test_each_instance_sees_its_own_context(void **state)
{
    fixture *f = *state;
    wasmrt_module *module = load(f, tests_dir, "args.wasm");
    const char *first[] = {"one", "alpha"}, *second[] = {"two", "beta", "gamma"};
    char out[256];
    wasmrt_status status;
    assert_int_equal(run_captured(f, module, 2, first, out, sizeof out, &status), 0);
    assert_int_equal(status, WASMRT_OK);
    assert_string_equal(out, "argc=2\nargv[0]=one\nargv[1]=alpha\n");
    assert_int_equal(run_captured(f, module, 3, second, out, sizeof out, &status), 0);
    assert_string_equal(out, "argc=3\nargv[0]=two\nargv[1]=beta\nargv[2]=gamma\n");
    wasmrt_module_free(module);
}

static void test_proc_exit_code_is_returned_with_ok(void **state)
{
    fixture *f = *state;
    wasmrt_module *module = load(f, tests_dir, "exit.wasm");
    const char *argv[] = {"exit", "9"};
    char out[16];
    wasmrt_status status;
    assert_int_equal(run_captured(f, module, 2, argv, out, sizeof out, &status), 9);
    assert_int_equal(status, WASMRT_OK);
    wasmrt_module_free(module);
}

static void test_trap_is_reported_with_its_kind(void **state)
{
    fixture *f = *state;
    wasmrt_module *module = load(f, tests_dir, "trap.wasm");
    wasmrt_wasi *wasi;
    wasmrt_wasi_config wc;
    wasmrt_wasi_config_default(&wc);
    wasmrt_error error;
    assert_int_equal(wasmrt_wasi_new(&wc, &wasi, &error), WASMRT_OK);
    wasmrt_instance *instance;
    assert_int_equal(wasmrt_instance_new(f->linker, module, &instance, &error), WASMRT_OK);
    wasmrt_instance_set_user(instance, wasi);
    int exit_code = -1;
    assert_int_equal(wasmrt_wasi_run_command(instance, &exit_code, &error), WASMRT_ERR_TRAP);
    assert_int_equal(error.trap, WASMRT_TRAP_UNREACHABLE);
    wasmrt_instance_free(instance);
    wasmrt_wasi_free(wasi);
    wasmrt_module_free(module);
}

static void test_wasi_call_without_context_traps(void **state)
{
    fixture *f = *state;
    wasmrt_module *module = load(f, tests_dir, "args.wasm");
    wasmrt_instance *instance;
    wasmrt_error error;
    assert_int_equal(wasmrt_instance_new(f->linker, module, &instance, &error), WASMRT_OK);
    int exit_code;
    assert_int_equal(wasmrt_wasi_run_command(instance, &exit_code, &error), WASMRT_ERR_TRAP);
    assert_non_null(strstr(error.message, "without a WASI context"));
    wasmrt_instance_free(instance);
    wasmrt_module_free(module);
}

static void test_reactor_initialises_then_serves_calls(void **state)
{
    fixture *f = *state;
    char path[1024];
    snprintf(path, sizeof path, "%s/idle-reactor.wasm", workloads_dir);
    if (access(path, R_OK) != 0) skip();
    wasmrt_module *module = load(f, workloads_dir, "idle-reactor.wasm");
    wasmrt_wasi *wasi;
    wasmrt_wasi_config wc;
    wasmrt_wasi_config_default(&wc);
    wasmrt_error error;
    assert_int_equal(wasmrt_wasi_new(&wc, &wasi, &error), WASMRT_OK);
    wasmrt_instance *instance;
    assert_int_equal(wasmrt_instance_new(f->linker, module, &instance, &error), WASMRT_OK);
    wasmrt_instance_set_user(instance, wasi);
    assert_int_equal(wasmrt_wasi_initialize_reactor(instance, &error), WASMRT_OK);
    int exit_code;
    assert_int_equal(wasmrt_wasi_run_command(instance, &exit_code, &error), WASMRT_ERR_NOT_FOUND);
    wasmrt_value arg = wasmrt_i32(0), result;
    assert_int_equal(wasmrt_instance_call(instance, "handle", &arg, 1, &result, 1, &error),
                     WASMRT_OK);
    assert_int_equal(result.of.i32, 1);
    assert_int_equal(wasmrt_instance_call(instance, "handle", &arg, 1, &result, 1, &error),
                     WASMRT_OK);
    assert_int_equal(result.of.i32, 2);
    wasmrt_instance_free(instance);
    wasmrt_wasi_free(wasi);
    wasmrt_module_free(module);
}

static void test_default_context_serves_instances_without_their_own(void **state)
{
    fixture *f = *state;
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    const char *argv[] = {"shared"};
    wasmrt_wasi_config wc;
    wasmrt_wasi_config_default(&wc);
    wc.argc = 1;
    wc.argv = argv;
    wc.stdout_fd = pipe_fds[1];
    wasmrt_wasi *wasi;
    wasmrt_linker *linker;
    wasmrt_error error;
    assert_int_equal(wasmrt_wasi_new(&wc, &wasi, &error), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(f->engine, &linker, &error), WASMRT_OK);
    assert_int_equal(wasmrt_wasi_define(linker, wasi, &error), WASMRT_OK);
    wasmrt_module *module = load(f, tests_dir, "args.wasm");
    wasmrt_instance *instance;
    assert_int_equal(wasmrt_instance_new(linker, module, &instance, &error), WASMRT_OK);
    int exit_code = -1;
    assert_int_equal(wasmrt_wasi_run_command(instance, &exit_code, NULL), WASMRT_OK);
    assert_int_equal(exit_code, 0);
    close(pipe_fds[1]);
    char out[128];
    read_all(pipe_fds[0], out, sizeof out);
    close(pipe_fds[0]);
    assert_string_equal(out, "argc=1\nargv[0]=shared\n");
    wasmrt_instance_free(instance);
    wasmrt_module_free(module);
    wasmrt_linker_free(linker);
    wasmrt_wasi_free(wasi);
}

static void test_config_errors_name_the_problem(void **state)
{
    (void)state;
    wasmrt_wasi_config wc;
    wasmrt_wasi_config_default(&wc);
    wasmrt_wasi *wasi = NULL;
    wasmrt_error error;
    wc.argc = 2; /* and no argv */
    assert_int_equal(wasmrt_wasi_new(&wc, &wasi, &error), WASMRT_ERR_ARGUMENT);
    assert_null(wasi);
    wasmrt_wasi_config_default(&wc);
    wasmrt_wasi_preopen dir = {"/nonexistent/wasi-test-dir", "/data"};
    wc.preopen_count = 1;
    wc.preopens = &dir;
    assert_int_equal(wasmrt_wasi_new(&wc, &wasi, &error), WASMRT_ERR_IO);
    assert_non_null(strstr(error.message, "/nonexistent/wasi-test-dir"));
    wasmrt_wasi_free(NULL); /* allowed, like free() */
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_wasi_embed TESTS_DIR WORKLOADS_WASM_DIR\n");
        return 2;
    }
    tests_dir = argv[1];
    workloads_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_instance_sees_its_own_context),
        cmocka_unit_test(test_proc_exit_code_is_returned_with_ok),
        cmocka_unit_test(test_trap_is_reported_with_its_kind),
        cmocka_unit_test(test_wasi_call_without_context_traps),
        cmocka_unit_test(test_reactor_initialises_then_serves_calls),
        cmocka_unit_test(test_default_context_serves_instances_without_their_own),
        cmocka_unit_test(test_config_errors_name_the_problem),
    };
    return cmocka_run_group_tests_name("wasi embedding", tests, fixture_setup, fixture_teardown);
}

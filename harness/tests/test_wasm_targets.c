/* test_wasm_targets.c: the Wasm targets running real modules built from the same
 * sources as the native binaries: wasmrt in-process (phase split, timeout of a runaway
 * guest, long-lived reactor instances in the density host), wasmrt-cli (hello, fib,
 * an idle instance), the :simd variants on the -msimd128 builds (matmul), the :aot
 * variants on a module compiled ahead of time, wasm-cli:node through node:wasi
 * (skipped, with the reason, when node is missing) and the templates file
 * (placeholders, a runtime not on PATH). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../paths.h"
#include "../target.h"
#include "target_test.h"

static void phases_add_up(const char *name)
{
    target *t = target_test_open(name);
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"phases\", \"n\": 7}", &w);
    for (int round = 0; round < 3; round++) {
        target_outcome outcome;
        target_test_run(t, &w, &outcome);
        json_t *phases = outcome.phases;
        assert_non_null(phases);
        json_int_t load = json_integer_value(json_object_get(phases, "load_ns"));
        json_int_t instantiate = json_integer_value(json_object_get(phases, "instantiate_ns"));
        json_int_t execute = json_integer_value(json_object_get(phases, "execute_ns"));
        json_int_t total = load + instantiate + execute;
        assert_true(load > 0 && instantiate > 0 && execute > 0);
        assert_null(json_object_get(phases, "total_ns")); /* no phase repeats the whole */
        /* the cold cycle is the sample's time; the isolating fork only adds to it */
        assert_int_equal(json_integer_value(json_object_get(outcome.metrics, "wall_ns")), total);
        assert_true(json_integer_value(json_object_get(outcome.metrics, "isolation_wall_ns")) >=
                    total);
        /* eager: the load phase translated every function; lazy: execute translated some */
        if (strcmp(name, "wasmrt:eager") == 0)
            assert_true(json_integer_value(json_object_get(outcome.metrics, "compiled_at_load")) >
                        0);
        assert_true(json_integer_value(json_object_get(outcome.metrics, "compiled_functions")) >
                    0);
        target_outcome_free(&outcome);
    }
    assert_string_equal(json_string_value(json_object_get(t->details, "execution_model")),
                        "in-process");
    workload_free(&w);
    target_free(t);
}

static void wasmrt_phases_add_up(void **state)
{
    (void)state;
    phases_add_up("wasmrt");
    phases_add_up("wasmrt:eager");
}

static void wasmrt_runaway_guest_times_out(void **state)
{
    (void)state;
    target *t = target_test_open("wasmrt");
    workload_invocation w;
    target_test_prepare(t, "fib", "{\"n\": 50}", &w); /* minutes of work */
    target_outcome outcome;
    wasmvs_error err = {{0}};
    assert_int_equal(t->ops->run_once(t, &w, 0.3, &outcome, &err), 0);
    assert_false(outcome.exited);
    assert_non_null(strstr(outcome.how, "time"));
    target_outcome_free(&outcome);
    /* the harness is unharmed: the next sample works */
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 20}", &w);
    target_test_run(t, &w, &outcome);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_free(t);
}

static void wasmrt_reactor_instances_share_one_host(void **state)
{
    (void)state;
    target *t = target_test_open("wasmrt");
    workload_invocation w;
    target_test_prepare(t, "idle", NULL, &w);
    target_instance *instances[3];
    wasmvs_error err = {{0}};
    for (int i = 0; i < 3; i++)
        if (target_instance_start(t, &w, 10, &instances[i], &err) != 0)
            fail_msg("instance %d: %s", i, err.message);
    pid_t host = instances[0]->main_pid;
    assert_true(host > 0);
    assert_int_equal(instances[2]->main_pid, host);
    json_t *metrics = json_object();
    assert_int_equal(target_instance_measure(instances[0], metrics, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(metrics, "processes")), 1);
    json_decref(metrics);
    target_instance_stop(t, instances[2]);
    target_instance_stop(t, instances[1]);
    assert_int_equal(kill(host, 0), 0); /* one instance left: the host lives */
    target_instance_stop(t, instances[0]);
    assert_int_equal(kill(host, 0), -1); /* the last one ends it, reaped */
    assert_int_equal(errno, ESRCH);
    workload_free(&w);
    target_free(t);
}

static void wasmrt_cli_hello_fib_idle(void **state)
{
    (void)state;
    target *t = target_test_open("wasmrt-cli");
    workload_invocation w;
    target_outcome outcome;
    target_test_prepare(t, "hello", "{\"name\": \"cli\", \"n\": 2}", &w);
    target_test_run(t, &w, &outcome);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 25}", &w);
    target_test_run(t, &w, &outcome);
    assert_string_equal(outcome.out, "75025\n");
    target_outcome_free(&outcome);
    workload_free(&w);
    target_test_prepare(t, "idle", NULL, &w);
    target_instance *instance;
    wasmvs_error err = {{0}};
    if (target_instance_start(t, &w, 10, &instance, &err) != 0) fail_msg("%s", err.message);
    pid_t pid = instance->main_pid;
    assert_int_equal(kill(pid, 0), 0);
    target_instance_stop(t, instance);
    assert_int_equal(kill(pid, 0), -1);
    workload_free(&w);
    target_free(t);
}

/* The :simd variants run the workload's -msimd128 build, whose answer is the scalar
 * build's; a workload without such a build fails to prepare, naming the module. */
static void simd_variants_run_the_simd_build(void **state)
{
    (void)state;
    static const char *const names[] = {"wasmrt:simd", "wasmrt-cli:simd"};
    for (size_t i = 0; i < 2; i++) {
        target *t = target_test_open(names[i]);
        workload_invocation w;
        target_outcome outcome;
        target_test_prepare(t, "matmul", "{\"n\": 24}", &w);
        target_test_run(t, &w, &outcome);
        assert_non_null(strstr(json_string_value(json_object_get(t->details, "module")),
                               "matmul-simd.wasm"));
        assert_non_null(strstr(json_string_value(json_object_get(t->details, "build")), "simd"));
        target_outcome_free(&outcome);
        workload_free(&w);
        wasmvs_error err = {{0}};
        assert_int_equal(workload_prepare("hello", NULL, &w, &err), 0);
        assert_int_not_equal(t->ops->prepare(t, &w, &err), 0);
        assert_non_null(strstr(err.message, "hello-simd.wasm"));
        workload_free(&w);
        target_free(t);
    }
}

/* The :aot variants compile the module once in prepare (details.aot: the file and its
 * sizes; the file's size as details.artifact.cache_bytes) and each sample runs the
 * compiled module with the answer the module gives; the in-process one has every
 * function's code when the load phase ends. */
static void aot_variants_run_the_compiled_module(void **state)
{
    (void)state;
    static const char *const names[] = {"wasmrt:aot", "wasmrt-cli:aot"};
    for (size_t i = 0; i < 2; i++) {
        target *t = target_test_open(names[i]);
        workload_invocation w;
        target_outcome outcome;
        target_test_prepare(t, "matmul", "{\"n\": 24}", &w);
        json_t *aot = json_object_get(t->details, "aot");
        assert_non_null(aot);
        assert_non_null(strstr(json_string_value(json_object_get(aot, "file")), "matmul.cwasm"));
        json_int_t file_bytes = json_integer_value(json_object_get(aot, "file_bytes"));
        assert_true(file_bytes > json_integer_value(json_object_get(aot, "module_bytes")));
        json_t *artifact = json_object_get(t->details, "artifact");
        assert_int_equal(json_integer_value(json_object_get(artifact, "cache_bytes")), file_bytes);
        for (int round = 0; round < 2; round++) {
            target_test_run(t, &w, &outcome);
            if (i == 0)
                assert_true(json_integer_value(json_object_get(outcome.metrics,
                                                               "compiled_at_load")) > 0);
            target_outcome_free(&outcome);
        }
        workload_free(&w);
        target_free(t);
    }
}

/* The cached variant warms a cache of its own before the first sample (the validation
 * entry and the translated code), records where, and removes it when freed; the plain
 * variant runs without one. */
static void wasmrt_cli_cached_warms_its_own_cache(void **state)
{
    (void)state;
    target *t = target_test_open("wasmrt-cli:cached");
    workload_invocation w;
    target_outcome outcome;
    target_test_prepare(t, "hello", "{\"name\": \"cached\", \"n\": 1}", &w);
    const char *dir = json_string_value(json_object_get(t->details, "cache_dir"));
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') entries++;
    closedir(d);
    assert_true(entries >= 2); /* warmed by prepare, before any timed sample */
    target_test_run(t, &w, &outcome);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_free(t);
    assert_int_equal(access(path, F_OK), -1); /* removed with the target */

    t = target_test_open("wasmrt-cli");
    target_test_prepare(t, "hello", "{\"name\": \"plain\", \"n\": 1}", &w);
    assert_null(json_object_get(t->details, "cache_dir"));
    workload_free(&w);
    target_free(t);
}

static void node_runs_hello(void **state)
{
    (void)state;
    target *t = target_test_open("wasm-cli:node");
    assert_non_null(strstr(t->version, "v"));
    workload_invocation w;
    target_outcome outcome;
    target_test_prepare(t, "hello", "{\"name\": \"v8\", \"n\": 3}", &w);
    target_test_run(t, &w, &outcome);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 20}", &w);
    target_test_run(t, &w, &outcome);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_free(t);
}

/* A templates file of the test's own, through WASMVS_RUNTIMES. */
static char templates_path[64];

static int templates_setup(void **state)
{
    (void)state;
    snprintf(templates_path, sizeof templates_path, "/tmp/wasmvs-templates-%ld.json",
             (long)getpid());
    FILE *file = fopen(templates_path, "w");
    if (!file) return -1;
    fputs("{\"runtimes\": {\n"
          " \"echo\": {\"version\": [\"sh\", \"-c\", \"echo echo-runtime 1.0\"],\n"
          "   \"run\": [\"sh\", \"-c\", \"printf '%s|' \\\"$@\\\"\", \"sh\", \"{module}\","
          " \"{args}\", \"dir={runtimes_dir}\"]},\n"
          " \"absent\": {\"version\": [\"wasmvs-no-such-runtime\", \"--version\"],\n"
          "   \"run\": [\"wasmvs-no-such-runtime\", \"{module}\"]},\n"
          " \"broken\": {\"version\": \"x\", \"run\": []}\n"
          "}}\n",
          file);
    fclose(file);
    setenv("WASMVS_RUNTIMES", templates_path, 1);
    return 0;
}

static int templates_teardown(void **state)
{
    (void)state;
    unsetenv("WASMVS_RUNTIMES");
    unlink(templates_path);
    return 0;
}

static void templates_expand_placeholders(void **state)
{
    (void)state;
    target *t = target_test_open("wasm-cli:echo");
    assert_string_equal(t->version, "echo-runtime 1.0");
    workload_invocation w;
    target_test_prepare(t, "fib", "{\"n\": 7}", &w);
    target_outcome outcome;
    wasmvs_error err = {{0}};
    assert_int_equal(t->ops->run_once(t, &w, 10, &outcome, &err), 0);
    char module[4096], expected[8400];
    paths_workload("wasm", "fib.wasm", module, sizeof module);
    snprintf(expected, sizeof expected, "%s|7|dir=%s/harness/runtimes|", module, paths_root());
    assert_string_equal(outcome.out, expected);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_free(t);
}

static void templates_missing_and_malformed(void **state)
{
    (void)state;
    const char *names[] = {"wasm-cli:absent", "wasm-cli:broken", "wasm-cli:nobody"};
    const char *reasons[] = {"wasmvs-no-such-runtime: not found on PATH",
                             "\"runtimes.broken.version\": expected a non-empty array",
                             "expected a runtime \"nobody\""};
    for (int i = 0; i < 3; i++) {
        target *t = NULL;
        wasmvs_error err = {{0}};
        assert_int_equal(target_create(names[i], &t, &err), 0);
        assert_int_equal(t->ops->probe(t, &err), -1);
        if (!strstr(err.message, reasons[i]))
            fail_msg("%s: expected \"%s\" in \"%s\"", names[i], reasons[i], err.message);
        target_free(t);
    }
    target *t = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create("wasm-cli:", &t, &err), -1);
    assert_non_null(strstr(err.message, "unknown target \"wasm-cli:\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wasmrt_phases_add_up),
        cmocka_unit_test(wasmrt_runaway_guest_times_out),
        cmocka_unit_test(wasmrt_reactor_instances_share_one_host),
        cmocka_unit_test(wasmrt_cli_hello_fib_idle),
        cmocka_unit_test(wasmrt_cli_cached_warms_its_own_cache),
        cmocka_unit_test(simd_variants_run_the_simd_build),
        cmocka_unit_test(aot_variants_run_the_compiled_module),
        cmocka_unit_test(node_runs_hello),
        cmocka_unit_test_setup_teardown(templates_expand_placeholders, templates_setup,
                                        templates_teardown),
        cmocka_unit_test_setup_teardown(templates_missing_and_malformed, templates_setup,
                                        templates_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_integration_targets.c: real launches of the workloads under native, runc and
 * Docker through the target interface, checking the output and the recorded metrics,
 * and whole runs through run_scenario: results file contents, a target skipped with its
 * reason, and an interrupted run (SIGTERM) that removes what it started and writes
 * "interrupted": true. Targets this machine cannot run are skipped with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../process.h"
#include "../results.h"
#include "../run.h"
#include "../scenario.h"
#include "../target.h"
#include "target_test.h"

/* One checked sample (target_test_run); its metrics, with the phases when reported. */
static json_t *run_checked(target *t, const workload_invocation *w)
{
    target_outcome outcome;
    target_test_run(t, w, &outcome);
    json_t *metrics = json_incref(outcome.metrics);
    json_t *phases = outcome.phases;
    if (phases) json_object_set(metrics, "phases", phases);
    target_outcome_free(&outcome);
    return metrics;
}

static void native_hello_and_fib(void **state)
{
    (void)state;
    target *t = target_test_open("native");
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"native\", \"n\": 1}", &w);
    json_t *m = run_checked(t, &w);
    assert_true(json_integer_value(json_object_get(m, "max_rss_kib")) > 0);
    assert_non_null(json_object_get(m, "user_ns"));
    assert_true(json_integer_value(json_object_get(m, "task_clock_ns")) > 0); /* software */
    assert_true(json_integer_value(json_object_get(m, "page_faults")) > 0);
    json_decref(m);
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 25}", &w);
    json_decref(run_checked(t, &w));
    workload_free(&w);
    target_free(t);
}

/* A process's peak RSS is its own: a static hello peaks far below the harness, whose
 * peak Linux would carry into wait4's ru_maxrss; a program that allocates 32 MiB shows
 * them. With taskstats unavailable (no CAP_NET_ADMIN) the metric says so. */
static void max_rss_is_the_program_own(void **state)
{
    (void)state;
    target *t = target_test_open("native");
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"rss\", \"n\": 1}", &w);
    json_t *m = run_checked(t, &w);
    const char *from = json_string_value(json_object_get(m, "max_rss_from"));
    assert_non_null(from);
    if (strcmp(from, "taskstats") == 0)
        assert_true(json_integer_value(json_object_get(m, "max_rss_kib")) < 4096);
    else
        printf("[  NOTE    ] no taskstats here: max_rss_from \"%s\"\n", from);
    json_decref(m);
    workload_free(&w);
    target_free(t);
    char *argv[] = {"dd", "if=/dev/zero", "of=/dev/null", "bs=32M", "count=1", "status=none", NULL};
    process_spec spec = {.argv = argv, .timeout_s = 30};
    process_result result;
    wasmvs_error err = {{0}};
    assert_int_equal(process_run(&spec, &result, &err), 0);
    assert_int_equal(result.end, PROCESS_EXITED);
    assert_int_equal(result.exit_code, 0);
    assert_true(json_integer_value(json_object_get(result.metrics, "max_rss_kib")) >= 32768);
    process_result_free(&result);
}

static void native_timeout_kills_the_instance(void **state)
{
    (void)state;
    target *t = target_test_open("native");
    workload_invocation w;
    target_test_prepare(t, "fib", "{\"n\": 50}", &w); /* minutes of work */
    target_outcome outcome;
    wasmvs_error err = {{0}};
    assert_int_equal(t->ops->run_once(t, &w, 0.2, &outcome, &err), 0);
    assert_false(outcome.exited);
    assert_non_null(strstr(outcome.how, "timed out"));
    assert_true(json_integer_value(json_object_get(outcome.metrics, "wall_ns")) < 2000000000);
    target_outcome_free(&outcome);
    workload_free(&w);
    target_free(t);
}

static void runc_hello_and_fib(void **state)
{
    (void)state;
    target *t = target_test_open("runc");
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"runc\", \"n\": 2}", &w);
    char bundle[256];
    snprintf(bundle, sizeof bundle, "%s", json_string_value(json_object_get(t->details, "bundle")));
    json_t *m = run_checked(t, &w);
    assert_true(json_integer_value(json_object_get(m, "task_clock_ns")) > 0);
    assert_true(json_integer_value(json_object_get(m, "max_rss_kib")) > 0);
    json_decref(m);
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 20}", &w);
    json_decref(run_checked(t, &w));
    workload_free(&w);
    target_free(t);
    assert_int_not_equal(access(bundle, F_OK), 0); /* the bundle is removed */
}

static void docker_hello_and_fib_on_host_network(void **state)
{
    (void)state;
    target *t = target_test_open("docker");
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"docker\", \"n\": 3}", &w);
    assert_non_null(json_object_get(t->details, "image_present_before"));
    json_t *m = run_checked(t, &w);
    json_t *phases = json_object_get(m, "phases");
    const char *names[] = {"create_ns", "attach_ns", "start_ns", "wait_ns", "logs_ns", "remove_ns"};
    for (size_t i = 0; i < 6; i++)
        if (json_integer_value(json_object_get(phases, names[i])) <= 0)
            fail_msg("docker: phase %s missing", names[i]);
    json_decref(m);
    /* A container of this target the run never heard of (a create cut short by Ctrl-C)
     * is removed by clean-up all the same. */
    char command[512];
    snprintf(command, sizeof command,
             "curl -sf --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' "
             "-d '{\"Image\": \"%s\", \"Cmd\": [\"/hello\"]}' "
             "'http://localhost/containers/create?name=%sstray' >/dev/null",
             json_string_value(json_object_get(t->details, "image")),
             json_string_value(json_object_get(t->details, "container_prefix")));
    assert_int_equal(system(command), 0);
    snprintf(command, sizeof command,
             "curl -sf --unix-socket /var/run/docker.sock "
             "'http://localhost/containers/%sstray/json' >/dev/null",
             json_string_value(json_object_get(t->details, "container_prefix")));
    assert_int_equal(system(command), 0);
    /* the second prepare of the same binary finds the image */
    target_free(t);
    assert_int_not_equal(system(command), 0); /* the stray is gone */
    t = target_test_open("docker");
    workload_invocation again;
    target_test_prepare(t, "hello", "{}", &again);
    assert_true(json_is_true(json_object_get(t->details, "image_present_before")));
    workload_free(&again);
    workload_free(&w);
    target_free(t);

    t = target_test_open("docker:host");
    target_test_prepare(t, "fib", "{\"n\": 20}", &w);
    assert_string_equal(json_string_value(json_object_get(t->details, "network")), "host");
    json_decref(run_checked(t, &w));
    workload_free(&w);
    target_free(t);
}

/* True once pid has exited (a container's init may stay a zombie of its shim for a
 * moment, which counts as gone); waits up to a second. */
static bool process_gone(pid_t pid)
{
    for (int i = 0; i < 100; i++) {
        char path[64], line[256] = "";
        snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
        FILE *f = fopen(path, "r");
        if (!f) return true;
        if (!fgets(line, sizeof line, f)) line[0] = '\0';
        fclose(f);
        char *end = strrchr(line, ')');
        if (end && end[1] == ' ' && (end[2] == 'Z' || end[2] == 'X')) return true;
        usleep(10000);
    }
    return false;
}

/* Two idle instances: ready, measurable (PSS over their tree, the cgroup for
 * containers), and gone after stop and after target_free. */
static void idle_instances_start_measure_stop(const char *name, size_t min_processes, bool cgroup)
{
    target *t = target_test_open(name);
    workload_invocation w;
    target_test_prepare(t, "idle", "{}", &w);
    target_instance *first = NULL, *second = NULL;
    wasmvs_error err = {{0}};
    if (target_instance_start(t, &w, 30, &first, &err) != 0 ||
        target_instance_start(t, &w, 30, &second, &err) != 0)
        fail_msg("%s: start: %s", name, err.message);
    assert_int_equal(t->instance_count, 2);
    assert_true(first->start_ns > 0);
    json_t *metrics = json_object();
    if (target_instance_measure(first, metrics, &err) != 0) fail_msg("%s: %s", name, err.message);
    printf("[  INFO    ] %s idle instance: pss %lld KiB over %lld processes, cgroup %lld bytes, "
           "ready in %.1f ms\n",
           name, (long long)json_integer_value(json_object_get(metrics, "pss_kib")),
           (long long)json_integer_value(json_object_get(metrics, "processes")),
           (long long)json_integer_value(json_object_get(metrics, "cgroup_memory_bytes")),
           first->start_ns / 1e6);
    assert_true(json_integer_value(json_object_get(metrics, "pss_kib")) > 0);
    assert_true((size_t)json_integer_value(json_object_get(metrics, "processes")) >= min_processes);
    if (cgroup)
        assert_true(json_integer_value(json_object_get(metrics, "cgroup_memory_bytes")) > 0);
    json_decref(metrics);
    pid_t first_pid = first->main_pid, second_pid = second->main_pid;
    assert_int_equal(kill(first_pid, 0), 0);
    target_instance_stop(t, first);
    assert_int_equal(t->instance_count, 1);
    target_free(t); /* stops the second */
    assert_true(process_gone(first_pid));
    assert_true(process_gone(second_pid));
    workload_free(&w);
}

static void native_idle_instances(void **state)
{
    (void)state;
    idle_instances_start_measure_stop("native", 1, false);
}

static void runc_detached_idle_instances(void **state)
{
    (void)state;
    idle_instances_start_measure_stop("runc", 1, true);
}

static void docker_idle_instances_include_the_shim(void **state)
{
    (void)state;
    idle_instances_start_measure_stop("docker", 2, true);
}

/* The workload's Wasm module in a container run by wasmrt-oci: the same checks as for
 * the native binary under runc and Docker, and the details say which runtime ran it. */
static void runc_wasmrt_hello_and_fib(void **state)
{
    (void)state;
    target *t = target_test_open("runc:wasmrt");
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"oci\", \"n\": 4}", &w);
    const char *module = json_string_value(json_object_get(t->details, "module"));
    assert_non_null(module);
    assert_non_null(strstr(module, "hello.wasm"));
    assert_non_null(
        strstr(json_string_value(json_object_get(t->details, "runtime")), "build/bin/wasmrt-oci"));
    json_t *m = run_checked(t, &w);
    assert_true(json_integer_value(json_object_get(m, "task_clock_ns")) > 0);
    json_decref(m);
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 20}", &w);
    json_decref(run_checked(t, &w));
    workload_free(&w);
    target_free(t);
}

static void docker_wasmrt_hello_and_fib(void **state)
{
    (void)state;
    target *t = target_test_open("docker:wasmrt");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(t->details, "runtime"), "name")),
        "wasmrt");
    workload_invocation w;
    target_test_prepare(t, "hello", "{\"name\": \"docker-oci\", \"n\": 5}", &w);
    assert_non_null(strstr(json_string_value(json_object_get(t->details, "image")), "-wasm:"));
    assert_string_equal(json_string_value(json_object_get(t->details, "network")), "none");
    json_t *m = run_checked(t, &w);
    assert_true(json_integer_value(json_object_get(json_object_get(m, "phases"), "start_ns")) > 0);
    json_decref(m);
    workload_free(&w);
    target_test_prepare(t, "fib", "{\"n\": 20}", &w);
    json_decref(run_checked(t, &w));
    workload_free(&w);
    target_free(t);
}

static void runc_wasmrt_idle_instances(void **state)
{
    (void)state;
    idle_instances_start_measure_stop("runc:wasmrt", 1, true);
}

/* A runc and a runc:wasmrt container of one process stand apart: different ids, so
 * different cgroups, and stopping one leaves the other running. */
static void runc_and_runc_wasmrt_instances_stand_apart(void **state)
{
    (void)state;
    target *native = target_test_open("runc");
    target *wasm = target_test_open("runc:wasmrt");
    workload_invocation native_w, wasm_w;
    target_test_prepare(native, "idle", "{}", &native_w);
    target_test_prepare(wasm, "idle", "{}", &wasm_w);
    target_instance *kept = NULL, *stopped = NULL;
    wasmvs_error err = {{0}};
    if (target_instance_start(native, &native_w, 30, &kept, &err) != 0 ||
        target_instance_start(wasm, &wasm_w, 30, &stopped, &err) != 0)
        fail_msg("start: %s", err.message);
    assert_string_not_equal(kept->id, stopped->id);
    pid_t kept_pid = kept->main_pid, stopped_pid = stopped->main_pid;
    target_instance_stop(wasm, stopped);
    assert_true(process_gone(stopped_pid));
    assert_false(process_gone(kept_pid));
    target_free(native);
    target_free(wasm);
    assert_true(process_gone(kept_pid));
    workload_free(&native_w);
    workload_free(&wasm_w);
}

static void docker_wasmrt_idle_instances_include_the_shim(void **state)
{
    (void)state;
    idle_instances_start_measure_stop("docker:wasmrt", 2, true);
}

static void write_scenario_of(const char *path, const char *workload, const char *parameters,
                              const char *targets, int repetitions)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"name\": \"itest\", \"workload\": \"%s\", \"parameters\": %s, "
            "\"targets\": [%s], \"warmup\": 1, \"repetitions\": %d, \"timeout_s\": 60}\n",
            workload, parameters, targets, repetitions);
    fclose(f);
}

static void write_scenario(const char *path, const char *targets, int repetitions)
{
    write_scenario_of(path, "hello", "{}", targets, repetitions);
}

static void whole_run_writes_results_and_skips_unreachable_docker(void **state)
{
    (void)state;
    char scenario_path[] = "/tmp/wasmvs-itest-scenario.json";
    char results_path[] = "/tmp/wasmvs-itest-results.json";
    write_scenario(scenario_path, "\"native\", \"runc\", \"docker\"", 3);
    setenv("WASMVS_DOCKER_SOCKET", "/nonexistent/docker.sock", 1);
    run_options options = {.scenario_path = scenario_path,
                           .repetitions = -1,
                           .warmup = -1,
                           .out = results_path,
                           .seed = 7};
    int status = run_scenario(&options);
    unsetenv("WASMVS_DOCKER_SOCKET");
    assert_int_equal(status, 0);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(results_load(results_path, &doc, &err), 0);
    assert_false(json_is_true(json_object_get(doc, "interrupted")));
    assert_non_null(json_object_get(json_object_get(doc, "host"), "cpu"));
    json_t *native = results_find_target(doc, "native");
    assert_int_equal(json_array_size(json_object_get(native, "samples")), 4); /* 1 warm-up */
    json_t *wall = json_object_get(json_object_get(native, "summary"), "wall_ns");
    assert_int_equal(json_integer_value(json_object_get(wall, "n")), 3);
    json_t *docker = results_find_target(doc, "docker");
    assert_false(json_is_true(json_object_get(docker, "available")));
    assert_non_null(strstr(json_string_value(json_object_get(docker, "reason")),
                           "Docker daemon not reachable"));
    json_t *runc = results_find_target(doc, "runc");
    if (json_is_true(json_object_get(runc, "available")))
        assert_int_equal(json_array_size(json_object_get(runc, "samples")), 4);
    json_decref(doc);
    remove(scenario_path);
    remove(results_path);
}

/* Names of containers this process tree left in Docker (by our name prefix). */
static int leftover_docker_containers(pid_t pid)
{
    char command[256];
    snprintf(command, sizeof command,
             "curl -s --unix-socket /var/run/docker.sock "
             "'http://localhost/containers/json?all=1' | grep -c '\"/wasmvs-%ld-' >/dev/null",
             (long)pid);
    return system(command) == 0;
}

static bool target_available(const char *name)
{
    target *probe = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create(name, &probe, &err), 0);
    bool available = probe->ops->probe(probe, &err) == 0;
    target_free(probe);
    return available;
}

/* Runs the scenario in a child, sends SIGTERM after the given time, and checks: exit
 * 128+SIGTERM, "interrupted": true with the samples so far, nothing left in runc or
 * Docker. Returns the results document. */
static json_t *interrupt_run(const char *workload, const char *parameters, const char *targets,
                             const char *last_target, unsigned wait_ms)
{
    char scenario_path[] = "/tmp/wasmvs-itest-interrupt.json";
    char results_path[] = "/tmp/wasmvs-itest-interrupt-results.json";
    remove(results_path);
    write_scenario_of(scenario_path, workload, parameters, targets, 1000);
    int messages[2];
    assert_int_equal(pipe(messages), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(messages[0]);
        dup2(messages[1], 2);
        run_options options = {.scenario_path = scenario_path,
                               .repetitions = -1,
                               .warmup = -1,
                               .out = results_path,
                               .seed = 11};
        _exit(run_scenario(&options));
    }
    close(messages[1]);
    /* The samples start once the last target says it is preparing: wait for that line
     * (however slow the machine is), then for wait_ms into the samples. */
    char seen[8192] = "", expected[128];
    snprintf(expected, sizeof expected, "%s: preparing", last_target);
    size_t used = 0;
    while (!strstr(seen, expected) && used + 1 < sizeof seen) {
        struct pollfd readable = {messages[0], POLLIN, 0};
        if (poll(&readable, 1, 60000) <= 0) break;
        ssize_t n = read(messages[0], seen + used, sizeof seen - 1 - used);
        if (n <= 0) break;
        used += (size_t)n;
        seen[used] = '\0';
    }
    assert_non_null(strstr(seen, expected));
    usleep(wait_ms * 1000u);
    kill(child, SIGTERM);
    int status = 0;
    waitpid(child, &status, 0);
    close(messages[0]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(results_load(results_path, &doc, &err), 0);
    assert_true(json_is_true(json_object_get(doc, "interrupted")));
    assert_false(leftover_docker_containers(child));
    char command[256];
    snprintf(command, sizeof command,
             "runc --root /run/wasmvs-runc list -q 2>/dev/null | grep -q '^wasmvs-%ld-'",
             (long)child);
    assert_int_not_equal(system(command), 0);
    remove(scenario_path);
    remove(results_path);
    return doc;
}

static void interrupted_run_cleans_up_and_writes_samples(void **state)
{
    (void)state;
    bool docker = target_available("docker");
    json_t *doc = interrupt_run(
        "hello", "{}", docker ? "\"native\", \"runc\", \"docker\"" : "\"native\", \"runc\"",
        docker ? "docker" : "runc", 1500);
    json_t *native = results_find_target(doc, "native");
    size_t samples = json_array_size(json_object_get(native, "samples"));
    assert_true(samples > 0 && samples < 1001);
    json_decref(doc);
}

/* fib(46) runs for seconds: the signal lands inside a sample, whose container must go. */
static void interrupted_inside_a_runc_sample(void **state)
{
    (void)state;
    if (!target_available("runc")) skip();
    json_t *doc = interrupt_run("fib", "{\"n\": 46}", "\"runc\"", "runc", 1000);
    size_t samples = json_array_size(json_object_get(results_find_target(doc, "runc"), "samples"));
    assert_int_equal(samples, 0); /* the cut sample is not recorded */
    json_decref(doc);
}

static void interrupted_inside_a_docker_sample(void **state)
{
    (void)state;
    if (!target_available("docker")) skip();
    json_t *doc = interrupt_run("fib", "{\"n\": 46}", "\"docker\"", "docker", 1500);
    size_t samples =
        json_array_size(json_object_get(results_find_target(doc, "docker"), "samples"));
    assert_int_equal(samples, 0);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(native_hello_and_fib),
        cmocka_unit_test(max_rss_is_the_program_own),
        cmocka_unit_test(native_timeout_kills_the_instance),
        cmocka_unit_test(runc_hello_and_fib),
        cmocka_unit_test(docker_hello_and_fib_on_host_network),
        cmocka_unit_test(native_idle_instances),
        cmocka_unit_test(runc_detached_idle_instances),
        cmocka_unit_test(docker_idle_instances_include_the_shim),
        cmocka_unit_test(runc_wasmrt_hello_and_fib),
        cmocka_unit_test(docker_wasmrt_hello_and_fib),
        cmocka_unit_test(runc_wasmrt_idle_instances),
        cmocka_unit_test(runc_and_runc_wasmrt_instances_stand_apart),
        cmocka_unit_test(docker_wasmrt_idle_instances_include_the_shim),
        cmocka_unit_test(whole_run_writes_results_and_skips_unreachable_docker),
        cmocka_unit_test(interrupted_run_cleans_up_and_writes_samples),
        cmocka_unit_test(interrupted_inside_a_runc_sample),
        cmocka_unit_test(interrupted_inside_a_docker_sample),
    };
    return cmocka_run_group_tests_name("integration", tests, NULL, NULL);
}

/* test_http.c: the http scenario kind. The load options and the scenario checks; then,
 * for real: every server target this machine has (native, runc, docker:host,
 * docker:bridge, wasmrt-cli) starts httpd as a long-lived instance that answers GET /
 * with 200 through the libcurl probe and is gone after its stop; a tiny whole run (1 s
 * of wrk, a two-step sweep) writes the per-target results objects (load, histogram,
 * sweep, cold start to first response, placement) and leaves nothing running; a server
 * whose port is taken is marked failed with its output while the next target still
 * runs; Ctrl-C during a run stops the server and writes "interrupted": true. Targets
 * this machine cannot run are left out, saying so. Under the sanitizers the whole runs
 * cover native only (the servers run outside this process; the harness code is the
 * same). About 15 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../http.h"
#include "../load/load.h"
#include "../meters/clock.h"
#include "../results.h"
#include "../run.h"
#include "../scenario.h"
#include "../target.h"
#include "target_test.h"

#if defined(__SANITIZE_ADDRESS__)
#define HTTP_TEST_SANITIZED 1
#else
#define HTTP_TEST_SANITIZED 0
#endif

static const char *const server_targets[] = {
    "native", "runc", "docker:host", "docker:bridge", "wasmrt-cli", "runc:wasmrt", "docker:wasmrt"};
#define SERVER_TARGET_COUNT (sizeof server_targets / sizeof server_targets[0])

/* ---- options and scenario checks ---- */

static void expect_options_error(const char *load, const char *want)
{
    json_t *doc = json_loads(load, 0, NULL);
    assert_non_null(doc);
    http_options o;
    wasmvs_error err = {{0}};
    assert_int_equal(http_options_from_json("s.json", doc, &o, &err), -1);
    if (!strstr(err.message, want)) fail_msg("expected \"%s\" in: %s", want, err.message);
    json_decref(doc);
}

static void options_defaults_and_round_trip(void **state)
{
    (void)state;
    http_options o;
    wasmvs_error err = {{0}};
    assert_int_equal(http_options_from_json("s.json", NULL, &o, &err), 0);
    assert_int_equal(o.threads, 2);
    assert_int_equal(o.connections, 64);
    assert_int_equal(o.duration_s, 10);
    assert_true(o.sweep_enabled);
    assert_int_equal(o.server_cpu, -1);
    /* what the results record reads back as the same options */
    json_t *doc = json_loads("{\"threads\": 1, \"connections\": 8, \"duration_s\": 3, "
                             "\"sweep\": {\"p99_bound_ms\": 2.5, \"growth\": 2}}",
                             0, NULL);
    assert_int_equal(http_options_from_json("s.json", doc, &o, &err), 0);
    json_t *recorded = http_options_to_json(&o);
    http_options again;
    assert_int_equal(http_options_from_json("s.json", recorded, &again, &err), 0);
    assert_int_equal(again.threads, 1);
    assert_int_equal(again.connections, 8);
    assert_int_equal(again.duration_s, 3);
    assert_true(again.sweep_enabled);
    assert_float_equal(again.sweep_growth, 2, 1e-9);
    assert_float_equal(again.sweep_start_rate, o.sweep_start_rate, 1e-9);
    assert_float_equal(again.p99_bound_ms, 2.5, 1e-9);
    assert_string_equal(json_string_value(json_object_get(recorded, "tool")), "wrk");
    json_decref(recorded);
    json_decref(doc);
    doc = json_loads("{\"sweep\": false}", 0, NULL);
    assert_int_equal(http_options_from_json("s.json", doc, &o, &err), 0);
    assert_false(o.sweep_enabled);
    json_decref(doc);
}

static void options_errors_name_the_field(void **state)
{
    (void)state;
    expect_options_error("{\"thread\": 2}", "field \"load.thread\": unknown field");
    expect_options_error("{\"threads\": 0}", "field \"load.threads\": expected an integer from 1");
    expect_options_error("{\"duration_s\": 1.5}", "field \"load.duration_s\": expected an integer");
    expect_options_error("{\"connections\": \"64\"}", "found another JSON value");
    expect_options_error("{\"threads\": 4, \"connections\": 2}",
                         "field \"load.connections\": expected at least one per thread (4), "
                         "found 2");
    expect_options_error("{\"sweep\": {\"growth\": 1}}", "field \"load.sweep.growth\"");
    expect_options_error("{\"sweep\": {\"start_rate_per_s\": 9, \"max_rate_per_s\": 8}}",
                         "max_rate_per_s\": expected at least start_rate_per_s");
    expect_options_error("{\"tool\": \"ab\"}", "field \"load.tool\": expected \"wrk\", found ab");
    expect_options_error("[]", "field \"load\": expected an object");
}

static void scenario_kind_http_checks_workload_and_load(void **state)
{
    (void)state;
    target_test_scenario_error("{\"name\": \"h\", \"kind\": \"http\", \"workload\": \"hello\", "
                               "\"targets\": [\"native\"], \"repetitions\": 1}",
                               "expected a workload that serves HTTP for kind \"http\"");
    target_test_scenario_error("{\"name\": \"h\", \"workload\": \"hello\", \"load\": {}, "
                               "\"targets\": [\"native\"], \"repetitions\": 1}",
                               "field \"load\": expected only with kind \"http\"");
    target_test_scenario_error("{\"name\": \"h\", \"kind\": \"http\", \"workload\": \"httpd\", "
                               "\"load\": {\"duration_s\": 0}, \"targets\": [\"native\"], "
                               "\"repetitions\": 1}",
                               "s.json: field \"load.duration_s\"");
    target_test_scenario_error("{\"name\": \"h\", \"kind\": \"http\", \"workload\": \"httpd\", "
                               "\"parameters\": {\"port\": 70000}, \"targets\": [\"native\"], "
                               "\"repetitions\": 1}",
                               "field \"parameters.port\": expected an integer from 0");
    /* the shipped scenario parses, its defaults recorded */
    scenario s;
    wasmvs_error err = {{0}};
    if (scenario_load("scenarios/http.json", &s, &err) != 0) fail_msg("%s", err.message);
    assert_string_equal(s.kind, "http");
    assert_true(s.invocation.serves_http);
    assert_non_null(json_object_get(json_object_get(s.json, "load"), "sweep"));
    scenario_free(&s);
}

static void closing_note_gives_rate_p99_and_the_engine_goal(void **state)
{
    (void)state;
    json_t *doc = json_loads(
        "{\"targets\": ["
        "{\"name\": \"native\", \"available\": true, \"cold_start_to_first_response_ns\": "
        "1500000, \"cold_start_to_ready_line_ns\": 1200000, \"load\": {\"requests_per_s\": "
        "100000, \"requests\": 1000000, \"server_cpu_ns\": 9000000000, \"latency\": "
        "{\"p99_ns\": 2500000}, \"errors\": {\"total\": 0}, \"sweep\": "
        "{\"max_sustained_rate_per_s\": 80000, \"steps\": [{\"target_rate_per_s\": "
        "10000}]}}},"
        "{\"name\": \"runc\", \"available\": true},"
        "{\"name\": \"docker\", \"available\": false},"
        "{\"name\": \"wasmrt-cli\", \"available\": true, \"load\": {\"requests_per_s\": "
        "70000, \"latency\": {\"p99_ns\": 4000000}, \"errors\": {\"total\": 3}, "
        "\"sweep\": {\"max_sustained_rate_per_s\": 0, \"steps\": "
        "[{\"target_rate_per_s\": 10000}]}}}]}",
        0, NULL);
    assert_non_null(doc);
    char *text = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&text, &size);
    http_print_note(memory, doc);
    fclose(memory);
    const char *want[] = {"  native           100000 requests/s         p99    2.50 ms, errors 0; "
                          "open loop 80000/s; server CPU 9.0 us/request; first 200 OK 1.50 ms "
                          "(ready line 1.20 ms)\n",
                          "  runc           failed",
                          "  wasmrt-cli        70000 requests/s (0.70x) p99    4.00 ms, errors 3; "
                          "open loop < 10000/s\n",
                          "goal for the engine, >= 0.80x native requests/s: wasmrt-cli 0.70x "
                          "(not met)"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(text, want[i])) fail_msg("expected \"%s\" in:\n%s", want[i], text);
    assert_null(strstr(text, "docker"));
    free(text);
    json_decref(doc);
}

/* ---- servers for real ---- */

static bool available(const char *name, char *why, size_t size)
{
    target *t = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create(name, &t, &err), 0);
    bool ok = t->ops->probe(t, &err) == 0;
    if (!ok) snprintf(why, size, "%s", err.message);
    target_free(t);
    return ok;
}

static bool pid_gone(pid_t pid)
{
    for (int i = 0; i < 200; i++) { /* a container's init may take a moment after removal */
        if (kill(pid, 0) != 0 && errno == ESRCH) return true;
        usleep(10000);
    }
    return false;
}

/* Starts httpd on target name, checks GET / answers 200, stops it, checks it is gone. */
static void server_answers_and_stops(const char *name)
{
    char why[1024];
    if (!available(name, why, sizeof why)) {
        printf("[  SKIP    ] %s unavailable: %s\n", name, why);
        return;
    }
    target *t = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create(name, &t, &err), 0);
    assert_int_equal(t->ops->probe(t, &err), 0);
    workload_invocation w;
    assert_int_equal(workload_prepare("httpd", NULL, &w, &err), 0);
    if (t->ops->prepare(t, &w, &err) != 0) fail_msg("%s: prepare: %s", name, err.message);
    int port;
    assert_int_equal(load_free_port(&port, &err), 0);
    assert_int_equal(workload_set_listen_port(&w, port, &err), 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    load_probe *probe = load_probe_new(url, &err);
    assert_non_null(probe);
    target_instance *instance = NULL;
    if (target_instance_start(t, &w, 20, &instance, &err) != 0)
        fail_msg("%s: start: %s", name, err.message);
    uint64_t elapsed = 0;
    load_probe_options po = {.start_ns = meter_clock_ns(), .timeout_s = 10};
    if (load_probe_first_ok(probe, &po, &elapsed, &err) != 0)
        fail_msg("%s: probe: %s", name, err.message);
    load_probe_free(probe);
    pid_t pid = instance->main_pid;
    assert_true(pid > 0);
    target_instance_stop(t, instance);
    assert_true(pid_gone(pid));
    assert_int_equal(t->instance_count, 0);
    target_free(t);
    workload_free(&w);
    printf("  %s: httpd answered 200 on port %d\n", name, port);
}

static void every_server_target_answers_get_with_200(void **state)
{
    (void)state;
    for (size_t i = 0; i < (HTTP_TEST_SANITIZED ? 1 : SERVER_TARGET_COUNT); i++)
        server_answers_and_stops(server_targets[i]);
}

/* wasm-cli:NAME from a templates file: our own engine described as an external runtime
 * (its "listen" words are what wasmtime's --tcplisten would be) serves; a runtime
 * without "listen" refuses the server when preparing. */
static void external_runtime_serves_through_its_listen_template(void **state)
{
    (void)state;
    char root[4096], engine[4200], path[] = "/tmp/wasmvs-test-http-runtimes.json";
    assert_non_null(getcwd(root, sizeof root));
    snprintf(engine, sizeof engine, "%s/build/bin/wasmrt", root);
    if (access(engine, X_OK) != 0) {
        printf("[  SKIP    ] %s not built\n", engine);
        skip();
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"schema\": \"wasmvs/runtimes/v1\", \"runtimes\": {"
            "\"engine\": {\"version\": [\"%s\", \"--version\"], \"run\": [\"%s\", \"run\", "
            "\"{module}\", \"{args}\"], \"listen\": [\"--listen\", \"{listen}\"]},"
            "\"plain\": {\"version\": [\"%s\", \"--version\"], \"run\": [\"%s\", \"run\", "
            "\"{module}\", \"{args}\"]}}}\n",
            engine, engine, engine, engine);
    fclose(f);
    setenv("WASMVS_RUNTIMES", path, 1);
    server_answers_and_stops("wasm-cli:engine");
    target *t = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create("wasm-cli:plain", &t, &err), 0);
    assert_int_equal(t->ops->probe(t, &err), 0);
    workload_invocation w;
    assert_int_equal(workload_prepare("httpd", NULL, &w, &err), 0);
    assert_int_equal(t->ops->prepare(t, &w, &err), -1);
    assert_non_null(strstr(err.message, "this runtime cannot serve it"));
    target_free(t);
    workload_free(&w);
    unsetenv("WASMVS_RUNTIMES");
    remove(path);
}

static void docker_none_refuses_a_server(void **state)
{
    (void)state;
    char why[1024];
    if (!available("docker", why, sizeof why)) {
        printf("[  SKIP    ] docker unavailable: %s\n", why);
        skip();
    }
    target *t = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create("docker", &t, &err), 0);
    assert_int_equal(t->ops->probe(t, &err), 0);
    workload_invocation w;
    assert_int_equal(workload_prepare("httpd", NULL, &w, &err), 0);
    assert_int_equal(t->ops->prepare(t, &w, &err), -1);
    assert_non_null(strstr(err.message, "use docker:host or docker:bridge"));
    target_free(t);
    workload_free(&w);
}

/* ---- whole runs ---- */

#define SCENARIO_PATH "/tmp/wasmvs-test-http.json"
#define RESULTS_PATH "/tmp/wasmvs-test-http-results.json"

/* The available server targets as a JSON list body; all of them, or native only. */
static void target_list(char *out, size_t size, bool all)
{
    out[0] = '\0';
    for (size_t i = 0; i < (all ? SERVER_TARGET_COUNT : 1); i++) {
        char why[1024];
        if (!available(server_targets[i], why, sizeof why)) {
            printf("  leaving out %s: %s\n", server_targets[i], why);
            continue;
        }
        snprintf(out + strlen(out), size - strlen(out), "%s\"%s\"", out[0] ? ", " : "",
                 server_targets[i]);
    }
}

static void write_scenario(const char *targets, const char *parameters, int duration_s)
{
    FILE *f = fopen(SCENARIO_PATH, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"name\": \"http-test\", \"kind\": \"http\", \"workload\": \"httpd\", "
            "\"parameters\": %s, \"targets\": [%s], \"warmup\": 0, \"repetitions\": 1, "
            "\"timeout_s\": 10, \"load\": {\"threads\": 1, \"connections\": 4, "
            "\"duration_s\": %d, \"sweep\": {\"start_rate_per_s\": 500, \"max_rate_per_s\": "
            "1000, \"growth\": 2, \"refine_steps\": 0, \"duration_s\": 0.3, \"warmup_s\": "
            "0.1, \"connections\": 4, \"p99_bound_ms\": 50}}}\n",
            parameters, targets, duration_s);
    fclose(f);
}

static json_t *run_and_load(int expected_status)
{
    run_options options = {.scenario_path = SCENARIO_PATH,
                           .repetitions = -1,
                           .warmup = -1,
                           .out = RESULTS_PATH,
                           .seed = 3};
    assert_int_equal(run_scenario(&options), expected_status);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    if (results_load(RESULTS_PATH, &doc, &err) != 0) fail_msg("%s", err.message);
    return doc;
}

static bool instance_directory_gone(void)
{
    char path[64];
    struct stat info;
    snprintf(path, sizeof path, "/tmp/wasmvs-instances-%ld", (long)getpid());
    return stat(path, &info) != 0;
}

static void tiny_run_records_every_target_and_leaves_nothing(void **state)
{
    (void)state;
    char targets[512];
    target_list(targets, sizeof targets, !HTTP_TEST_SANITIZED);
    write_scenario(targets, "{}", 1);
    json_t *doc = run_and_load(0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "scenario"), "kind")), "http");
    size_t i, measured = 0;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        if (!json_is_true(json_object_get(entry, "available"))) {
            printf("  %s skipped: %s\n", name, json_string_value(json_object_get(entry, "reason")));
            continue;
        }
        measured++;
        json_t *load = json_object_get(entry, "load");
        if (!load) fail_msg("%s: no load object", name);
        assert_true(json_number_value(json_object_get(load, "requests_per_s")) > 0);
        assert_string_equal(json_string_value(json_object_get(load, "generator")), "wrk");
        assert_true(
            json_integer_value(json_object_get(json_object_get(load, "latency"), "p99_ns")) > 0);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(load, "errors"), "total")), 0);
        json_t *histogram = json_object_get(load, "histogram");
        assert_true(json_integer_value(json_object_get(histogram, "count")) > 0);
        assert_true(json_array_size(json_object_get(histogram, "buckets")) > 0);
        json_t *sweep = json_object_get(load, "sweep");
        assert_int_equal(json_array_size(json_object_get(sweep, "steps")), 2);
        assert_true(json_number_value(json_object_get(sweep, "max_sustained_rate_per_s")) >= 500);
        json_int_t first_ok =
            json_integer_value(json_object_get(entry, "cold_start_to_first_response_ns"));
        assert_true(first_ok > 0 && first_ok < 10000000000);
        assert_non_null(json_object_get(json_object_get(entry, "placement"), "server_cpu"));
        json_t *summary = json_object_get(json_object_get(entry, "summary"), "requests_per_s");
        assert_int_equal(json_integer_value(json_object_get(summary, "n")), 1);
        json_t *server = json_object_get(entry, "server");
        pid_t pid = (pid_t)json_integer_value(json_object_get(server, "pid"));
        if (!pid_gone(pid)) fail_msg("%s: server pid %ld still running", name, (long)pid);
        printf("  %s: %.0f requests/s, first 200 OK after %.2f ms\n", name,
               json_number_value(json_object_get(load, "requests_per_s")), first_ok / 1e6);
    }
    assert_true(measured >= 1);
    assert_true(instance_directory_gone());
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

/* Two servers on free ports run side by side, so the plan interleaves their wrk rounds
 * in shuffled rounds; each keeps its own port. */
static void servers_on_free_ports_share_shuffled_rounds(void **state)
{
    (void)state;
    write_scenario("\"native\", \"native-clang\"", "{}", 1);
    json_t *doc = run_and_load(0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "run"), "order")),
                        "shuffled rounds");
    json_t *native = results_find_target(doc, "native");
    json_t *clang = results_find_target(doc, "native-clang");
    json_int_t port =
        json_integer_value(json_object_get(json_object_get(native, "server"), "port"));
    assert_true(port > 0);
    assert_int_not_equal(
        port, json_integer_value(json_object_get(json_object_get(clang, "server"), "port")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(clang, "stop"), "reason")),
        "repetitions done");
    assert_non_null(json_object_get(native, "load"));
    assert_non_null(json_object_get(clang, "load"));
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

/* A socket bound to a loopback port (listening or not); returns it, port in *port. */
static int hold_port(bool listening, int *port)
{
    int holder = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(holder >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    assert_int_equal(bind(holder, (struct sockaddr *)&address, sizeof address), 0);
    if (listening) assert_int_equal(listen(holder, 1), 0);
    assert_int_equal(getsockname(holder, (struct sockaddr *)&address, &length), 0);
    *port = ntohs(address.sin_port);
    return holder;
}

/* Another process listening on the scenario's fixed port: a clear error before any
 * server starts (the probe would reach the other process). */
static void port_listened_by_another_process_is_a_clear_error(void **state)
{
    (void)state;
    int port;
    int holder = hold_port(true, &port);
    char parameters[64];
    snprintf(parameters, sizeof parameters, "{\"port\": %d}", port);
    write_scenario("\"native\"", parameters, 1);
    json_t *doc = run_and_load(1);
    close(holder);
    json_t *native = results_find_target(doc, "native");
    json_t *sample = json_array_get(json_object_get(native, "samples"), 0);
    const char *error = json_string_value(json_object_get(sample, "error"));
    assert_non_null(error);
    assert_non_null(strstr(error, "found another process listening there"));
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

/* A fixed port cannot serve two servers at once: the plan takes the targets in turn. */
static void fixed_port_takes_targets_in_turn(void **state)
{
    (void)state;
    int port;
    close(hold_port(false, &port)); /* a port free a moment ago */
    char parameters[64];
    snprintf(parameters, sizeof parameters, "{\"port\": %d}", port);
    write_scenario("\"native\", \"native-clang\"", parameters, 1);
    json_t *doc = run_and_load(0);
    const char *order = json_string_value(json_object_get(json_object_get(doc, "run"), "order"));
    assert_non_null(strstr(order, "targets in turn"));
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

/* A port bound (not listening) by someone else: each server fails to bind and says so
 * in its own output, which is recorded; each target is still tried; the run failed. */
static void port_in_use_marks_each_target_failed_with_output(void **state)
{
    (void)state;
    int port;
    int holder = hold_port(false, &port);
    char parameters[64], targets[128] = "\"native\"";
    snprintf(parameters, sizeof parameters, "{\"port\": %d}", port);
    char why[1024];
    if (!HTTP_TEST_SANITIZED && available("wasmrt-cli", why, sizeof why))
        snprintf(targets, sizeof targets, "\"native\", \"wasmrt-cli\"");
    write_scenario(targets, parameters, 1);
    json_t *doc = run_and_load(1);
    close(holder);
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        json_t *sample = json_array_get(json_object_get(entry, "samples"), 0);
        assert_non_null(sample);
        assert_false(json_is_true(json_object_get(sample, "ok")));
        const char *error = json_string_value(json_object_get(sample, "error"));
        /* strerror(EADDRINUSE): glibc (the native server) and musl (wasmrt) word it apart */
        if (!error ||
            (!strstr(error, "Address already in use") && !strstr(error, "Address in use")))
            fail_msg("%s: expected the server's \"Address already in use\", found %s", name,
                     error ? error : "no error");
        assert_null(json_object_get(entry, "load"));
    }
    assert_true(instance_directory_gone());
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

/* The pid of this process's child named httpd, or 0. */
static pid_t child_httpd(void)
{
    DIR *proc = opendir("/proc");
    pid_t found = 0;
    struct dirent *entry;
    while (proc && !found && (entry = readdir(proc)) != NULL) {
        char path[300], text[512];
        snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
        FILE *file = fopen(path, "r");
        if (!file) continue;
        size_t n = fread(text, 1, sizeof text - 1, file);
        fclose(file);
        text[n] = '\0';
        const char *end = strrchr(text, ')');
        long parent = 0;
        char state = 0;
        if (strstr(text, "(httpd)") && end && sscanf(end + 1, " %c %ld", &state, &parent) == 2 &&
            parent == (long)getpid() && state != 'Z')
            found = (pid_t)atol(entry->d_name);
    }
    if (proc) closedir(proc);
    return found;
}

static void *kill_httpd_later(void *unused)
{
    (void)unused;
    for (int i = 0; i < 300; i++) { /* up to 3 s for it to start */
        pid_t pid = child_httpd();
        if (pid > 0) {
            usleep(500000); /* into the wrk round */
            kill(pid, SIGKILL);
            return NULL;
        }
        usleep(10000);
    }
    return NULL;
}

/* The server dies under load: the round is a failed sample, no sweep is tried, the run
 * says it failed. */
static void server_killed_during_the_round_fails_the_target(void **state)
{
    (void)state;
    write_scenario("\"native\"", "{}", 3);
    pthread_t killer;
    assert_int_equal(pthread_create(&killer, NULL, kill_httpd_later, NULL), 0);
    json_t *doc = run_and_load(1);
    pthread_join(killer, NULL);
    json_t *native = results_find_target(doc, "native");
    json_t *sample = json_array_get(json_object_get(native, "samples"), 0);
    assert_non_null(sample);
    assert_false(json_is_true(json_object_get(sample, "ok")));
    printf("  recorded: %s\n", json_string_value(json_object_get(sample, "error")));
    assert_null(json_object_get(json_object_get(native, "load"), "sweep"));
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

/* SIGINT during the wrk round: exit 128+2, "interrupted": true, the server is gone. */
static void ctrl_c_stops_the_server_and_writes_interrupted(void **state)
{
    (void)state;
    write_scenario("\"native\"", "{}", 20);
    remove(RESULTS_PATH);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        run_options options = {
            .scenario_path = SCENARIO_PATH, .repetitions = -1, .warmup = -1, .out = RESULTS_PATH};
        _exit(run_scenario(&options));
    }
    usleep(1500000); /* the server is up and wrk is running */
    kill(child, SIGINT);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGINT);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    if (results_load(RESULTS_PATH, &doc, &err) != 0) fail_msg("%s", err.message);
    assert_true(json_is_true(json_object_get(doc, "interrupted")));
    json_t *native = results_find_target(doc, "native");
    pid_t pid =
        (pid_t)json_integer_value(json_object_get(json_object_get(native, "server"), "pid"));
    assert_true(pid > 0);
    assert_true(pid_gone(pid));
    json_decref(doc);
    remove(SCENARIO_PATH);
    remove(RESULTS_PATH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_defaults_and_round_trip),
        cmocka_unit_test(options_errors_name_the_field),
        cmocka_unit_test(scenario_kind_http_checks_workload_and_load),
        cmocka_unit_test(closing_note_gives_rate_p99_and_the_engine_goal),
        cmocka_unit_test(every_server_target_answers_get_with_200),
        cmocka_unit_test(external_runtime_serves_through_its_listen_template),
        cmocka_unit_test(docker_none_refuses_a_server),
        cmocka_unit_test(tiny_run_records_every_target_and_leaves_nothing),
        cmocka_unit_test(servers_on_free_ports_share_shuffled_rounds),
        cmocka_unit_test(fixed_port_takes_targets_in_turn),
        cmocka_unit_test(port_in_use_marks_each_target_failed_with_output),
        cmocka_unit_test(port_listened_by_another_process_is_a_clear_error),
        cmocka_unit_test(server_killed_during_the_round_fails_the_target),
        cmocka_unit_test(ctrl_c_stops_the_server_and_writes_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

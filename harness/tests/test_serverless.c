/* test_serverless.c: the serverless scenario kind. Its options (errors name the field,
 * load_by_target merges over "load"); the front end for real: on wasmrt (a fresh
 * in-process instance per request) and on native (a process per request) GET / answers
 * the workload's output with 200, a request body becomes the instance's stdin, a wrong
 * answer is a 500 saying why, garbage a 400, every request is counted with its instance
 * time, and nothing is left after the stop; on Docker (when this machine has it) one
 * request runs in a container that is gone afterwards; and a tiny whole run records the
 * per-round figures (instances, instance and instantiate times, memory) and the front
 * end, and leaves no process behind; the run's plan takes the front ends in turn with
 * warm-up and repetitions, each round one sample, and records why each target stopped.
 * About 15 s without Docker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../process.h"
#include "../results.h"
#include "../run.h"
#include "../scenario.h"
#include "../serverless.h"
#include "../serverless_gateway.h"
#include "../target.h"
#include "target_test.h"

#if defined(__SANITIZE_ADDRESS__)
#define SERVERLESS_TEST_SANITIZED 1
#else
#define SERVERLESS_TEST_SANITIZED 0
#endif

/* ---- options ---- */

#define SCENARIO_HEAD                                                                              \
    "{\"name\": \"s\", \"kind\": \"serverless\", \"workload\": \"hello\", \"targets\": "           \
    "[\"native\"], \"repetitions\": 1"

static void options_errors_name_the_field(void **state)
{
    (void)state;
    target_test_scenario_error(SCENARIO_HEAD ", \"serverless\": {\"workers\": 2}}",
                               "\"serverless.workers\": unknown field");
    target_test_scenario_error(SCENARIO_HEAD ", \"serverless\": {\"memory_interval_s\": 0}}",
                               "\"serverless.memory_interval_s\"");
    target_test_scenario_error(SCENARIO_HEAD
                               ", \"serverless\": {\"load_by_target\": {\"nonesuch\": {}}}}",
                               "\"serverless.load_by_target.nonesuch\": expected a target name");
    target_test_scenario_error(SCENARIO_HEAD ", \"serverless\": {\"load_by_target\": {\"docker\": "
                                             "{\"connections\": 0}}}}",
                               "load_by_target.docker");
    target_test_scenario_error(SCENARIO_HEAD ", \"load\": {\"threads\": 0}}", "\"load.threads\"");
    /* a server workload has no place here: each request runs the function to its end */
    target_test_scenario_error(
        "{\"name\": \"s\", \"kind\": \"serverless\", \"workload\": \"httpd\", "
        "\"targets\": [\"native\"], \"repetitions\": 1}",
        "exits by itself");
    target_test_scenario_error(
        "{\"name\": \"s\", \"workload\": \"hello\", \"targets\": [\"native\"], "
        "\"repetitions\": 1, \"serverless\": {}}",
        "expected only with kind \"serverless\"");
    target_test_scenario_error(SCENARIO_HEAD ", \"stop\": {\"max_repetitions\": 5}}",
                               "\"stop.ci_width_pct\"");
}

static void options_recorded_with_defaults(void **state)
{
    (void)state;
    json_t *doc = json_loads(SCENARIO_HEAD ", \"load\": {\"connections\": 8}, \"serverless\": "
                                           "{\"load_by_target\": {\"docker\": {\"connections\": "
                                           "2, \"sweep\": false}}}}",
                             0, NULL);
    scenario s;
    wasmvs_error err = {{0}};
    if (scenario_from_json("s.json", doc, &s, &err) != 0) fail_msg("%s", err.message);
    json_t *options = json_object_get(s.json, "serverless");
    assert_true(json_number_value(json_object_get(options, "memory_interval_s")) > 0);
    json_t *docker = json_object_get(json_object_get(options, "load_by_target"), "docker");
    assert_int_equal(json_integer_value(json_object_get(docker, "connections")), 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(s.json, "load"), "connections")), 8);
    scenario_free(&s);
    json_decref(doc);
}

/* ---- the front end for real ---- */

/* Sends request to 127.0.0.1:port and reads until the server closes (the request asks it
 * to); the status code goes to *status, the body after the head into body. */
static void exchange(int port, const char *request, int *status, char *body, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET,
                                  .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof address), 0);
    assert_int_equal(write(fd, request, strlen(request)), (ssize_t)strlen(request));
    char answer[8192];
    size_t length = 0;
    ssize_t n;
    while (length < sizeof answer - 1 &&
           (n = read(fd, answer + length, sizeof answer - 1 - length)) > 0)
        length += (size_t)n;
    answer[length] = '\0';
    close(fd);
    *status = 0;
    sscanf(answer, "HTTP/1.1 %d", status);
    const char *start = strstr(answer, "\r\n\r\n");
    snprintf(body, size, "%s", start ? start + 4 : "");
}

static target *prepared(const char *name, scenario *s)
{
    json_t *doc = json_loads(SCENARIO_HEAD "}", 0, NULL);
    wasmvs_error err = {{0}};
    if (scenario_from_json("s.json", doc, s, &err) != 0) fail_msg("%s", err.message);
    json_decref(doc);
    target *t = NULL;
    assert_int_equal(target_create(name, &t, &err), 0);
    if (t->ops->probe(t, &err) != 0 || t->ops->prepare(t, &s->invocation, &err) != 0) {
        printf("[  SKIP    ] %s unavailable: %s\n", name, err.message);
        target_free(t);
        scenario_free(s);
        return NULL;
    }
    return t;
}

static bool gone(pid_t pid)
{
    for (int i = 0; i < 200; i++) {
        if (kill(pid, 0) != 0 && errno == ESRCH) return true;
        usleep(10000);
    }
    return false;
}

/* GET / and a body of the client's on target name, then a wrong answer and garbage. */
static void front_end_serves(const char *name)
{
    scenario s;
    target *t = prepared(name, &s);
    if (!t) skip();
    serverless_gateway g;
    wasmvs_error err = {{0}};
    if (serverless_gateway_start(t, &s.invocation, 10, 10, &g, &err) != 0)
        fail_msg("%s: %s", name, err.message);
    assert_true(g.port > 0 && g.ready_ns > 0);
    int status;
    char body[4096];
    exchange(g.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &status, body,
             sizeof body);
    assert_int_equal(status, 200);
    assert_string_equal(body, s.invocation.expected_stdout);
    /* the client's body is the instance's stdin: hello answers for that name */
    const char *post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 25\r\nConnection: "
                       "close\r\n\r\n{\"name\":\"other\",\"n\":1}\n  ";
    exchange(g.port, post, &status, body, sizeof body);
    assert_int_equal(status, 200);
    if (!strstr(body, "hello, other")) fail_msg("%s: expected hello, other in: %s", name, body);
    exchange(g.port, "NONSENSE\r\n\r\n", &status, body, sizeof body);
    assert_int_equal(status, 400);
    assert_int_equal(serverless_gateway_snapshot(&g, 10, &err), 0);
    assert_int_equal(g.shared->requests, 2);
    assert_int_equal(g.shared->failures, 0);
    assert_int_equal(g.shared->instance.count, 2);
    assert_true(g.shared->instance.min > 0);
    assert_int_equal(g.shared->instantiate.count, 2); /* both kinds tell when it could run */
    assert_int_equal(serverless_gateway_reset(&g, 10, &err), 0);
    assert_int_equal(serverless_gateway_snapshot(&g, 10, &err), 0);
    assert_int_equal(g.shared->requests, 0);
    pid_t pid = g.process.pid;
    serverless_gateway_stop(&g, 10);
    assert_true(gone(pid));
    target_free(t);
    scenario_free(&s);
}

static void wasmrt_front_end_serves_fresh_instances(void **state)
{
    (void)state;
    front_end_serves("wasmrt");
}

static void native_front_end_serves_a_process_per_request(void **state)
{
    (void)state;
    front_end_serves("native");
}

/* An instance that does not give the workload's answer is a 500 saying what differed. */
static void wrong_answer_is_a_500_with_the_reason(void **state)
{
    (void)state;
    scenario s;
    target *t = prepared("wasmrt", &s);
    if (!t) skip();
    free(s.invocation.expected_stdout);
    s.invocation.expected_stdout = strdup("not what hello says\n");
    serverless_gateway g;
    wasmvs_error err = {{0}};
    if (serverless_gateway_start(t, &s.invocation, 10, 10, &g, &err) != 0)
        fail_msg("%s", err.message);
    int status;
    char body[4096];
    exchange(g.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &status, body, sizeof body);
    assert_int_equal(status, 500);
    if (!strstr(body, "expected stdout")) fail_msg("expected the reason, found: %s", body);
    assert_int_equal(serverless_gateway_snapshot(&g, 10, &err), 0);
    assert_int_equal(g.shared->failures, 1);
    assert_non_null(strstr(g.shared->last_failure, "expected stdout"));
    serverless_gateway_stop(&g, 10);
    target_free(t);
    scenario_free(&s);
}

/* One request in a container of its own, removed afterwards. */
static void docker_front_end_runs_a_container_per_request(void **state)
{
    (void)state;
    if (SERVERLESS_TEST_SANITIZED) skip(); /* the same code, and half a second a request */
    scenario s;
    target *t = prepared("docker", &s);
    if (!t) skip();
    serverless_gateway g;
    wasmvs_error err = {{0}};
    if (serverless_gateway_start(t, &s.invocation, 30, 30, &g, &err) != 0)
        fail_msg("%s", err.message);
    int status;
    char body[4096];
    exchange(g.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &status, body, sizeof body);
    assert_int_equal(status, 200);
    assert_string_equal(body, s.invocation.expected_stdout);
    assert_int_equal(serverless_gateway_snapshot(&g, 30, &err), 0);
    assert_true(g.shared->instantiate.min > 0); /* create + attach + start */
    serverless_gateway_stop(&g, 30);
    target_free(t); /* clean-up sweeps this process's containers, the front end's too */
    target_test_no_containers_left();
    scenario_free(&s);
}

/* Runs a serverless scenario of hello on wasmrt and native (native alone under the
 * sanitizers) with the given fields after the targets, expecting exit status 0, and
 * returns its results. */
static json_t *run_tiny_scenario(const char *fields)
{
    char scenario_path[64], results_path[64];
    snprintf(scenario_path, sizeof scenario_path, "/tmp/wasmvs-test-serverless-%ld.json",
             (long)getpid());
    snprintf(results_path, sizeof results_path, "/tmp/wasmvs-test-serverless-%ld.out.json",
             (long)getpid());
    FILE *f = fopen(scenario_path, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"name\": \"serverless-test\", \"kind\": \"serverless\", \"workload\": "
            "\"hello\", \"targets\": [%s], \"timeout_s\": 10, %s}\n",
            SERVERLESS_TEST_SANITIZED ? "\"native\"" : "\"wasmrt\", \"native\"", fields);
    fclose(f);
    run_options options = {.scenario_path = scenario_path,
                           .repetitions = -1,
                           .warmup = -1,
                           .out = results_path,
                           .seed = 5};
    assert_int_equal(run_scenario(&options), 0);
    json_t *doc = NULL;
    wasmvs_error err = {{0}};
    if (results_load(results_path, &doc, &err) != 0) fail_msg("%s", err.message);
    remove(scenario_path);
    remove(results_path);
    return doc;
}

/* A whole run of one short round on wasmrt and native: every round carries the front
 * end's figures, and no front end is left. */
static void tiny_run_records_the_front_end_figures(void **state)
{
    (void)state;
    json_t *doc = run_tiny_scenario(
        "\"warmup\": 0, \"repetitions\": 1, \"load\": {\"threads\": 1, \"connections\": 4, "
        "\"duration_s\": 1, \"sweep\": false}, \"serverless\": {\"memory_interval_s\": 0.1}");
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        json_t *sample = json_array_get(json_object_get(entry, "samples"), 0);
        json_t *metrics = json_object_get(sample, "metrics");
        if (!json_is_true(json_object_get(sample, "ok")))
            fail_msg("%s: %s", name, json_string_value(json_object_get(sample, "error")));
        assert_true(json_number_value(json_object_get(metrics, "requests_per_s")) > 0);
        assert_true(json_integer_value(json_object_get(metrics, "instances")) > 0);
        assert_int_equal(json_integer_value(json_object_get(metrics, "instance_failures")), 0);
        assert_true(json_integer_value(json_object_get(metrics, "instance_p50_ns")) > 0);
        assert_true(json_integer_value(json_object_get(metrics, "instantiate_p50_ns")) > 0);
        assert_true(json_integer_value(json_object_get(metrics, "pss_kib")) > 0);
        assert_true(json_integer_value(json_object_get(metrics, "front_end_cpu_per_request_ns")) >
                    0);
        json_t *front_end = json_object_get(json_object_get(entry, "serverless"), "front_end");
        assert_true(json_integer_value(json_object_get(front_end, "first_response_ns")) > 0);
        assert_true(gone((pid_t)json_integer_value(json_object_get(front_end, "pid"))));
        assert_non_null(json_object_get(json_object_get(entry, "serverless"), "histograms"));
        printf("  %s: %.0f fresh instances/s, instance p50 %.1f us\n", name,
               json_number_value(json_object_get(metrics, "requests_per_s")),
               json_integer_value(json_object_get(metrics, "instance_p50_ns")) / 1e3);
    }
    json_decref(doc);
}

/* The plan drives serverless as it drives every kind: one front end at a time, its
 * warm-up round first, then its measured rounds, each a sample with the front end's
 * figures; every target records why it stopped and its validity checks. */
static void plan_takes_front_ends_in_turn_with_warmup(void **state)
{
    (void)state;
    json_t *doc = run_tiny_scenario(
        "\"warmup\": 1, \"repetitions\": 2, \"load\": {\"threads\": 1, \"connections\": 2, "
        "\"duration_s\": 1, \"warmup_duration_s\": 1, \"sweep\": false}");
    const char *order = json_string_value(json_object_get(json_object_get(doc, "run"), "order"));
    assert_non_null(strstr(order, "targets in turn"));
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        json_t *samples = json_object_get(entry, "samples");
        assert_int_equal(json_array_size(samples), 3);
        for (size_t k = 0; k < 3; k++) {
            json_t *sample = json_array_get(samples, k);
            assert_int_equal(json_is_true(json_object_get(sample, "warmup")), k == 0);
            assert_true(json_is_true(json_object_get(sample, "ok")));
            assert_true(json_integer_value(
                            json_object_get(json_object_get(sample, "metrics"), "instances")) > 0);
        }
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(entry, "stop"), "reason")),
            "repetitions done");
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(entry, "load"), "rounds")), 2);
        assert_true(json_is_object(json_object_get(entry, "validity")));
    }
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_errors_name_the_field),
        cmocka_unit_test(options_recorded_with_defaults),
        cmocka_unit_test(wasmrt_front_end_serves_fresh_instances),
        cmocka_unit_test(native_front_end_serves_a_process_per_request),
        cmocka_unit_test(wrong_answer_is_a_500_with_the_reason),
        cmocka_unit_test(docker_front_end_runs_a_container_per_request),
        cmocka_unit_test(tiny_run_records_the_front_end_figures),
        cmocka_unit_test(plan_takes_front_ends_in_turn_with_warmup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

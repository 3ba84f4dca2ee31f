/* test_load_run.c: the load module against the real native httpd workload
 * (build/workloads/native/httpd; tests run from the top of the tree): readiness probe,
 * wrk, the open-loop generator and its sweep, the server's answers to bad requests,
 * and the clear error of a port already in use. About 5 s in all.
 *
 * `build/harness/tests/test_load_run --measure` is not a test: it measures httpd, native
 * and as httpd.wasm in build/bin/wasmrt, with the server pinned to CPU 0 and the load
 * generators to CPU 1 (cold start to first 200 OK, wrk -t2 -c64 -d10s, the open-loop
 * sweep to p99 <= 10 ms), in 2-3 minutes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load/load.h"
#include "meters/clock.h"

#define HTTPD "build/workloads/native/httpd"
#define WRK_SCRIPT "harness/load/wrk-report.lua"
#define WASMRT "build/bin/wasmrt"
#define HTTPD_WASM "build/workloads/wasm/httpd.wasm"

typedef struct server {
    pid_t pid;
    int output_fd; /* the server's stdout and stderr */
    int port;
    char url[64]; /* http://127.0.0.1:PORT/ once started */
    char output[2048];
} server;

/* A URL on a loopback port that nobody listened on a moment ago. */
static int unused_url(char *url, size_t size)
{
    int port;
    wasmvs_error err = {{0}};
    if (load_free_port(&port, &err) < 0) fail_msg("%s", err.message);
    snprintf(url, size, "http://127.0.0.1:%d/", port);
    return port;
}

/* Starts argv[0] with stdout and stderr into a pipe, on CPU `cpu` if >= 0. */
static void server_exec(server *s, char *const *argv, int cpu)
{
    if (access(argv[0], X_OK) != 0)
        fail_msg("expected %s (built by `make`), found %s", argv[0], strerror(errno));
    int fds[2];
    assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        /* A failed assertion leaves the test without stopping its server: the server
         * then dies with the test instead of lingering. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (cpu >= 0) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            sched_setaffinity(0, sizeof one, &one);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    s->output_fd = fds[0];
    s->output[0] = '\0';
}

/* The native httpd listening on `listen` (ADDR:PORT). */
static void server_spawn_on(server *s, const char *listen, int cpu)
{
    char *argv[] = {HTTPD, (char *)listen, NULL};
    server_exec(s, argv, cpu);
}

static void server_spawn(server *s, const char *listen)
{
    server_spawn_on(s, listen, -1);
}

/* Reads the server's output until it contains `want` or the pipe closes (2 s at most). */
static int server_wait_for(server *s, const char *want)
{
    size_t len = strlen(s->output);
    uint64_t deadline = meter_clock_ns() + 2000000000ull;
    while (!strstr(s->output, want) && meter_clock_ns() < deadline) {
        struct pollfd p = {.fd = s->output_fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0) continue;
        ssize_t n = read(s->output_fd, s->output + len, sizeof s->output - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
        s->output[len] = '\0';
    }
    return strstr(s->output, want) != NULL;
}

/* httpd.wasm in the engine, which listens on a free port and hands the socket in. */
static void server_start_wasm(server *s, int cpu)
{
    char listen[32];
    s->port = unused_url(s->url, sizeof s->url);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
    char *argv[] = {WASMRT, "run", "--listen", listen, HTTPD_WASM, NULL};
    server_exec(s, argv, cpu);
    if (!server_wait_for(s, "ready\n"))
        fail_msg("expected httpd.wasm to print ready, found: %s", s->output);
}

static void server_start_on(server *s, int cpu)
{
    server_spawn_on(s, "127.0.0.1:0", cpu);
    if (!server_wait_for(s, "ready\n"))
        fail_msg("expected httpd to print ready, found: %s", s->output);
    const char *at = strstr(s->output, "listening on 127.0.0.1:");
    assert_non_null(at);
    s->port = atoi(at + strlen("listening on 127.0.0.1:"));
    assert_true(s->port > 0);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/", s->port);
}

static void server_start(server *s)
{
    server_start_on(s, -1);
}

/* SIGTERM must end the server cleanly: exit status 0. */
static void server_stop(server *s)
{
    kill(s->pid, SIGTERM);
    int status;
    assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
    close(s->output_fd);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_probe_measures_launch_to_first_ok(void **state)
{
    (void)state;
    wasmvs_error err = {{0}};
    char listen[32], url[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", unused_url(url, sizeof url));
    load_probe *probe = load_probe_new(url, &err);
    assert_non_null(probe);
    server s;
    load_probe_options o = {.start_ns = meter_clock_ns(), .timeout_s = 5};
    server_spawn(&s, listen);
    uint64_t elapsed = 0;
    if (load_probe_first_ok(probe, &o, &elapsed, &err) < 0) fail_msg("%s", err.message);
    assert_true(elapsed > 0 && elapsed < 5000000000ull);
    load_probe_free(probe);
    assert_true(server_wait_for(&s, "ready\n"));
    server_stop(&s);
}

static int child_alive(void *context)
{
    return waitpid(*(pid_t *)context, NULL, WNOHANG) == 0;
}

static void test_probe_stops_when_the_server_exits(void **state)
{
    (void)state;
    wasmvs_error err = {{0}};
    char url[64];
    unused_url(url, sizeof url);
    load_probe *probe = load_probe_new(url, &err);
    assert_non_null(probe);
    server s;
    server_spawn(&s, "not-an-address"); /* exits at once with a usage error */
    load_probe_options o = {.start_ns = meter_clock_ns(),
                            .timeout_s = 5,
                            .alive = child_alive,
                            .alive_context = &s.pid};
    uint64_t elapsed;
    assert_int_equal(load_probe_first_ok(probe, &o, &elapsed, &err), -1);
    assert_non_null(strstr(err.message, "exited"));
    assert_true(meter_clock_ns() - o.start_ns < 2000000000ull);
    server_wait_for(&s, "expected");
    assert_non_null(strstr(s.output, "httpd: listen address"));
    close(s.output_fd);
    load_probe_free(probe);
}

static void test_probe_gives_up_after_its_timeout(void **state)
{
    (void)state;
    wasmvs_error err = {{0}};
    char url[64];
    unused_url(url, sizeof url);
    load_probe *probe = load_probe_new(url, &err);
    load_probe_options o = {.start_ns = meter_clock_ns(), .timeout_s = 0.2};
    uint64_t elapsed;
    assert_int_equal(load_probe_first_ok(probe, &o, &elapsed, &err), -1);
    assert_non_null(strstr(err.message, "within 0.2 s"));
    load_probe_free(probe);
}

static void test_wrk_closed_loop_against_httpd(void **state)
{
    (void)state;
    server s;
    server_start(&s);
    /* No script given: the default hook under the root; pinned through taskset. */
    load_wrk_options o = {.url = s.url,
                          .threads = 2,
                          .connections = 16,
                          .duration_s = 2,
                          .cpu = 0,
                          .server_pid = s.pid};
    load_result r;
    wasmvs_error err = {{0}};
    if (load_wrk_run(&o, &r, &err) < 0) fail_msg("%s", err.message);
    assert_true(r.requests_per_s > 1000);
    assert_int_equal(load_errors_total(&r.errors), 0);
    assert_true(r.latency.p50_ns > 0);
    assert_true(r.latency.p50_ns <= r.latency.p99_ns && r.latency.p99_ns <= r.latency.max_ns);
    assert_int_equal(r.connections, 16);
    assert_true(r.server_cpu_ns > 0 && r.server_cpu_ns < 3000000000ull);
    server_stop(&s);
}

static void test_wrk_failure_carries_its_output(void **state)
{
    (void)state;
    wasmvs_error err = {{0}};
    char url[64];
    unused_url(url, sizeof url);
    load_wrk_options o = {.url = url,
                          .script = WRK_SCRIPT,
                          .threads = 1,
                          .connections = 1,
                          .duration_s = 1,
                          .cpu = -1};
    load_result r;
    assert_int_equal(load_wrk_run(&o, &r, &err), -1);
    assert_non_null(strstr(err.message, "exit code 1"));
    assert_non_null(strstr(err.message, "unable to connect"));
}

static void test_open_loop_holds_a_modest_rate(void **state)
{
    (void)state;
    server s;
    server_start(&s);
    /* Two generator threads: their counts and histograms must add up to one schedule. */
    load_open_options o = {.url = s.url,
                           .rate_per_s = 2000,
                           .connections = 8,
                           .threads = 2,
                           .duration_s = 1.5,
                           .warmup_s = 0.2,
                           .server_pid = s.pid,
                           .cpu = -1};
    load_result r;
    wasmvs_error err = {{0}};
    if (load_open_run(&o, &r, &err) < 0) fail_msg("%s", err.message);
    assert_string_equal(r.generator, "open-loop");
    assert_int_equal(r.threads, 2);
    /* 1.5 s at 2000/s: exactly 3000 requests are due in the recorded interval. */
    assert_int_equal(r.requests + r.unsent + load_errors_total(&r.errors), 3000);
    assert_int_equal(load_errors_total(&r.errors), 0);
    assert_int_equal(r.unsent, 0);
    assert_true(r.requests_per_s > 1990 && r.requests_per_s < 2010);
    assert_int_equal(r.histogram->count, r.requests);
    assert_true(r.generator_cpu_ns > 0 && r.generator_wall_s > 1.5);
    assert_true(r.server_cpu_ns > 0 && r.server_cpu_ns < 1600000000ull); /* 1.5 s window */
    /* The send delay is part of each latency, so it can never exceed it. */
    assert_true(r.send_delay.p50_ns <= r.latency.p50_ns);
    assert_true(r.send_delay.max_ns <= r.latency.max_ns);
    json_t *j = load_result_to_json(&r);
    assert_true(json_is_object(json_object_get(j, "send_delay")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "histogram"), "count")),
                     (json_int_t)r.requests);
    json_decref(j);
    assert_true(r.latency.p50_ns > 0 && r.latency.p50_ns <= r.latency.p99_ns);
    assert_true(r.latency.p99_ns <= r.latency.p999_ns && r.latency.p999_ns <= r.latency.max_ns);
    /* Loopback at 2000/s answers in microseconds; the bound only allows for a machine
     * busy with other work (other tests, builds). */
    assert_true(r.latency.p99_ns < 1000000000ull);
    assert_int_equal(r.bytes, r.requests * (r.bytes / r.requests));
    load_result_free(&r);
    server_stop(&s);
}

static void test_sweep_finds_the_top_of_an_easy_range(void **state)
{
    (void)state;
    server s;
    server_start(&s);
    load_sweep_options o = {.run = {.url = s.url, .connections = 4, .duration_s = 0.3, .cpu = -1},
                            .start_rate_per_s = 250,
                            .max_rate_per_s = 1000,
                            .growth = 2,
                            .p99_bound_ns = 1000000000ull};
    load_sweep_result r;
    wasmvs_error err = {{0}};
    if (load_sweep_run(&o, &r, &err) < 0) fail_msg("%s", err.message);
    assert_int_equal(r.step_count, 3); /* 250, 500, 1000: all hold */
    for (int i = 0; i < r.step_count; i++)
        if (!r.steps[i].sustained) fail_msg("step %d: %s", i, r.steps[i].verdict);
    assert_true(r.max_sustained_rate_per_s == 1000);
    assert_true(r.first_broken_rate_per_s == 0);
    json_t *j = load_sweep_to_json(&r, &o);
    assert_int_equal(json_array_size(json_object_get(j, "steps")), 3);
    json_decref(j);
    load_sweep_free(&r);
    server_stop(&s);
}

static void test_sweep_breaks_on_a_bound_nothing_meets(void **state)
{
    (void)state;
    server s;
    server_start(&s);
    /* A 1 ns bound cannot hold: the first step breaks and the sweep stops there. */
    load_sweep_options o = {.run = {.url = s.url, .connections = 2, .duration_s = 0.2, .cpu = -1},
                            .start_rate_per_s = 200,
                            .max_rate_per_s = 10000,
                            .growth = 2,
                            .refine_steps = 3,
                            .p99_bound_ns = 1};
    load_sweep_result r;
    wasmvs_error err = {{0}};
    if (load_sweep_run(&o, &r, &err) < 0) fail_msg("%s", err.message);
    assert_int_equal(r.step_count, 1);
    assert_true(r.max_sustained_rate_per_s == 0);
    assert_true(r.first_broken_rate_per_s == 200);
    assert_non_null(strstr(r.steps[0].verdict, "p99"));
    load_sweep_free(&r);
    server_stop(&s);
}

static void test_open_loop_counts_connect_errors_when_nobody_listens(void **state)
{
    (void)state;
    wasmvs_error err = {{0}};
    char url[64];
    unused_url(url, sizeof url);
    load_open_options o = {.url = url,
                           .rate_per_s = 500,
                           .connections = 2,
                           .duration_s = 0.3,
                           .timeout_s = 0.5,
                           .cpu = -1};
    load_result r;
    uint64_t start = meter_clock_ns();
    assert_int_equal(load_open_run(&o, &r, &err), 0);
    assert_true(meter_clock_ns() - start < 3000000000ull);
    assert_int_equal(r.requests, 0);
    assert_true(r.errors.connect > 0);
    load_result_free(&r);
}

static void test_open_loop_options_are_checked_before_any_work(void **state)
{
    (void)state;
    load_result r;
    wasmvs_error err = {{0}};
    load_open_options o = {.url = "http://127.0.0.1:9/",
                           .rate_per_s = 100,
                           .connections = 2,
                           .threads = 3,
                           .duration_s = 1,
                           .cpu = -1};
    assert_int_equal(load_open_run(&o, &r, &err), -1);
    assert_non_null(strstr(err.message, "threads"));
    o.threads = 1;
    o.rate_per_s = 0;
    assert_int_equal(load_open_run(&o, &r, &err), -1);
    assert_non_null(strstr(err.message, "rate_per_s"));
    o.rate_per_s = 100;
    o.url = "http://example.org/";
    assert_int_equal(load_open_run(&o, &r, &err), -1);
    assert_non_null(strstr(err.message, "IPv4"));
}

static void test_process_cpu_of_self_and_of_nobody(void **state)
{
    (void)state;
    uint64_t cpu = 0;
    wasmvs_error err = {{0}};
    volatile uint64_t spin = 0;
    for (uint64_t i = 0; i < 50000000u; i++)
        spin += i; /* ~20 ms of CPU: > 1 clock tick */
    assert_int_equal(load_process_cpu_ns(getpid(), &cpu, &err), 0);
    assert_true(cpu > 0);
    assert_int_equal(load_process_cpu_ns(0x7ffffff0, &cpu, &err), -1);
    assert_non_null(strstr(err.message, "/proc/"));
    assert_non_null(strstr(err.message, "expected a running process"));
}

/* Sends raw bytes on a new connection, returns everything read until the server closes
 * or 1 s passes. */
static void exchange(int port, const char *request, char *reply, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    assert_int_equal(send(fd, request, strlen(request), 0), (ssize_t)strlen(request));
    size_t len = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (len + 1 < size && poll(&p, 1, 1000) > 0) {
        ssize_t n = recv(fd, reply + len, size - 1 - len, 0);
        if (n <= 0) break;
        len += (size_t)n;
    }
    reply[len] = '\0';
    close(fd);
}

static int count(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* Sends n pipelined GETs and a closing one in one write, then counts the 200s read
 * until the server closes (or 2 s pass). */
static int pipelined_answers(int port, int n)
{
    static const char one[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    static const char last[] = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
    size_t size = (size_t)n * (sizeof one - 1) + sizeof last;
    char *requests = malloc(size);
    assert_non_null(requests);
    for (int i = 0; i < n; i++)
        memcpy(requests + (size_t)i * (sizeof one - 1), one, sizeof one - 1);
    memcpy(requests + (size_t)n * (sizeof one - 1), last, sizeof last);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    assert_int_equal(send(fd, requests, size - 1, 0), (ssize_t)(size - 1));
    free(requests);
    size_t capacity = (size_t)(n + 1) * 128, len = 0;
    char *replies = malloc(capacity + 1);
    assert_non_null(replies);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (len < capacity && poll(&p, 1, 2000) > 0) {
        ssize_t got = recv(fd, replies + len, capacity - len, 0);
        if (got <= 0) break;
        len += (size_t)got;
    }
    replies[len] = '\0';
    int answers = count(replies, "HTTP/1.1 200 OK\r\n");
    free(replies);
    close(fd);
    return answers;
}

/* The answers both builds of httpd must give: the code under test is the same. */
static void check_http_answers(int port)
{
    char reply[4096];
    exchange(port, "GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", reply,
             sizeof reply);
    assert_true(strncmp(reply, "HTTP/1.1 404 Not Found\r\n", 24) == 0);
    exchange(port, "this is not http\r\n\r\n", reply, sizeof reply);
    assert_true(strncmp(reply, "HTTP/1.1 400 Bad Request\r\n", 26) == 0);
    assert_non_null(strstr(reply, "Connection: close"));
    /* Three pipelined requests in one write, a body to skip in the middle. */
    exchange(port,
             "GET / HTTP/1.1\r\n\r\nPOST /form HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd"
             "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
             reply, sizeof reply);
    assert_int_equal(count(reply, "HTTP/1.1 200 OK\r\n"), 2);
    assert_int_equal(count(reply, "HTTP/1.1 404 Not Found\r\n"), 1);
    assert_non_null(strstr(reply, "\r\n\r\n404 Not Found\n"));
    /* 250 requests fit the server's 8 KiB input buffer in one read, their answers do not
     * fit its output buffer: the rest must be answered without a new read. */
    assert_int_equal(pipelined_answers(port, 250), 251);
    assert_int_equal(pipelined_answers(port, 2000), 2001);
}

static void test_httpd_answers_404_400_and_pipelined_requests(void **state)
{
    (void)state;
    server s;
    server_start(&s);
    check_http_answers(s.port);
    server_stop(&s);
}

static void test_wasm_httpd_in_the_engine_answers_like_native(void **state)
{
    (void)state;
    if (access(WASMRT, X_OK) != 0 || access(HTTPD_WASM, R_OK) != 0) {
        printf("skipped: %s or %s not built\n", WASMRT, HTTPD_WASM);
        skip();
    }
    server s;
    server_start_wasm(&s, -1);
    check_http_answers(s.port);
    load_open_options o = {
        .url = s.url, .rate_per_s = 1000, .connections = 4, .duration_s = 0.5, .cpu = -1};
    load_result r;
    wasmvs_error err = {{0}};
    if (load_open_run(&o, &r, &err) < 0) fail_msg("%s", err.message);
    assert_int_equal(r.requests, 500);
    assert_int_equal(load_errors_total(&r.errors), 0);
    load_result_free(&r);
    kill(s.pid, SIGKILL); /* the engine's own exit status is not under test here */
    waitpid(s.pid, NULL, 0);
    close(s.output_fd);
}

/* httpd handed a listening socket as fd 3: by LISTEN_FDS=1 (systemd's convention) or by
 * --fd 3. */
static void spawn_with_inherited_socket(server *s, int listen_fd, int by_environment)
{
    int fds[2];
    assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (listen_fd != 3) {
            dup2(listen_fd, 3);
            close(listen_fd);
        }
        if (by_environment) {
            setenv("LISTEN_FDS", "1", 1);
            execl(HTTPD, HTTPD, (char *)NULL);
        } else {
            execl(HTTPD, HTTPD, "--fd", "3", (char *)NULL);
        }
        _exit(127);
    }
    close(fds[1]);
    s->output_fd = fds[0];
    s->output[0] = '\0';
}

static void test_httpd_serves_an_inherited_socket(void **state)
{
    (void)state;
    for (int by_environment = 0; by_environment <= 1; by_environment++) {
        int listen_fd = socket(AF_INET, SOCK_STREAM, 0); /* no CLOEXEC: the child keeps it */
        struct sockaddr_in sin = {.sin_family = AF_INET};
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof sin;
        assert_int_equal(bind(listen_fd, (struct sockaddr *)&sin, sizeof sin), 0);
        assert_int_equal(listen(listen_fd, 16), 0);
        assert_int_equal(getsockname(listen_fd, (struct sockaddr *)&sin, &len), 0);
        server s;
        spawn_with_inherited_socket(&s, listen_fd, by_environment);
        close(listen_fd);
        if (!server_wait_for(&s, "ready\n"))
            fail_msg("expected httpd to print ready, found: %s", s.output);
        char expected[64], reply[4096];
        snprintf(expected, sizeof expected, "listening on 127.0.0.1:%d\n", ntohs(sin.sin_port));
        assert_non_null(strstr(s.output, expected));
        exchange(ntohs(sin.sin_port), "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", reply,
                 sizeof reply);
        assert_true(strncmp(reply, "HTTP/1.1 200 OK\r\n", 17) == 0);
        server_stop(&s);
    }
}

static void test_httpd_reports_a_port_in_use(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sin;
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
    char listen_at[32];
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%d", ntohs(sin.sin_port));
    server s;
    server_spawn(&s, listen_at);
    int status;
    assert_int_equal(waitpid(s.pid, &status, 0), s.pid);
    server_wait_for(&s, "\n");
    close(s.output_fd);
    close(fd);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 2);
    assert_non_null(strstr(s.output, "Address already in use"));
    assert_non_null(strstr(s.output, listen_at));
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void measure_print(const char *what, const load_result *r)
{
    printf("%-28s %10.0f req/s  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  max "
           "%7.3f ms  errors %llu  server CPU %.0f%%\n",
           what, r->requests_per_s, (double)r->latency.p50_ns / 1e6,
           (double)r->latency.p90_ns / 1e6, (double)r->latency.p99_ns / 1e6,
           (double)r->latency.p999_ns / 1e6, (double)r->latency.max_ns / 1e6,
           (unsigned long long)load_errors_total(&r->errors),
           100.0 * (double)r->server_cpu_ns / 1e9 / r->duration_s);
}

/* wrk -t2 -c64 -d10s, then the open-loop sweep to p99 <= 10 ms, generators on CPU 1. */
static int measure_server(const server *s, const char *name, double *wrk_rps, double *max_rate)
{
    wasmvs_error err = {{0}};
    char what[64];
    load_wrk_options w = {.url = s->url,
                          .threads = 2,
                          .connections = 64,
                          .duration_s = 10,
                          .cpu = 1,
                          .server_pid = s->pid};
    load_result r;
    if (load_wrk_run(&w, &r, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    snprintf(what, sizeof what, "%s wrk -t2 -c64 -d10s", name);
    measure_print(what, &r);
    *wrk_rps = r.requests_per_s;
    load_sweep_options o = {.run = {.url = s->url,
                                    .connections = 64,
                                    .duration_s = 3,
                                    .warmup_s = 0.5,
                                    .cpu = 1,
                                    .server_pid = s->pid},
                            .start_rate_per_s = 10000,
                            .max_rate_per_s = 300000,
                            .growth = 1.25,
                            .refine_steps = 3,
                            .p99_bound_ns = 10000000};
    load_sweep_result sweep;
    if (load_sweep_run(&o, &sweep, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    for (int i = 0; i < sweep.step_count; i++) {
        const load_result *step = &sweep.steps[i].result;
        snprintf(what, sizeof what, "%s open loop %.0f/s", name, sweep.steps[i].rate_per_s);
        measure_print(what, step);
        printf("%28s %s; generator CPU %.0f%% of its run\n", "", sweep.steps[i].verdict,
               100.0 * (double)step->generator_cpu_ns / 1e9 / step->generator_wall_s);
    }
    printf("%s open loop: max sustained rate with p99 <= 10 ms: %.0f/s (first broken: %.0f/s)\n",
           name, sweep.max_sustained_rate_per_s, sweep.first_broken_rate_per_s);
    *max_rate = sweep.max_sustained_rate_per_s;
    load_sweep_free(&sweep);
    return 0;
}

/* Launch to first 200 OK, 21 times, server on CPU 0: native httpd, or httpd.wasm in
 * `wasmrt run --listen`. */
static int measure_cold_start(const char *name, int wasm)
{
    wasmvs_error err = {{0}};
    enum { LAUNCHES = 21 };
    uint64_t cold[LAUNCHES];
    for (int i = 0; i < LAUNCHES; i++) {
        char listen[32], url[64];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", unused_url(url, sizeof url));
        load_probe *probe = load_probe_new(url, &err);
        server s;
        char *wasm_argv[] = {WASMRT, "run", "--listen", listen, HTTPD_WASM, NULL};
        load_probe_options o = {.start_ns = meter_clock_ns(), .timeout_s = 5};
        if (wasm)
            server_exec(&s, wasm_argv, 0);
        else
            server_spawn_on(&s, listen, 0);
        if (load_probe_first_ok(probe, &o, &cold[i], &err) < 0) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        load_probe_free(probe);
        kill(s.pid, SIGKILL); /* the launch is measured, not the stop */
        waitpid(s.pid, NULL, 0);
        close(s.output_fd);
    }
    qsort(cold, LAUNCHES, sizeof cold[0], compare_u64);
    printf("%s cold start to first 200 OK (%d launches): median %.3f ms, min %.3f ms, max %.3f "
           "ms\n",
           name, LAUNCHES, (double)cold[LAUNCHES / 2] / 1e6, (double)cold[0] / 1e6,
           (double)cold[LAUNCHES - 1] / 1e6);
    return 0;
}

/* The figures for the report; see the comment at the top. */
static int measure(void)
{
    if (measure_cold_start("native", 0) != 0) return 1;
    if (access(WASMRT, X_OK) == 0 && measure_cold_start("wasmrt", 1) != 0) return 1;

    double native_rps, wasm_rps, native_rate, wasm_rate;
    server s;
    server_start_on(&s, 0);
    int rc = measure_server(&s, "native", &native_rps, &native_rate);
    kill(s.pid, SIGTERM);
    waitpid(s.pid, NULL, 0);
    close(s.output_fd);
    if (rc != 0 || access(WASMRT, X_OK) != 0) return rc;
    server_start_wasm(&s, 0);
    rc = measure_server(&s, "wasmrt", &wasm_rps, &wasm_rate);
    kill(s.pid, SIGKILL);
    waitpid(s.pid, NULL, 0);
    close(s.output_fd);
    if (rc == 0)
        printf("wasmrt / native: wrk requests/s %.2f, open-loop sustained rate %.2f\n",
               wasm_rps / native_rps, native_rate > 0 ? wasm_rate / native_rate : 0.0);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--measure") == 0) return measure();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_measures_launch_to_first_ok),
        cmocka_unit_test(test_probe_stops_when_the_server_exits),
        cmocka_unit_test(test_probe_gives_up_after_its_timeout),
        cmocka_unit_test(test_wrk_closed_loop_against_httpd),
        cmocka_unit_test(test_wrk_failure_carries_its_output),
        cmocka_unit_test(test_open_loop_holds_a_modest_rate),
        cmocka_unit_test(test_sweep_finds_the_top_of_an_easy_range),
        cmocka_unit_test(test_sweep_breaks_on_a_bound_nothing_meets),
        cmocka_unit_test(test_open_loop_counts_connect_errors_when_nobody_listens),
        cmocka_unit_test(test_open_loop_options_are_checked_before_any_work),
        cmocka_unit_test(test_process_cpu_of_self_and_of_nobody),
        cmocka_unit_test(test_httpd_answers_404_400_and_pipelined_requests),
        cmocka_unit_test(test_wasm_httpd_in_the_engine_answers_like_native),
        cmocka_unit_test(test_httpd_serves_an_inherited_socket),
        cmocka_unit_test(test_httpd_reports_a_port_in_use),
    };
    return cmocka_run_group_tests_name("load_run", tests, NULL, NULL);
}

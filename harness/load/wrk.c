/* wrk.c: closed-loop load with wrk. Runs wrk with the report hook
 * (harness/load/wrk-report.lua), optionally pinned to one CPU, kills it if it overruns
 * its duration by more than WRK_GRACE_S, and reads the hook's JSON line into a
 * load_result. wrk keeps times in microseconds; results carry nanoseconds. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WRK_REPORT_PREFIX "wasmvs-wrk-report: "
#define WRK_GRACE_S 15
#define WRK_OUTPUT_MAX 65536

static int wrk_get_number(json_t *object, const char *key, double *out, wasmvs_error *err)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_number(value))
        return wasmvs_fail(err, "wrk report: \"%s\": expected a number, found %s", key,
                           value ? "another JSON type" : "nothing");
    *out = json_number_value(value);
    return 0;
}

static uint64_t wrk_us_to_ns(double us)
{
    return us > 0 ? (uint64_t)(us * 1000.0 + 0.5) : 0;
}

int load_wrk_parse_report(const char *output, load_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    const char *line = strstr(output, WRK_REPORT_PREFIX);
    if (!line)
        return wasmvs_fail(err, "wrk output: expected a line starting \"%s\" from wrk-report.lua's "
                                "done(), found none in: %.300s", WRK_REPORT_PREFIX, output);
    line += strlen(WRK_REPORT_PREFIX);
    json_error_t jerr;
    json_t *report = json_loadb(line, strcspn(line, "\n"), 0, &jerr);
    if (!report)
        return wasmvs_fail(err, "wrk report: expected JSON, found an error at column %d: %s",
                           jerr.column, jerr.text);
    json_t *errors = json_object_get(report, "errors");
    json_t *latency = json_object_get(report, "latency_us");
    double duration_us = 0, requests = 0, bytes = 0, v[5] = { 0 }, lat[6] = { 0 };
    static const char *error_keys[5] = { "connect", "read", "write", "status", "timeout" };
    static const char *latency_keys[6] = { "p50", "p90", "p99", "p99.9", "max", "mean" };
    int rc = -1;
    if (!json_is_object(errors) || !json_is_object(latency)) {
        wasmvs_fail(err, "wrk report: expected objects \"errors\" and \"latency_us\", found %s",
                    line);
        goto done;
    }
    if (wrk_get_number(report, "duration_us", &duration_us, err) < 0 ||
        wrk_get_number(report, "requests", &requests, err) < 0 ||
        wrk_get_number(report, "bytes", &bytes, err) < 0)
        goto done;
    for (int i = 0; i < 5; i++)
        if (wrk_get_number(errors, error_keys[i], &v[i], err) < 0) goto done;
    for (int i = 0; i < 6; i++)
        if (wrk_get_number(latency, latency_keys[i], &lat[i], err) < 0) goto done;
    if (duration_us <= 0) {
        wasmvs_fail(err, "wrk report: duration_us: expected > 0, found %g", duration_us);
        goto done;
    }
    snprintf(out->generator, sizeof out->generator, "wrk");
    out->duration_s = duration_us / 1e6;
    out->requests = (uint64_t)requests;
    out->bytes = (uint64_t)bytes;
    out->requests_per_s = requests / out->duration_s;
    out->errors = (load_errors){ (uint64_t)v[0], (uint64_t)v[1], (uint64_t)v[2], (uint64_t)v[3],
                                 (uint64_t)v[4] };
    out->latency = (load_latency){ wrk_us_to_ns(lat[0]), wrk_us_to_ns(lat[1]), wrk_us_to_ns(lat[2]),
                                   wrk_us_to_ns(lat[3]), wrk_us_to_ns(lat[4]), lat[5] * 1000.0 };
    rc = 0;
done:
    json_decref(report);
    return rc;
}

/* Reads the child's output until it closes the pipe or the deadline passes. Returns 0,
 * or -1 on timeout. */
static int wrk_collect(int fd, char *buffer, size_t size, uint64_t deadline_ns)
{
    size_t len = 0;
    for (;;) {
        uint64_t now = load_now_ns();
        if (now >= deadline_ns) return -1;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int ready = poll(&p, 1, (int)((deadline_ns - now) / 1000000u) + 1);
        if (ready < 0 && errno != EINTR) return -1;
        if (ready <= 0) continue;
        char scratch[4096];
        char *into = len + 1 < size ? buffer + len : scratch; /* keep reading, drop overflow */
        size_t room = len + 1 < size ? size - 1 - len : sizeof scratch;
        ssize_t n = read(fd, into, room);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (into != scratch) len += (size_t)n;
    }
    buffer[len] = '\0';
    return 0;
}

static int wrk_check_options(const load_wrk_options *o, wasmvs_error *err)
{
    if (!o->url || !o->script)
        return wasmvs_fail(err, "wrk: expected a URL and the report script path, found %s missing",
                           o->url ? "the script" : "the URL");
    if (access(o->script, R_OK) != 0)
        return wasmvs_fail(err, "wrk: report script %s: expected a readable file, found %s",
                           o->script, strerror(errno));
    if (o->threads < 1 || o->connections < o->threads || o->duration_s < 1 || o->timeout_s < 0)
        return wasmvs_fail(err, "wrk: expected threads >= 1, connections >= threads, duration >= 1 s "
                                "and timeout >= 0, found %d threads, %d connections, %d s, %d s",
                           o->threads, o->connections, o->duration_s, o->timeout_s);
    return 0;
}

int load_wrk_run(const load_wrk_options *o, load_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    if (wrk_check_options(o, err) < 0) return -1;
    const char *wrk = o->wrk ? o->wrk : "wrk";
    char threads[16], connections[16], duration[16], timeout[16];
    snprintf(threads, sizeof threads, "%d", o->threads);
    snprintf(connections, sizeof connections, "%d", o->connections);
    snprintf(duration, sizeof duration, "%ds", o->duration_s);
    snprintf(timeout, sizeof timeout, "%ds", o->timeout_s ? o->timeout_s : 2);
    char *argv[] = { (char *)wrk, "-t", threads, "-c", connections, "-d", duration, "--timeout",
                     timeout, "-s", (char *)o->script, (char *)o->url, NULL };

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0)
        return wasmvs_fail(err, "wrk: pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return wasmvs_fail(err, "wrk: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        dup2(pipe_fds[1], STDERR_FILENO);
        if (o->cpu >= 0) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(o->cpu, &one);
            sched_setaffinity(0, sizeof one, &one);
        }
        execvp(wrk, argv);
        dprintf(STDOUT_FILENO, "exec %s: %s\n", wrk, strerror(errno));
        _exit(127);
    }
    close(pipe_fds[1]);
    char *output = malloc(WRK_OUTPUT_MAX);
    if (!output) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(pipe_fds[0]);
        return wasmvs_fail(err, "wrk: out of memory for its output");
    }
    uint64_t deadline = load_now_ns() + (uint64_t)(o->duration_s + WRK_GRACE_S) * 1000000000ull;
    int timed_out = wrk_collect(pipe_fds[0], output, WRK_OUTPUT_MAX, deadline) < 0;
    close(pipe_fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int rc;
    if (timed_out)
        rc = wasmvs_fail(err, "wrk: expected it to finish within %d s, found it still running "
                              "(killed)", o->duration_s + WRK_GRACE_S);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = wasmvs_fail(err, "wrk %s: expected exit status 0, found %s %d; output: %.400s", o->url,
                         WIFEXITED(status) ? "exit status" : "signal",
                         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), output);
    else
        rc = load_wrk_parse_report(output, out, err);
    free(output);
    if (rc == 0) {
        out->threads = o->threads;
        out->connections = o->connections;
    }
    return rc;
}

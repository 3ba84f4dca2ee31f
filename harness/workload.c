/* workload.c: invocations and expected answers of the one-shot workloads (see
 * workload.h): hello (stdin JSON in, transformed JSON out), fib (fib(n) mod 2^32,
 * computed here iteratively), matmul (the checksum of an n x n product, computed here
 * the same way), the long-lived idle (ready line, then waits) and httpd (an HTTP
 * server on 127.0.0.1:PORT; ready line once it accepts connections). */
#include "workload.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *workload_known = "hello, fib, idle, httpd, matmul";

const char *workload_names(void)
{
    return workload_known;
}

static int workload_unknown_parameters(json_t *parameters, const char *const *allowed,
                                       wasmvs_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach(parameters, key, value)
    {
        int known = 0;
        for (size_t i = 0; allowed[i]; i++)
            known |= strcmp(allowed[i], key) == 0;
        if (!known)
            return wasmvs_fail(err, "field \"parameters.%s\": unknown parameter for this workload",
                               key);
    }
    return 0;
}

static int workload_prepare_hello(json_t *parameters, workload_invocation *out, wasmvs_error *err)
{
    static const char *const allowed[] = {"name", "n", NULL};
    if (workload_unknown_parameters(parameters, allowed, err)) return -1;
    const char *name = "wasmvs";
    json_int_t n = 41;
    json_t *value = json_object_get(parameters, "name");
    if (value) {
        if (!json_is_string(value))
            return wasmvs_fail(err, "field \"parameters.name\": expected a string, found %s",
                               json_is_number(value) ? "a number" : "another JSON value");
        name = json_string_value(value);
        if (strpbrk(name, "\"\\\n") || strlen(name) > 200)
            return wasmvs_fail(err,
                               "field \"parameters.name\": expected up to 200 characters without "
                               "quotes, backslashes or newlines, found \"%s\"",
                               name);
    }
    value = json_object_get(parameters, "n");
    if (value) {
        if (!json_is_integer(value) || json_integer_value(value) < -1000000000 ||
            json_integer_value(value) > 1000000000)
            return wasmvs_fail(
                err, "field \"parameters.n\": expected an integer within +/-1e9, found %s",
                json_is_integer(value) ? "an integer out of range" : "another JSON value");
        n = json_integer_value(value);
    }
    char line[512];
    int length = snprintf(line, sizeof line, "{\"name\":\"%s\",\"n\":%lld}\n", name, (long long)n);
    out->stdin_data = strdup(line);
    out->stdin_length = (size_t)length;
    snprintf(line, sizeof line, "{\"greeting\":\"hello, %s\",\"n\":%lld,\"length\":%zu}\n", name,
             (long long)n + 1, strlen(name));
    out->expected_stdout = strdup(line);
    return 0;
}

static int workload_prepare_fib(json_t *parameters, workload_invocation *out, wasmvs_error *err)
{
    static const char *const allowed[] = {"n", NULL};
    if (workload_unknown_parameters(parameters, allowed, err)) return -1;
    json_int_t n = 40;
    json_t *value = json_object_get(parameters, "n");
    if (value) {
        /* fib(n) takes about 1.6^n calls: beyond 50 a sample would run for minutes. */
        if (!json_is_integer(value) || json_integer_value(value) < 0 ||
            json_integer_value(value) > 50)
            return wasmvs_fail(err,
                               "field \"parameters.n\": expected an integer from 0 to 50, "
                               "found %s",
                               json_is_integer(value) ? "an integer out of range"
                                                      : "another JSON value");
        n = json_integer_value(value);
    }
    uint32_t previous = 0, current = 1; /* the workload computes in uint32_t: wraps alike */
    for (json_int_t i = 0; i < n; i++) {
        uint32_t next = previous + current;
        previous = current;
        current = next;
    }
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)n);
    out->args[out->arg_count++] = strdup(text);
    snprintf(text, sizeof text, "%" PRIu32 "\n", previous);
    out->expected_stdout = strdup(text);
    return 0;
}

/* The checksum workloads/matmul.c prints for size n: the entries are small integers,
 * so the sums are exact whatever order a (vectorizing) compiler adds them in. */
static uint64_t workload_matmul_checksum(uint32_t n)
{
    size_t cells = (size_t)n * n;
    double *a = malloc(3 * cells * sizeof *a);
    if (!a) return 0;
    double *b = a + cells, *c = b + cells;
    for (uint32_t i = 0; i < n * n; i++) {
        a[i] = (double)((i * 7u + 3u) % 8u);
        b[i] = (double)((i * 5u + 1u) % 8u);
        c[i] = 0.0;
    }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < n; k++)
            for (uint32_t j = 0; j < n; j++)
                c[i * n + j] += a[i * n + k] * b[k * n + j];
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n * n; i++)
        sum = sum * 31u + (uint64_t)c[i];
    free(a);
    return sum;
}

static int workload_prepare_matmul(json_t *parameters, workload_invocation *out,
                                   wasmvs_error *err)
{
    static const char *const allowed[] = {"n", NULL};
    if (workload_unknown_parameters(parameters, allowed, err)) return -1;
    json_int_t n = 256;
    json_t *value = json_object_get(parameters, "n");
    if (value) {
        if (!json_is_integer(value) || json_integer_value(value) < 1 ||
            json_integer_value(value) > 512)
            return wasmvs_fail(err,
                               "field \"parameters.n\": expected an integer from 1 to 512 (the "
                               "matrix size), found %s",
                               json_is_integer(value) ? "an integer out of range"
                                                      : "another JSON value");
        n = json_integer_value(value);
    }
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)n);
    out->args[out->arg_count++] = strdup(text);
    snprintf(text, sizeof text, "%" PRIu64 "\n", workload_matmul_checksum((uint32_t)n));
    out->expected_stdout = strdup(text);
    return 0;
}

/* idle: starts, writes "ready", waits until stopped (density). */
static int workload_prepare_idle(json_t *parameters, workload_invocation *out, wasmvs_error *err)
{
    static const char *const allowed[] = {NULL};
    if (workload_unknown_parameters(parameters, allowed, err)) return -1;
    out->expected_stdout = strdup("ready\n");
    out->long_lived = 1;
    return 0;
}

/* httpd: listens on 127.0.0.1:PORT, prints "listening on ..." and "ready", serves until
 * stopped (http). parameters.port: a fixed port, or 0 (default) for a free one chosen
 * at each start (workload_set_listen_port). */
static int workload_prepare_httpd(json_t *parameters, workload_invocation *out, wasmvs_error *err)
{
    static const char *const allowed[] = {"port", NULL};
    if (workload_unknown_parameters(parameters, allowed, err)) return -1;
    json_t *value = json_object_get(parameters, "port");
    if (value && (!json_is_integer(value) || json_integer_value(value) < 0 ||
                  json_integer_value(value) > 65535))
        return wasmvs_fail(err,
                           "field \"parameters.port\": expected an integer from 0 (a free port "
                           "at each start) to 65535, found %s",
                           json_is_integer(value) ? "an integer out of range"
                                                  : "another JSON value");
    out->args[out->arg_count++] = strdup("127.0.0.1:0");
    out->expected_stdout = strdup("ready\n");
    out->long_lived = 1;
    out->serves_http = 1;
    if (value && json_integer_value(value) > 0)
        return workload_set_listen_port(out, (int)json_integer_value(value), err);
    return 0;
}

int workload_set_listen_port(workload_invocation *invocation, int port, wasmvs_error *err)
{
    if (!invocation->serves_http || invocation->arg_count < 1)
        return wasmvs_fail(err,
                           "workload %s: expected a server workload, found one that does not "
                           "listen",
                           invocation->name);
    if (port < 1 || port > 65535)
        return wasmvs_fail(err, "workload %s: expected a TCP port from 1 to 65535, found %d",
                           invocation->name, port);
    char text[32];
    snprintf(text, sizeof text, "127.0.0.1:%d", port);
    char *copy = strdup(text);
    if (!copy) return wasmvs_fail(err, "workload %s: out of memory", invocation->name);
    free(invocation->args[0]);
    invocation->args[0] = copy;
    invocation->listen_port = port;
    return 0;
}

int workload_prepare(const char *name, json_t *parameters, workload_invocation *out,
                     wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    if (parameters && !json_is_object(parameters))
        return wasmvs_fail(err,
                           "field \"parameters\": expected an object, found another JSON value");
    snprintf(out->name, sizeof out->name, "%s", name);
    int status;
    if (strcmp(name, "hello") == 0)
        status = workload_prepare_hello(parameters, out, err);
    else if (strcmp(name, "fib") == 0)
        status = workload_prepare_fib(parameters, out, err);
    else if (strcmp(name, "matmul") == 0)
        status = workload_prepare_matmul(parameters, out, err);
    else if (strcmp(name, "idle") == 0)
        status = workload_prepare_idle(parameters, out, err);
    else if (strcmp(name, "httpd") == 0)
        status = workload_prepare_httpd(parameters, out, err);
    else
        return wasmvs_fail(err, "field \"workload\": expected one of %s, found \"%s\"",
                           workload_known, name);
    if (status != 0) workload_free(out);
    return status;
}

void workload_free(workload_invocation *invocation)
{
    for (size_t i = 0; i < invocation->arg_count; i++)
        free(invocation->args[i]);
    free(invocation->stdin_data);
    free(invocation->expected_stdout);
    memset(invocation, 0, sizeof *invocation);
}

int workload_check(const workload_invocation *invocation, int exit_code, const char *out, char *why,
                   size_t why_size)
{
    if (exit_code != invocation->expected_exit_code) {
        snprintf(why, why_size, "expected exit code %d, found %d", invocation->expected_exit_code,
                 exit_code);
        return -1;
    }
    if (strcmp(out ? out : "", invocation->expected_stdout) != 0) {
        snprintf(why, why_size, "expected stdout %.200s found %.200s%s",
                 invocation->expected_stdout, out && *out ? out : "nothing",
                 out && *out ? "" : "\n");
        /* both end in a newline normally; keep the message on one line */
        for (char *p = why; *p; p++)
            if (*p == '\n') *p = ' ';
        return -1;
    }
    return 0;
}

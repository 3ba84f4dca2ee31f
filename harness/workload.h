/* workload.h: what each one-shot workload is given and what it must answer. The
 * harness checks every sample's exit code and stdout against this before its timing
 * counts, so a broken build or a wrong engine can never produce a fast number. */
#ifndef WASMVS_WORKLOAD_H
#define WASMVS_WORKLOAD_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

#define WORKLOAD_MAX_ARGS 8

typedef struct workload_invocation {
    char name[32];                     /* the workload: build/workloads/VARIANT/NAME */
    char *args[WORKLOAD_MAX_ARGS + 1]; /* after the program name, NULL-terminated */
    size_t arg_count;
    char *stdin_data; /* may be NULL */
    size_t stdin_length;
    char *expected_stdout; /* for a long-lived workload: its ready line */
    int expected_exit_code;
    int long_lived; /* runs until stopped (idle); one-shot workloads exit by themselves */
    /* A server (httpd): the TCP port it listens on, and args[0] is "127.0.0.1:PORT".
     * 0 for the others, and for a server whose port is chosen at each start. */
    int listen_port;
    int serves_http; /* answers GET / with 200 once ready */
} workload_invocation;

/* Builds the invocation of workload name (hello, fib, matmul; idle and httpd are long-lived) from the scenario's
 * parameters object (may be NULL). Errors name the parameter ("parameters.n: expected ..., found
 * ..."). */
int workload_prepare(const char *name, json_t *parameters, workload_invocation *out,
                     wasmvs_error *err);

void workload_free(workload_invocation *invocation);

/* Points a server workload at 127.0.0.1:port (1-65535): sets listen_port and args[0]. */
int workload_set_listen_port(workload_invocation *invocation, int port, wasmvs_error *err);

/* 0 when the sample's output is the expected one; else fills why with what differed. */
int workload_check(const workload_invocation *invocation, int exit_code, const char *out, char *why,
                   size_t why_size);

/* The names this module knows, comma-separated, for error messages. */
const char *workload_names(void);

#endif

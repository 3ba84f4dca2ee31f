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
} workload_invocation;

/* Builds the invocation of workload name (hello, fib; idle is long-lived) from the scenario's
 * parameters object (may be NULL). Errors name the parameter ("parameters.n: expected ..., found
 * ..."). */
int workload_prepare(const char *name, json_t *parameters, workload_invocation *out,
                     wasmvs_error *err);

void workload_free(workload_invocation *invocation);

/* 0 when the sample's output is the expected one; else fills why with what differed. */
int workload_check(const workload_invocation *invocation, int exit_code, const char *out, char *why,
                   size_t why_size);

/* The names this module knows, comma-separated, for error messages. */
const char *workload_names(void);

#endif

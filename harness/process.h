/* process.h: the one process launcher of the harness. Starts a program with its
 * stdin fed from memory and stdout/stderr captured, times it from the launch call to
 * its exit (CLOCK_MONOTONIC; less the time spent attaching perf counters while the
 * child waits before exec), takes its rusage from wait4, its own peak RSS from its
 * taskstats exit report and its perf counters, and kills its whole process group on
 * timeout or cancellation (Ctrl-C/SIGTERM). */
#ifndef WASMVS_PROCESS_H
#define WASMVS_PROCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define PROCESS_OUTPUT_LIMIT (1u << 20) /* bytes kept of stdout and of stderr each */

typedef struct process_spec {
    char *const *argv;      /* argv[0] is the program; searched on PATH when it has no '/' */
    const char *stdin_data; /* may be NULL: stdin is then empty */
    size_t stdin_length;
    double timeout_s; /* <= 0: no limit */
    bool count_perf;  /* open perf counters on the process tree */
    /* When set, stdout and stderr go to this file (created or truncated) instead of
     * being captured: for processes that start something which outlives them. */
    const char *output_path;
    /* Leave the rest of the process group alive when the process exits (`runc run -d`
     * starts a container that must outlive runc). Normally it is killed. */
    bool keep_descendants;
    /* Runs to its end even after Ctrl-C/SIGTERM: for clean-up commands (`runc delete`). */
    bool ignore_cancel;
} process_spec;

typedef enum process_end {
    PROCESS_EXITED,    /* exit_code is valid */
    PROCESS_SIGNALED,  /* term_signal is valid */
    PROCESS_TIMED_OUT, /* killed after timeout_s */
    PROCESS_CANCELLED, /* killed because the run was cancelled */
} process_end;

typedef struct process_result {
    process_end end;
    int exit_code;
    int term_signal;
    char *out; /* NUL-terminated, malloc'ed; the caller frees with process_result_free */
    size_t out_length;
    char *err;
    size_t err_length;
    uint64_t wall_ns;
    /* wall_ns; exec_ns (from the launch until exec replaced the launcher's image with the
     * program's: the kernel's part of starting it); user_ns, sys_ns, max_rss_kib (+
     * max_rss_from), perf counters */
    json_t *metrics;
} process_result;

/* Runs spec to completion. Returns 0 when the process was started and ended (in any of
 * the ways above), -1 with err filled when it could not be started at all. */
int process_run(const process_spec *spec, process_result *result, wasmvs_error *err);

void process_result_free(process_result *result);

/* Starts a long-lived process in its own process group with stdin from /dev/null and
 * stdout/stderr to spec->output_path, and returns at once with its pid. End it with
 * process_stop. */
int process_spawn(const process_spec *spec, pid_t *pid, wasmvs_error *err);

/* Ends the process group of a spawned process: SIGTERM, then SIGKILL after grace_s;
 * reaps the leader. */
void process_stop(pid_t pid, double grace_s);

/* Waits until the file at path contains text (a "ready" line), polling every
 * millisecond. Fails on timeout, on cancellation, or when pid (if > 0) exits first. */
int process_wait_file_text(const char *path, const char *text, double timeout_s, pid_t pid,
                           wasmvs_error *err);

/* Describes how the process ended ("exit code 2", "killed by signal 9", ...). */
void process_describe_end(const process_result *result, char *out, size_t size);

/* Runs a short command (a tool's --version) and returns the first line it printed (stdout,
 * else stderr) when it ran to an exit of its own, or NULL;
 * the caller frees. */
char *process_first_line(char *const *argv);

#endif

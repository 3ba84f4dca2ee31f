/* http.h: the `http` scenario kind. For each target in turn: start the server workload
 * (httpd) as a long-lived instance on a free loopback port while a libcurl probe polls
 * it, so the time from the launch call to the first `200 OK` is measured beside the
 * time to its ready line; pin the server to one CPU and the load to another; run the
 * closed-loop wrk rounds (warm-up and measured), then the open-loop rate sweep; record
 * everything in the target's results entry; stop the server. A server that does not
 * start or answer within the scenario's timeout is recorded as a failed sample with its
 * output, and the next target runs. The load options are the scenario's "load" object
 * (README.md, "HTTP"). */
#ifndef WASMVS_HTTP_H
#define WASMVS_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

struct scenario;
struct target;

typedef struct http_options {
    /* closed loop (wrk) */
    int threads, connections, duration_s;
    int warmup_duration_s; /* each of the scenario's warm-up rounds */
    int request_timeout_s; /* inside wrk and the open loop */
    /* open-loop sweep; sweep_enabled false skips it */
    bool sweep_enabled;
    int sweep_connections;
    double sweep_start_rate, sweep_max_rate, sweep_growth;
    int sweep_refine_steps;
    double sweep_duration_s, sweep_warmup_s;
    double p99_bound_ms;
    /* placement: CPUs for the server and the load; -1 = automatic (server on the first
     * CPU wasmvs may use, load on the next), -2 = leave it to the scheduler */
    int server_cpu, load_cpu;
} http_options;

/* Reads the scenario's "load" object (NULL: all defaults); errors name the field. */
int http_options_from_json(const char *path, json_t *load, http_options *out, wasmvs_error *err);

/* The options with every default filled in, as recorded in the results' scenario. */
json_t *http_options_to_json(const http_options *options);

/* Measures one prepared target as described above and records it in its results entry
 * (samples, load, sweep, cold start, placement). Returns 0 when every measured round
 * was good, 1 when something failed (recorded), -1 when interrupted. */
int http_measure_target(struct target *t, struct scenario *s, json_t *entry);

/* ---- the parts another HTTP scenario kind reuses (serverless.c) ---- */

typedef struct http_placement {
    int server_cpu, load_cpu; /* -1: not pinned */
    char how[160];
} http_placement;

/* Server and load on different CPUs when wasmvs may use two or more. */
void http_place(const http_options *o, http_placement *p);

/* {"server_cpu", "load_cpu", "how"}: a target entry's "placement". */
json_t *http_placement_to_json(const http_placement *p);

/* Pins the server pid to p's server CPU (when it has one); a failure is said on stderr and
 * recorded in entry's "placement" (server_cpu -1, pin_error), and the server runs on. */
void http_pin_server(pid_t pid, const http_placement *p, json_t *entry);

/* Whether pid runs: exists and is not a zombie (a native server that ended stays one
 * until its stop reaps it). */
bool http_pid_alive(pid_t pid);

/* Told before each wrk round and after it, with the round's sample (already recorded) to
 * add figures measured beside the load. */
typedef struct http_round_observer {
    void (*before)(void *context, bool warmup);
    void (*after)(void *context, json_t *sample);
    void *context;
} http_round_observer;

/* The scenario's wrk rounds (warm-up, then measured), each a sample of entry, against the
 * server at url (process server_pid, whose CPU is measured), then the open-loop sweep
 * when o enables it; the median measured round becomes entry's "load" with the sweep in
 * it. observer may be NULL. Returns 0 when every round was good, 1 when one failed, -1
 * when interrupted. */
int http_load_rounds(const struct scenario *s, const http_options *o, const http_placement *p,
                     const char *url, pid_t server_pid, const http_round_observer *observer,
                     json_t *entry);

/* The closing note: requests/s, p99 and the first response per target, and the ratio of
 * each target's requests/s to the baseline's. */
void http_print_note(FILE *out, json_t *doc);

#endif

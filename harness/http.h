/* http.h: the `http` scenario kind. For each target: start the server workload
 * (httpd) as a long-lived instance on a free loopback port while a libcurl probe polls
 * it, so the time from the launch call to the first `200 OK` is measured beside the
 * time to its ready line; pin the server to one CPU and the load to another; run the
 * closed-loop wrk rounds (warm-up and measured) as the run's plan orders them, then
 * the open-loop rate sweep; record everything in the target's results entry; stop the
 * server. A server that does not start or answer within the scenario's timeout is
 * recorded as a failed sample with its output, and the next target runs. The load
 * options are the scenario's "load" object (README.md, "HTTP"). The same session of
 * rounds, sweep and placement drives the serverless kind's front end (serverless.h). */
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

/* A session: one server under wrk rounds, from its start to its stop, driven by the run's
 * plan (run.c): open (or attach), one round per step in the order the plan gives, close.
 * The serverless kind attaches a session to its front end (serverless.c). */
typedef struct http_session http_session;

/* Whether the servers of several targets can run at once (each on a free port), so the
 * plan can interleave their rounds; not when the scenario fixes parameters.port. */
bool http_servers_side_by_side(const struct scenario *s);

/* Starts the target's server on a free port (or the scenario's) while the probe waits
 * for its first 200 OK, pins it, and records placement, server and both cold-start times
 * in the entry. Returns 0 with *out set; 1 when it failed (recorded as a failed sample
 * with the server's output); -1 when interrupted. */
int http_session_open(struct target *t, struct scenario *s, json_t *entry, http_session **out);

/* A session for a server the caller started and stops (after http_session_close): the
 * one at url, process server_pid (the rounds measure its CPU). Places server and load
 * as http_session_open does (recorded in the entry's "placement") and pins the server.
 * NULL when out of memory. */
http_session *http_session_attach(json_t *entry, const http_options *options, const char *url,
                                  pid_t server_pid);

/* One wrk round recorded as a sample of the entry: 1 good, 0 failed (recorded), -1
 * interrupted (nothing recorded). *sample, unless sample is NULL, gets the recorded
 * sample (the entry's), or NULL. */
int http_session_round(http_session *session, bool warmup, json_t **sample);

/* Whether the server still runs (after a failed round: if not, it takes no more). */
bool http_session_alive(const http_session *session);

/* The median good round becomes the entry's `load`, then the open-loop sweep (unless
 * interrupted or the server ended); for a server the session started, records its
 * output and stops it. Frees the session (NULL is fine). Returns 0, or -1 when
 * interrupted during the sweep. */
int http_session_close(http_session *session);

/* The closing note: requests/s, p99 and the first response per target, and the ratio of
 * each target's requests/s to the baseline's. */
void http_print_note(FILE *out, json_t *doc);

#endif

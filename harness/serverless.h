/* serverless.h: the serverless scenario kind. Every HTTP request is served by a fresh
 * instance of the target, made for it and gone after it: the wasmrt engine instantiating
 * a module it loaded once (as `wasmtime serve` does), a `wasmrt run` process, a native
 * process (CGI) or a Docker container per request. For each target in turn a front end
 * (serverless_gateway.h) takes the requests on a loopback port, pinned to the server CPU
 * as the http kind pins its server; the http kind's session of wrk rounds and open-loop
 * sweep drives it (http.h, harness/load/), one round per step of the run's plan. Beside
 * each round the front end's own figures are recorded: per-request instance time and
 * instantiate time (percentiles and histograms), its CPU and its launches' CPU per
 * request, failures, and memory at steady state (PSS of the front end's process tree and
 * the MemAvailable drop, sampled during the round).
 *
 * Options: the scenario's "load" object (as for http), and "serverless":
 *   { "load_by_target": { "docker": { "connections": 2, "sweep": false } },
 *     "memory_interval_s": 0.25 }
 * where load_by_target holds fields merged over "load" for one target (the slow ones
 * need few connections and long timeouts). README.md, "Serverless". */
#ifndef WASMVS_SERVERLESS_H
#define WASMVS_SERVERLESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"

struct scenario;
struct target;

/* Checks the scenario's "load" and "serverless" objects (doc is the whole scenario):
 * unknown fields, bad values and targets are errors naming path and the field. */
int serverless_options_check(const char *path, json_t *doc, wasmvs_error *err);

/* The "serverless" object with every default filled in, as recorded in the results. */
json_t *serverless_options_to_json(json_t *doc);

/* One target's front end from its start to its stop, driven by the run's plan (run.c)
 * as the http kind's server is: open, one round per step, close. A round is one of the
 * http kind's wrk rounds against the front end (http_session_round) with the front
 * end's own figures and the memory sampled during it added to its sample. */
typedef struct serverless_session serverless_session;

/* Starts the target's front end, pins it, sends the first request and records
 * placement and "serverless.front_end" in the entry. Returns 0 with *out set; 1 when it
 * failed (recorded as a failed sample); -1 when interrupted. */
int serverless_session_open(struct target *t, struct scenario *s, json_t *entry,
                            serverless_session **out);

/* One round recorded as a sample: 1 good, 0 failed (recorded), -1 interrupted. */
int serverless_session_round(serverless_session *session, bool warmup);

/* Whether the front end still runs. */
bool serverless_session_alive(const serverless_session *session);

/* The median round becomes the entry's `load` (with the open-loop sweep) and its
 * histograms "serverless.histograms"; stops the front end (a request in hand finishes
 * first) and frees the session (NULL is fine). Returns 0, or -1 when interrupted during
 * the sweep. */
int serverless_session_close(serverless_session *session);

/* The closing note: fresh instances per second, latency, instance and instantiate time
 * and memory per target, and the goals' verdicts (wasmrt in-process >= 20,000 fresh
 * instances/s, >= 1,000x Docker's per-request rate). */
void serverless_print_note(FILE *out, json_t *doc);

#endif

/* serverless_gateway.h: the front end of the serverless scenario. An HTTP/1.1 server in a
 * process of its own (a fork of wasmvs made after the target was prepared, so a crash in
 * it cannot take the harness down and its memory and CPU are measured like a server's)
 * that answers every request with a fresh instance of the target: the request's body, or
 * for a request without one the workload's stdin, becomes the instance's stdin, and its
 * stdout the response body. 200 when the instance gave the workload's expected answer (or,
 * for a body of the client's, exited with 0); 500 with the reason otherwise. Requests are
 * served one at a time, in arrival order, over keep-alive connections.
 *
 * The harness steers it through a command pipe between requests: reset the statistics,
 * snapshot them into memory shared with the harness, or quit after the request in hand.
 * It is a helper process (helper.h). */
#ifndef WASMVS_SERVERLESS_GATEWAY_H
#define WASMVS_SERVERLESS_GATEWAY_H

#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "helper.h"
#include "load/load.h"
#include "target.h"

/* What the front end measured since its statistics were last reset. */
typedef struct serverless_stats {
    uint64_t requests;        /* answered, any status */
    uint64_t failures;        /* answered 500: the instance did not give the expected answer */
    uint64_t elapsed_ns;      /* since the reset */
    uint64_t cpu_ns;          /* the front end's own CPU (user + system, its engine included) */
    uint64_t children_cpu_ns; /* CPU of the processes it launched and reaped (CGI) */
    char last_failure[256];
    /* per request: the instance's whole life (made, run, output collected, freed) */
    load_histogram instance;
    /* per request, where the target can tell: until the fresh instance could run */
    load_histogram instantiate;
    /* per request: from the request read whole to its response queued for sending */
    load_histogram request;
} serverless_stats;

typedef struct serverless_gateway {
    helper process;           /* the front end: pid -1 when not running */
    int port;                 /* listening on 127.0.0.1:port */
    serverless_stats *shared; /* the last snapshot (memory shared with the front end) */
    uint64_t ready_ns;        /* from the fork until it listened with serve_open done */
} serverless_gateway;

/* Starts the front end for the prepared target t and workload w on a free loopback port;
 * returns once it is ready (within timeout_s), or fails with what the front end said.
 * instance_timeout_s bounds each request's instance. */
int serverless_gateway_start(target *t, const workload_invocation *w, double timeout_s,
                             double instance_timeout_s, serverless_gateway *gateway,
                             wasmvs_error *err);

/* Starts the statistics afresh (between requests). */
int serverless_gateway_reset(serverless_gateway *gateway, double timeout_s, wasmvs_error *err);

/* Copies the statistics since the reset into gateway->shared. */
int serverless_gateway_snapshot(serverless_gateway *gateway, double timeout_s, wasmvs_error *err);

/* Asks the front end to finish the request in hand and exit; kills it after grace_s.
 * Idempotent. */
void serverless_gateway_stop(serverless_gateway *gateway, double grace_s);

#endif

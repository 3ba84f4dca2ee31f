/* load.h: HTTP load against a server under test, everything the http scenario needs:
 *   - a latency histogram with log-sized buckets (~0.8% precision), HdrHistogram-like;
 *   - closed-loop load with wrk (threads, connections, duration), read back through the
 *     Lua done() hook in harness/load/wrk-report.lua;
 *   - open-loop load at a constant request rate with latency measured from each
 *     request's intended send time (no coordinated omission), and a rate sweep that
 *     finds where p99 latency breaks a bound;
 *   - a libcurl probe for cold start to the first `200 OK`, and a free-port finder.
 * Servers are addressed by URL, "http://IPV4[:PORT][/PATH]" (no name lookups). Every run
 * is bounded in time, stops by itself and returns early when the run is cancelled
 * (cancel.h). Times are meter_clock_ns() (CLOCK_MONOTONIC) nanoseconds. */
#ifndef WASMVS_LOAD_H
#define WASMVS_LOAD_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "../error.h"

/* ---- histogram (histogram.c) ---- */

/* Values below 2^SUB_BITS are kept exactly; above, each power of two is split into
 * 2^SUB_BITS buckets, so a bucket is at most 1/128 = 0.78% of its values wide. Values
 * of 2^MAX_EXPONENT ns (18 minutes) and more are clamped into the last bucket. */
#define LOAD_HISTOGRAM_SUB_BITS 7
#define LOAD_HISTOGRAM_MAX_EXPONENT 40
#define LOAD_HISTOGRAM_BUCKETS                                                                     \
    ((LOAD_HISTOGRAM_MAX_EXPONENT - LOAD_HISTOGRAM_SUB_BITS + 1) << LOAD_HISTOGRAM_SUB_BITS)

typedef struct load_histogram {
    uint64_t count, min, max; /* min and max are exact, not bucketed */
    double sum;
    uint64_t buckets[LOAD_HISTOGRAM_BUCKETS];
} load_histogram;

void load_histogram_reset(load_histogram *h);
void load_histogram_record(load_histogram *h, uint64_t value);
void load_histogram_merge(load_histogram *into, const load_histogram *from);
/* The value at `percentile` (0-100]: the highest value of the bucket holding that rank,
 * capped by the exact max; 0 for an empty histogram. 100 gives the max. */
uint64_t load_histogram_percentile(const load_histogram *h, double percentile);
double load_histogram_mean(const load_histogram *h);
/* Bucket bounds, inclusive. */
uint64_t load_histogram_bucket_low(int index);
uint64_t load_histogram_bucket_high(int index);
/* {"unit":"ns","sub_bucket_bits":7,"count","min","max","mean",
 *  "buckets":[[low,high,count],...]} with only non-empty buckets. */
json_t *load_histogram_to_json(const load_histogram *h);

/* ---- one load run's outcome (result.c) ---- */

typedef struct load_errors {
    uint64_t connect; /* connection refused, reset or timed out while connecting */
    uint64_t read;    /* connection lost or malformed response while waiting */
    uint64_t write;   /* sending the request failed */
    uint64_t status;  /* answered, but not 2xx (wrk: status >= 400) */
    uint64_t timeout; /* no complete response within the timeout */
} load_errors;

typedef struct load_latency {
    uint64_t p50_ns, p90_ns, p99_ns, p999_ns, max_ns;
    double mean_ns;
} load_latency;

/* The percentiles above, read from a histogram of nanoseconds (histogram.c). */
void load_latency_of(const load_histogram *h, load_latency *out);

typedef struct load_result {
    char generator[16];       /* "wrk" or "open-loop" */
    int threads, connections; /* as run */
    double duration_s;        /* measured interval (warm-up excluded) */
    double target_rate_per_s; /* open loop: the rate asked for; wrk: 0 */
    uint64_t requests;        /* complete responses in the interval, any status */
    uint64_t bytes;           /* response bytes read */
    double requests_per_s;
    uint64_t unsent; /* open loop: requests due in the interval but never sent (backlog) */
    /* open loop: CPU the generator threads used over the whole run (connect, warm-up and
     * drain included); near threads x the run's wall time means the generator, not the
     * server, set the limit. */
    uint64_t generator_cpu_ns;
    double generator_wall_s;
    /* CPU the server process used during the run (user + system, all its threads), when
     * the options named its pid; else 0. */
    uint64_t server_cpu_ns;
    /* open loop: how late requests left after their due time: the generator's own
     * wake-up lag plus waiting for the connection's previous response. Already part of
     * `latency`; a large value with an idle server points at the generator. */
    load_latency send_delay;
    load_latency latency;
    load_errors errors;
    load_histogram *histogram; /* open loop: every recorded latency; wrk: NULL. Owned. */
} load_result;

uint64_t load_errors_total(const load_errors *e);
void load_result_free(load_result *r);
/* The `load` object of an http result: parameters, rates, latency, errors, histogram. */
json_t *load_result_to_json(const load_result *r);

/* ---- closed loop with wrk (wrk.c) ---- */

typedef struct load_wrk_options {
    const char *url;
    const char *script; /* the report hook; NULL = harness/load/wrk-report.lua under the root */
    const char *wrk;    /* executable; NULL = "wrk" on PATH */
    int threads, connections;
    int duration_s;   /* whole seconds: wrk takes no fractions */
    int timeout_s;    /* per-request timeout inside wrk; 0 = 2 */
    int cpu;          /* >= 0: pin wrk to this CPU; -1: leave it to the scheduler */
    pid_t server_pid; /* > 0: measure this process's CPU over the run */
} load_wrk_options;

int load_wrk_run(const load_wrk_options *options, load_result *out, wasmvs_error *err);
/* Reads the report line the Lua hook printed from wrk's whole output. */
int load_wrk_parse_report(const char *output, load_result *out, wasmvs_error *err);

/* ---- open loop (openloop.c) and rate sweep (sweep.c) ---- */

typedef struct load_open_options {
    const char *url;
    double rate_per_s; /* requests per second over all connections */
    int connections;   /* keep-alive connections, one request in flight on each */
    double duration_s; /* recorded interval */
    double warmup_s;   /* run at the rate first without recording */
    double timeout_s;  /* a response later than this is an error; 0 = 2 s */
    int threads;       /* generator threads, connections dealt round-robin; 0 = 1 */
    int cpu;           /* >= 0: pin generator thread k to CPU cpu + k; -1: don't pin */
    pid_t server_pid;  /* > 0: measure this process's CPU over the run */
} load_open_options;

int load_open_run(const load_open_options *options, load_result *out, wasmvs_error *err);

#define LOAD_SWEEP_MAX_STEPS 32

typedef struct load_sweep_options {
    load_open_options run; /* run.rate_per_s is ignored: the sweep sets it */
    double start_rate_per_s, max_rate_per_s;
    double growth;         /* rate factor between steps until one breaks; > 1, e.g. 1.5 */
    int refine_steps;      /* then bisect between the last good and first broken rate */
    uint64_t p99_bound_ns; /* a step holds when p99 <= bound, no errors, nothing unsent
                              and at least 95% of the asked rate answered */
} load_sweep_options;

typedef struct load_sweep_step {
    double rate_per_s;
    int sustained;
    char verdict[160]; /* why the step held or broke */
    load_result result;
} load_sweep_step;

typedef struct load_sweep_result {
    int step_count;
    load_sweep_step steps[LOAD_SWEEP_MAX_STEPS];
    double max_sustained_rate_per_s; /* 0 when even the start rate broke */
    double first_broken_rate_per_s;  /* 0 when max_rate_per_s still held */
} load_sweep_result;

int load_sweep_run(const load_sweep_options *options, load_sweep_result *out, wasmvs_error *err);
void load_sweep_free(load_sweep_result *r);
json_t *load_sweep_to_json(const load_sweep_result *r, const load_sweep_options *options);

/* ---- readiness, server CPU and ports (probe.c) ---- */

/* A prepared probe: make it before launching the server, so libcurl's start-up is not
 * counted in the server's cold start. */
typedef struct load_probe load_probe;
load_probe *load_probe_new(const char *url, wasmvs_error *err);
void load_probe_free(load_probe *probe);

typedef struct load_probe_options {
    uint64_t start_ns; /* the launch instant, from meter_clock_ns() */
    double timeout_s;  /* give up this long after start_ns */
    double interval_s; /* pause between attempts; 0 = 200 us */
    /* Optional: called between attempts; returning 0 (the server process has exited)
     * ends the probe at once with an error. */
    int (*alive)(void *context);
    void *alive_context;
} load_probe_options;

/* Polls until the first `200 OK`; *elapsed_ns = its arrival - options->start_ns. */
int load_probe_first_ok(load_probe *probe, const load_probe_options *options, uint64_t *elapsed_ns,
                        wasmvs_error *err);

/* User + system CPU a process has used so far, all its threads (/proc/PID/stat). */
int load_process_cpu_ns(pid_t pid, uint64_t *cpu_ns, wasmvs_error *err);

/* A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read it, release). */
int load_free_port(int *port, wasmvs_error *err);

/* ---- URLs (url.c) ---- */

typedef struct load_url {
    char host[64]; /* dotted IPv4 */
    int port;
    char path[512];
} load_url;

/* Parses "http://IPV4[:PORT][/PATH]"; "localhost" is read as 127.0.0.1. */
int load_url_parse(const char *url, load_url *out, wasmvs_error *err);

#endif

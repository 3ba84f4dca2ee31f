/* serverless.c: the serverless scenario kind (see serverless.h): its options, one target's
 * measurement from the front end's start to its stop (the rounds themselves are http.c's),
 * the memory sampled during each round, and the closing note. */
#include "serverless.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cancel.h"
#include "density_memory.h"
#include "http.h"
#include "meters/clock.h"
#include "meters/memory.h"
#include "results.h"
#include "scenario.h"
#include "serverless_gateway.h"
#include "stats.h"
#include "target.h"

#define SERVERLESS_MEMORY_INTERVAL_S 0.25

/* ---- options ---- */

static double serverless_memory_interval(json_t *doc)
{
    json_t *value = json_object_get(json_object_get(doc, "serverless"), "memory_interval_s");
    return value ? json_number_value(value) : SERVERLESS_MEMORY_INTERVAL_S;
}

/* The load object for one target: the scenario's "load" with the target's fields from
 * serverless.load_by_target over it (a "sweep" object is merged field by field). A new
 * reference. */
static json_t *serverless_load_for(json_t *doc, const char *name)
{
    json_t *base = json_object_get(doc, "load");
    json_t *load = base ? json_deep_copy(base) : json_object();
    json_t *over = json_object_get(
        json_object_get(json_object_get(doc, "serverless"), "load_by_target"), name);
    const char *key;
    json_t *value;
    json_object_foreach(over, key, value)
    {
        json_t *had = json_object_get(load, key);
        if (strcmp(key, "sweep") == 0 && json_is_object(had) && json_is_object(value))
            json_object_update(had, value);
        else
            json_object_set(load, key, value);
    }
    return load;
}

int serverless_options_check(const char *path, json_t *doc, wasmvs_error *err)
{
    http_options o;
    if (http_options_from_json(path, json_object_get(doc, "load"), &o, err) != 0) return -1;
    json_t *options = json_object_get(doc, "serverless");
    if (!options) return 0;
    if (!json_is_object(options))
        return wasmvs_fail(err,
                           "%s: field \"serverless\": expected an object, found another "
                           "JSON value",
                           path);
    const char *key;
    json_t *value;
    json_object_foreach(options, key, value)
    {
        if (strcmp(key, "memory_interval_s") == 0) {
            if (!json_is_number(value) || json_number_value(value) < 0.01 ||
                json_number_value(value) > 60)
                return wasmvs_fail(
                    err,
                    "%s: field \"serverless.memory_interval_s\": expected a "
                    "number of seconds from 0.01 to 60, found %s",
                    path, json_is_number(value) ? "one out of range" : "another JSON value");
        } else if (strcmp(key, "load_by_target") != 0) {
            return wasmvs_fail(err,
                               "%s: field \"serverless.%s\": unknown field; expected only "
                               "load_by_target, memory_interval_s",
                               path, key);
        }
    }
    json_t *by_target = json_object_get(options, "load_by_target");
    if (by_target && !json_is_object(by_target))
        return wasmvs_fail(err,
                           "%s: field \"serverless.load_by_target\": expected an object of "
                           "target names, found another JSON value",
                           path);
    json_object_foreach(by_target, key, value)
    {
        if (!target_exists(key))
            return wasmvs_fail(err,
                               "%s: field \"serverless.load_by_target.%s\": expected a target "
                               "name (%s)",
                               path, key, target_names());
        if (!json_is_object(value))
            return wasmvs_fail(err,
                               "%s: field \"serverless.load_by_target.%s\": expected an object "
                               "of load fields, found another JSON value",
                               path, key);
        json_t *load = serverless_load_for(doc, key);
        int status = http_options_from_json(path, load, &o, err);
        json_decref(load);
        if (status != 0)
            return wasmvs_wrap(err, "(the load of serverless.load_by_target.%s over \"load\")",
                               key);
    }
    return 0;
}

json_t *serverless_options_to_json(json_t *doc)
{
    json_t *options = json_object_get(doc, "serverless");
    json_t *by_target = json_object_get(options, "load_by_target");
    return json_pack("{s:o, s:f}", "load_by_target",
                     by_target ? json_deep_copy(by_target) : json_object(), "memory_interval_s",
                     serverless_memory_interval(doc));
}

/* ---- memory at steady state, sampled during a round ---- */

typedef struct serverless_sampler {
    pthread_t thread;
    atomic_int stop;
    pid_t pid;
    double interval_s;
    long long available_before_kib; /* before the front end started */
    double *pss_kib, *drop_kib;
    size_t count, capacity;
    int running; /* the thread runs (during a round) */
} serverless_sampler;

static void *serverless_sampler_run(void *context)
{
    serverless_sampler *s = context;
    while (!atomic_load(&s->stop)) {
        meter_memory_tree tree;
        wasmvs_error ignored;
        long long available = density_memory_available_kib(NULL);
        if (meter_memory_tree_read(s->pid, &tree, &ignored) == 0 && available >= 0) {
            if (s->count == s->capacity) {
                size_t capacity = s->capacity ? s->capacity * 2 : 256;
                double *pss = realloc(s->pss_kib, capacity * sizeof *pss);
                if (pss) s->pss_kib = pss;
                double *drop = realloc(s->drop_kib, capacity * sizeof *drop);
                if (drop) s->drop_kib = drop;
                if (!pss || !drop) break;
                s->capacity = capacity;
            }
            s->pss_kib[s->count] = (double)tree.pss_kib;
            s->drop_kib[s->count++] = (double)(s->available_before_kib - available);
        }
        uint64_t until = meter_clock_ns() + (uint64_t)(s->interval_s * 1e9);
        while (!atomic_load(&s->stop) && meter_clock_ns() < until) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    return NULL;
}

/* ---- one target: a session from the front end's start to its stop ---- */

struct serverless_session {
    target *t;
    json_t *entry;
    serverless_gateway gateway;
    http_session *rounds; /* http.c's wrk rounds and sweep against the front end */
    double timeout_s;     /* for the front end's answers (reset, snapshot, stop) */
    serverless_sampler sampler;
};

static void serverless_fail(json_t *entry, const char *name, const char *why)
{
    fprintf(stderr, "%s: failed: %s\n", name, why);
    results_add_sample(entry, false, false, why, NULL, json_object(), NULL);
}

/* How the front end makes each request's instance, for the results. */
static const char *serverless_instance_kind(const target *t)
{
    if (t->ops->serve)
        return "a fresh instance of the module loaded once by the front end's engine "
               "(in-process, one at a time)";
    return "one run_once sample of the target per request (a process or a container made, "
           "run to its exit and removed), launched by the front end";
}

static void serverless_stop_front_end(serverless_session *session)
{
    /* a request in hand finishes first (a container is removed); after Ctrl-C, briefly:
       clean-up sweeps what a killed front end left */
    serverless_gateway_stop(&session->gateway, cancel_requested() ? 1 : session->timeout_s);
    free(session->sampler.pss_kib);
    free(session->sampler.drop_kib);
    free(session);
}

int serverless_session_open(target *t, scenario *s, json_t *entry, serverless_session **out)
{
    *out = NULL;
    http_options o;
    wasmvs_error err = {{0}};
    json_t *load_json = serverless_load_for(s->json, t->name);
    int parsed = http_options_from_json(s->file, load_json, &o, &err);
    json_decref(load_json);
    if (parsed != 0) {
        serverless_fail(entry, t->name, err.message);
        return 1;
    }
    serverless_session *session = calloc(1, sizeof *session);
    if (!session) {
        serverless_fail(entry, t->name, "out of memory");
        return 1;
    }
    session->t = t;
    session->entry = entry;
    session->timeout_s = s->timeout_s + 5;
    session->sampler.interval_s = serverless_memory_interval(s->json);
    session->sampler.available_before_kib = density_memory_available_kib(NULL);
    fprintf(stderr, "%s: starting the serverless front end\n", t->name);
    serverless_gateway *gateway = &session->gateway;
    if (serverless_gateway_start(t, &s->invocation, s->timeout_s, s->timeout_s, gateway, &err) !=
        0) {
        free(session);
        if (cancel_requested()) return -1;
        serverless_fail(entry, t->name, err.message);
        return 1;
    }
    session->sampler.pid = gateway->process.pid;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", gateway->port);
    session->rounds = http_session_attach(entry, &o, url, gateway->process.pid);
    if (!session->rounds) {
        serverless_fail(entry, t->name, "out of memory");
        serverless_stop_front_end(session);
        return 1;
    }

    /* the first request: the first instance pays what later ones share (lazy compile) */
    uint64_t first_ns = 0;
    load_probe *probe = load_probe_new(url, &err);
    load_probe_options probe_options = {.start_ns = meter_clock_ns(), .timeout_s = s->timeout_s};
    int first = probe ? load_probe_first_ok(probe, &probe_options, &first_ns, &err) : -1;
    load_probe_free(probe);
    json_t *front_end =
        json_pack("{s:s, s:i, s:i, s:I, s:s, s:i, s:s}", "url", url, "port", gateway->port, "pid",
                  (int)gateway->process.pid, "ready_ns", (json_int_t)gateway->ready_ns, "instance",
                  serverless_instance_kind(t), "concurrency", 1, "input",
                  "each request's body, or for a request without one the workload's stdin; "
                  "its stdout is the response body");
    json_object_set_new(entry, "serverless", json_pack("{s:o}", "front_end", front_end));
    if (first != 0) {
        int interrupted = cancel_requested();
        if (!interrupted) serverless_fail(entry, t->name, err.message);
        http_session_close(session->rounds);
        serverless_stop_front_end(session);
        return interrupted ? -1 : 1;
    }
    json_object_set_new(front_end, "first_response_ns", json_integer((json_int_t)first_ns));
    *out = session;
    return 0;
}

/* Before a round: the front end's figures start from zero, memory is sampled during it. */
static void serverless_round_begin(serverless_session *session)
{
    wasmvs_error err = {{0}};
    if (serverless_gateway_reset(&session->gateway, session->timeout_s, &err) != 0)
        fprintf(stderr, "%s: %s\n", session->t->name, err.message);
    serverless_sampler *m = &session->sampler;
    m->count = 0;
    atomic_store(&m->stop, 0);
    m->running = pthread_create(&m->thread, NULL, serverless_sampler_run, m) == 0;
}

static void serverless_set(json_t *metrics, const char *name, double value)
{
    json_object_set_new(metrics, name, json_integer((json_int_t)llround(value)));
}

/* After a round: the memory sampled and the front end's figures into its sample (NULL
 * when the round was interrupted before one was recorded). */
static void serverless_round_end(serverless_session *session, json_t *sample)
{
    serverless_sampler *m = &session->sampler;
    if (m->running) {
        atomic_store(&m->stop, 1);
        pthread_join(m->thread, NULL);
        m->running = 0;
    }
    if (!sample) return;
    json_t *metrics = json_object_get(sample, "metrics");
    if (m->count > 0) {
        serverless_set(metrics, "pss_kib", stats_quantile(m->pss_kib, m->count, 0.5));
        serverless_set(metrics, "pss_max_kib", stats_quantile(m->pss_kib, m->count, 1.0));
        serverless_set(metrics, "memavailable_drop_kib",
                       stats_quantile(m->drop_kib, m->count, 0.5));
        serverless_set(metrics, "memory_samples", (double)m->count);
    }
    wasmvs_error err = {{0}};
    if (serverless_gateway_snapshot(&session->gateway, session->timeout_s, &err) != 0) {
        fprintf(stderr, "%s: %s\n", session->t->name, err.message);
        return;
    }
    const serverless_stats *s = session->gateway.shared;
    serverless_set(metrics, "instances", (double)s->requests);
    serverless_set(metrics, "instance_failures", (double)s->failures);
    if (s->elapsed_ns > 0)
        json_object_set_new(metrics, "instances_per_s",
                            json_real((double)s->requests * 1e9 / (double)s->elapsed_ns));
    if (s->instance.count > 0) {
        serverless_set(metrics, "instance_p50_ns", load_histogram_percentile(&s->instance, 50));
        serverless_set(metrics, "instance_p90_ns", load_histogram_percentile(&s->instance, 90));
        serverless_set(metrics, "instance_p99_ns", load_histogram_percentile(&s->instance, 99));
    }
    if (s->instantiate.count > 0) {
        serverless_set(metrics, "instantiate_p50_ns",
                       load_histogram_percentile(&s->instantiate, 50));
        serverless_set(metrics, "instantiate_p99_ns",
                       load_histogram_percentile(&s->instantiate, 99));
    }
    if (s->request.count > 0)
        serverless_set(metrics, "front_end_request_p50_ns",
                       load_histogram_percentile(&s->request, 50));
    if (s->requests > 0) {
        serverless_set(metrics, "front_end_cpu_per_request_ns",
                       (double)s->cpu_ns / (double)s->requests);
        if (s->children_cpu_ns > 0)
            serverless_set(metrics, "launched_cpu_per_request_ns",
                           (double)s->children_cpu_ns / (double)s->requests);
    }
    json_t *detail = json_pack("{s:o}", "instance_histogram", load_histogram_to_json(&s->instance));
    if (s->instantiate.count > 0)
        json_object_set_new(detail, "instantiate_histogram",
                            load_histogram_to_json(&s->instantiate));
    if (s->failures > 0) json_object_set_new(detail, "last_failure", json_string(s->last_failure));
    json_object_set_new(sample, "serverless", detail);
}

int serverless_session_round(serverless_session *session, bool warmup)
{
    serverless_round_begin(session);
    json_t *sample = NULL;
    int good = http_session_round(session->rounds, warmup, &sample);
    serverless_round_end(session, sample);
    return good;
}

bool serverless_session_alive(const serverless_session *session)
{
    return http_session_alive(session->rounds);
}

/* The measured good sample whose load became the target's (the median round). */
static json_t *serverless_chosen_sample(json_t *entry)
{
    double chosen =
        json_number_value(json_object_get(json_object_get(entry, "load"), "requests_per_s"));
    size_t i;
    json_t *sample;
    json_array_foreach(json_object_get(entry, "samples"), i, sample)
    {
        json_t *load = json_object_get(sample, "load");
        if (json_is_true(json_object_get(sample, "ok")) &&
            !json_is_true(json_object_get(sample, "warmup")) &&
            json_number_value(json_object_get(load, "requests_per_s")) == chosen)
            return sample;
    }
    return NULL;
}

int serverless_session_close(serverless_session *session)
{
    if (!session) return 0;
    int result = http_session_close(session->rounds);
    json_t *chosen =
        json_object_get(session->entry, "load") ? serverless_chosen_sample(session->entry) : NULL;
    if (chosen)
        json_object_set(json_object_get(session->entry, "serverless"), "histograms",
                        json_object_get(chosen, "serverless"));
    serverless_stop_front_end(session);
    return result;
}

/* ---- closing note ---- */

static double serverless_median(json_t *entry, const char *metric)
{
    json_t *value =
        json_object_get(json_object_get(json_object_get(entry, "summary"), metric), "median");
    return json_is_number(value) ? json_number_value(value) : NAN;
}

static void serverless_print_time(FILE *out, const char *label, double ns)
{
    if (isnan(ns)) return;
    if (ns >= 1e6)
        fprintf(out, "; %s %.2f ms", label, ns / 1e6);
    else
        fprintf(out, "; %s %.1f us", label, ns / 1e3);
}

void serverless_print_note(FILE *out, json_t *doc)
{
    fprintf(out, "\nServerless: a fresh instance per request (median round of wrk; instance and "
                 "instantiate times per request, medians of the rounds' p50):\n");
    double wasmrt_rate = NAN, docker_rate = NAN;
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        if (!json_is_true(json_object_get(entry, "available"))) continue;
        json_t *load = json_object_get(entry, "load");
        if (!load) {
            fprintf(out, "  %-18s failed (see the results file)\n", name);
            continue;
        }
        double rate = json_number_value(json_object_get(load, "requests_per_s"));
        if (strcmp(name, "wasmrt") == 0) wasmrt_rate = rate;
        if (strcmp(name, "docker") == 0) docker_rate = rate;
        json_t *latency = json_object_get(load, "latency");
        fprintf(out, "  %-18s %9.1f requests/s, p50 %.2f ms, p99 %.2f ms", name, rate,
                json_number_value(json_object_get(latency, "p50_ns")) / 1e6,
                json_number_value(json_object_get(latency, "p99_ns")) / 1e6);
        serverless_print_time(out, "instance", serverless_median(entry, "instance_p50_ns"));
        serverless_print_time(out, "instantiate", serverless_median(entry, "instantiate_p50_ns"));
        double pss = serverless_median(entry, "pss_kib");
        if (!isnan(pss)) fprintf(out, "; front end PSS %.1f MiB", pss / 1024);
        double drop = serverless_median(entry, "memavailable_drop_kib");
        if (!isnan(drop)) fprintf(out, ", MemAvailable drop %+.1f MiB", drop / 1024);
        fputc('\n', out);
    }
    /* issue 14's goals for the engine */
    if (!isnan(wasmrt_rate))
        fprintf(out, "goal: wasmrt >= 20,000 fresh instances/s: %.0f/s (%s)\n", wasmrt_rate,
                wasmrt_rate >= 20000 ? "met" : "not met");
    if (!isnan(wasmrt_rate) && docker_rate > 0)
        fprintf(out, "goal: wasmrt >= 1,000x Docker's per-request rate: %.0fx (%s)\n",
                wasmrt_rate / docker_rate, wasmrt_rate / docker_rate >= 1000 ? "met" : "not met");
}

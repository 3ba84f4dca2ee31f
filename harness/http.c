/* http.c: the `http` scenario kind (see http.h): options, one target's measurement from
 * server start to stop, and the closing note. The load itself is harness/load/. */
#include "http.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cancel.h"
#include "load/load.h"
#include "meters/clock.h"
#include "results.h"
#include "scenario.h"
#include "target.h"

#define HTTP_OUTPUT_KEPT 4096 /* bytes of a server's output kept in the results */

/* ---- options ---- */

typedef struct http_field {
    const char *name;
    double minimum, maximum;
    bool integer;
    size_t offset; /* of an int (integer) or a double in http_options */
} http_field;

#define HTTP_INT(name, lo, hi, member)                                                             \
    {                                                                                              \
        name, lo, hi, true, offsetof(http_options, member)                                         \
    }
#define HTTP_REAL(name, lo, hi, member)                                                            \
    {                                                                                              \
        name, lo, hi, false, offsetof(http_options, member)                                        \
    }

static const http_field http_load_fields[] = {
    HTTP_INT("threads", 1, 64, threads),
    HTTP_INT("connections", 1, 10000, connections),
    HTTP_INT("duration_s", 1, 3600, duration_s),
    HTTP_INT("warmup_duration_s", 1, 600, warmup_duration_s),
    HTTP_INT("request_timeout_s", 1, 60, request_timeout_s),
    HTTP_INT("server_cpu", -1, 1023, server_cpu),
    HTTP_INT("load_cpu", -1, 1023, load_cpu),
    {NULL, 0, 0, false, 0},
};

static const http_field http_sweep_fields[] = {
    HTTP_INT("connections", 1, 10000, sweep_connections),
    HTTP_REAL("start_rate_per_s", 1, 1e7, sweep_start_rate),
    HTTP_REAL("max_rate_per_s", 1, 1e7, sweep_max_rate),
    HTTP_REAL("growth", 1.01, 10, sweep_growth),
    HTTP_INT("refine_steps", 0, 10, sweep_refine_steps),
    HTTP_REAL("duration_s", 0.1, 600, sweep_duration_s),
    HTTP_REAL("warmup_s", 0, 60, sweep_warmup_s),
    HTTP_REAL("p99_bound_ms", 0.001, 60000, p99_bound_ms),
    {NULL, 0, 0, false, 0},
};

/* Reads the fields of object (unknown names are errors) into options. */
static int http_read_fields(const char *path, const char *where, json_t *object,
                            const http_field *fields, http_options *options, wasmvs_error *err)
{
    if (!json_is_object(object))
        return wasmvs_fail(err, "%s: field \"%s\": expected an object, found another JSON value",
                           path, where);
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value)
    {
        if (strcmp(where, "load") == 0 && strcmp(key, "sweep") == 0) continue;
        if (strcmp(where, "load") == 0 && strcmp(key, "tool") == 0) {
            if (!json_is_string(value) || strcmp(json_string_value(value), "wrk") != 0)
                return wasmvs_fail(err, "%s: field \"load.tool\": expected \"wrk\", found %s", path,
                                   json_is_string(value) ? json_string_value(value)
                                                         : "another JSON value");
            continue;
        }
        const http_field *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            char names[400] = "";
            for (const http_field *g = fields; g->name; g++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                         g == fields ? "" : ", ", g->name);
            return wasmvs_fail(err, "%s: field \"%s.%s\": unknown field; expected only %s%s", path,
                               where, key, names,
                               strcmp(where, "load") == 0 ? ", sweep, tool" : "");
        }
        double number = json_number_value(value);
        if (!json_is_number(value) || (f->integer && !json_is_integer(value)) ||
            number < f->minimum || number > f->maximum)
            return wasmvs_fail(
                err, "%s: field \"%s.%s\": expected %s from %g to %g, found %s", path, where, key,
                f->integer ? "an integer" : "a number", f->minimum, f->maximum,
                json_is_number(value) ? "a value out of range or not whole" : "another JSON value");
        if (f->integer)
            *(int *)((char *)options + f->offset) = (int)number;
        else
            *(double *)((char *)options + f->offset) = number;
    }
    return 0;
}

int http_options_from_json(const char *path, json_t *load, http_options *out, wasmvs_error *err)
{
    /* The seeds' method (wrk -t2 -c64 -d10s) and a sweep that finds this machine's top
     * in about ten 2.5 s steps. */
    *out = (http_options){.threads = 2,
                          .connections = 64,
                          .duration_s = 10,
                          .warmup_duration_s = 2,
                          .request_timeout_s = 2,
                          .sweep_enabled = true,
                          .sweep_connections = 64,
                          .sweep_start_rate = 5000,
                          .sweep_max_rate = 400000,
                          .sweep_growth = 1.6,
                          .sweep_refine_steps = 2,
                          .sweep_duration_s = 2,
                          .sweep_warmup_s = 0.5,
                          .p99_bound_ms = 10,
                          .server_cpu = -1,
                          .load_cpu = -1};
    if (!load) return 0;
    if (http_read_fields(path, "load", load, http_load_fields, out, err) != 0) return -1;
    json_t *sweep = json_object_get(load, "sweep");
    if (json_is_false(sweep))
        out->sweep_enabled = false;
    else if (sweep && http_read_fields(path, "load.sweep", sweep, http_sweep_fields, out, err) != 0)
        return wasmvs_wrap(err, "(load.sweep may also be false)");
    if (out->connections < out->threads)
        return wasmvs_fail(err,
                           "%s: field \"load.connections\": expected at least one per thread "
                           "(%d), found %d",
                           path, out->threads, out->connections);
    if (out->sweep_max_rate < out->sweep_start_rate)
        return wasmvs_fail(err,
                           "%s: field \"load.sweep.max_rate_per_s\": expected at least "
                           "start_rate_per_s (%g), found %g",
                           path, out->sweep_start_rate, out->sweep_max_rate);
    return 0;
}

json_t *http_options_to_json(const http_options *o)
{
    json_t *sweep = o->sweep_enabled ? json_object() : json_false();
    json_t *load = json_object();
    for (const http_field *f = http_load_fields; f->name; f++) {
        const char *at = (const char *)o + f->offset;
        json_object_set_new(load, f->name, json_integer(*(const int *)at));
    }
    for (const http_field *f = http_sweep_fields; o->sweep_enabled && f->name; f++) {
        const char *at = (const char *)o + f->offset;
        json_object_set_new(sweep, f->name,
                            f->integer ? json_integer(*(const int *)at)
                                       : json_real(*(const double *)at));
    }
    json_object_set_new(load, "tool", json_string("wrk"));
    json_object_set_new(load, "sweep", sweep);
    return load;
}

/* ---- placement ---- */

typedef struct http_placement {
    int server_cpu, load_cpu; /* -1: not pinned */
    char how[160];
} http_placement;

/* Server and load on different CPUs when wasmvs may use two or more. */
static void http_place(const http_options *o, http_placement *p)
{
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    int first = -1, second = -1;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
        for (int cpu = 0; cpu < CPU_SETSIZE && second < 0; cpu++)
            if (CPU_ISSET(cpu, &allowed)) {
                if (first < 0)
                    first = cpu;
                else
                    second = cpu;
            }
    p->server_cpu = o->server_cpu >= 0 ? o->server_cpu : second >= 0 ? first : -1;
    p->load_cpu = o->load_cpu >= 0 ? o->load_cpu : second >= 0 ? second : -1;
    snprintf(p->how, sizeof p->how, "%s",
             p->server_cpu < 0 && p->load_cpu < 0
                 ? "not pinned: one CPU available"
                 : "server's threads pinned with sched_setaffinity after start; wrk and the "
                   "open-loop generator pinned to load_cpu");
}

/* Pins every thread of pid to cpu. */
static int http_pin(pid_t pid, int cpu, wasmvs_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
    DIR *tasks = opendir(path);
    if (!tasks)
        return wasmvs_fail(err, "%s: cannot list the server's threads: %s", path, strerror(errno));
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    int status = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        pid_t tid = (pid_t)atol(entry->d_name);
        if (sched_setaffinity(tid, sizeof set, &set) != 0 && errno != ESRCH)
            status = wasmvs_fail(err, "sched_setaffinity(%ld, CPU %d): %s", (long)tid, cpu,
                                 strerror(errno));
    }
    closedir(tasks);
    return status;
}

/* Pins the server to the placement's server CPU (when it has one); a failure is said on
 * stderr and recorded in the entry's "placement" (server_cpu -1, pin_error), and the
 * server runs on unpinned. */
static void http_pin_server(pid_t pid, const http_placement *p, json_t *entry)
{
    wasmvs_error err = {{0}};
    if (p->server_cpu < 0 || http_pin(pid, p->server_cpu, &err) == 0) return;
    fprintf(stderr, "%s: %s (the server runs unpinned)\n",
            json_string_value(json_object_get(entry, "name")), err.message);
    json_object_set_new(json_object_get(entry, "placement"), "server_cpu", json_integer(-1));
    json_object_set_new(json_object_get(entry, "placement"), "pin_error", json_string(err.message));
}

/* ---- start, with the first response probed meanwhile ---- */

typedef struct http_probe_run {
    load_probe *probe;
    load_probe_options options;
    uint64_t elapsed_ns;
    int status;
    wasmvs_error err;
    atomic_int start_failed; /* set when start gave up: the probe stops at once */
    atomic_int server_pid;   /* set once started: its end stops the probe too */
} http_probe_run;

/* Whether pid runs: exists and is not a zombie (a native server that ended stays one
 * until its stop reaps it). */
static bool http_pid_alive(pid_t pid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *file = fopen(path, "r");
    if (!file) return false;
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[n] = '\0';
    const char *end = strrchr(text, ')'); /* the name may hold spaces and parentheses */
    return end && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

static int http_probe_alive(void *context)
{
    http_probe_run *run = context;
    pid_t pid = (pid_t)atomic_load(&run->server_pid);
    return !atomic_load(&run->start_failed) && (pid <= 0 || http_pid_alive(pid));
}

static void *http_probe_thread(void *context)
{
    http_probe_run *run = context;
    run->status = load_probe_first_ok(run->probe, &run->options, &run->elapsed_ns, &run->err);
    return NULL;
}

/* What the server wrote so far (its output file), at most HTTP_OUTPUT_KEPT bytes, or
 * NULL when the target keeps it elsewhere (Docker: the container's logs). */
static char *http_server_output(const target_instance *instance)
{
    if (!instance->output[0]) return NULL;
    FILE *file = fopen(instance->output, "rb");
    if (!file) return NULL;
    char *text = calloc(1, HTTP_OUTPUT_KEPT + 1);
    if (text) fread(text, 1, HTTP_OUTPUT_KEPT, file);
    fclose(file);
    return text;
}

/* Whether something accepts connections on 127.0.0.1:port now. */
static bool http_port_listened(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    struct sockaddr_in address = {.sin_family = AF_INET,
                                  .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool listened = connect(fd, (struct sockaddr *)&address, sizeof address) == 0;
    close(fd);
    return listened;
}

/* Starts the server on a free port (or the scenario's) and waits for its first 200 OK.
 * Fills url, *instance, and the two start-up times. */
static int http_start(target *t, scenario *s, char *url, size_t url_size,
                      target_instance **instance, uint64_t *first_ok_ns, wasmvs_error *err)
{
    /* parameters.port fixes the port; else a free one each start, so a port left
     * busy by the previous target (TIME_WAIT, a slow docker-proxy) does not matter */
    if (json_integer_value(json_object_get(json_object_get(s->json, "parameters"), "port")) <= 0) {
        int port;
        if (load_free_port(&port, err) != 0 ||
            workload_set_listen_port(&s->invocation, port, err) != 0)
            return -1;
    } else if (http_port_listened(s->invocation.listen_port)) {
        /* the probe would talk to that other server, and the test would be void */
        return wasmvs_fail(err,
                           "127.0.0.1:%d: expected a free port for the server, found another "
                           "process listening there; set parameters.port to 0 for a free port",
                           s->invocation.listen_port);
    }
    snprintf(url, url_size, "http://127.0.0.1:%d/", s->invocation.listen_port);
    http_probe_run run = {.options = {.timeout_s = s->timeout_s}};
    if (!(run.probe = load_probe_new(url, err))) return -1;
    run.options.alive = http_probe_alive;
    run.options.alive_context = &run;
    pthread_t thread;
    run.options.start_ns = meter_clock_ns();
    if (pthread_create(&thread, NULL, http_probe_thread, &run) != 0) {
        load_probe_free(run.probe);
        return wasmvs_fail(err, "%s: cannot start the probe thread", t->name);
    }
    int status = target_instance_start(t, &s->invocation, s->timeout_s, instance, err);
    if (status != 0)
        atomic_store(&run.start_failed, 1);
    else
        atomic_store(&run.server_pid, (int)(*instance)->main_pid);
    pthread_join(thread, NULL);
    load_probe_free(run.probe);
    if (status != 0) return -1;
    if (run.status != 0) {
        *err = run.err;
        return -1;
    }
    *first_ok_ns = run.elapsed_ns;
    return 0;
}

/* ---- a session: one server under the plan's wrk rounds, from start to stop ---- */

struct http_session {
    json_t *entry;
    const char *name; /* the entry's */
    http_options options;
    http_placement placement;
    char url[64];
    pid_t server_pid;          /* the process the rounds load and whose CPU they measure */
    target *t;                 /* with instance: the server http_session_open started */
    target_instance *instance; /* NULL: the caller's server (http_session_attach) */
    json_t *kept;              /* the load objects of the good measured rounds */
};

/* A session of the entry with its placement decided and recorded; no server yet. */
static http_session *http_session_new(json_t *entry, const http_options *options)
{
    http_session *session = calloc(1, sizeof *session);
    if (!session || !(session->kept = json_array())) {
        free(session);
        return NULL;
    }
    session->entry = entry;
    session->name = json_string_value(json_object_get(entry, "name"));
    session->options = *options;
    http_placement *p = &session->placement;
    http_place(options, p);
    json_object_set_new(entry, "placement",
                        json_pack("{s:i, s:i, s:s}", "server_cpu", p->server_cpu, "load_cpu",
                                  p->load_cpu, "how", p->how));
    return session;
}

/* The server is up at url as process pid: pinned, and the rounds' to load. */
static void http_session_serve(http_session *session, const char *url, pid_t pid)
{
    snprintf(session->url, sizeof session->url, "%s", url);
    session->server_pid = pid;
    http_pin_server(pid, &session->placement, session->entry);
}

static void http_session_free(http_session *session)
{
    json_decref(session->kept);
    free(session);
}

/* ---- rounds and sweep ---- */

static json_t *http_round_metrics(const load_result *r)
{
    const load_latency *l = &r->latency;
    json_t *m = json_pack("{s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "requests_per_s",
                          r->requests_per_s, "requests", (json_int_t)r->requests, "latency_p50_ns",
                          (json_int_t)l->p50_ns, "latency_p90_ns", (json_int_t)l->p90_ns,
                          "latency_p99_ns", (json_int_t)l->p99_ns, "latency_p99_9_ns",
                          (json_int_t)l->p999_ns, "latency_max_ns", (json_int_t)l->max_ns, "errors",
                          (json_int_t)load_errors_total(&r->errors), "duration_s", r->duration_s);
    json_object_set_new(m, "server_cpu_ns", json_integer((json_int_t)r->server_cpu_ns));
    if (r->requests > 0)
        json_object_set_new(m, "server_cpu_per_request_ns",
                            json_integer((json_int_t)(r->server_cpu_ns / r->requests)));
    return m;
}

/* A round counts when it answered requests with no non-2xx status and under 1% of
 * socket errors (wrk counts the connections it cuts at the end as errors now and then);
 * every error is recorded either way. */
static bool http_round_good(const load_result *r, char *why, size_t size)
{
    uint64_t errors = load_errors_total(&r->errors);
    if (r->requests == 0)
        snprintf(why, size, "no complete response in %.1f s", r->duration_s);
    else if (r->errors.status > 0)
        snprintf(why, size, "%llu responses with a status >= 400",
                 (unsigned long long)r->errors.status);
    else if ((double)errors > 0.01 * (double)r->requests)
        snprintf(why, size, "%llu errors for %llu responses (more than 1%%)",
                 (unsigned long long)errors, (unsigned long long)r->requests);
    else
        return true;
    return false;
}

/* One wrk round, recorded as a sample. Returns 1 when good, 0 when failed, -1 when
 * interrupted; a good measured round's load object is kept for the session's `load`. */
static int http_round(http_session *session, bool warmup, json_t **recorded)
{
    const http_options *o = &session->options;
    load_wrk_options w = {.url = session->url,
                          .threads = o->threads,
                          .connections = o->connections,
                          .duration_s = warmup ? o->warmup_duration_s : o->duration_s,
                          .timeout_s = o->request_timeout_s,
                          .cpu = session->placement.load_cpu,
                          .server_pid = session->server_pid};
    load_result r;
    memset(&r, 0, sizeof r);
    wasmvs_error err = {{0}};
    if (load_wrk_run(&w, &r, &err) != 0) {
        if (cancel_requested()) return -1;
        fprintf(stderr, "%s: round failed: %s\n", session->name, err.message);
        *recorded = results_add_sample(session->entry, warmup, false, err.message, NULL,
                                       json_object(), NULL);
        return 0;
    }
    if (cancel_requested()) return -1;
    char why[200];
    bool good = http_round_good(&r, why, sizeof why);
    if (good && !http_pid_alive(session->server_pid)) {
        snprintf(why, sizeof why, "the server ended during the round");
        good = false;
    }
    if (!good) fprintf(stderr, "%s: round failed: %s\n", session->name, why);
    json_t *sample = results_add_sample(session->entry, warmup, good, good ? NULL : why, NULL,
                                        http_round_metrics(&r), NULL);
    json_object_set_new(sample, "load", load_result_to_json(&r));
    if (good && !warmup) json_array_append(session->kept, json_object_get(sample, "load"));
    load_result_free(&r);
    *recorded = sample;
    return good;
}

static int http_compare_rate(const void *a, const void *b)
{
    double x = json_number_value(json_object_get(*(json_t *const *)a, "requests_per_s"));
    double y = json_number_value(json_object_get(*(json_t *const *)b, "requests_per_s"));
    return (x > y) - (x < y);
}

/* The open-loop sweep into load.sweep; its highest sustained step's histogram (else the
 * first step's) becomes load.histogram, the full latency distribution for the report. */
static int http_sweep(const http_session *session, json_t *load, wasmvs_error *err)
{
    const http_options *o = &session->options;
    load_sweep_options options = {
        .run = {.url = session->url,
                .connections = o->sweep_connections,
                .duration_s = o->sweep_duration_s,
                .warmup_s = o->sweep_warmup_s,
                .timeout_s = o->request_timeout_s,
                .threads = 1,
                .cpu = session->placement.load_cpu,
                .server_pid = session->server_pid},
        .start_rate_per_s = o->sweep_start_rate,
        .max_rate_per_s = o->sweep_max_rate,
        .growth = o->sweep_growth,
        .refine_steps = o->sweep_refine_steps,
        .p99_bound_ns = (uint64_t)(o->p99_bound_ms * 1e6),
    };
    load_sweep_result *sweep = calloc(1, sizeof *sweep);
    if (!sweep) return wasmvs_fail(err, "out of memory for the sweep");
    int status = load_sweep_run(&options, sweep, err);
    if (status == 0) {
        int best = -1;
        for (int i = 0; i < sweep->step_count; i++)
            if (sweep->steps[i].sustained &&
                (best < 0 || sweep->steps[i].rate_per_s > sweep->steps[best].rate_per_s))
                best = i;
        int chosen = best >= 0 ? best : 0;
        if (sweep->step_count > 0 && sweep->steps[chosen].result.histogram) {
            json_object_set_new(load, "histogram",
                                load_histogram_to_json(sweep->steps[chosen].result.histogram));
            json_object_set_new(
                load, "histogram_source",
                json_sprintf("open loop at %.0f requests/s (%s), %d connections, %.1f s",
                             sweep->steps[chosen].rate_per_s,
                             best >= 0 ? "the highest sustained rate" : "the sweep's first rate",
                             o->sweep_connections, o->sweep_duration_s));
        }
        json_t *steps = load_sweep_to_json(sweep, &options);
        /* each step keeps its percentiles; one histogram above is the full record */
        size_t i;
        json_t *step;
        json_array_foreach(json_object_get(steps, "steps"), i, step)
            json_object_del(step, "histogram");
        json_object_set_new(load, "sweep", steps);
    }
    load_sweep_free(sweep);
    free(sweep);
    return status;
}

/* ---- the http kind's server, and the session's life ---- */

static void http_fail(json_t *entry, const char *name, const char *why, const char *output)
{
    fprintf(stderr, "%s: failed: %s\n", name, why);
    if (output && *output)
        fprintf(stderr, "  server output: %.500s%s", output, strchr(output, '\n') ? "" : "\n");
    results_add_sample(entry, false, false, why, output, json_object(), NULL);
}

bool http_servers_side_by_side(const scenario *s)
{
    return json_integer_value(json_object_get(json_object_get(s->json, "parameters"), "port")) <= 0;
}

int http_session_open(target *t, scenario *s, json_t *entry, http_session **out)
{
    *out = NULL;
    wasmvs_error err = {{0}};
    http_options options;
    if (http_options_from_json(s->file, json_object_get(s->json, "load"), &options, &err) != 0) {
        http_fail(entry, t->name, err.message, NULL);
        return 1;
    }
    http_session *session = http_session_new(entry, &options);
    if (!session) {
        http_fail(entry, t->name, "out of memory", NULL);
        return 1;
    }
    fprintf(stderr, "%s: starting the server\n", t->name);
    char url[64];
    target_instance *instance = NULL;
    uint64_t first_ok_ns = 0;
    if (http_start(t, s, url, sizeof url, &instance, &first_ok_ns, &err) != 0) {
        http_session_free(session);
        if (cancel_requested()) {
            target_instance_stop(t, instance);
            return -1;
        }
        char *output = instance ? http_server_output(instance) : NULL;
        http_fail(entry, t->name, err.message, output);
        free(output);
        target_instance_stop(t, instance);
        return 1;
    }
    session->t = t;
    session->instance = instance;
    json_object_set_new(entry, "cold_start_to_first_response_ns",
                        json_integer((json_int_t)first_ok_ns));
    json_object_set_new(entry, "cold_start_to_ready_line_ns",
                        json_integer((json_int_t)instance->start_ns));
    json_object_set_new(entry, "server",
                        json_pack("{s:s, s:i, s:i}", "url", url, "port", s->invocation.listen_port,
                                  "pid", (int)instance->main_pid));
    http_session_serve(session, url, instance->main_pid);
    *out = session;
    return 0;
}

http_session *http_session_attach(json_t *entry, const http_options *options, const char *url,
                                  pid_t server_pid)
{
    http_session *session = http_session_new(entry, options);
    if (session) http_session_serve(session, url, server_pid);
    return session;
}

int http_session_round(http_session *session, bool warmup, json_t **sample)
{
    fprintf(stderr, "%s: wrk round%s\n", session->name, warmup ? " (warm-up)" : "");
    json_t *recorded = NULL;
    int good = http_round(session, warmup, &recorded);
    if (sample) *sample = recorded;
    return good;
}

bool http_session_alive(const http_session *session)
{
    return http_pid_alive(session->server_pid);
}

int http_session_close(http_session *session)
{
    if (!session) return 0;
    int result = 0;
    json_t *kept = session->kept, *entry = session->entry;
    if (json_array_size(kept) > 0) {
        /* the median round (by requests/s) is the target's `load`; all are in samples */
        json_t **sorted = malloc(json_array_size(kept) * sizeof *sorted);
        for (size_t i = 0; sorted && i < json_array_size(kept); i++)
            sorted[i] = json_array_get(kept, i);
        if (sorted) qsort(sorted, json_array_size(kept), sizeof *sorted, http_compare_rate);
        json_t *load = json_deep_copy(sorted ? sorted[(json_array_size(kept) - 1) / 2]
                                             : json_array_get(kept, 0));
        free(sorted);
        json_object_set_new(load, "rounds", json_integer((json_int_t)json_array_size(kept)));
        json_object_set_new(load, "round_choice", json_string("median by requests/s"));
        json_object_set_new(entry, "load", load);
        if (session->options.sweep_enabled && !cancel_requested() && http_session_alive(session)) {
            fprintf(stderr, "%s: open-loop rate sweep\n", session->name);
            wasmvs_error err = {{0}};
            if (http_sweep(session, load, &err) != 0) {
                if (cancel_requested())
                    result = -1;
                else
                    json_object_set_new(load, "sweep_error", json_string(err.message));
            }
        }
    }
    if (session->instance) {
        char *output = http_server_output(session->instance);
        if (output)
            json_object_set_new(json_object_get(entry, "server"), "output", json_string(output));
        free(output);
        target_instance_stop(session->t, session->instance);
    }
    http_session_free(session);
    return result;
}

/* ---- closing note ---- */

static double http_number(json_t *object, const char *a, const char *b)
{
    json_t *value = json_object_get(object, a);
    if (b) value = json_object_get(value, b);
    return json_is_number(value) ? json_number_value(value) : NAN;
}

void http_print_note(FILE *out, json_t *doc)
{
    double baseline = NAN;
    const char *baseline_name = NULL;
    size_t i;
    json_t *entry;
    fprintf(out, "\nHTTP: wrk closed loop (median round), open loop max rate with p99 within "
                 "the bound, first 200 OK after launch:\n");
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        json_t *load = json_object_get(entry, "load");
        if (!json_is_true(json_object_get(entry, "available"))) continue;
        if (!load) {
            fprintf(out, "  %-14s failed (see the results file)\n", name);
            continue;
        }
        double rps = http_number(load, "requests_per_s", NULL);
        if (!baseline_name) {
            baseline = rps;
            baseline_name = name;
        }
        char ratio[32] = "";
        if (baseline > 0 && name != baseline_name)
            snprintf(ratio, sizeof ratio, " (%.2fx)", rps / baseline);
        json_t *sweep = json_object_get(load, "sweep");
        double sustained = http_number(sweep, "max_sustained_rate_per_s", NULL);
        char open[48] = "-";
        if (sustained > 0)
            snprintf(open, sizeof open, "%.0f/s", sustained);
        else if (sustained == 0) /* even the first rate broke the bound */
            snprintf(open, sizeof open, "< %.0f/s",
                     http_number(json_array_get(json_object_get(sweep, "steps"), 0),
                                 "target_rate_per_s", NULL));
        double cpu = http_number(load, "server_cpu_ns", NULL);
        double requests = http_number(load, "requests", NULL);
        double first_ok = http_number(entry, "cold_start_to_first_response_ns", NULL);
        double ready = http_number(entry, "cold_start_to_ready_line_ns", NULL);
        fprintf(out, "  %-14s %8.0f requests/s%-8s p99 %7.2f ms, errors %.0f; open loop %s", name,
                rps, ratio, http_number(load, "latency", "p99_ns") / 1e6,
                http_number(load, "errors", "total"), open);
        if (requests > 0 && !isnan(cpu))
            fprintf(out, "; server CPU %.1f us/request", cpu / requests / 1e3);
        if (!isnan(first_ok))
            fprintf(out, "; first 200 OK %.2f ms (ready line %.2f ms)", first_ok / 1e6,
                    ready / 1e6);
        fputc('\n', out);
    }
    if (baseline_name) fprintf(out, "ratios are to %s\n", baseline_name);
    /* issue 6's goal for the engine: at least 0.8 of native requests/s */
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        double rps = http_number(json_object_get(entry, "load"), "requests_per_s", NULL);
        if (baseline_name && strcmp(baseline_name, "native") == 0 && baseline > 0 &&
            strncmp(name, "wasmrt", 6) == 0 && !isnan(rps))
            fprintf(out, "goal for the engine, >= 0.80x native requests/s: %s %.2fx (%s)\n", name,
                    rps / baseline, rps / baseline >= 0.8 ? "met" : "not met");
    }
}

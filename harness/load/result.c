/* result.c: a load run's outcome as data: its error total, its release, and the JSON
 * `load` object an http result carries for each target (the results module places it;
 * this file only knows what is inside). */
#include "load.h"

#include <stdlib.h>

uint64_t load_errors_total(const load_errors *e)
{
    return e->connect + e->read + e->write + e->status + e->timeout;
}

void load_result_free(load_result *r)
{
    free(r->histogram);
    r->histogram = NULL;
}

static json_t *result_latency_to_json(const load_latency *l)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:f}", "p50_ns", (json_int_t)l->p50_ns, "p90_ns",
                     (json_int_t)l->p90_ns, "p99_ns", (json_int_t)l->p99_ns, "p99_9_ns",
                     (json_int_t)l->p999_ns, "max_ns", (json_int_t)l->max_ns, "mean_ns",
                     l->mean_ns);
}

json_t *load_result_to_json(const load_result *r)
{
    const load_errors *e = &r->errors;
    json_t *latency = result_latency_to_json(&r->latency);
    json_t *errors = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "connect", (json_int_t)e->connect,
                               "read", (json_int_t)e->read, "write", (json_int_t)e->write, "status",
                               (json_int_t)e->status, "timeout", (json_int_t)e->timeout, "total",
                               (json_int_t)load_errors_total(e));
    json_t *out =
        json_pack("{s:s, s:i, s:i, s:f, s:I, s:I, s:f, s:o, s:o}", "generator", r->generator,
                  "threads", r->threads, "connections", r->connections, "duration_s", r->duration_s,
                  "requests", (json_int_t)r->requests, "bytes", (json_int_t)r->bytes,
                  "requests_per_s", r->requests_per_s, "latency", latency, "errors", errors);
    if (r->target_rate_per_s > 0) {
        json_object_set_new(out, "target_rate_per_s", json_real(r->target_rate_per_s));
        json_object_set_new(out, "unsent", json_integer((json_int_t)r->unsent));
        json_object_set_new(out, "generator_cpu_ns", json_integer((json_int_t)r->generator_cpu_ns));
        json_object_set_new(out, "generator_wall_s", json_real(r->generator_wall_s));
        json_object_set_new(out, "send_delay", result_latency_to_json(&r->send_delay));
    }
    json_object_set_new(out, "server_cpu_ns", json_integer((json_int_t)r->server_cpu_ns));
    json_object_set_new(out, "histogram",
                        r->histogram ? load_histogram_to_json(r->histogram) : json_null());
    return out;
}

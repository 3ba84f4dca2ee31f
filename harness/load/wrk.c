/* wrk.c: closed-loop load with wrk. Runs wrk through the harness's process launcher
 * with the report hook (harness/load/wrk-report.lua), optionally pinned to one CPU,
 * killed if it overruns its duration by more than WRK_GRACE_S, and reads the hook's
 * JSON line into a load_result. wrk keeps times in microseconds; results carry nanoseconds. */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"

#define WRK_REPORT_PREFIX "wasmvs-wrk-report: "
#define WRK_GRACE_S 15

static int wrk_get_number(json_t *object, const char *key, double *out, wasmvs_error *err)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_number(value))
        return wasmvs_fail(err, "wrk report: \"%s\": expected a number, found %s", key,
                           value ? "another JSON type" : "nothing");
    *out = json_number_value(value);
    return 0;
}

static uint64_t wrk_us_to_ns(double us)
{
    return us > 0 ? (uint64_t)(us * 1000.0 + 0.5) : 0;
}

int load_wrk_parse_report(const char *output, load_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    const char *line = strstr(output, WRK_REPORT_PREFIX);
    if (!line)
        return wasmvs_fail(err,
                           "wrk output: expected a line starting \"%s\" from wrk-report.lua's "
                           "done(), found none in: %.300s",
                           WRK_REPORT_PREFIX, output);
    line += strlen(WRK_REPORT_PREFIX);
    json_error_t jerr;
    json_t *report = json_loadb(line, strcspn(line, "\n"), 0, &jerr);
    if (!report)
        return wasmvs_fail(err, "wrk report: expected JSON, found an error at column %d: %s",
                           jerr.column, jerr.text);
    json_t *errors = json_object_get(report, "errors");
    json_t *latency = json_object_get(report, "latency_us");
    double duration_us = 0, requests = 0, bytes = 0, v[5] = {0}, lat[6] = {0};
    static const char *error_keys[5] = {"connect", "read", "write", "status", "timeout"};
    static const char *latency_keys[6] = {"p50", "p90", "p99", "p99.9", "max", "mean"};
    int rc = -1;
    if (!json_is_object(errors) || !json_is_object(latency)) {
        wasmvs_fail(err, "wrk report: expected objects \"errors\" and \"latency_us\", found %s",
                    line);
        goto done;
    }
    if (wrk_get_number(report, "duration_us", &duration_us, err) < 0 ||
        wrk_get_number(report, "requests", &requests, err) < 0 ||
        wrk_get_number(report, "bytes", &bytes, err) < 0)
        goto done;
    for (int i = 0; i < 5; i++)
        if (wrk_get_number(errors, error_keys[i], &v[i], err) < 0) goto done;
    for (int i = 0; i < 6; i++)
        if (wrk_get_number(latency, latency_keys[i], &lat[i], err) < 0) goto done;
    if (duration_us <= 0) {
        wasmvs_fail(err, "wrk report: duration_us: expected > 0, found %g", duration_us);
        goto done;
    }
    snprintf(out->generator, sizeof out->generator, "wrk");
    out->duration_s = duration_us / 1e6;
    out->requests = (uint64_t)requests;
    out->bytes = (uint64_t)bytes;
    out->requests_per_s = requests / out->duration_s;
    out->errors = (load_errors){(uint64_t)v[0], (uint64_t)v[1], (uint64_t)v[2], (uint64_t)v[3],
                                (uint64_t)v[4]};
    out->latency = (load_latency){wrk_us_to_ns(lat[0]), wrk_us_to_ns(lat[1]), wrk_us_to_ns(lat[2]),
                                  wrk_us_to_ns(lat[3]), wrk_us_to_ns(lat[4]), lat[5] * 1000.0};
    rc = 0;
done:
    json_decref(report);
    return rc;
}

static int wrk_check_options(const load_wrk_options *o, wasmvs_error *err)
{
    if (!o->url) return wasmvs_fail(err, "wrk: expected a URL, found none");
    if (access(o->script, R_OK) != 0)
        return wasmvs_fail(err, "wrk: report script %s: expected a readable file, found %s",
                           o->script, strerror(errno));
    if (o->threads < 1 || o->connections < o->threads || o->duration_s < 1 || o->timeout_s < 0)
        return wasmvs_fail(err,
                           "wrk: expected threads >= 1, connections >= threads, duration >= 1 s "
                           "and timeout >= 0, found %d threads, %d connections, %d s, %d s",
                           o->threads, o->connections, o->duration_s, o->timeout_s);
    return 0;
}

int load_wrk_run(const load_wrk_options *o, load_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    char default_script[4096];
    load_wrk_options options = *o;
    if (!options.script) {
        snprintf(default_script, sizeof default_script, "%s/harness/load/wrk-report.lua",
                 paths_root());
        options.script = default_script;
    }
    if (wrk_check_options(&options, err) < 0) return -1;
    char cpu[16], threads[16], connections[16], duration[16], timeout[16];
    snprintf(cpu, sizeof cpu, "%d", o->cpu);
    snprintf(threads, sizeof threads, "%d", o->threads);
    snprintf(connections, sizeof connections, "%d", o->connections);
    snprintf(duration, sizeof duration, "%ds", o->duration_s);
    snprintf(timeout, sizeof timeout, "%ds", o->timeout_s ? o->timeout_s : 2);
    /* Pinning goes through taskset so the harness keeps one process launcher. */
    char *argv[] = {"taskset",
                    "-c",
                    cpu,
                    (char *)(o->wrk ? o->wrk : "wrk"),
                    "-t",
                    threads,
                    "-c",
                    connections,
                    "-d",
                    duration,
                    "--timeout",
                    timeout,
                    "-s",
                    (char *)options.script,
                    (char *)o->url,
                    NULL};
    char *const *command = o->cpu >= 0 ? argv : argv + 3;
    process_spec spec = {.argv = command, .timeout_s = o->duration_s + WRK_GRACE_S};
    uint64_t server_cpu_start = 0, server_cpu_end = 0;
    if (o->server_pid > 0 && load_process_cpu_ns(o->server_pid, &server_cpu_start, err) < 0)
        return wasmvs_wrap(err, "wrk %s: server", o->url);
    process_result run;
    if (process_run(&spec, &run, err) < 0) return wasmvs_wrap(err, "wrk %s", o->url);
    int rc;
    if (run.end != PROCESS_EXITED || run.exit_code != 0) {
        char how[128];
        process_describe_end(&run, how, sizeof how);
        rc = wasmvs_fail(err, "wrk %s: expected exit code 0, found %s; output: %.300s %.300s",
                         o->url, how, run.out, run.err);
    } else if (o->server_pid > 0 && load_process_cpu_ns(o->server_pid, &server_cpu_end, err) < 0) {
        rc = wasmvs_wrap(err, "wrk %s: server after the run", o->url);
    } else {
        rc = load_wrk_parse_report(run.out, out, err);
        out->server_cpu_ns = server_cpu_end - server_cpu_start;
    }
    process_result_free(&run);
    if (rc == 0) {
        out->threads = o->threads;
        out->connections = o->connections;
    }
    return rc;
}

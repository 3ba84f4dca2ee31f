/* report_tables.c: host facts, the per-scenario tables (median, confidence interval,
 * ratio to the run's baseline target) and the failures section. Statistics come from
 * stats.h; ratios are taken only between targets of one run. */
#include "report_tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define REPORT_CELL 96

typedef char report_cell[REPORT_CELL];

static const char *report_tables_string(json_t *object, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s && *s ? s : fallback;
}

static void report_tables_host(report_doc *doc, json_t *host)
{
    json_t *cpu = json_object_get(host, "cpu"), *caches = json_object_get(cpu, "caches");
    json_t *table = report_doc_table(doc, "host fact", "value", NULL);
    report_cell cell;
    report_doc_row(table, "fingerprint", report_tables_string(host, "fingerprint", "-"), NULL);
    report_doc_row(table, "CPU", report_tables_string(cpu, "brand", "-"), NULL);
    report_doc_row(table, "vendor", report_tables_string(cpu, "vendor", "-"), NULL);
    snprintf(cell, sizeof cell, "%lld cores, %lld logical, %lld online",
             json_integer_value(json_object_get(cpu, "cores")),
             json_integer_value(json_object_get(cpu, "logical_cpus")),
             json_integer_value(json_object_get(host, "cpus_online")));
    report_doc_row(table, "CPUs", cell, NULL);
    if (caches) {
        snprintf(cell, sizeof cell, "L1d %lld KiB, L2 %lld KiB, L3 %lld KiB",
                 json_integer_value(json_object_get(caches, "l1d_kib")),
                 json_integer_value(json_object_get(caches, "l2_kib")),
                 json_integer_value(json_object_get(caches, "l3_kib")));
        report_doc_row(table, "caches", cell, NULL);
    }
    report_doc_row(table, "kernel", report_tables_string(host, "kernel", "-"), NULL);
    json_t *memory = json_object_get(host, "memory_total_bytes");
    if (json_is_number(memory)) {
        snprintf(cell, sizeof cell, "%.1f GiB", json_number_value(memory) / 1073741824.0);
        report_doc_row(table, "memory", cell, NULL);
    }
    const char *tool;
    json_t *version;
    json_object_foreach(json_object_get(host, "tools"), tool, version)
    {
        if (json_is_string(version)) report_doc_row(table, tool, json_string_value(version), NULL);
    }
}

void report_tables_hosts(report_doc *doc, const report_set *set)
{
    report_doc_heading(doc, 2, "Host");
    size_t distinct = 0;
    for (size_t r = 0; r < set->count; r++) {
        int seen = 0;
        for (size_t q = 0; q < r; q++)
            seen |= !strcmp(set->runs[q].fingerprint, set->runs[r].fingerprint);
        if (seen) continue;
        distinct++;
        if (distinct == 2)
            report_doc_warning(doc, "these results come from more than one host; compare "
                                    "ratios within a run, not times across runs");
        report_tables_host(doc, json_object_get(set->runs[r].root, "host"));
    }
}

static void report_tables_value(const char *metric, double value, report_cell out)
{
    if (isnan(value))
        snprintf(out, REPORT_CELL, "-");
    else
        report_format_value(metric, value, out, REPORT_CELL);
}

static void report_tables_ratio(const stats_ratio *ratio, report_cell out)
{
    if (isnan(ratio->ratio))
        snprintf(out, REPORT_CELL, "-");
    else {
        report_cell middle;
        report_format_ratio(ratio->ratio, middle, sizeof middle);
        snprintf(out, REPORT_CELL, "%.40s [%.3g, %.3g]", middle, ratio->ci_low, ratio->ci_high);
    }
}

static double report_tables_median(json_t *target, const char *metric)
{
    double value;
    return report_target_median(target, metric, &value) ? NAN : value;
}

/* One table per group of targets that record the same phases: the median of each
 * phase, their sum, and the median wall time beside it. */
static void report_tables_phases(report_doc *doc, const report_run *run)
{
    json_t *groups = report_run_phase_groups(run), *group;
    size_t g;
    json_array_foreach(groups, g, group)
    {
        json_t *phases = json_object_get(group, "phases"), *phase, *name;
        int wasm = 0;
        json_t *header = json_array();
        json_array_append_new(header, json_string("target"));
        size_t p, t;
        json_array_foreach(phases, p, phase)
        {
            char label[128], column[136];
            report_phase_label(json_string_value(phase), label, sizeof label);
            snprintf(column, sizeof column, ">%s", label);
            json_array_append_new(header, json_string(column));
            wasm |= !strcmp(label, "instantiate");
        }
        json_array_append_new(header, json_string(">sum of phases"));
        json_array_append_new(header, json_string(">median wall time"));
        report_doc_paragraph(doc, "%s",
                             wasm ? "Wasm phases (medians): load covers decoding, validation "
                                    "and compilation."
                                  : "Phases as the target records them (medians):");
        json_t *table = report_doc_table_from(doc, header);
        json_array_foreach(json_object_get(group, "targets"), t, name)
        {
            json_t *target = report_run_target(run, json_string_value(name));
            json_t *cells = json_array();
            json_array_append_new(cells, json_string(json_string_value(name)));
            double sum = 0;
            report_cell cell;
            json_array_foreach(phases, p, phase)
            {
                double median = report_tables_median(target, json_string_value(phase));
                if (!isnan(median)) sum += median;
                report_tables_value(json_string_value(phase), median, cell);
                json_array_append_new(cells, json_string(cell));
            }
            report_tables_value("wall_ns", sum, cell);
            json_array_append_new(cells, json_string(cell));
            report_tables_value("wall_ns", report_tables_median(target, "wall_ns"), cell);
            json_array_append_new(cells, json_string(cell));
            report_doc_row_from(table, cells);
        }
    }
    json_decref(groups);
}

static void report_tables_oneshot(report_doc *doc, const report_run *run)
{
    json_t *baseline = report_run_target(run, run->baseline);
    json_t *clang =
        strcmp(run->baseline, "native-clang") ? report_run_target(run, "native-clang") : NULL;
    char ratio_header[128];
    snprintf(ratio_header, sizeof ratio_header, ">ratio to %s [95%% CI]", run->baseline);
    json_t *table = report_doc_table(doc, "target", "version", ">n", ">median wall time",
                                     ">95% CI of median", ">p90", ratio_header,
                                     clang ? ">ratio to native-clang [95% CI]" : ">max RSS",
                                     clang ? ">max RSS" : NULL, NULL);
    size_t i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        stats_summary s;
        if (!report_target_summary(target, "wall_ns", &s)) continue;
        stats_ratio to_base, to_clang;
        report_target_ratio(target, baseline, "wall_ns", &to_base);
        report_target_ratio(target, clang, "wall_ns", &to_clang);
        report_cell count, median, low, high, p90, ratio, ratio_clang, rss;
        char interval[2 * REPORT_CELL + 4];
        snprintf(count, sizeof count, "%zu", s.n);
        report_tables_value("wall_ns", s.median, median);
        report_tables_value("wall_ns", s.ci_low, low);
        report_tables_value("wall_ns", s.ci_high, high);
        snprintf(interval, sizeof interval, "%s - %s", low, high);
        report_tables_value("wall_ns", s.p90, p90);
        report_tables_ratio(&to_base, ratio);
        report_tables_ratio(&to_clang, ratio_clang);
        report_tables_value("max_rss_kib", report_tables_median(target, "max_rss_kib"), rss);
        report_doc_row(table, report_target_name(target),
                       report_tables_string(target, "version", "-"), count, median, interval, p90,
                       ratio, clang ? ratio_clang : rss, clang ? rss : NULL, NULL);
    }
    report_tables_phases(doc, run);
}

/* Which definition of "idle" the target used (README: "What idle instance means"). */
static const char *report_tables_idle_definition(json_t *target)
{
    json_t *details = json_object_get(target, "details");
    const char *keys[] = {"idle", "idle_definition", "idle_means"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *text = report_tables_string(details, keys[k], NULL);
        if (text) return text;
    }
    return "-";
}

static void report_tables_density(report_doc *doc, const report_run *run)
{
    json_t *baseline = report_run_target(run, run->baseline);
    double base_slope = NAN;
    if (baseline) report_target_figure(baseline, "fit.slope_kib_per_instance", &base_slope);
    char ratio_header[128];
    snprintf(ratio_header, sizeof ratio_header, ">per instance vs %s", run->baseline);
    json_t *table = report_doc_table(doc, "target", "idle means", ">max n",
                                     ">PSS per instance (fit +- stderr)", ">95% CI (bootstrap)",
                                     ">R^2", ">intercept", ">MemAvailable drop per instance",
                                     ">instances per GiB", ratio_header, "stopped because", NULL);
    size_t i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        json_t *fit = json_object_get(target, "fit");
        double slope, stderr_, intercept, per_gib, max_n;
        if (report_target_figure(target, "fit.slope_kib_per_instance", &slope)) continue;
        if (report_target_figure(target, "fit.slope_stderr", &stderr_)) stderr_ = NAN;
        if (report_target_figure(target, "fit.intercept_kib", &intercept)) intercept = NAN;
        if (report_target_figure(target, "fit.instances_per_gib", &per_gib)) per_gib = NAN;
        if (report_target_figure(target, "fit.max_n", &max_n)) max_n = NAN;
        /* the host's view at the largest N, which catches kernel-side cost PSS misses */
        json_t *steps = json_object_get(target, "steps");
        json_t *last = json_array_get(steps, json_array_size(steps) - 1);
        double drop = NAN, n_last = json_number_value(json_object_get(last, "n"));
        if (json_is_number(json_object_get(last, "memavailable_drop_kib")) && n_last > 0)
            drop = json_number_value(json_object_get(last, "memavailable_drop_kib")) / n_last;
        double low, high, r2;
        if (report_target_figure(target, "fit.slope_ci_low", &low)) low = NAN;
        if (report_target_figure(target, "fit.slope_ci_high", &high)) high = NAN;
        if (report_target_figure(target, "fit.r2", &r2)) r2 = NAN;
        report_cell count, per, stderr_text, icpt, dropped, gib, ratio, low_text, high_text, fit_r2;
        char interval[2 * REPORT_CELL + 4];
        report_tables_value("slope_kib", low, low_text);
        report_tables_value("slope_kib", high, high_text);
        snprintf(interval, sizeof interval, isnan(low) ? "-" : "%s - %s", low_text, high_text);
        snprintf(fit_r2, sizeof fit_r2, isnan(r2) ? "-" : "%.4f", r2);
        char cell_slope[2 * REPORT_CELL + 4];
        snprintf(count, sizeof count, "%.0f", max_n);
        report_tables_value("slope_kib", slope, per);
        report_tables_value("stderr_kib", stderr_, stderr_text);
        snprintf(cell_slope, sizeof cell_slope, "%s +- %s", per, stderr_text);
        report_tables_value("intercept_kib", intercept, icpt);
        report_tables_value("drop_kib", drop, dropped);
        snprintf(gib, sizeof gib, isnan(per_gib) ? "-" : "%.0f", per_gib);
        report_format_ratio(base_slope == 0 ? NAN : slope / base_slope, ratio, sizeof ratio);
        report_doc_row(table, report_target_name(target), report_tables_idle_definition(target),
                       count, cell_slope, interval, fit_r2, icpt, dropped, gib, ratio,
                       report_tables_string(fit, "stop_reason", "-"), NULL);
    }
}

static void report_tables_http(report_doc *doc, const report_run *run)
{
    json_t *baseline = report_run_target(run, run->baseline);
    double base_rps = NAN;
    if (baseline) report_target_figure(baseline, "load.requests_per_s", &base_rps);
    char ratio_header[128];
    snprintf(ratio_header, sizeof ratio_header, ">requests/s vs %s", run->baseline);
    json_t *table = report_doc_table(doc, "target", ">requests/s", ratio_header, ">p50", ">p90",
                                     ">p99", ">p99.9", ">max", ">errors", NULL);
    const char *percentiles[] = {"load.latency_ns.p50", "load.latency_ns.p90",
                                 "load.latency_ns.p99", "load.latency_ns.p999",
                                 "load.latency_ns.max"};
    size_t i, sweeps = 0;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        double rps, errors;
        if (report_target_figure(target, "load.requests_per_s", &rps)) continue;
        if (report_target_figure(target, "load.errors", &errors)) errors = NAN;
        report_cell throughput, ratio, latency[5], error_count;
        report_tables_value("requests_per_s", rps, throughput);
        report_format_ratio(base_rps == 0 ? NAN : rps / base_rps, ratio, sizeof ratio);
        for (int p = 0; p < 5; p++)
            report_tables_value("latency_ns", report_tables_median(target, percentiles[p]),
                                latency[p]);
        snprintf(error_count, sizeof error_count, isnan(errors) ? "-" : "%.0f", errors);
        report_doc_row(table, report_target_name(target), throughput, ratio, latency[0], latency[1],
                       latency[2], latency[3], latency[4], error_count, NULL);
        sweeps +=
            json_array_size(json_object_get(json_object_get(target, "load"), "rate_sweep")) > 0;
    }
    if (!sweeps) return;
    report_doc_paragraph(doc, "Open-loop rate sweep (offered rate, achieved rate, p99 latency):");
    json_t *sweep = report_doc_table(doc, "target", ">offered/s", ">achieved/s", ">p99", NULL);
    json_array_foreach(run->targets, i, target)
    {
        size_t s;
        json_t *point;
        json_array_foreach(json_object_get(json_object_get(target, "load"), "rate_sweep"), s, point)
        {
            report_cell offered, achieved, p99;
            report_tables_value("rate_per_s", json_number_value(json_object_get(point, "rate")),
                                offered);
            report_tables_value("achieved_per_s",
                                json_number_value(json_object_get(point, "achieved_per_s")),
                                achieved);
            report_tables_value("p99_ns", json_number_value(json_object_get(point, "p99_ns")), p99);
            report_doc_row(sweep, report_target_name(target), offered, achieved, p99, NULL);
        }
    }
}

/* Serverless: the front end's figures per target (medians over the measured rounds of
 * each round's percentile), after the HTTP table of the same rounds. */
static void report_tables_serverless(report_doc *doc, const report_run *run)
{
    report_doc_paragraph(doc, "Every request was served by a fresh instance. Per request "
                              "(medians over the rounds): the instance's whole life, the part "
                              "until it could run its code, the front end's CPU and that of "
                              "the processes it launched; memory sampled during the rounds "
                              "(PSS of the front end's process tree, MemAvailable drop since "
                              "before it started).");
    json_t *table = report_doc_table(
        doc, "target", ">instance p50", ">instance p99", ">instantiate p50", ">instantiate p99",
        ">front end CPU", ">launched CPU", ">PSS", ">MemAvailable drop", ">first response", NULL);
    static const char *const metrics[] = {"instance_p50_ns",
                                          "instance_p99_ns",
                                          "instantiate_p50_ns",
                                          "instantiate_p99_ns",
                                          "front_end_cpu_per_request_ns",
                                          "launched_cpu_per_request_ns",
                                          "pss_kib",
                                          "memavailable_drop_kib",
                                          "serverless.front_end.first_response_ns"};
    size_t i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        if (!report_target_available(target) || !json_object_get(target, "load")) continue;
        report_cell cells[9];
        for (size_t m = 0; m < 9; m++) {
            const char *metric = metrics[m];
            const char *unit_name = strrchr(metric, '.') ? strrchr(metric, '.') + 1 : metric;
            report_tables_value(unit_name, report_tables_median(target, metric), cells[m]);
        }
        report_doc_row(table, report_target_name(target), cells[0], cells[1], cells[2], cells[3],
                       cells[4], cells[5], cells[6], cells[7], cells[8], NULL);
    }
}

/* The run's validity checks (README "Validity"): the noise floor, each target's spread,
 * autocorrelation, drift and why it stopped, and every warning. Results from before
 * the checks existed have none and get no table. */
static void report_tables_validity(report_doc *doc, const report_run *run)
{
    json_t *validity = json_object_get(run->root, "validity");
    if (!json_is_object(validity)) return;
    json_t *floor = json_object_get(validity, "noise_floor");
    json_t *launch = json_object_get(floor, "launch"), *clock = json_object_get(floor, "clock");
    report_cell read, median = "", low, high;
    report_tables_value("read_ns", json_number_value(json_object_get(clock, "read_ns")), read);
    if (json_is_object(launch)) {
        report_tables_value("median_ns", json_number_value(json_object_get(launch, "median_ns")),
                            median);
        report_tables_value("low_ns", json_number_value(json_object_get(launch, "ci_low_ns")), low);
        report_tables_value("high_ns", json_number_value(json_object_get(launch, "ci_high_ns")),
                            high);
        report_doc_paragraph(doc,
                             "Validity. Noise floor: a clock read costs %s; launching an empty "
                             "static binary (the noop probe) takes %s [%s, %s].",
                             read, median, low, high);
    } else {
        report_doc_paragraph(doc, "Validity. Noise floor: a clock read costs %s.", read);
    }
    json_t *table = report_doc_table(doc, "target", ">CV", ">lag-1 r",
                                     ">drift (last third vs first)", "stopped", "warnings", NULL);
    size_t i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        json_t *checks = json_object_get(target, "validity");
        if (!json_is_object(checks)) continue;
        report_cell cv, r1, drift;
        double value = json_number_value(json_object_get(checks, "cv"));
        snprintf(cv, sizeof cv, "%.1f%%", value * 100);
        snprintf(r1, sizeof r1, "%.2f",
                 json_number_value(json_object_get(checks, "lag1_autocorrelation")));
        json_t *trend = json_object_get(checks, "trend");
        snprintf(drift, sizeof drift, "%+.1f%% (p %.2g)",
                 json_number_value(json_object_get(trend, "drift_pct")),
                 json_number_value(json_object_get(trend, "p_value")));
        json_t *stop = json_object_get(target, "stop");
        char stopped[400];
        snprintf(stopped, sizeof stopped, "%s", report_tables_string(stop, "reason", "-"));
        char *warnings = NULL;
        size_t length = 0;
        FILE *text = open_memstream(&warnings, &length);
        size_t w;
        json_t *warning;
        json_array_foreach(json_object_get(checks, "warnings"), w, warning)
            fprintf(text, "%s%s", w ? "; " : "", json_string_value(warning));
        fclose(text);
        report_doc_row(table, report_target_name(target), cv, r1, drift, stopped,
                       warnings && *warnings ? warnings : "none", NULL);
        free(warnings);
    }
    report_doc_drop_if_empty(doc, table);
    size_t w;
    json_t *warning;
    json_array_foreach(json_object_get(validity, "warnings"), w, warning)
        report_doc_warning(doc, "%s", json_string_value(warning));
}

void report_tables_run(report_doc *doc, const report_run *run)
{
    if (!strcmp(run->kind, "density"))
        report_tables_density(doc, run);
    else if (!strcmp(run->kind, "http"))
        report_tables_http(doc, run);
    else if (!strcmp(run->kind, "serverless")) {
        report_tables_http(doc, run);
        report_tables_serverless(doc, run);
    } else
        report_tables_oneshot(doc, run);
    report_tables_validity(doc, run);
}

void report_tables_artifacts(report_doc *doc, const report_set *set)
{
    static const char *const keys[] = {"wasm_bytes", "cache_bytes", "binary_bytes", "image_bytes",
                                       "runtime_bytes"};
    report_doc_heading(doc, 2, "Artifact sizes");
    report_doc_paragraph(
        doc, "What each target runs from, as its results record it (details.artifact): the "
             "module, compiled code kept for later starts, the native binary, the container "
             "image as the daemon reports it, and the engine command. Published ranges: Wasm "
             "artifacts 0.5-10 MB (typical 100 KB-5 MB compressed; S1), modules 100 KB-5 MB (S4), "
             "500 KB-20 MB (S3); container images 50-500 MB (S1, fleet average 80 MB Alpine "
             "against 2 MB Wasm), 100-200 MB typical (S4), 50 MB-2 GB+ (S3). The images here "
             "hold only the workload's static binary (no base image), so they sit far below "
             "those ranges: what a distribution or Alpine base adds is not measured.");
    json_t *table =
        report_doc_table(doc, "target", ">module (.wasm)", ">compiled cache", ">native binary",
                         ">container image", ">engine command", "workload", NULL);
    json_t *seen = json_object();
    for (size_t r = 0; r < set->count; r++) {
        size_t i;
        json_t *target;
        json_array_foreach(set->runs[r].targets, i, target)
        {
            json_t *artifact = json_object_get(json_object_get(target, "details"), "artifact");
            char key[256];
            snprintf(key, sizeof key, "%s/%s", report_target_name(target), set->runs[r].workload);
            if (!json_is_object(artifact) || json_object_get(seen, key)) continue;
            json_object_set_new(seen, key, json_true());
            report_cell cells[5];
            for (size_t k = 0; k < 5; k++) {
                json_t *value = json_object_get(artifact, keys[k]);
                report_tables_value(keys[k], json_is_number(value) ? json_number_value(value) : NAN,
                                    cells[k]);
            }
            report_doc_row(table, report_target_name(target), cells[0], cells[1], cells[2],
                           cells[3], cells[4], set->runs[r].workload, NULL);
        }
    }
    json_decref(seen);
    if (!report_doc_row_count(table)) {
        report_doc_drop_if_empty(doc, table);
        report_doc_paragraph(doc, "These results record no artifact sizes (older results).");
    }
}

void report_tables_failures(report_doc *doc, const report_set *set)
{
    report_doc_heading(doc, 2, "Failures and skipped targets");
    json_t *table = report_doc_table(doc, "scenario", "target", "status", "reason", NULL);
    for (size_t r = 0; r < set->count; r++) {
        const report_run *run = &set->runs[r];
        size_t i;
        json_t *target;
        json_array_foreach(run->targets, i, target)
        {
            if (!report_target_available(target)) {
                report_doc_row(table, run->scenario_name, report_target_name(target), "skipped",
                               report_tables_string(target, "reason", "no reason recorded"), NULL);
                continue;
            }
            size_t usable, failed, warmup;
            report_target_sample_counts(target, &usable, &failed, &warmup);
            if (!failed) continue;
            const char *first_error = "no error recorded";
            size_t s;
            json_t *sample;
            json_array_foreach(json_object_get(target, "samples"), s, sample)
            {
                if (!json_is_true(json_object_get(sample, "ok")) &&
                    json_is_string(json_object_get(sample, "error"))) {
                    first_error = json_string_value(json_object_get(sample, "error"));
                    break;
                }
            }
            report_cell status;
            snprintf(status, sizeof status, "%zu of %zu samples failed", failed, failed + usable);
            report_doc_row(table, run->scenario_name, report_target_name(target), status,
                           first_error, NULL);
        }
        if (json_is_true(json_object_get(run->root, "interrupted")))
            report_doc_row(table, run->scenario_name, "(all)", "interrupted",
                           "the run was stopped before it finished", NULL);
    }
    if (!report_doc_row_count(table)) {
        report_doc_drop_if_empty(doc, table);
        report_doc_paragraph(doc, "Every target ran and every sample succeeded.");
    }
}

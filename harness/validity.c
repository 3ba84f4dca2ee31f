/* validity.c: the validity checks of a results document (see validity.h). */
#include "validity.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meters/clock.h"
#include "results.h"
#include "stats.h"
#include "table.h"

/* 99% two-sided limit of a lag-1 autocorrelation of n independent values. */
#define VALIDITY_AUTOCORRELATION_Z 2.576
#define VALIDITY_MIN_TREND_VALUES 8
#define VALIDITY_MIN_AUTOCORRELATION_VALUES 10

void validity_watch_begin(validity_watch *watch)
{
    meter_clock_floor(&watch->clock_resolution_ns, &watch->clock_read_ns);
    meter_cpu_snapshot_take(&watch->start);
}

static void validity_warn(json_t *warnings, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void validity_warn(json_t *warnings, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_array_append_new(warnings, json_string(text));
}

static json_t *validity_number(double value)
{
    return isfinite(value) ? json_real(value) : json_null();
}

static double validity_get(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    return json_is_number(value) ? json_number_value(value) : NAN;
}

/* The launch floor: the noise probe's samples, or a target named noop. */
static json_t *validity_launch_probe(json_t *doc)
{
    json_t *probe = json_object_get(doc, "noise_probe");
    if (json_is_object(json_object_get(json_object_get(probe, "summary"), "wall_ns"))) return probe;
    json_t *noop = results_find_target(doc, "noop");
    if (json_is_object(json_object_get(json_object_get(noop, "summary"), "wall_ns"))) return noop;
    return NULL;
}

static json_t *validity_noise_floor(json_t *doc, const validity_watch *watch, json_t *probe)
{
    json_t *floor = json_object();
    json_object_set_new(floor, "clock",
                        json_pack("{s:s, s:o, s:o}", "clock", "CLOCK_MONOTONIC", "resolution_ns",
                                  validity_number(watch->clock_resolution_ns), "read_ns",
                                  validity_number(watch->clock_read_ns)));
    if (!probe) {
        json_object_set_new(floor, "launch", json_null());
        return floor;
    }
    json_t *summary = json_object_get(json_object_get(probe, "summary"), "wall_ns");
    double mad = validity_get(summary, "mad");
    json_object_set_new(
        floor, "launch",
        json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "target", "noop", "from",
                  probe == json_object_get(doc, "noise_probe") ? "noise_probe" : "targets", "n",
                  json_integer_value(json_object_get(summary, "n")), "median_ns",
                  validity_number(validity_get(summary, "median")), "ci_low_ns",
                  validity_number(validity_get(summary, "ci_low")), "ci_high_ns",
                  validity_number(validity_get(summary, "ci_high")), "spread_ns",
                  validity_number(1.4826 * mad)));
    return floor;
}

static bool validity_is_ns(const char *metric)
{
    size_t length = strlen(metric);
    return length > 3 && strcmp(metric + length - 3, "_ns") == 0;
}

static void validity_format(const char *metric, double value, char *out, size_t size)
{
    if (validity_is_ns(metric))
        table_format_ns(value, out, size);
    else
        snprintf(out, size, "%.4g", value);
}

static void validity_target(json_t *doc, json_t *entry, const char *metric, json_t *floor,
                            const validity_watch *watch)
{
    size_t n;
    double *values = results_metric_values(entry, metric, &n);
    if (!values) return;
    const char *name = json_string_value(json_object_get(entry, "name"));
    stats_summary s;
    stats_summarize(values, n, STATS_DEFAULT_SEED, &s);
    json_t *out = json_object(), *warnings = json_array();
    json_object_set_new(out, "metric", json_string(metric));
    json_object_set_new(out, "n", json_integer((json_int_t)n));
    double cv = s.mean != 0 ? s.stddev / fabs(s.mean) : NAN;
    double robust_cv = s.median != 0 ? 1.4826 * s.mad / fabs(s.median) : NAN;
    json_object_set_new(out, "cv", validity_number(cv));
    json_object_set_new(out, "robust_cv", validity_number(robust_cv));
    if (n >= 3 && robust_cv > VALIDITY_NOISY_CV)
        validity_warn(warnings, "noisy: the spread (robust CV) is %.1f%% of the median",
                      robust_cv * 100);

    double r1 = stats_lag1_autocorrelation(values, n);
    double limit = VALIDITY_AUTOCORRELATION_Z / sqrt((double)n);
    bool correlated = n >= VALIDITY_MIN_AUTOCORRELATION_VALUES && fabs(r1) > limit;
    json_object_set_new(out, "lag1_autocorrelation", validity_number(r1));
    json_object_set_new(out, "autocorrelation_limit", validity_number(limit));
    json_object_set_new(out, "autocorrelated", json_boolean(correlated));
    if (correlated)
        validity_warn(warnings,
                      "successive samples are correlated (lag-1 r = %.2f, 99%% limit %.2f): a "
                      "disturbance lasted several samples, so the interval is too narrow",
                      r1, limit);

    /* the size of a drift in words a reader can check: the medians of the first and
     * the last third of the samples */
    stats_trend trend;
    stats_trend_test(values, n, &trend);
    size_t third = n / 3;
    double first = third ? stats_quantile(values, third, 0.5) : NAN;
    double last = third ? stats_quantile(values + n - third, third, 0.5) : NAN;
    double drift = s.median != 0 ? (last - first) / fabs(s.median) * 100 : NAN;
    bool trending = n >= VALIDITY_MIN_TREND_VALUES && trend.p_value < VALIDITY_ALPHA;
    json_object_set_new(out, "trend",
                        json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:b}", "test",
                                  "Mann-Kendall", "tau", validity_number(trend.tau), "p_value",
                                  validity_number(trend.p_value), "slope_per_sample",
                                  validity_number(trend.slope_per_step), "first_third_median",
                                  validity_number(first), "last_third_median",
                                  validity_number(last), "drift_pct", validity_number(drift),
                                  "n_used", (json_int_t)trend.n_used, "trending", trending));
    if (trending) {
        char from[32], to[32];
        validity_format(metric, first, from, sizeof from);
        validity_format(metric, last, to, sizeof to);
        validity_warn(warnings,
                      "drift: the median of the first third of the samples is %s, of the last "
                      "third %s (%+.0f%% of the median; Mann-Kendall p = %.2g): the machine's "
                      "state changed during the run",
                      from, to, drift, trend.p_value);
    }

    /* the floor: the launch of an empty binary for targets the harness launches */
    bool launched =
        json_is_true(json_object_get(json_object_get(entry, "details"), "launched_by_harness"));
    json_t *launch = json_object_get(floor, "launch");
    bool is_probe = name && strcmp(name, "noop") == 0;
    if (validity_is_ns(metric) && !is_probe) {
        bool by_launch = launched && json_is_object(launch);
        double level = by_launch ? validity_get(launch, "median_ns")
                                 : fmax(watch->clock_resolution_ns, watch->clock_read_ns);
        bool below = isfinite(level) && s.median < level;
        json_object_set_new(out, "noise_floor",
                            json_pack("{s:s, s:o}", "kind", by_launch ? "launch" : "clock", "ns",
                                      validity_number(level)));
        json_object_set_new(out, "below_noise_floor", json_boolean(below));
        if (below) {
            char median[32], floor_text[32];
            table_format_ns(s.median, median, sizeof median);
            table_format_ns(level, floor_text, sizeof floor_text);
            validity_warn(warnings, "below the noise floor: median %s, floor %s (%s)", median,
                          floor_text,
                          by_launch ? "launching an empty static binary"
                                    : "the clock's resolution and read cost");
        }
    }

    const char *baseline = json_string_value(json_object_get(doc, "baseline_target"));
    json_t *ratio = json_object_get(json_object_get(entry, "ratio_to_baseline"), metric);
    double low = validity_get(ratio, "ci_low"), high = validity_get(ratio, "ci_high");
    bool crosses = baseline && name && strcmp(baseline, name) != 0 && low <= 1 && high >= 1;
    json_object_set_new(out, "ratio_ci_crosses_1", json_boolean(crosses));
    if (crosses)
        validity_warn(warnings,
                      "the ratio to %s, %.3fx [%.3f, %.3f], includes 1: not distinguishable "
                      "from %s at 95%%",
                      baseline, validity_get(ratio, "ratio"), low, high, baseline);
    json_object_set_new(out, "warnings", warnings);
    json_object_set_new(entry, "validity", out);
    free(values);
}

/* Run-level findings about the machine. */
static void validity_machine_warnings(json_t *doc, json_t *machine, json_t *warnings)
{
    double other = validity_get(machine, "other_pct"), own = validity_get(machine, "wasmvs_pct");
    if (other > VALIDITY_BUSY_PCT)
        validity_warn(warnings,
                      "other work kept %.0f%% of the CPUs' time busy during the run (wasmvs and "
                      "its children %.0f%%; container daemons count as other work): its noise is "
                      "in these figures",
                      other, own);
    double steal = validity_get(machine, "steal_pct");
    if (steal > VALIDITY_STEAL_PCT)
        validity_warn(warnings, "the hypervisor took %.1f%% of the CPUs' time (steal)", steal);
    json_t *frequency = json_object_get(machine, "frequency_mhz");
    double start = validity_get(frequency, "start_max"), end = validity_get(frequency, "end_max");
    if (start > 0 && end > 0 && fabs(end - start) / start * 100 > VALIDITY_FREQUENCY_PCT)
        validity_warn(warnings, "the CPU frequency changed from %.0f to %.0f MHz during the run",
                      start, end);
    json_t *host = json_object_get(doc, "host");
    double cpus = validity_get(host, "cpus_online");
    double load =
        json_number_value(json_array_get(json_object_get(machine, "load_average_start"), 0));
    if (cpus > 0 && load > cpus)
        validity_warn(warnings,
                      "the load average was %.2f at the start, above the %.0f CPUs: other work "
                      "was waiting for them",
                      load, cpus);
}

void validity_assess(json_t *doc, const char *metric, const validity_watch *watch)
{
    meter_cpu_snapshot end;
    meter_cpu_snapshot_take(&end);
    json_t *validity = json_object(), *warnings = json_array();
    json_t *probe = validity_launch_probe(doc);
    json_t *floor = validity_noise_floor(doc, watch, probe);
    json_object_set_new(validity, "noise_floor", floor);
    json_t *machine = meter_cpu_interval_json(&watch->start, &end);
    json_object_set_new(validity, "machine", machine);
    validity_machine_warnings(doc, machine, warnings);
    json_t *flagged = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        if (metric && json_is_true(json_object_get(entry, "available")))
            validity_target(doc, entry, metric, floor, watch);
        if (json_array_size(json_object_get(json_object_get(entry, "validity"), "warnings")))
            json_array_append(flagged, json_object_get(entry, "name"));
    }
    json_object_set_new(validity, "flagged_targets", flagged);
    json_object_set_new(validity, "warnings", warnings);
    json_object_set_new(doc, "validity", validity);
}

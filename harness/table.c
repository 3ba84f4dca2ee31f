/* table.c: the terminal summary table (see table.h). */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void table_format_ns(double ns, char *out, size_t size)
{
    if (!isfinite(ns))
        snprintf(out, size, "-");
    else if (ns >= 1e9)
        snprintf(out, size, "%.3f s", ns / 1e9);
    else if (ns >= 1e6)
        snprintf(out, size, "%.2f ms", ns / 1e6);
    else if (ns >= 1e3)
        snprintf(out, size, "%.1f us", ns / 1e3);
    else
        snprintf(out, size, "%.0f ns", ns);
}

static double table_number(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    return json_is_number(value) ? json_number_value(value) : NAN;
}

static void table_format_value(const char *metric, double value, char *out, size_t size)
{
    size_t length = strlen(metric);
    if (length > 3 && strcmp(metric + length - 3, "_ns") == 0)
        table_format_ns(value, out, size);
    else if (isfinite(value))
        snprintf(out, size, "%.4g", value);
    else
        snprintf(out, size, "-");
}

/* One line with the median of each phase (Docker's API calls, a Wasm engine's stages)
 * over the target's counted samples, so the table says where the time went. */
static void table_print_phases(FILE *out, json_t *target)
{
    json_t *samples = json_object_get(target, "samples");
    json_t *first = NULL;
    size_t i;
    json_t *sample;
    json_array_foreach(samples, i, sample)
    {
        if (json_is_object(json_object_get(sample, "phases"))) {
            first = json_object_get(sample, "phases");
            break;
        }
    }
    if (!first) return;
    double *values = malloc((json_array_size(samples) + 1) * sizeof *values);
    if (!values) return;
    fprintf(out, "%-16s phases:", "");
    const char *phase;
    json_t *unused;
    json_object_foreach(first, phase, unused)
    {
        size_t n = 0;
        json_array_foreach(samples, i, sample)
        {
            json_t *value = json_object_get(json_object_get(sample, "phases"), phase);
            if (json_is_true(json_object_get(sample, "ok")) &&
                !json_is_true(json_object_get(sample, "warmup")) && json_is_number(value))
                values[n++] = json_number_value(value);
        }
        char text[32];
        table_format_value(phase, n ? stats_quantile(values, n, 0.5) : NAN, text, sizeof text);
        size_t length = strlen(phase);
        int shown =
            length > 3 && strcmp(phase + length - 3, "_ns") == 0 ? (int)length - 3 : (int)length;
        fprintf(out, " %.*s %s", shown, phase, text);
    }
    fprintf(out, " (medians)\n");
    free(values);
}

/* Why an adaptively stopped target stopped, and the findings of its validity checks,
 * one line each under its row. */
static void table_print_findings(FILE *out, json_t *target)
{
    json_t *stop = json_object_get(target, "stop");
    const char *reason = json_string_value(json_object_get(stop, "reason"));
    if (reason && strcmp(reason, "repetitions done") != 0)
        fprintf(out, "%-16s stopped: %s: %s\n", "", reason,
                json_string_value(json_object_get(stop, "detail")) ?: "");
    size_t i;
    json_t *warning;
    json_array_foreach(json_object_get(json_object_get(target, "validity"), "warnings"), i, warning)
        fprintf(out, "%-16s warning: %s\n", "", json_string_value(warning));
}

/* The noise floor (clock; the launch of an empty static binary) and the run's warnings
 * about the machine. */
static void table_print_validity(FILE *out, json_t *doc)
{
    json_t *validity = json_object_get(doc, "validity");
    json_t *floor = json_object_get(validity, "noise_floor");
    json_t *clock = json_object_get(floor, "clock"), *launch = json_object_get(floor, "launch");
    if (json_is_object(clock)) {
        char read[32], median[32] = "", low[32], high[32];
        table_format_ns(table_number(clock, "read_ns"), read, sizeof read);
        if (json_is_object(launch)) {
            table_format_ns(table_number(launch, "median_ns"), median, sizeof median);
            table_format_ns(table_number(launch, "ci_low_ns"), low, sizeof low);
            table_format_ns(table_number(launch, "ci_high_ns"), high, sizeof high);
        }
        fprintf(out, "noise floor: clock read %s (resolution %.0f ns)", read,
                table_number(clock, "resolution_ns"));
        if (median[0])
            fprintf(out, "; launch of an empty static binary %s [%s, %s]", median, low, high);
        fputc('\n', out);
    }
    size_t i;
    json_t *warning;
    json_array_foreach(json_object_get(validity, "warnings"), i, warning)
        fprintf(out, "warning: %s\n", json_string_value(warning));
}

void table_print(FILE *out, json_t *doc, const char *metric)
{
    json_t *scenario = json_object_get(doc, "scenario");
    fprintf(out, "\n%s: %s (%s), median of %s\n",
            json_string_value(json_object_get(scenario, "name")) ?: "?",
            json_string_value(json_object_get(scenario, "workload")) ?: "?",
            json_string_value(json_object_get(scenario, "kind")) ?: "?", metric);
    fprintf(out, "%-16s %12s  %-25s %-24s %5s %6s %8s\n", "target", "median", "95% CI",
            "ratio (95% CI)", "n", "failed", "outliers");
    size_t i;
    json_t *target;
    json_array_foreach(json_object_get(doc, "targets"), i, target)
    {
        const char *name = json_string_value(json_object_get(target, "name"));
        if (!json_is_true(json_object_get(target, "available"))) {
            fprintf(out, "%-16s skipped: %s\n", name,
                    json_string_value(json_object_get(target, "reason")) ?: "unavailable");
            continue;
        }
        size_t failed = 0, j;
        json_t *sample;
        json_array_foreach(json_object_get(target, "samples"), j, sample)
        {
            if (!json_is_true(json_object_get(sample, "ok"))) failed++;
        }
        json_t *summary = json_object_get(json_object_get(target, "summary"), metric);
        json_t *ratio = json_object_get(json_object_get(target, "ratio_to_baseline"), metric);
        char median[32], low[32], high[32], interval[80], ratio_text[64];
        table_format_value(metric, table_number(summary, "median"), median, sizeof median);
        table_format_value(metric, table_number(summary, "ci_low"), low, sizeof low);
        table_format_value(metric, table_number(summary, "ci_high"), high, sizeof high);
        snprintf(interval, sizeof interval, "[%s, %s]", low, high);
        if (ratio && isfinite(table_number(ratio, "ratio")))
            snprintf(ratio_text, sizeof ratio_text, "%.2fx [%.2f, %.2f]",
                     table_number(ratio, "ratio"), table_number(ratio, "ci_low"),
                     table_number(ratio, "ci_high"));
        else
            snprintf(ratio_text, sizeof ratio_text, "-");
        fprintf(out, "%-16s %12s  %-25s %-24s %5lld %6zu %8lld\n", name, median,
                summary ? interval : "-", ratio_text,
                (long long)json_integer_value(json_object_get(summary, "n")), failed,
                (long long)json_integer_value(json_object_get(summary, "outliers")));
        table_print_phases(out, target);
        table_print_findings(out, target);
    }
    table_print_validity(out, doc);
    json_t *load = json_object_get(json_object_get(doc, "host"), "load_average");
    if (json_is_array(load) && json_number_value(json_array_get(load, 0)) > 1.0)
        fprintf(out, "note: load average %.2f at the start: other work shares these CPUs\n",
                json_number_value(json_array_get(load, 0)));
    const char *baseline = json_string_value(json_object_get(doc, "baseline_target"));
    if (baseline) fprintf(out, "ratios are to %s\n", baseline);
    if (json_is_true(json_object_get(doc, "interrupted")))
        fprintf(out, "interrupted: the results hold the samples taken before the signal\n");
}

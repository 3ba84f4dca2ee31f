/* report_charts.c: gnuplot data files and driver scripts for every chart of a run, and
 * running gnuplot on the templates in report/. Which charts a run gets depends on its
 * kind: oneshot (time per target with CI whiskers; Fibonacci also its ratio to native;
 * Wasm phase split), density (memory against instance count; instances per GiB; memory
 * per instance with where explicit bounds checks began), http (requests/s; latency
 * percentile spectrum; rate sweep), serverless (requests/s; instantiate, instance and
 * latency per request; the http latency charts). */
#include "report_charts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process.h"
#include "stats.h"

#define REPORT_CHART_TIMEOUT_S 60.0

static int report_charts_find_program(const char *program)
{
    if (strchr(program, '/')) return access(program, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path) return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char candidate[4096];
        snprintf(candidate, sizeof candidate, "%s/%s", *dir ? dir : ".", program);
        found = access(candidate, X_OK) == 0;
    }
    free(copy);
    return found;
}

void report_charts_init(report_charts *charts, const char *out_dir, const char *templates_dir,
                        const char *gnuplot)
{
    memset(charts, 0, sizeof *charts);
    charts->out_dir = out_dir;
    charts->templates_dir = templates_dir;
    charts->gnuplot = gnuplot;
    charts->files = json_array();
    charts->gnuplot_found = report_charts_find_program(gnuplot);
    charts->png_terminal = "pngcairo size 960,540 noenhanced font 'DejaVu Sans,10'";
    if (charts->gnuplot_found) {
        /* Some gnuplot builds lack cairo; libgd's png terminal draws the same charts. */
        char *argv[] = {(char *)gnuplot, "-e", "set terminal pngcairo", NULL};
        process_spec spec = {.argv = argv, .timeout_s = REPORT_CHART_TIMEOUT_S};
        process_result result;
        if (process_run(&spec, &result, NULL) == 0) {
            if (result.end != PROCESS_EXITED || result.exit_code != 0)
                charts->png_terminal = "png size 960,540 noenhanced";
            process_result_free(&result);
        }
    }
    if (!charts->gnuplot_found)
        snprintf(charts->first_error, sizeof charts->first_error,
                 "gnuplot: expected the program \"%s\" on PATH, found none; charts are not "
                 "drawn (install gnuplot-nox, or pass --gnuplot PATH); the tables are written",
                 gnuplot);
}

void report_charts_free(report_charts *charts)
{
    json_decref(charts->files);
    charts->files = NULL;
}

static void report_charts_fail(report_charts *charts, const char *fmt, ...)
{
    charts->failed++;
    if (charts->first_error[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(charts->first_error, sizeof charts->first_error, fmt, ap);
    va_end(ap);
}

/* A gnuplot single-quoted string: a quote inside is doubled. */
static void report_charts_quote(FILE *out, const char *text)
{
    fputc('\'', out);
    for (const char *c = text; *c; c++) {
        if (*c == '\'') fputc('\'', out);
        fputc(*c, out);
    }
    fputc('\'', out);
}

/* Data-file labels are double-quoted; a double quote inside would end them. */
static void report_charts_label(FILE *out, const char *text)
{
    fputc('"', out);
    for (const char *c = text; *c; c++)
        fputc(*c == '"' ? '\'' : *c, out);
    fputc('"', out);
}

/* Colours by family, so a chart reads at a glance (native greys, containers blues,
 * Wasm oranges and reds), with a distinct shade per target for line charts. */
static const char *report_charts_color(const char *target)
{
    static const char *const known[][2] = {
        {"native", "#7f7f7f"},      {"native-clang", "#3f3f3f"},  {"runc", "#17becf"},
        {"docker", "#1f77b4"},      {"docker-host", "#6baed6"},   {"docker-bridge", "#393b79"},
        {"docker:host", "#6baed6"}, {"docker:bridge", "#393b79"}, {"wasmrt", "#ff7f0e"},
        {"wasmrt-cli", "#d62728"},  {"wasmrt:explicit", "#8c564b"}, {"wasmrt:guard", "#bcbd22"},
        {"wasmrt:eager", "#ffbb78"}, {"wasmrt:interp", "#9467bd"}, {"wasmrt-cli:cached", "#ff9896"},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(target, known[i][0])) return known[i][1];
    if (!strncmp(target, "wasm", 4)) return "#e377c2";
    if (!strncmp(target, "docker", 6) || !strncmp(target, "runc", 4)) return "#9ecae1";
    if (!strncmp(target, "native", 6)) return "#bdbdbd";
    return "#2ca02c";
}

static unsigned long report_charts_color_value(const char *target)
{
    return strtoul(report_charts_color(target) + 1, NULL, 16);
}

static void report_charts_name(const report_run *run, const char *what, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = run->scenario_name; *c && n + 1 < size; c++)
        out[n++] = (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *c))
                       ? *c
                       : '_';
    out[n] = '\0';
    snprintf(out + n, size - n, "-%s", what);
}

static FILE *report_charts_open(report_charts *charts, const char *name, const char *extension)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", charts->out_dir, name, extension);
    FILE *file = fopen(path, "w");
    if (!file) report_charts_fail(charts, "%s: cannot open for writing", path);
    return file;
}

static int report_charts_image_ok(const report_charts *charts, const char *name, const char *ext)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s.%s", charts->out_dir, name, ext);
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* `arrays` holds gnuplot lines (titles, colours, ...) the template expects. */
static void report_charts_render(report_charts *charts, report_doc *doc, const char *name,
                                 const char *template_name, const char *title, const char *arrays)
{
    FILE *script = report_charts_open(charts, name, "gp");
    if (!script) return;
    char template_path[4096], data[512];
    snprintf(template_path, sizeof template_path, "%s/%s", charts->templates_dir, template_name);
    snprintf(data, sizeof data, "%s.dat", name);
    fprintf(script, "# driver written by wasmvs report for %s\ncd ", template_name);
    report_charts_quote(script, charts->out_dir);
    fputs("\ndatafile = ", script);
    report_charts_quote(script, data);
    fputs("\nchart_title = ", script);
    report_charts_quote(script, title);
    fprintf(script, "\n%s", arrays ? arrays : "");
    const char *terminals[2][2] = {
        {charts->png_terminal, "png"},
        {"svg size 960,540 noenhanced dynamic font 'DejaVu Sans,10'", "svg"},
    };
    for (int t = 0; t < 2; t++) {
        fprintf(script, "set terminal %s\nset output '%s.%s'\nload ", terminals[t][0], name,
                terminals[t][1]);
        report_charts_quote(script, template_path);
        fputs("\nset output\n", script);
    }
    fclose(script);
    char script_path[4096];
    snprintf(script_path, sizeof script_path, "%s/%s.gp", charts->out_dir, name);
    /* images left by an earlier report must not pass for this one's */
    for (int t = 0; t < 2; t++) {
        char old_image[4096];
        snprintf(old_image, sizeof old_image, "%s/%s.%s", charts->out_dir, name, terminals[t][1]);
        remove(old_image);
    }
    char *argv[] = {(char *)charts->gnuplot, script_path, NULL};
    process_spec spec = {.argv = argv, .timeout_s = REPORT_CHART_TIMEOUT_S};
    process_result result;
    wasmvs_error err = {{0}};
    if (process_run(&spec, &result, &err) != 0) {
        report_charts_fail(charts, "%s: %s", name, err.message);
        return;
    }
    char how[128];
    process_describe_end(&result, how, sizeof how);
    int ok = result.end == PROCESS_EXITED && result.exit_code == 0 &&
             report_charts_image_ok(charts, name, "png") &&
             report_charts_image_ok(charts, name, "svg");
    if (!ok)
        report_charts_fail(charts, "gnuplot %s: expected %s.png and %s.svg, found %s: %.600s",
                           script_path, name, name, how,
                           result.err && result.err[0] ? result.err : "no message");
    process_result_free(&result);
    if (!ok) return;
    char png[512], svg[512];
    snprintf(png, sizeof png, "%s.png", name);
    snprintf(svg, sizeof svg, "%s.svg", name);
    json_array_append_new(charts->files, json_string(png));
    json_array_append_new(charts->files, json_string(svg));
    charts->drawn++;
    report_doc_chart(doc, title, png, svg);
}

/* Writes "array NAME[n] = ['a','b']" for a template. */
static void report_charts_array(FILE *stream, const char *name, const char *const *values,
                                size_t count)
{
    fprintf(stream, "array %s[%zu] = [", name, count ? count : 1);
    for (size_t i = 0; i < count; i++) {
        if (i) fputc(',', stream);
        report_charts_quote(stream, values[i]);
    }
    if (!count) fputs("''", stream);
    fputs("]\n", stream);
}

static int report_charts_is_fibonacci(const report_run *run)
{
    return strstr(run->workload, "fib") || strstr(run->scenario_name, "fib");
}

static void report_charts_oneshot(report_charts *charts, const report_run *run, report_doc *doc)
{
    char name[256], title[512];
    int fib = report_charts_is_fibonacci(run);
    json_t *baseline = report_run_target(run, run->baseline);
    report_charts_name(run, "time", name, sizeof name);
    FILE *data = report_charts_open(charts, name, "dat");
    if (!data) return;
    fprintf(data, "# target median_ms ci_low_ms ci_high_ms color ratio ratio_low ratio_high\n");
    size_t rows = 0, i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        stats_summary s;
        if (!report_target_summary(target, "wall_ns", &s)) continue;
        stats_ratio r;
        report_target_ratio(target, baseline, "wall_ns", &r);
        report_charts_label(data, report_target_name(target));
        fprintf(data, " %.6g %.6g %.6g %lu %.6g %.6g %.6g\n", s.median / 1e6, s.ci_low / 1e6,
                s.ci_high / 1e6, report_charts_color_value(report_target_name(target)), r.ratio,
                r.ci_low, r.ci_high);
        rows++;
    }
    fclose(data);
    if (rows) {
        if (fib)
            snprintf(title, sizeof title,
                     "%s: wall time per target (median, 95%% CI) and ratio to %s",
                     run->scenario_name, run->baseline);
        else
            snprintf(title, sizeof title, "%s: wall time per target (median, 95%% CI, log scale)",
                     run->scenario_name);
        char arrays[256];
        snprintf(arrays, sizeof arrays, "y_label = 'wall time (ms, log scale)'\nbaseline = '%s'\n",
                 run->baseline);
        report_charts_render(charts, doc, name, fib ? "fib.gp" : "bars.gp", title, arrays);
    }
}

/* One stacked chart per group of targets recording the same phases (Wasm: load,
 * instantiate, execute; Docker: its Engine API calls): each phase's share of the sum of
 * the phase medians, the sum in ms above the bar. */
static void report_charts_phases(report_charts *charts, const report_run *run, report_doc *doc)
{
    static const char *const palette[] = {"#9467bd", "#17becf", "#ff7f0e", "#2ca02c",
                                          "#d62728", "#8c564b", "#e377c2", "#bcbd22"};
    json_t *groups = report_run_phase_groups(run), *group, *phase, *name;
    size_t g, p, t;
    json_array_foreach(groups, g, group)
    {
        json_t *phases = json_object_get(group, "phases");
        size_t count = json_array_size(phases);
        char chart[256], what[32], title[512];
        snprintf(what, sizeof what, g ? "phases-%zu" : "phases", g + 1);
        report_charts_name(run, what, chart, sizeof chart);
        FILE *data = report_charts_open(charts, chart, "dat");
        if (!data) break;
        fputs("# target, the median of each phase in ms, their sum\n", data);
        json_array_foreach(json_object_get(group, "targets"), t, name)
        {
            json_t *target = report_run_target(run, json_string_value(name));
            double sum = 0;
            report_charts_label(data, json_string_value(name));
            json_array_foreach(phases, p, phase)
            {
                double median;
                if (report_target_median(target, json_string_value(phase), &median)) median = 0;
                sum += median / 1e6;
                fprintf(data, " %.6g", median / 1e6);
            }
            fprintf(data, " %.6g\n", sum);
        }
        fclose(data);
        const char **labels = calloc(count + 1, sizeof *labels);
        char(*storage)[64] = calloc(count + 1, sizeof *storage);
        const char **colors = calloc(count + 1, sizeof *colors);
        json_array_foreach(phases, p, phase)
        {
            report_phase_label(json_string_value(phase), storage[p], sizeof storage[p]);
            labels[p] = storage[p];
            colors[p] = palette[p % (sizeof palette / sizeof *palette)];
        }
        char *arrays = NULL;
        size_t length = 0;
        FILE *stream = open_memstream(&arrays, &length);
        fprintf(stream, "nphases = %zu\n", count);
        report_charts_array(stream, "phase_titles", labels, count);
        report_charts_array(stream, "phase_colors", colors, count);
        fclose(stream);
        snprintf(title, sizeof title,
                 "%s: phases, share of the sum of phase medians (sum above the bar)",
                 run->scenario_name);
        report_charts_render(charts, doc, chart, "phases.gp", title, arrays);
        free(arrays);
        free(labels);
        free(storage);
        free(colors);
    }
    json_decref(groups);
}

/* A bar chart of one single-valued figure per target (instances per GiB, requests/s). */
static void report_charts_figure_bars(report_charts *charts, const report_run *run, report_doc *doc,
                                      const char *what, const char *path, double scale,
                                      const char *title, const char *y_label)
{
    char name[256];
    report_charts_name(run, what, name, sizeof name);
    FILE *data = report_charts_open(charts, name, "dat");
    if (!data) return;
    size_t rows = 0, i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        double value;
        if (report_target_figure(target, path, &value)) continue;
        report_charts_label(data, report_target_name(target));
        fprintf(data, " %.6g %.6g %.6g %lu\n", value * scale, value * scale, value * scale,
                report_charts_color_value(report_target_name(target)));
        rows++;
    }
    fclose(data);
    if (!rows) return;
    char arrays[256];
    snprintf(arrays, sizeof arrays, "y_label = '%s'\nbaseline = '%s'\n", y_label, run->baseline);
    report_charts_render(charts, doc, name, "bars.gp", title, arrays);
}

/* Density: the number of the first instance that got explicit bounds checks (wasmrt's
 * instance_modes), or NaN when none did or the target records no modes. */
static double report_charts_first_explicit(json_t *target)
{
    size_t i;
    json_t *range;
    json_array_foreach(json_object_get(target, "instance_modes"), i, range)
    {
        if (!strcmp(json_string_value(json_object_get(range, "mode")) ?: "", "explicit"))
            return json_number_value(json_object_get(range, "first"));
    }
    return NAN;
}

/* Line charts with one data block per target; returns how many blocks were written. The
 * template gets arrays titles[] and colors[]. */
typedef size_t (*report_charts_block_fn)(FILE *data, json_t *target);

static void report_charts_lines(report_charts *charts, const report_run *run, report_doc *doc,
                                const char *what, const char *template_name, const char *title,
                                report_charts_block_fn write_block)
{
    char name[256];
    report_charts_name(run, what, name, sizeof name);
    FILE *data = report_charts_open(charts, name, "dat");
    if (!data) return;
    size_t count = 0, i, capacity = json_array_size(run->targets) + 1;
    const char **titles = calloc(capacity, sizeof *titles);
    const char **colors = calloc(capacity, sizeof *colors);
    double *slopes = calloc(capacity, sizeof *slopes),
           *intercepts = calloc(capacity, sizeof *intercepts),
           *explicit_from = calloc(capacity, sizeof *explicit_from);
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        if (!write_block(data, target)) continue;
        fputs("\n\n", data); /* two blank lines end a gnuplot data block (index) */
        titles[count] = report_target_name(target);
        colors[count] = report_charts_color(titles[count]);
        if (report_target_figure(target, "fit.slope_kib_per_instance", &slopes[count]))
            slopes[count] = NAN;
        if (report_target_figure(target, "fit.intercept_kib", &intercepts[count]))
            intercepts[count] = NAN;
        explicit_from[count] = report_charts_first_explicit(target);
        count++;
    }
    fclose(data);
    if (count) {
        char *arrays = NULL;
        size_t length = 0;
        FILE *stream = open_memstream(&arrays, &length);
        fprintf(stream, "ntargets = %zu\n", count);
        report_charts_array(stream, "titles", titles, count);
        report_charts_array(stream, "colors", colors, count);
        /* density fits, in KiB (NaN where a target has none) */
        fprintf(stream, "array slopes[%zu]\narray intercepts[%zu]\narray explicit_from[%zu]\n",
                count, count, count);
        for (size_t t = 0; t < count; t++) {
            if (isnan(slopes[t]) || isnan(intercepts[t]))
                fprintf(stream, "slopes[%zu] = NaN\nintercepts[%zu] = NaN\n", t + 1, t + 1);
            else
                fprintf(stream, "slopes[%zu] = %.9g\nintercepts[%zu] = %.9g\n", t + 1, slopes[t],
                        t + 1, intercepts[t]);
            /* density: the first instance with explicit bounds checks (NaN: none) */
            if (isnan(explicit_from[t]))
                fprintf(stream, "explicit_from[%zu] = NaN\n", t + 1);
            else
                fprintf(stream, "explicit_from[%zu] = %.0f\n", t + 1, explicit_from[t]);
        }
        fclose(stream);
        report_charts_render(charts, doc, name, template_name, title, arrays);
        free(arrays);
    }
    free(titles);
    free(colors);
    free(slopes);
    free(intercepts);
    free(explicit_from);
}

/* Density steps: n, then PSS and the MemAvailable drop, in MiB for the whole (per_instance
 * 0) or in KiB per instance (per_instance 1). */
static size_t report_charts_steps(FILE *data, json_t *target, int per_instance)
{
    json_t *steps = json_object_get(target, "steps"), *step;
    size_t i, rows = 0;
    fputs(per_instance ? "# n pss_kib_per_instance memavailable_drop_kib_per_instance\n"
                       : "# n pss_mib memavailable_drop_mib\n",
          data);
    json_array_foreach(steps, i, step)
    {
        json_t *n = json_object_get(step, "n"), *pss = json_object_get(step, "pss_kib");
        json_t *drop = json_object_get(step, "memavailable_drop_kib");
        double count = json_number_value(n);
        if (!json_is_number(n) || !json_is_number(pss) || count <= 0) continue;
        double divisor = per_instance ? count : 1024.0;
        fprintf(data, "%g %.6g %.6g\n", count, json_number_value(pss) / divisor,
                json_is_number(drop) ? json_number_value(drop) / divisor : NAN);
        rows++;
    }
    return rows;
}

static size_t report_charts_density_block(FILE *data, json_t *target)
{
    return report_charts_steps(data, target, 0);
}

static size_t report_charts_per_instance_block(FILE *data, json_t *target)
{
    return report_charts_steps(data, target, 1);
}

/* Serverless: per target the medians of instantiate time, instance time and the client's
 * p50 latency, clustered. */
static void report_charts_serverless(report_charts *charts, const report_run *run, report_doc *doc)
{
    char name[256], title[512];
    report_charts_name(run, "per-request", name, sizeof name);
    FILE *data = report_charts_open(charts, name, "dat");
    if (!data) return;
    fputs("# target instantiate_p50_ms instance_p50_ms latency_p50_ms\n", data);
    size_t rows = 0, i;
    json_t *target;
    json_array_foreach(run->targets, i, target)
    {
        double instance, instantiate, latency;
        if (report_target_median(target, "instance_p50_ns", &instance)) continue;
        if (report_target_median(target, "instantiate_p50_ns", &instantiate)) instantiate = NAN;
        if (report_target_figure(target, "load.latency_ns.p50", &latency)) latency = NAN;
        report_charts_label(data, report_target_name(target));
        fprintf(data, " %.6g %.6g %.6g\n", instantiate / 1e6, instance / 1e6, latency / 1e6);
        rows++;
    }
    fclose(data);
    if (!rows) return;
    snprintf(title, sizeof title,
             "%s: per request with a fresh instance: instantiate, instance life, client latency",
             run->scenario_name);
    report_charts_render(charts, doc, name, "serverless.gp", title, NULL);
}

static int report_charts_compare_buckets(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The latency spectrum: for each histogram bucket, x = 1/(1-F) where F is the share of
 * requests at or below it, so 90%, 99%, 99.9% sit a decade apart on a log axis. */
static size_t report_charts_latency_block(FILE *data, json_t *target)
{
    json_t *histogram = json_object_get(json_object_get(target, "load"), "histogram"), *bucket;
    size_t count = json_array_size(histogram), n = 0, i;
    if (!count) return 0;
    double *buckets = malloc(count * 2 * sizeof *buckets), total = 0;
    json_array_foreach(histogram, i, bucket)
    {
        json_t *latency = json_array_get(bucket, 0), *hits = json_array_get(bucket, 1);
        if (!json_is_number(latency) || !json_is_number(hits) || json_number_value(hits) <= 0)
            continue;
        buckets[2 * n] = json_number_value(latency);
        buckets[2 * n + 1] = json_number_value(hits);
        total += buckets[2 * n + 1];
        n++;
    }
    qsort(buckets, n, 2 * sizeof *buckets, report_charts_compare_buckets);
    fputs("# one_over_one_minus_quantile latency_ms\n", data);
    double seen = 0;
    for (i = 0; i < n; i++) {
        seen += buckets[2 * i + 1];
        /* the last bucket holds the maximum: place it half a request short of 100% */
        double quantile = seen >= total ? 1.0 - 0.5 / total : seen / total;
        fprintf(data, "%.6g %.6g\n", 1.0 / (1.0 - quantile), buckets[2 * i] / 1e6);
    }
    free(buckets);
    return n;
}

static size_t report_charts_sweep_block(FILE *data, json_t *target)
{
    json_t *sweep = json_object_get(json_object_get(target, "load"), "rate_sweep"), *point;
    size_t i, rows = 0;
    fputs("# offered_rate achieved_per_s p99_ms\n", data);
    json_array_foreach(sweep, i, point)
    {
        json_t *rate = json_object_get(point, "rate"), *p99 = json_object_get(point, "p99_ns");
        json_t *achieved = json_object_get(point, "achieved_per_s");
        if (!json_is_number(rate) || !json_is_number(p99)) continue;
        fprintf(data, "%.6g %.6g %.6g\n", json_number_value(rate),
                json_is_number(achieved) ? json_number_value(achieved) : NAN,
                json_number_value(p99) / 1e6);
        rows++;
    }
    return rows;
}

void report_charts_draw_run(report_charts *charts, const report_run *run, report_doc *doc)
{
    if (!charts->gnuplot_found) return;
    char title[512];
    if (!strcmp(run->kind, "density")) {
        snprintf(title, sizeof title,
                 "%s: PSS of all idle instances against instance count (log scale; dashed: fit)",
                 run->scenario_name);
        report_charts_lines(charts, run, doc, "memory", "density.gp", title,
                            report_charts_density_block);
        snprintf(title, sizeof title, "%s: idle instances per GiB (from the fitted slope)",
                 run->scenario_name);
        report_charts_figure_bars(charts, run, doc, "per-gib", "fit.instances_per_gib", 1.0, title,
                                  "instances per GiB (log scale)");
        snprintf(title, sizeof title,
                 "%s: memory per idle instance against instance count (dotted: first explicit "
                 "bounds checks)",
                 run->scenario_name);
        report_charts_lines(charts, run, doc, "per-instance", "density-per-instance.gp", title,
                            report_charts_per_instance_block);
    } else if (!strcmp(run->kind, "http") || !strcmp(run->kind, "serverless")) {
        int serverless = !strcmp(run->kind, "serverless");
        snprintf(title, sizeof title, "%s: requests per second%s", run->scenario_name,
                 serverless ? ", each on a fresh instance" : "");
        report_charts_figure_bars(charts, run, doc, "requests", "load.requests_per_s", 1.0, title,
                                  serverless ? "fresh instances (requests) per second (log scale)"
                                             : "requests/s (log scale)");
        if (serverless) report_charts_serverless(charts, run, doc);
        snprintf(title, sizeof title, "%s: latency percentile spectrum", run->scenario_name);
        report_charts_lines(charts, run, doc, "latency", "http-latency.gp", title,
                            report_charts_latency_block);
        snprintf(title, sizeof title, "%s: p99 latency against offered rate (open loop)",
                 run->scenario_name);
        report_charts_lines(charts, run, doc, "sweep", "http-sweep.gp", title,
                            report_charts_sweep_block);
    } else {
        report_charts_oneshot(charts, run, doc);
        report_charts_phases(charts, run, doc);
    }
}

/* density.c: the density sweep (see density.h). */
#include "density.h"

#include <malloc.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cancel.h"
#include "density_memory.h"
#include "meters/clock.h"
#include "meters/memory.h"
#include "stats.h"

static const long density_default_steps[] = {1,    10,   50,    100,   200,   500,    1000,
                                             2000, 5000, 10000, 20000, 50000, 100000};

static int density_number(const char *path, json_t *object, const char *field, double low,
                          double high, double *out, wasmvs_error *err)
{
    json_t *value = json_object_get(object, field);
    if (!value) return 0;
    if (!json_is_number(value) || json_number_value(value) < low ||
        json_number_value(value) > high)
        return wasmvs_fail(err, "%s: field \"density.%s\": expected a number in [%g, %g], found %s",
                           path, field, low, high,
                           json_is_number(value) ? "a number out of range" : "another JSON value");
    *out = json_number_value(value);
    return 0;
}

int density_options_parse(const char *path, json_t *value, density_options *out,
                          wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    out->budget_mib = 2048;
    out->max_n = 100000;
    out->time_limit_s = 120;
    out->settle_s = 2;
    out->start_timeout_s = 30;
    out->min_available_mib = 1024;
    if (value && !json_is_object(value))
        return wasmvs_fail(err, "%s: field \"density\": expected an object, found another value",
                           path);
    static const char *const fields[] = {"steps",    "budget_mib",      "max_n",
                                         "time_limit_s", "settle_s", "start_timeout_s",
                                         "min_available_mib", NULL};
    const char *key;
    json_t *item;
    json_object_foreach(value, key, item)
    {
        size_t i = 0;
        while (fields[i] && strcmp(fields[i], key) != 0)
            i++;
        if (!fields[i])
            return wasmvs_fail(err,
                               "%s: field \"density.%s\": unknown field; expected steps, "
                               "budget_mib, max_n, time_limit_s, settle_s, start_timeout_s, "
                               "min_available_mib",
                               path, key);
    }
    double max_n = (double)out->max_n;
    if (density_number(path, value, "budget_mib", 1, 1 << 24, &out->budget_mib, err) ||
        density_number(path, value, "max_n", 1, 10000000, &max_n, err) ||
        density_number(path, value, "time_limit_s", 0.1, 86400, &out->time_limit_s, err) ||
        density_number(path, value, "settle_s", 0, 600, &out->settle_s, err) ||
        density_number(path, value, "start_timeout_s", 0.1, 600, &out->start_timeout_s, err) ||
        density_number(path, value, "min_available_mib", 0, 1 << 24, &out->min_available_mib,
                       err))
        return -1;
    out->max_n = (long)max_n;
    json_t *steps = json_object_get(value, "steps");
    if (steps) {
        size_t i;
        json_array_foreach(steps, i, item)
        {
            if (!json_is_integer(item) || json_integer_value(item) < 1 ||
                (i > 0 && json_integer_value(item) <= out->steps[i - 1]) ||
                i >= DENSITY_MAX_STEPS)
                return wasmvs_fail(err,
                                   "%s: field \"density.steps[%zu]\": expected a positive integer "
                                   "above the previous one (at most %d steps), found %s",
                                   path, i, DENSITY_MAX_STEPS,
                                   json_is_integer(item) ? "one that is not" : "another value");
            out->steps[out->step_count++] = (long)json_integer_value(item);
        }
        if (!json_is_array(steps) || out->step_count == 0)
            return wasmvs_fail(err,
                               "%s: field \"density.steps\": expected a non-empty array of "
                               "integers, found something else",
                               path);
    } else {
        for (size_t i = 0; i < sizeof density_default_steps / sizeof *density_default_steps; i++)
            out->steps[out->step_count++] = density_default_steps[i];
    }
    /* the sweep ends at max_n exactly: steps beyond it are cut, max_n is the last */
    while (out->step_count > 0 && out->steps[out->step_count - 1] > out->max_n)
        out->step_count--;
    if ((out->step_count == 0 || out->steps[out->step_count - 1] < out->max_n) &&
        out->step_count < DENSITY_MAX_STEPS && !steps)
        out->steps[out->step_count++] = out->max_n;
    if (out->step_count == 0) out->steps[out->step_count++] = out->max_n;
    return 0;
}

/* The sweep of one target: its live instances and what was measured so far. */
typedef struct density_run {
    const density_options *options;
    target *t;
    target_instance **live;
    size_t count;
    long long available_start_kib;
    long long total_kib;
    uint64_t started_ns;
    char stop_reason[200];
    /* instances' modes where the target varies them (wasmrt's bounds checks), as runs
     * in start order: [{"mode": "guard", "first": 1, "last": 4096}, ...] */
    json_t *modes;
} density_run;

/* Adds the newest instance (number n, from 1) to the runs of modes. */
static void density_note_mode(density_run *run, const char *mode, size_t n)
{
    if (!mode[0]) return;
    json_t *last = json_array_get(run->modes, json_array_size(run->modes) - 1);
    if (last && strcmp(json_string_value(json_object_get(last, "mode")), mode) == 0 &&
        json_integer_value(json_object_get(last, "last")) == (json_int_t)n - 1) {
        json_object_set_new(last, "last", json_integer((json_int_t)n));
        return;
    }
    json_array_append_new(run->modes, json_pack("{s:s, s:I, s:I}", "mode", mode, "first",
                                                (json_int_t)n, "last", (json_int_t)n));
}

/* How many of the first n instances each mode holds: {"guard": 4096, "explicit": 904}. */
static json_t *density_mode_counts(const density_run *run, size_t n)
{
    json_t *counts = json_object();
    size_t i;
    json_t *range;
    json_array_foreach(run->modes, i, range)
    {
        json_int_t first = json_integer_value(json_object_get(range, "first"));
        json_int_t last = json_integer_value(json_object_get(range, "last"));
        if (first > (json_int_t)n) break;
        if (last > (json_int_t)n) last = (json_int_t)n;
        const char *mode = json_string_value(json_object_get(range, "mode"));
        json_object_set_new(
            counts, mode,
            json_integer(json_integer_value(json_object_get(counts, mode)) + last - first + 1));
    }
    return counts;
}

static void density_sleep(double seconds)
{
    uint64_t until = meter_clock_ns() + (uint64_t)(seconds * 1e9);
    while (!cancel_requested() && meter_clock_ns() < until) {
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* MemAvailable, averaged over a few reads: it moves by megabytes on its own. */
static long long density_available(void)
{
    long long sum = 0;
    for (int i = 0; i < 5; i++) {
        sum += density_memory_available_kib(NULL);
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return sum / 5;
}

/* Why the sweep must stop before starting one more instance, or NULL. */
static const char *density_must_stop(density_run *run)
{
    const density_options *o = run->options;
    if (cancel_requested()) return "interrupted";
    if ((double)(meter_clock_ns() - run->started_ns) / 1e9 >= o->time_limit_s)
        return "time limit";
    long long available = density_memory_available_kib(NULL);
    if (available >= 0 && (double)available < o->min_available_mib * 1024)
        return "machine short of memory";
    if (available >= 0 && (double)(run->available_start_kib - available) > o->budget_mib * 1024)
        return "memory budget reached";
    return NULL;
}

/* Starts instances until count == n or a stop condition; 0 when n were reached. */
static int density_grow(density_run *run, const scenario *s, long n)
{
    while ((long)run->count < n) {
        const char *why = density_must_stop(run);
        if (why) {
            snprintf(run->stop_reason, sizeof run->stop_reason, "%s", why);
            return -1;
        }
        target_instance **grown = realloc(run->live, (run->count + 1) * sizeof *grown);
        if (!grown) {
            snprintf(run->stop_reason, sizeof run->stop_reason, "out of memory in wasmvs");
            return -1;
        }
        run->live = grown;
        wasmvs_error err = {{0}};
        if (target_instance_start(run->t, &s->invocation, run->options->start_timeout_s,
                                  &run->live[run->count], &err) != 0) {
            if (cancel_requested()) {
                snprintf(run->stop_reason, sizeof run->stop_reason, "interrupted");
            } else {
                snprintf(run->stop_reason, sizeof run->stop_reason,
                         "an instance failed to start: %.160s", err.message);
                fprintf(stderr, "%s: instance %zu did not start: %s\n", run->t->name,
                        run->count + 1, err.message);
            }
            return -1;
        }
        run->count++;
        density_note_mode(run, run->live[run->count - 1]->mode, run->count);
    }
    return 0;
}

/* Measures the live instances into a new step object. */
static json_t *density_measure(density_run *run, uint64_t batch_ns, wasmvs_error *err)
{
    pid_t *roots = malloc((run->count + 1) * sizeof *roots);
    if (!roots) {
        wasmvs_fail(err, "out of memory");
        return NULL;
    }
    long long cgroup_bytes = 0;
    size_t with_cgroup = 0;
    char own[1200] = "";
    long long ignored_bytes;
    wasmvs_error ignored;
    meter_memory_cgroup_bytes(getpid(), &ignored_bytes, own, sizeof own, &ignored);
    for (size_t i = 0; i < run->count; i++) {
        roots[i] = run->live[i]->tree_root;
        /* only a cgroup of the instance's own (a container's) counts */
        long long bytes;
        char path[1200];
        if (meter_memory_cgroup_bytes(run->live[i]->main_pid, &bytes, path, sizeof path,
                                      &ignored) == 0 &&
            strcmp(path, own) != 0) {
            cgroup_bytes += bytes;
            with_cgroup++;
        }
    }
    density_memory_forest forest;
    int status = density_memory_forest_read(roots, run->count, &forest, err);
    free(roots);
    if (status != 0) return NULL;
    long long available = density_available();
    json_t *step = json_pack("{s:I, s:I, s:I, s:o, s:I, s:I}", "n", (json_int_t)run->count,
                             "pss_kib", (json_int_t)forest.pss_kib, "memavailable_drop_kib",
                             (json_int_t)(run->available_start_kib - available), "cgroup_kib",
                             with_cgroup ? json_integer(cgroup_bytes / 1024) : json_null(),
                             "batch_start_ns", (json_int_t)batch_ns, "processes",
                             (json_int_t)forest.processes);
    if (json_array_size(run->modes) > 0)
        json_object_set_new(step, "modes", density_mode_counts(run, run->count));
    return step;
}

static json_t *density_number_or_null(double value)
{
    return isfinite(value) ? json_real(value) : json_null();
}

/* The least-squares fit of PSS over N with a pairs-bootstrap 95% interval of its slope
 * (and so of instances per GiB) and R^2, or null with fewer than two steps. */
static json_t *density_fit(json_t *steps, const char *y_field, const char *stop_reason)
{
    size_t n = json_array_size(steps);
    long max_n = 0;
    for (size_t i = 0; i < n; i++) {
        long value = (long)json_integer_value(json_object_get(json_array_get(steps, i), "n"));
        if (value > max_n) max_n = value;
    }
    double *x = calloc(n + 1, sizeof *x), *y = calloc(n + 1, sizeof *y);
    json_t *fit = NULL;
    if (x && y && n >= 2) {
        for (size_t i = 0; i < n; i++) {
            json_t *step = json_array_get(steps, i);
            x[i] = (double)json_integer_value(json_object_get(step, "n"));
            y[i] = json_number_value(json_object_get(step, y_field));
        }
        stats_line line;
        stats_fit_line(x, y, n, &line);
        double low, high;
        stats_fit_line_slope_interval(x, y, n, STATS_DEFAULT_SEED, &low, &high);
        fit = json_pack(
            "{s:f, s:f, s:o, s:o, s:f, s:f, s:o, s:o, s:o, s:I, s:s}", "slope_kib_per_instance",
            line.slope, "slope_stderr", line.slope_stderr, "slope_ci_low",
            density_number_or_null(low), "slope_ci_high", density_number_or_null(high), "r2",
            line.r2, "intercept_kib", line.intercept, "instances_per_gib",
            line.slope > 0 ? json_real(1048576.0 / line.slope) : json_null(),
            "instances_per_gib_ci_low", high > 0 ? json_real(1048576.0 / high) : json_null(),
            "instances_per_gib_ci_high", low > 0 ? json_real(1048576.0 / low) : json_null(),
            "max_n", (json_int_t)max_n, "stop_reason", stop_reason);
    }
    free(x);
    free(y);
    return fit ? fit : json_null();
}

static void density_teardown(density_run *run)
{
    while (run->count > 0)
        target_instance_stop(run->t, run->live[--run->count]);
    free(run->live);
    run->live = NULL;
    if (run->t->ops->cleanup) run->t->ops->cleanup(run->t);
    /* tens of thousands of instance records freed: give the pages back, or the next
       target's helper process (a fork of this one) would share them and count them */
    malloc_trim(0);
}

int density_sweep(const scenario *s, target *t, json_t *entry, wasmvs_error *err)
{
    density_options options;
    if (density_options_parse(s->file, json_object_get(s->json, "density"), &options, err) != 0)
        return -1;
    density_run run = {.options = &options, .t = t, .modes = json_array()};
    if (!json_object_get(t->details, "idle_definition")) /* native, runc, Docker */
        json_object_set_new(t->details, "idle_definition",
                            json_string("process blocked waiting"));
    density_sleep(options.settle_s); /* let the previous target's teardown settle */
    run.available_start_kib = density_available();
    density_memory_available_kib(&run.total_kib);
    run.started_ns = meter_clock_ns();
    json_t *steps = json_array();
    int status = 0;
    for (size_t i = 0; i < options.step_count; i++) {
        size_t before = run.count;
        uint64_t batch_started = meter_clock_ns();
        int reached = density_grow(&run, s, options.steps[i]);
        uint64_t batch_ns = meter_clock_ns() - batch_started;
        if (run.count == before || cancel_requested()) break; /* nothing new to measure */
        fprintf(stderr, "%s: %zu instances started in %.2f s; measuring\n", t->name, run.count,
                (double)batch_ns / 1e9);
        density_sleep(options.settle_s);
        if (cancel_requested()) break;
        json_t *step = density_measure(&run, batch_ns, err);
        if (!step) {
            status = -1;
            break;
        }
        json_array_append_new(steps, step);
        if (reached != 0) break; /* a partial batch is measured, then the sweep ends */
        double used = json_number_value(json_object_get(step, "pss_kib"));
        double dropped = json_number_value(json_object_get(step, "memavailable_drop_kib"));
        if (fmax(used, dropped) > options.budget_mib * 1024) {
            snprintf(run.stop_reason, sizeof run.stop_reason, "memory budget reached");
            break;
        }
        if ((long)run.count >= options.max_n) {
            snprintf(run.stop_reason, sizeof run.stop_reason, "max_n reached");
            break;
        }
    }
    if (!run.stop_reason[0])
        snprintf(run.stop_reason, sizeof run.stop_reason, "%s",
                 cancel_requested() ? "interrupted" : status ? "measurement failed" : "steps done");
    fprintf(stderr, "%s: stopping %zu instances (%s)\n", t->name, run.count, run.stop_reason);
    density_teardown(&run);
    json_object_set_new(entry, "fit", density_fit(steps, "pss_kib", run.stop_reason));
    json_object_set_new(entry, "fit_memavailable",
                        density_fit(steps, "memavailable_drop_kib", run.stop_reason));
    json_object_set_new(entry, "stop_reason", json_string(run.stop_reason));
    if (json_array_size(run.modes) > 0) json_object_set(entry, "instance_modes", run.modes);
    json_decref(run.modes);
    size_t measured = json_array_size(steps);
    json_object_set_new(entry, "steps", steps);
    json_object_set_new(entry, "options",
                        json_pack("{s:f, s:I, s:f, s:f, s:f}", "budget_mib", options.budget_mib,
                                  "max_n", (json_int_t)options.max_n, "time_limit_s",
                                  options.time_limit_s, "settle_s", options.settle_s,
                                  "min_available_mib", options.min_available_mib));
    if (status == 0 && measured == 0 && !cancel_requested())
        status = wasmvs_fail(err, "%s: no step could be measured (%s)", t->name, run.stop_reason);
    return status;
}

void density_table_print(FILE *out, json_t *doc)
{
    json_t *scenario = json_object_get(doc, "scenario");
    fprintf(out, "\n%s: idle instances per target (slope of PSS over N)\n",
            json_string_value(json_object_get(scenario, "name")));
    fprintf(out, "%-20s %18s %20s %6s %16s %14s %8s  %s\n", "target", "KiB/instance", "95% CI",
            "R^2", "MemAvail KiB/inst", "instances/GiB", "max N", "stopped by");
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(doc, "targets"), i, entry)
    {
        const char *name = json_string_value(json_object_get(entry, "name"));
        if (!json_is_true(json_object_get(entry, "available"))) {
            fprintf(out, "%-20s skipped: %s\n", name,
                    json_string_value(json_object_get(entry, "reason")));
            continue;
        }
        json_t *fit = json_object_get(entry, "fit"), *drop = json_object_get(entry, "fit_memavailable");
        if (!json_is_object(fit)) {
            fprintf(out, "%-20s %d step(s) measured, no fit: %s\n", name,
                    (int)json_array_size(json_object_get(entry, "steps")),
                    json_string_value(json_object_get(entry, "stop_reason")));
            continue;
        }
        char slope[40], interval[48] = "-", dropped[40];
        snprintf(slope, sizeof slope, "%.1f +/- %.1f",
                 json_number_value(json_object_get(fit, "slope_kib_per_instance")),
                 json_number_value(json_object_get(fit, "slope_stderr")));
        if (json_is_number(json_object_get(fit, "slope_ci_low")))
            snprintf(interval, sizeof interval, "[%.1f, %.1f]",
                     json_number_value(json_object_get(fit, "slope_ci_low")),
                     json_number_value(json_object_get(fit, "slope_ci_high")));
        snprintf(dropped, sizeof dropped, "%.1f",
                 json_number_value(json_object_get(drop, "slope_kib_per_instance")));
        fprintf(out, "%-20s %18s %20s %6.3f %16s %14.0f %8lld  %s\n", name, slope, interval,
                json_number_value(json_object_get(fit, "r2")), dropped,
                json_number_value(json_object_get(fit, "instances_per_gib")),
                (long long)json_integer_value(json_object_get(fit, "max_n")),
                json_string_value(json_object_get(fit, "stop_reason")));
        size_t k;
        json_t *range;
        json_array_foreach(json_object_get(entry, "instance_modes"), k, range)
            fprintf(out, "%s%s %lld-%lld%s",
                    k ? ", " : "  instances: ", json_string_value(json_object_get(range, "mode")),
                    (long long)json_integer_value(json_object_get(range, "first")),
                    (long long)json_integer_value(json_object_get(range, "last")),
                    k + 1 == json_array_size(json_object_get(entry, "instance_modes")) ? "\n" : "");
    }
}

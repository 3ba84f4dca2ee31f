/* cpu.c: CPU time, steal, frequency and load average around a run (see cpu.h). */
#include "cpu.h"

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The first line of /proc/stat: user nice system idle iowait irq softirq steal ... in
 * clock ticks, summed over the CPUs. */
static bool meter_cpu_times(meter_cpu_snapshot *out)
{
    FILE *file = fopen("/proc/stat", "r");
    if (!file) return false;
    unsigned long long v[8] = {0};
    int read = fscanf(file, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                      &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(file);
    if (read < 7) return false;
    double tick = (double)sysconf(_SC_CLK_TCK);
    if (tick <= 0) tick = 100;
    out->busy_s = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / tick;
    out->idle_s = (double)(v[3] + v[4]) / tick;
    out->steal_s = read >= 8 ? (double)v[7] / tick : 0;
    return true;
}

static double meter_cpu_rusage_s(int who)
{
    struct rusage usage;
    if (getrusage(who, &usage) != 0) return 0;
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void meter_cpu_note_frequency(meter_cpu_snapshot *out, double mhz)
{
    if (!(mhz > 0)) return;
    if (out->frequency_min_mhz < 0 || mhz < out->frequency_min_mhz) out->frequency_min_mhz = mhz;
    if (out->frequency_max_mhz < 0 || mhz > out->frequency_max_mhz) out->frequency_max_mhz = mhz;
}

/* cpufreq's current frequency per CPU (kHz), else /proc/cpuinfo's "cpu MHz" lines (on a
 * virtual machine often the nominal figure the hypervisor reports). */
static void meter_cpu_frequency(meter_cpu_snapshot *out)
{
    out->frequency_min_mhz = out->frequency_max_mhz = -1;
    out->frequency_source = NULL;
    glob_t found;
    if (glob("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_cur_freq", 0, NULL, &found) == 0) {
        for (size_t i = 0; i < found.gl_pathc; i++) {
            FILE *file = fopen(found.gl_pathv[i], "r");
            double khz = 0;
            if (file && fscanf(file, "%lf", &khz) == 1) meter_cpu_note_frequency(out, khz / 1000);
            if (file) fclose(file);
        }
        globfree(&found);
        if (out->frequency_min_mhz > 0) {
            out->frequency_source = "cpufreq";
            return;
        }
    }
    FILE *file = fopen("/proc/cpuinfo", "r");
    if (!file) return;
    char line[256];
    while (fgets(line, sizeof line, file)) {
        char *colon = strchr(line, ':');
        if (colon && strncmp(line, "cpu MHz", 7) == 0)
            meter_cpu_note_frequency(out, strtod(colon + 1, NULL));
    }
    fclose(file);
    if (out->frequency_min_mhz > 0) out->frequency_source = "/proc/cpuinfo";
}

void meter_cpu_snapshot_take(meter_cpu_snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->times_valid = meter_cpu_times(out);
    out->own_s = meter_cpu_rusage_s(RUSAGE_SELF) + meter_cpu_rusage_s(RUSAGE_CHILDREN);
    meter_cpu_frequency(out);
    if (getloadavg(out->load_average, 3) != 3)
        out->load_average[0] = out->load_average[1] = out->load_average[2] = -1;
}

static json_t *meter_cpu_number(double value)
{
    return isfinite(value) && value >= 0 ? json_real(value) : json_null();
}

static json_t *meter_cpu_load(const meter_cpu_snapshot *s)
{
    if (s->load_average[0] < 0) return json_null();
    return json_pack("[f, f, f]", s->load_average[0], s->load_average[1], s->load_average[2]);
}

json_t *meter_cpu_interval_json(const meter_cpu_snapshot *start, const meter_cpu_snapshot *end)
{
    double busy = NAN, own = NAN, other = NAN, steal = NAN;
    if (start->times_valid && end->times_valid) {
        double busy_s = end->busy_s - start->busy_s, idle_s = end->idle_s - start->idle_s;
        double steal_s = end->steal_s - start->steal_s, own_s = end->own_s - start->own_s;
        double total = busy_s + idle_s + steal_s;
        if (total > 0) {
            busy = busy_s / total * 100;
            steal = steal_s / total * 100;
            own = fmin(own_s / total * 100, busy);
            other = busy - own;
        }
    }
    json_t *out = json_object();
    json_object_set_new(out, "cpu_busy_pct", meter_cpu_number(busy));
    json_object_set_new(out, "wasmvs_pct", meter_cpu_number(own));
    json_object_set_new(out, "other_pct", meter_cpu_number(other));
    json_object_set_new(out, "steal_pct", meter_cpu_number(steal));
    json_object_set_new(out, "frequency_mhz",
                        json_pack("{s:o, s:o, s:o, s:o}", "start_min",
                                  meter_cpu_number(start->frequency_min_mhz), "start_max",
                                  meter_cpu_number(start->frequency_max_mhz), "end_min",
                                  meter_cpu_number(end->frequency_min_mhz), "end_max",
                                  meter_cpu_number(end->frequency_max_mhz)));
    json_object_set_new(out, "frequency_source",
                        end->frequency_source ? json_string(end->frequency_source) : json_null());
    json_object_set_new(out, "load_average_start", meter_cpu_load(start));
    json_object_set_new(out, "load_average_end", meter_cpu_load(end));
    return out;
}

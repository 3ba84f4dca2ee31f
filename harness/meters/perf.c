/* perf.c: perf_event_open counters for one process tree (see perf.h). */
#include "perf.h"

#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct meter_perf_counter {
    const char *metric; /* name in results, unit in the suffix */
    const char *name;   /* perf's own name, for counters_available/missing */
    uint32_t type;
    uint64_t config;
} meter_perf_counter;

static const meter_perf_counter meter_perf_counters[METER_PERF_MAX] = {
    {"task_clock_ns", "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {"page_faults", "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {"context_switches", "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu_migrations", "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
    {"cycles", "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"cache_misses", "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
    {"branch_misses", "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES},
};

static int meter_perf_open_one(const meter_perf_counter *counter, pid_t pid, int enable_on_exec)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = counter->type;
    attr.config = counter->config;
    attr.disabled = 1;
    attr.inherit = 1; /* runc and the container's process are children of the launched one */
    attr.enable_on_exec = (uint64_t)enable_on_exec;
    attr.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static bool meter_perf_attach = true;

void meter_perf_set_attach(bool attach)
{
    meter_perf_attach = attach;
}

bool meter_perf_attaching(void)
{
    return meter_perf_attach;
}

void meter_perf_open(meter_perf *perf, pid_t pid)
{
    for (int i = 0; i < METER_PERF_MAX; i++)
        perf->fds[i] =
            meter_perf_attach ? meter_perf_open_one(&meter_perf_counters[i], pid, 1) : -1;
}

void meter_perf_read_close(meter_perf *perf, json_t *metrics)
{
    for (int i = 0; i < METER_PERF_MAX; i++) {
        if (perf->fds[i] < 0) continue;
        uint64_t count = 0;
        if (read(perf->fds[i], &count, sizeof count) == (ssize_t)sizeof count)
            json_object_set_new(metrics, meter_perf_counters[i].metric,
                                json_integer((json_int_t)count));
        close(perf->fds[i]);
        perf->fds[i] = -1;
    }
}

void meter_perf_close(meter_perf *perf)
{
    for (int i = 0; i < METER_PERF_MAX; i++) {
        if (perf->fds[i] >= 0) close(perf->fds[i]);
        perf->fds[i] = -1;
    }
}

void meter_perf_availability(json_t **available, json_t **missing)
{
    static int probed[METER_PERF_MAX]; /* 0 unknown, 1 available, 2 missing */
    *available = json_array();
    *missing = json_array();
    for (int i = 0; i < METER_PERF_MAX; i++) {
        if (!probed[i]) {
            int fd = meter_perf_open_one(&meter_perf_counters[i], 0, 0);
            probed[i] = fd >= 0 ? 1 : 2;
            if (fd >= 0) close(fd);
        }
        json_array_append_new(probed[i] == 1 ? *available : *missing,
                              json_string(meter_perf_counters[i].name));
    }
}

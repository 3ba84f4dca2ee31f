/* host.c: host facts (see host.h). libcpuid for the CPU, uname and /proc for the
 * rest, the tools' own --version output for their versions. */
#include "host.h"

#include <libcpuid/libcpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"
#include "perf.h"

static json_t *meter_host_cpu(json_t *unavailable)
{
    struct cpu_raw_data_t raw;
    struct cpu_id_t id;
    if (!cpuid_present() || cpuid_get_raw_data(&raw) != 0 || cpu_identify(&raw, &id) != 0) {
        json_array_append_new(unavailable, json_sprintf("cpu: libcpuid: %s", cpuid_error()));
        return json_null();
    }
    json_t *flags = json_array();
    for (int i = 0; i < NUM_CPU_FEATURES; i++)
        if (id.flags[i]) json_array_append_new(flags, json_string(cpu_feature_str(i)));
    return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}, s:o, s:s}", "vendor",
                     id.vendor_str, "brand", id.brand_str, "family", id.family, "model", id.model,
                     "stepping", id.stepping, "cores", id.num_cores, "logical_cpus",
                     id.num_logical_cpus, "caches", "l1d_kib", id.l1_data_cache, "l2_kib",
                     id.l2_cache, "l3_kib", id.l3_cache, "flags", flags, "libcpuid",
                     cpuid_lib_version());
}

static long long meter_host_meminfo(const char *field)
{
    FILE *file = fopen("/proc/meminfo", "r");
    if (!file) return -1;
    char line[256];
    long long kib = -1;
    size_t length = strlen(field);
    while (fgets(line, sizeof line, file))
        if (strncmp(line, field, length) == 0 && line[length] == ':')
            kib = strtoll(line + length + 1, NULL, 10);
    fclose(file);
    return kib;
}

static const char *meter_host_cgroup_mode(void)
{
    if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) return "v2";
    if (access("/sys/fs/cgroup/unified", F_OK) == 0) return "hybrid";
    if (access("/sys/fs/cgroup/memory", F_OK) == 0) return "v1";
    return "none";
}

/* The version from a tool's first output line: the last word that starts with a digit
 * and holds a dot ("gcc (Debian 12.2.0-14) 12.2.0" gives 12.2.0). */
static json_t *meter_host_tool_version(char *const *argv)
{
    char *line = process_first_line(argv);
    if (!line) return json_null();
    char *version = NULL, *save = NULL;
    for (char *word = strtok_r(line, " ,", &save); word; word = strtok_r(NULL, " ,", &save)) {
        char *slash = strrchr(word, '/'); /* "debian/4.1.0-3" */
        if (slash) word = slash + 1;
        if (word[0] >= '0' && word[0] <= '9' && strchr(word, '.')) version = word;
    }
    json_t *result = json_string(version ? version : line);
    free(line);
    return result;
}

static json_t *meter_host_tools(void)
{
    static char *const gcc[] = {"gcc", "--version", NULL};
    static char *const clang[] = {"clang", "--version", NULL};
    static char *const runc[] = {"runc", "--version", NULL};
    static char *const docker[] = {"dockerd", "--version", NULL};
    static char *const gnuplot[] = {"gnuplot", "--version", NULL};
    static char *const wrk[] = {"wrk", "--version", NULL};
    json_t *tools = json_object();
    json_object_set_new(tools, "gcc", meter_host_tool_version(gcc));
    json_object_set_new(tools, "clang", meter_host_tool_version(clang));
    json_object_set_new(tools, "runc", meter_host_tool_version(runc));
    json_object_set_new(tools, "docker", meter_host_tool_version(docker));
    json_object_set_new(tools, "gnuplot", meter_host_tool_version(gnuplot));
    json_object_set_new(tools, "wrk", meter_host_tool_version(wrk));
    return tools;
}

char *meter_host_git_commit(void)
{
    char *const head[] = {"git", "-C", (char *)paths_root(), "rev-parse", "--short", "HEAD", NULL};
    char *commit = process_first_line(head);
    if (!commit) return NULL;
    char *const status[] = {
        "git", "-C", (char *)paths_root(), "status", "--porcelain", "--untracked-files=no", NULL};
    char *changed = process_first_line(status);
    if (changed) {
        char *dirty = malloc(strlen(commit) + 8);
        if (dirty) sprintf(dirty, "%s-dirty", commit);
        free(commit);
        free(changed);
        commit = dirty;
    }
    return commit;
}

json_t *meter_host_facts(void)
{
    json_t *facts = json_object();
    json_t *unavailable = json_array();
    json_t *cpu = meter_host_cpu(unavailable);
    struct utsname uts;
    const char *kernel = uname(&uts) == 0 ? uts.release : NULL;
    long long memory_kib = meter_host_meminfo("MemTotal");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char hostname[256] = "";
    gethostname(hostname, sizeof hostname - 1);
    char fingerprint[512];
    snprintf(fingerprint, sizeof fingerprint, "%s/%s/%ldcpu/%lldGiB/%s",
             json_string_value(json_object_get(cpu, "vendor")) ?: "?",
             json_string_value(json_object_get(cpu, "brand")) ?: "?", cpus,
             memory_kib > 0 ? (memory_kib + 512 * 1024) / (1024 * 1024) : 0, kernel ? kernel : "?");
    json_object_set_new(facts, "fingerprint", json_string(fingerprint));
    json_object_set_new(facts, "hostname", json_string(hostname));
    json_object_set_new(facts, "cpu", cpu);
    json_object_set_new(facts, "kernel", kernel ? json_string(kernel) : json_null());
    json_object_set_new(facts, "arch", json_string(uts.machine));
    json_object_set_new(facts, "memory_total_bytes",
                        memory_kib > 0 ? json_integer(memory_kib * 1024) : json_null());
    json_object_set_new(facts, "memory_available_bytes",
                        json_integer(meter_host_meminfo("MemAvailable") * 1024));
    json_object_set_new(facts, "cpus_online", json_integer(cpus));
    /* Other work on the machine is the first suspect of a noisy result: record it. */
    double load[3];
    json_object_set_new(facts, "load_average",
                        getloadavg(load, 3) == 3 ? json_pack("[f, f, f]", load[0], load[1], load[2])
                                                 : json_null());
    json_object_set_new(facts, "cgroups", json_string(meter_host_cgroup_mode()));
    json_t *available, *missing;
    meter_perf_availability(&available, &missing);
    json_object_set_new(facts, "perf_counters",
                        json_pack("{s:o, s:o}", "available", available, "missing", missing));
    json_object_set_new(facts, "tools", meter_host_tools());
    char *commit = meter_host_git_commit();
    json_object_set_new(facts, "git_commit", commit ? json_string(commit) : json_null());
    free(commit);
    char flags_path[4096];
    snprintf(flags_path, sizeof flags_path, "%s/build/workloads/flags.json", paths_root());
    json_t *flags = json_load_file(flags_path, 0, NULL);
    json_object_set_new(facts, "workload_build_flags", flags ? flags : json_null());
    json_object_set_new(facts, "unavailable", unavailable);
    return facts;
}

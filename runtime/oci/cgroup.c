/* cgroup.c: the container's control groups (see cgroup.h). The hierarchies come from
 * /proc/self/mountinfo (cgroup and cgroup2 mounts of a hierarchy's root), this process's
 * own place in each from /proc/self/cgroup. */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* ---- files ---- */

static int oci_cgroup_write(const char *dir, const char *file, const char *value, oci_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return oci_fail(err, "%s: cannot open for writing: %s", path, strerror(errno));
    ssize_t length = (ssize_t)strlen(value);
    ssize_t n = write(fd, value, (size_t)length);
    int saved = errno;
    close(fd);
    if (n != length)
        return oci_fail(err, "%s: cannot write \"%s\": %s", path, value,
                        n < 0 ? strerror(saved) : "short write");
    return 0;
}

/* Reads a small file into out (trailing newline removed); -1 when it cannot. */
static int oci_cgroup_read(const char *dir, const char *file, char *out, size_t size)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n < 0) return -1;
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
    return 0;
}

/* ---- the plan ---- */

/* This process's cgroup in the hierarchy with these controllers ("" for cgroup2). */
static int oci_cgroup_own(const char *controllers, char *out, size_t size)
{
    FILE *file = fopen("/proc/self/cgroup", "re");
    if (!file) return -1;
    char line[4096];
    int found = -1;
    while (found != 0 && fgets(line, sizeof line, file)) {
        char *first = strchr(line, ':'), *second = first ? strchr(first + 1, ':') : NULL;
        if (!second) continue;
        *second = '\0';
        line[strcspn(line, "\n")] = '\0';
        second[1 + strcspn(second + 1, "\n")] = '\0';
        if (strcmp(first + 1, controllers) == 0) {
            snprintf(out, size, "%s", second + 1);
            found = 0;
        }
    }
    fclose(file);
    return found;
}

/* Adds {"hierarchy", "mount", "path"} for one mounted hierarchy. */
static int oci_cgroup_plan_entry(json_t *plan, const char *hierarchy, const char *mount,
                                 const char *cgroups_path, oci_error *err)
{
    char own[PATH_MAX] = "/", path[PATH_MAX];
    if (cgroups_path[0] != '/' &&
        oci_cgroup_own(strcmp(hierarchy, "unified") == 0 ? "" : hierarchy, own, sizeof own) != 0)
        return oci_fail(err, "/proc/self/cgroup: expected this process's %s cgroup, found none",
                        hierarchy);
    int n = cgroups_path[0] == '/' ? snprintf(path, sizeof path, "%s%s", mount, cgroups_path)
                                   : snprintf(path, sizeof path, "%s%s/%s", mount,
                                              strcmp(own, "/") ? own : "", cgroups_path);
    if (n >= (int)sizeof path) return oci_fail(err, "linux.cgroupsPath: the path is too long");
    json_array_append_new(
        plan, json_pack("{s:s, s:s, s:s}", "hierarchy", hierarchy, "mount", mount, "path", path));
    return 0;
}

int oci_cgroup_plan(const char *cgroups_path, const char *id, json_t **plan, oci_error *err)
{
    char default_path[300];
    if (!cgroups_path || !*cgroups_path) {
        snprintf(default_path, sizeof default_path, "/%s", id);
        cgroups_path = default_path;
    }
    if (strstr(cgroups_path, "..") || strchr(cgroups_path, ':'))
        return oci_fail(err,
                        "linux.cgroupsPath \"%s\": expected a cgroupfs path (no \"..\"; the "
                        "systemd form slice:prefix:name needs --systemd-cgroup, which "
                        "wasmrt-oci does not support)",
                        cgroups_path);
    FILE *file = fopen("/proc/self/mountinfo", "re");
    if (!file) return oci_fail(err, "/proc/self/mountinfo: cannot open: %s", strerror(errno));
    *plan = json_array();
    char line[4096];
    int status = 0;
    while (status == 0 && fgets(line, sizeof line, file)) {
        /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER */
        char root[PATH_MAX], mount[PATH_MAX], type[64], super[1024];
        char *separator = strstr(line, " - ");
        if (!separator || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mount) != 2 ||
            sscanf(separator + 3, "%63s %*s %1023s", type, super) != 2 || strcmp(root, "/") != 0)
            continue;
        if (strcmp(type, "cgroup2") == 0) {
            if (!oci_cgroup_entry(*plan, "unified"))
                status = oci_cgroup_plan_entry(*plan, "unified", mount, cgroups_path, err);
            continue;
        }
        if (strcmp(type, "cgroup") != 0) continue;
        /* the super options hold the controllers, and "name=systemd" for a named one */
        char controllers[1024] = "";
        for (char *option = strtok(super, ","); option; option = strtok(NULL, ",")) {
            if (strcmp(option, "rw") == 0 || strcmp(option, "ro") == 0 ||
                strncmp(option, "release_agent=", 14) == 0 || strcmp(option, "noprefix") == 0 ||
                strcmp(option, "clone_children") == 0 || strcmp(option, "xattr") == 0)
                continue;
            size_t used = strlen(controllers);
            snprintf(controllers + used, sizeof controllers - used, "%s%s", used ? "," : "",
                     option);
        }
        bool seen = false;
        size_t i;
        json_t *entry;
        json_array_foreach(*plan, i, entry)
        {
            seen |=
                strcmp(json_string_value(json_object_get(entry, "hierarchy")), controllers) == 0;
        }
        if (controllers[0] && !seen)
            status = oci_cgroup_plan_entry(*plan, controllers, mount, cgroups_path, err);
    }
    fclose(file);
    if (status == 0 && json_array_size(*plan) == 0)
        status = oci_fail(err, "/proc/self/mountinfo: expected a cgroup or cgroup2 mount, found "
                               "none (mount cgroups at /sys/fs/cgroup)");
    if (status != 0) {
        json_decref(*plan);
        *plan = NULL;
    }
    return status;
}

json_t *oci_cgroup_entry(json_t *plan, const char *controller)
{
    size_t i, length = strlen(controller);
    json_t *entry;
    json_array_foreach(plan, i, entry)
    {
        const char *hierarchy = json_string_value(json_object_get(entry, "hierarchy"));
        /* "cpu" is in "cpu,cpuacct" but not in "cpuset" */
        for (const char *p = hierarchy; p && (p = strstr(p, controller)) != NULL; p++)
            if ((p == hierarchy || p[-1] == ',') && (p[length] == '\0' || p[length] == ','))
                return entry;
    }
    return NULL;
}

static const char *oci_cgroup_path(json_t *entry)
{
    return json_string_value(json_object_get(entry, "path"));
}

/* ---- join ---- */

/* A new v1 cpuset cgroup has no CPUs and memory nodes: a process cannot enter it until
 * they are copied from the parent. */
static void oci_cgroup_cpuset_inherit(const char *dir)
{
    char value[4096], parent[PATH_MAX];
    const char *files[] = {"cpuset.cpus", "cpuset.mems"};
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (!slash) return;
    *slash = '\0';
    for (int i = 0; i < 2; i++)
        if (oci_cgroup_read(dir, files[i], value, sizeof value) == 0 && !value[0] &&
            oci_cgroup_read(parent, files[i], value, sizeof value) == 0)
            oci_cgroup_write(dir, files[i], value, NULL);
}

/* mkdir -p below the hierarchy's mount point, a level at a time. */
static int oci_cgroup_make(const char *mount, const char *path, bool cpuset, bool v2,
                           oci_error *err)
{
    char partial[PATH_MAX];
    size_t base = strlen(mount);
    snprintf(partial, sizeof partial, "%s", path);
    for (size_t i = base + 1; i <= strlen(path); i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        partial[i] = '\0';
        if (v2) { /* controllers reach a cgroup only through its parent's subtree_control */
            char parent[PATH_MAX], controllers[1024], enable[1100] = "";
            snprintf(parent, sizeof parent, "%s", partial);
            *strrchr(parent, '/') = '\0';
            if (oci_cgroup_read(parent, "cgroup.controllers", controllers, sizeof controllers) ==
                0) {
                for (char *c = strtok(controllers, " "); c; c = strtok(NULL, " ")) {
                    size_t used = strlen(enable);
                    snprintf(enable + used, sizeof enable - used, "%s+%s", used ? " " : "", c);
                }
                if (enable[0]) oci_cgroup_write(parent, "cgroup.subtree_control", enable, NULL);
            }
        }
        if (mkdir(partial, 0755) != 0 && errno != EEXIST)
            return oci_fail(err, "%s: cannot create the cgroup: %s", partial, strerror(errno));
        if (cpuset) oci_cgroup_cpuset_inherit(partial);
        partial[i] = path[i];
    }
    return 0;
}

int oci_cgroup_create(json_t *plan, int *unified_fd, oci_error *err)
{
    *unified_fd = -1;
    size_t i;
    json_t *entry;
    json_array_foreach(plan, i, entry)
    {
        const char *hierarchy = json_string_value(json_object_get(entry, "hierarchy"));
        const char *mount = json_string_value(json_object_get(entry, "mount"));
        bool v2 = strcmp(hierarchy, "unified") == 0;
        if (oci_cgroup_make(mount, oci_cgroup_path(entry),
                            entry == oci_cgroup_entry(plan, "cpuset"), v2, err) != 0)
            return -1;
        if (v2) *unified_fd = open(oci_cgroup_path(entry), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    return 0;
}

int oci_cgroup_join(json_t *plan, pid_t pid, bool unified_done, oci_error *err)
{
    char text[32];
    snprintf(text, sizeof text, "%d", (int)pid);
    size_t i;
    json_t *entry;
    json_array_foreach(plan, i, entry)
    {
        if (unified_done && entry == oci_cgroup_entry(plan, "unified")) continue;
        if (oci_cgroup_write(oci_cgroup_path(entry), "cgroup.procs", text, err) != 0) return -1;
    }
    return 0;
}

/* ---- resources ---- */

/* An integer member of an object; false when absent or not an integer. */
static bool oci_cgroup_number(json_t *object, const char *key, long long *out)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_integer(value)) return false;
    *out = json_integer_value(value);
    return true;
}

static int oci_cgroup_set(json_t *entry, const char *file, long long value, oci_error *err)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", value);
    return oci_cgroup_write(oci_cgroup_path(entry), file, text, err);
}

/* "max" for a limit of -1 (unlimited), the number otherwise. */
static int oci_cgroup_set_max(json_t *entry, const char *file, long long value, oci_error *err)
{
    return value < 0 ? oci_cgroup_write(oci_cgroup_path(entry), file, "max", err)
                     : oci_cgroup_set(entry, file, value, err);
}

static int oci_cgroup_memory(json_t *plan, json_t *memory, oci_error *err)
{
    long long limit = 0, reservation = 0, swap = 0, swappiness = 0;
    bool has_limit = oci_cgroup_number(memory, "limit", &limit) && limit != 0;
    bool has_reservation = oci_cgroup_number(memory, "reservation", &reservation) && reservation;
    bool has_swap = oci_cgroup_number(memory, "swap", &swap) && swap != 0;
    json_t *v1 = oci_cgroup_entry(plan, "memory");
    if (v1) {
        /* memsw must stay >= limit: whichever order keeps that holds */
        if (has_swap && oci_cgroup_set(v1, "memory.memsw.limit_in_bytes", swap, NULL) != 0) {
            if (has_limit && oci_cgroup_set(v1, "memory.limit_in_bytes", limit, err) != 0)
                return -1;
            has_limit = false;
            if (oci_cgroup_set(v1, "memory.memsw.limit_in_bytes", swap, err) != 0) return -1;
        }
        if ((has_limit && oci_cgroup_set(v1, "memory.limit_in_bytes", limit, err) != 0) ||
            (has_reservation &&
             oci_cgroup_set(v1, "memory.soft_limit_in_bytes", reservation, err) != 0))
            return -1;
        if (oci_cgroup_number(memory, "swappiness", &swappiness) && swappiness >= 0 &&
            swappiness <= 100 && oci_cgroup_set(v1, "memory.swappiness", swappiness, err) != 0)
            return -1;
        if (json_is_true(json_object_get(memory, "disableOOMKiller")) &&
            oci_cgroup_set(v1, "memory.oom_control", 1, err) != 0)
            return -1;
        return 0;
    }
    json_t *v2 = oci_cgroup_entry(plan, "unified");
    if (!v2 || (!has_limit && !has_reservation && !has_swap)) return 0;
    if ((has_limit && oci_cgroup_set_max(v2, "memory.max", limit, err) != 0) ||
        (has_reservation && oci_cgroup_set(v2, "memory.low", reservation, err) != 0))
        return -1;
    /* v1's swap is memory + swap; v2's memory.swap.max is the swap alone */
    if (has_swap)
        return oci_cgroup_set_max(v2, "memory.swap.max",
                                  swap < 0 || !has_limit || limit < 0 ? -1 : swap - limit, err);
    return 0;
}

static int oci_cgroup_cpu(json_t *plan, json_t *cpu, oci_error *err)
{
    long long shares = 0, quota = 0, period = 0;
    bool has_shares = oci_cgroup_number(cpu, "shares", &shares) && shares > 0;
    bool has_quota = oci_cgroup_number(cpu, "quota", &quota) && quota != 0;
    bool has_period = oci_cgroup_number(cpu, "period", &period) && period > 0;
    const char *cpus = json_string_value(json_object_get(cpu, "cpus"));
    const char *mems = json_string_value(json_object_get(cpu, "mems"));
    json_t *v1 = oci_cgroup_entry(plan, "cpu"), *set = oci_cgroup_entry(plan, "cpuset");
    json_t *v2 = oci_cgroup_entry(plan, "unified");
    if (v1) {
        if ((has_shares && oci_cgroup_set(v1, "cpu.shares", shares, err) != 0) ||
            (has_period && oci_cgroup_set(v1, "cpu.cfs_period_us", period, err) != 0) ||
            (has_quota && oci_cgroup_set(v1, "cpu.cfs_quota_us", quota, err) != 0))
            return -1;
    } else if (v2 && (has_shares || has_quota || has_period)) {
        /* shares 2..262144 onto weight 1..10000, as runc converts them */
        if (has_shares &&
            oci_cgroup_set(v2, "cpu.weight", 1 + ((shares - 2) * 9999) / 262142, err) != 0)
            return -1;
        char max[64];
        if (quota > 0)
            snprintf(max, sizeof max, "%lld %lld", quota, has_period ? period : 100000);
        else
            snprintf(max, sizeof max, "max %lld", has_period ? period : 100000);
        if ((has_quota || has_period) &&
            oci_cgroup_write(oci_cgroup_path(v2), "cpu.max", max, err) != 0)
            return -1;
    }
    json_t *where = set ? set : v2;
    if (where && cpus && *cpus &&
        oci_cgroup_write(oci_cgroup_path(where), "cpuset.cpus", cpus, err) != 0)
        return -1;
    if (where && mems && *mems &&
        oci_cgroup_write(oci_cgroup_path(where), "cpuset.mems", mems, err) != 0)
        return -1;
    return 0;
}

/* v1's device whitelist: deny everything, then the spec's rules in order. On v2 device
 * access is an eBPF program, which wasmrt-oci does not load (see the README). */
static int oci_cgroup_devices(json_t *plan, json_t *rules, oci_error *err)
{
    json_t *v1 = oci_cgroup_entry(plan, "devices");
    if (!json_is_array(rules) || json_array_size(rules) == 0) return 0;
    if (!v1) {
        oci_log_debug("linux.resources.devices: not enforced on cgroup v2 by wasmrt-oci");
        return 0;
    }
    size_t i;
    json_t *rule;
    json_array_foreach(rules, i, rule)
    {
        const char *type = json_string_value(json_object_get(rule, "type"));
        const char *access = json_string_value(json_object_get(rule, "access"));
        long long major = -1, minor = -1;
        oci_cgroup_number(rule, "major", &major);
        oci_cgroup_number(rule, "minor", &minor);
        char text[96], major_text[24] = "*", minor_text[24] = "*";
        if (major >= 0) snprintf(major_text, sizeof major_text, "%lld", major);
        if (minor >= 0) snprintf(minor_text, sizeof minor_text, "%lld", minor);
        if (!type || strcmp(type, "a") == 0)
            snprintf(text, sizeof text, "a");
        else
            snprintf(text, sizeof text, "%s %s:%s %s", type, major_text, minor_text,
                     access && *access ? access : "rwm");
        bool allow = json_is_true(json_object_get(rule, "allow"));
        if (oci_cgroup_write(oci_cgroup_path(v1), allow ? "devices.allow" : "devices.deny", text,
                             err) != 0)
            return oci_wrap(err, "linux.resources.devices[%zu]", i);
    }
    return 0;
}

int oci_cgroup_apply(json_t *plan, json_t *resources, oci_error *err)
{
    if (!resources) return 0;
    json_t *memory = json_object_get(resources, "memory"), *cpu = json_object_get(resources, "cpu");
    json_t *pids = json_object_get(resources, "pids"), *io = json_object_get(resources, "blockIO");
    long long value = 0;
    if ((memory && oci_cgroup_memory(plan, memory, err) != 0) ||
        (cpu && oci_cgroup_cpu(plan, cpu, err) != 0) ||
        oci_cgroup_devices(plan, json_object_get(resources, "devices"), err) != 0)
        return -1;
    json_t *pid_entry = oci_cgroup_entry(plan, "pids");
    if (!pid_entry) pid_entry = oci_cgroup_entry(plan, "unified");
    if (pids && oci_cgroup_number(pids, "limit", &value) && value != 0 && pid_entry &&
        oci_cgroup_set_max(pid_entry, "pids.max", value, err) != 0)
        return -1;
    if (io && oci_cgroup_number(io, "weight", &value) && value > 0) {
        json_t *blkio = oci_cgroup_entry(plan, "blkio"), *v2 = oci_cgroup_entry(plan, "unified");
        if (blkio && oci_cgroup_set(blkio, "blkio.weight", value, err) != 0) return -1;
        /* blkio 10..1000 onto io 1..10000 */
        if (!blkio && v2 && oci_cgroup_set(v2, "io.weight", 1 + (value - 10) * 9999 / 990, err))
            return -1;
    }
    json_t *unified = json_object_get(resources, "unified"),
           *v2 = oci_cgroup_entry(plan, "unified");
    const char *key;
    json_t *text;
    json_object_foreach(unified, key, text)
    {
        if (!v2 || !json_is_string(text) || strchr(key, '/') || strstr(key, ".."))
            return oci_fail(err,
                            "linux.resources.unified.%s: expected a cgroup v2 file and a "
                            "string on a host with cgroup2",
                            key);
        if (oci_cgroup_write(oci_cgroup_path(v2), key, json_string_value(text), err) != 0)
            return -1;
    }
    return 0;
}

/* ---- pause, ps, delete ---- */

int oci_cgroup_freeze(json_t *plan, bool frozen, oci_error *err)
{
    json_t *v1 = oci_cgroup_entry(plan, "freezer"), *v2 = oci_cgroup_entry(plan, "unified");
    if (v1) {
        const char *want = frozen ? "FROZEN" : "THAWED";
        if (oci_cgroup_write(oci_cgroup_path(v1), "freezer.state", want, err) != 0) return -1;
        char state[64] = "";
        for (int tries = 0; tries < 1000; tries++) { /* FREEZING until every task stopped */
            if (oci_cgroup_read(oci_cgroup_path(v1), "freezer.state", state, sizeof state) == 0 &&
                strcmp(state, want) == 0)
                return 0;
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
        }
        return oci_fail(err, "%s/freezer.state: expected %s, found %s", oci_cgroup_path(v1), want,
                        state);
    }
    if (v2) return oci_cgroup_write(oci_cgroup_path(v2), "cgroup.freeze", frozen ? "1" : "0", err);
    return oci_fail(err, "expected a freezer cgroup (v1) or cgroup2 to pause in, found neither");
}

int oci_cgroup_pids(json_t *plan, pid_t **pids, size_t *count, oci_error *err)
{
    *pids = NULL;
    *count = 0;
    json_t *entry = oci_cgroup_entry(plan, "pids");
    if (!entry) entry = json_array_get(plan, 0);
    if (!entry) return 0;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/cgroup.procs", oci_cgroup_path(entry));
    FILE *file = fopen(path, "re");
    if (!file) {
        if (errno == ENOENT) return 0;
        return oci_fail(err, "%s: cannot open: %s", path, strerror(errno));
    }
    size_t capacity = 0;
    long pid;
    while (fscanf(file, "%ld", &pid) == 1) {
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            pid_t *grown = realloc(*pids, capacity * sizeof *grown);
            if (!grown) break;
            *pids = grown;
        }
        (*pids)[(*count)++] = (pid_t)pid;
    }
    fclose(file);
    return 0;
}

int oci_cgroup_remove(json_t *plan, oci_error *err)
{
    size_t i;
    json_t *entry;
    int status = 0;
    json_array_foreach(plan, i, entry)
    {
        const char *path = oci_cgroup_path(entry);
        /* a process that just exited may still be leaving: EBUSY for a few ms */
        int tries = 0;
        while (path && rmdir(path) != 0 && errno == EBUSY && tries++ < 500) {
            struct timespec pause = {0, 2000000};
            nanosleep(&pause, NULL);
        }
        if (path && access(path, F_OK) == 0 && status == 0)
            status = oci_fail(err, "%s: cannot remove the cgroup: %s", path, strerror(errno));
    }
    return status;
}

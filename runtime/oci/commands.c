/* commands.c: state, kill, ps, pause, resume, update, list and features (see
 * commands.h). */
#include "commands.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "capabilities.h"
#include "cgroup.h"
#include "log.h"
#include "security.h"
#include "spec.h"
#include "state.h"

/* Prints a JSON value on stdout, indented as runc prints its state. */
static int oci_print_json(json_t *value, size_t flags, oci_error *err)
{
    char *text = value ? json_dumps(value, flags) : NULL;
    if (!text) return oci_fail(err, "out of memory printing JSON");
    printf("%s\n", text);
    free(text);
    return fflush(stdout) == 0 ? 0 : oci_fail(err, "stdout: %s", strerror(errno));
}

int oci_command_state(const char *root, const char *id, oci_error *err)
{
    oci_state state;
    if (oci_state_load(root, id, &state, err) != 0) return -1;
    json_t *report = oci_state_report(&state, oci_state_status(&state));
    int status = oci_print_json(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER, err);
    json_decref(report);
    oci_state_free(&state);
    return status;
}

static const struct {
    const char *name;
    int number;
} oci_signal_names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

int oci_signal_parse(const char *text)
{
    char *end;
    long number = strtol(text, &end, 10);
    if (*text && *end == '\0') return number > 0 && number < 65 ? (int)number : -1;
    if (strncasecmp(text, "SIG", 3) == 0) text += 3;
    for (size_t i = 0; i < sizeof oci_signal_names / sizeof *oci_signal_names; i++)
        if (strcasecmp(oci_signal_names[i].name, text) == 0) return oci_signal_names[i].number;
    return -1;
}

int oci_command_kill(const char *root, const char *id, const char *signal, bool all, oci_error *err)
{
    int sig = oci_signal_parse(signal ? signal : "TERM");
    if (sig < 0)
        return oci_fail(err,
                        "kill: expected a signal number or name (TERM, KILL, 9), found "
                        "\"%s\"",
                        signal);
    oci_state state;
    if (oci_state_load(root, id, &state, err) != 0) return -1;
    oci_status status = oci_state_status(&state);
    int result = 0;
    /* go-runc and containerd recognise this wording */
    if (status == OCI_STATUS_STOPPED) {
        result = oci_fail(err, "container not running");
    } else if (all) {
        pid_t *pids = NULL;
        size_t count = 0;
        if (oci_cgroup_pids(state.cgroup_paths, &pids, &count, err) != 0) result = -1;
        for (size_t i = 0; i < count; i++)
            kill(pids[i], sig);
        free(pids);
        if (result == 0 && count == 0 && kill(state.pid, sig) != 0)
            result = oci_fail(err, "kill %s: %s", id, strerror(errno));
    } else if (kill(state.pid, sig) != 0) {
        result = oci_fail(err, "kill %s (pid %d): %s", id, (int)state.pid, strerror(errno));
    }
    oci_state_free(&state);
    return result;
}

int oci_command_ps(const char *root, const char *id, const char *format, oci_error *err)
{
    if (format && strcmp(format, "json") != 0 && strcmp(format, "table") != 0)
        return oci_fail(err, "ps: --format: expected table or json, found \"%s\"", format);
    oci_state state;
    if (oci_state_load(root, id, &state, err) != 0) return -1;
    pid_t *pids = NULL;
    size_t count = 0;
    int result = oci_cgroup_pids(state.cgroup_paths, &pids, &count, err);
    if (result == 0 && format && strcmp(format, "json") == 0) {
        json_t *list = json_array();
        for (size_t i = 0; i < count; i++)
            json_array_append_new(list, json_integer(pids[i]));
        result = oci_print_json(list, JSON_COMPACT, err);
        json_decref(list);
    } else if (result == 0) {
        printf("PID   CMD\n");
        for (size_t i = 0; i < count; i++) {
            char path[64], command[256] = "?";
            snprintf(path, sizeof path, "/proc/%d/comm", (int)pids[i]);
            FILE *file = fopen(path, "re");
            if (file && fgets(command, sizeof command, file)) command[strcspn(command, "\n")] = 0;
            if (file) fclose(file);
            printf("%-5d %s\n", (int)pids[i], command);
        }
    }
    free(pids);
    oci_state_free(&state);
    return result;
}

int oci_command_pause(const char *root, const char *id, bool pause, oci_error *err)
{
    oci_state state;
    if (oci_state_load(root, id, &state, err) != 0) return -1;
    oci_status status = oci_state_status(&state);
    int result = 0;
    if (pause && status != OCI_STATUS_RUNNING)
        result = oci_fail(err, "pause %s: expected a running container, found it %s", id,
                          oci_status_name(status));
    else if (!pause && status != OCI_STATUS_PAUSED)
        result = oci_fail(err, "resume %s: expected a paused container, found it %s", id,
                          oci_status_name(status));
    else if (oci_cgroup_freeze(state.cgroup_paths, pause, err) != 0)
        result = -1;
    if (result == 0) {
        state.paused = pause;
        result = oci_state_save(&state, err);
    }
    oci_state_free(&state);
    return result;
}

int oci_command_update(const char *root, const char *id, const char *resources, oci_error *err)
{
    if (!resources)
        return oci_fail(err, "update: expected --resources FILE (or - for stdin) with "
                             "linux.resources JSON; the single-value flags are not supported");
    json_error_t parse_error;
    json_t *json = strcmp(resources, "-") == 0 ? json_loadf(stdin, 0, &parse_error)
                                               : json_load_file(resources, 0, &parse_error);
    if (!json_is_object(json)) {
        json_decref(json);
        return oci_fail(err, "update --resources %s: expected a JSON object, found %s", resources,
                        json ? "another value" : parse_error.text);
    }
    oci_state state;
    int result = oci_state_load(root, id, &state, err);
    if (result == 0) {
        result = oci_cgroup_apply(state.cgroup_paths, json, err);
        oci_state_free(&state);
    }
    json_decref(json);
    return result;
}

int oci_command_list(const char *root, const char *format, bool quiet, oci_error *err)
{
    if (format && strcmp(format, "json") != 0 && strcmp(format, "table") != 0)
        return oci_fail(err, "list: --format: expected table or json, found \"%s\"", format);
    bool json_output = format && strcmp(format, "json") == 0;
    json_t *all = json_array();
    DIR *dir = opendir(root);
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        oci_state state;
        oci_error ignored;
        if (entry->d_name[0] == '.' || oci_state_load(root, entry->d_name, &state, &ignored) != 0)
            continue;
        json_array_append_new(all, oci_state_report(&state, oci_state_status(&state)));
        oci_state_free(&state);
    }
    if (dir) closedir(dir);
    int result = 0;
    if (json_output) {
        result = oci_print_json(all, JSON_COMPACT, err);
    } else {
        if (!quiet)
            printf("%-24s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
        size_t i;
        json_t *item;
        json_array_foreach(all, i, item)
        {
            const char *id = json_string_value(json_object_get(item, "id"));
            if (quiet)
                printf("%s\n", id);
            else
                printf("%-24s %-8lld %-10s %-40s %s\n", id,
                       json_integer_value(json_object_get(item, "pid")),
                       json_string_value(json_object_get(item, "status")),
                       json_string_value(json_object_get(item, "bundle")),
                       json_string_value(json_object_get(item, "created")));
        }
    }
    json_decref(all);
    return result;
}

int oci_command_features(oci_error *err)
{
    json_t *hooks = json_array(), *namespaces = json_array(), *capabilities = json_array();
    for (int kind = 0; kind < OCI_HOOK_KINDS; kind++)
        json_array_append_new(hooks, json_string(oci_hook_kind_name(kind)));
    const char *supported[] = {"cgroup", "ipc", "mount", "network", "pid", "uts"};
    for (size_t i = 0; i < sizeof supported / sizeof *supported; i++)
        json_array_append_new(namespaces, json_string(supported[i]));
    for (int cap = 0; oci_capability_name(cap); cap++)
        json_array_append_new(capabilities, json_string(oci_capability_name(cap)));
    const char *options[] = {
        "async",      "atime",         "bind",    "defaults", "dev",         "diratime", "dirsync",
        "exec",       "mand",          "noatime", "nodev",    "nodiratime",  "noexec",   "nomand",
        "norelatime", "nostrictatime", "nosuid",  "private",  "rbind",       "relatime", "remount",
        "ro",         "rprivate",      "rshared", "rslave",   "runbindable", "rw",       "shared",
        "slave",      "strictatime",   "suid",    "sync",     "unbindable"};
    json_t *mount_options = json_array();
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        json_array_append_new(mount_options, json_string(options[i]));
    json_t *features =
        json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:o, s:{s:b}, "
                  "s:{s:b}}, s:{s:s, s:s}}",
                  "ociVersionMin", "1.0.0", "ociVersionMax", OCI_VERSION, "hooks", hooks,
                  "mountOptions", mount_options, "linux", "namespaces", namespaces, "capabilities",
                  capabilities, "cgroup", "v1", 1, "v2", 1, "systemd", 0, "systemdUser", 0, "rdma",
                  0, "seccomp", oci_seccomp_features(), "apparmor", "enabled", 1, "selinux",
                  "enabled", 0, "annotations", "org.wasmvs.wasmrt-oci.entrypoint",
                  "a WebAssembly module (\\0asm); native programs are refused",
                  "org.wasmvs.wasmrt-oci.listen",
                  "process.env WASMRT_LISTEN=ADDR:PORT binds a socket "
                  "for the guest");
    int status = oci_print_json(features, JSON_INDENT(2) | JSON_PRESERVE_ORDER, err);
    json_decref(features);
    return status;
}

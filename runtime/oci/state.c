/* state.c: the state directory (see state.h). */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int oci_state_check_id(const char *id, oci_error *err)
{
    size_t length = strlen(id);
    bool good = length > 0 && length < 256 && strcmp(id, ".") != 0 && strcmp(id, "..") != 0;
    for (const char *p = id; good && *p; p++)
        good = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               *p == '_' || *p == '.' || *p == '+' || *p == '-';
    if (!good)
        return oci_fail(err,
                        "container id \"%.300s\": expected 1-255 letters, digits, '_', '.', '+' "
                        "or '-'",
                        id);
    return 0;
}

int oci_state_dir(const char *root, const char *id, char *out, size_t size, oci_error *err)
{
    if (oci_state_check_id(id, err) != 0) return -1;
    if (snprintf(out, size, "%s/%s", root, id) >= (int)size)
        return oci_fail(err, "--root %s: the path is too long", root);
    return 0;
}

static void oci_state_copy(char *to, size_t size, json_t *value)
{
    snprintf(to, size, "%s", json_string_value(value) ? json_string_value(value) : "");
}

int oci_state_load(const char *root, const char *id, oci_state *state, oci_error *err)
{
    memset(state, 0, sizeof *state);
    if (oci_state_dir(root, id, state->dir, sizeof state->dir, err) != 0) return -1;
    snprintf(state->id, sizeof state->id, "%s", id);
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/state.json", state->dir);
    json_error_t parse_error;
    json_t *json = json_load_file(path, 0, &parse_error);
    if (!json) {
        if (access(path, F_OK) != 0 && errno == ENOENT)
            return oci_fail(err, "container %s does not exist", id);
        return oci_fail(err, "%s: expected the container's state, found an error: %s", path,
                        parse_error.text);
    }
    state->pid = (pid_t)json_integer_value(json_object_get(json, "pid"));
    state->pid_start = (unsigned long long)json_integer_value(json_object_get(json, "pid_start"));
    oci_state_copy(state->bundle, sizeof state->bundle, json_object_get(json, "bundle"));
    oci_state_copy(state->rootfs, sizeof state->rootfs, json_object_get(json, "rootfs"));
    oci_state_copy(state->created, sizeof state->created, json_object_get(json, "created"));
    state->paused = json_is_true(json_object_get(json, "paused"));
    state->annotations = json_incref(json_object_get(json, "annotations"));
    state->hooks = json_incref(json_object_get(json, "hooks"));
    state->cgroup_paths = json_incref(json_object_get(json, "cgroup_paths"));
    json_decref(json);
    if (state->pid <= 0) {
        oci_state_free(state);
        return oci_fail(err, "%s: expected a \"pid\" above 0, found none", path);
    }
    if (!state->annotations) state->annotations = json_object();
    if (!json_is_array(state->cgroup_paths)) {
        json_decref(state->cgroup_paths);
        state->cgroup_paths = json_array();
    }
    return 0;
}

int oci_state_save(const oci_state *state, oci_error *err)
{
    json_t *json = json_pack(
        "{s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "ociVersion", OCI_VERSION, "id",
        state->id, "pid", (int)state->pid, "pid_start", (json_int_t)state->pid_start, "bundle",
        state->bundle, "rootfs", state->rootfs, "created", state->created, "paused", state->paused,
        "annotations", state->annotations ? json_incref(state->annotations) : json_object(),
        "hooks", state->hooks ? json_incref(state->hooks) : json_null(), "cgroup_paths",
        state->cgroup_paths ? json_incref(state->cgroup_paths) : json_array());
    char path[PATH_MAX + 16], temporary[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/state.json", state->dir);
    snprintf(temporary, sizeof temporary, "%s/.state.json.new", state->dir);
    int status = json ? json_dump_file(json, temporary, JSON_COMPACT) : -1;
    json_decref(json);
    if (status != 0 || rename(temporary, path) != 0) {
        unlink(temporary);
        return oci_fail(err, "%s: cannot write the container's state: %s", path, strerror(errno));
    }
    return 0;
}

unsigned long long oci_process_start_time(pid_t pid, bool *zombie)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = '\0';
    /* "PID (COMM) S ...": COMM may hold spaces and parentheses; the last ')' ends it */
    char *p = strrchr(text, ')');
    if (!p || p[1] != ' ') return 0;
    if (zombie) *zombie = p[2] == 'Z' || p[2] == 'X';
    p += 2; /* field 3, the state */
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    return p ? strtoull(p, NULL, 10) : 0;
}

void oci_state_fifo(const oci_state *state, char *out, size_t size)
{
    snprintf(out, size, "%s/exec.fifo", state->dir);
}

oci_status oci_state_status(const oci_state *state)
{
    bool zombie = false;
    unsigned long long started = oci_process_start_time(state->pid, &zombie);
    if (started == 0 || zombie || started != state->pid_start) return OCI_STATUS_STOPPED;
    char fifo[PATH_MAX + 16];
    oci_state_fifo(state, fifo, sizeof fifo);
    if (access(fifo, F_OK) == 0) return OCI_STATUS_CREATED;
    return state->paused ? OCI_STATUS_PAUSED : OCI_STATUS_RUNNING;
}

const char *oci_status_name(oci_status status)
{
    static const char *const names[] = {"creating", "created", "running", "paused", "stopped"};
    return names[status];
}

json_t *oci_state_report(const oci_state *state, oci_status status)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:o}", "ociVersion", OCI_VERSION,
                     "id", state->id, "status", oci_status_name(status), "pid",
                     status == OCI_STATUS_STOPPED ? 0 : (int)state->pid, "bundle", state->bundle,
                     "rootfs", state->rootfs, "created", state->created, "owner", "", "annotations",
                     state->annotations ? json_incref(state->annotations) : json_object());
}

int oci_state_remove(const oci_state *state, oci_error *err)
{
    DIR *dir = opendir(state->dir);
    if (!dir) {
        if (errno == ENOENT) return 0;
        return oci_fail(err, "%s: cannot open: %s", state->dir, strerror(errno));
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            unlinkat(dirfd(dir), entry->d_name, 0);
    closedir(dir);
    if (rmdir(state->dir) != 0 && errno != ENOENT)
        return oci_fail(err, "%s: cannot remove: %s", state->dir, strerror(errno));
    return 0;
}

void oci_state_free(oci_state *state)
{
    json_decref(state->annotations);
    json_decref(state->hooks);
    json_decref(state->cgroup_paths);
    state->annotations = state->hooks = state->cgroup_paths = NULL;
}

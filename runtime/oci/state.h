/* state.h: what the runtime remembers about a container between its commands, in the
 * state directory (--root, default /run/wasmrt-oci): ROOT/ID/state.json, written once
 * the container is created, and ROOT/ID/exec.fifo, on which the container's init waits
 * until `start` writes to it (its presence means "created"). The status is never
 * stored: it is derived from the init process (alive? the same process, by its start
 * time?), the fifo and the paused mark, so it cannot go stale. */
#ifndef OCI_STATE_H
#define OCI_STATE_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define OCI_STATE_DEFAULT_ROOT "/run/wasmrt-oci"
#define OCI_VERSION "1.0.2"

typedef enum oci_status {
    OCI_STATUS_CREATING,
    OCI_STATUS_CREATED,
    OCI_STATUS_RUNNING,
    OCI_STATUS_PAUSED,
    OCI_STATUS_STOPPED,
} oci_status;

typedef struct oci_state {
    char id[256];
    char dir[PATH_MAX];           /* ROOT/ID */
    pid_t pid;                    /* the init, as the host sees it */
    unsigned long long pid_start; /* its start time (/proc/PID/stat), against pid reuse */
    char bundle[PATH_MAX];
    char rootfs[PATH_MAX];
    char created[64]; /* RFC 3339 */
    bool paused;
    json_t *annotations;  /* object */
    json_t *hooks;        /* config.json's "hooks" (poststart, poststop run later) */
    json_t *cgroup_paths; /* array: the container's directory in each hierarchy */
} oci_state;

/* Checks a container id: 1-255 of [A-Za-z0-9_.+-], not "." or "..". */
int oci_state_check_id(const char *id, oci_error *err);

/* ROOT/ID into out. */
int oci_state_dir(const char *root, const char *id, char *out, size_t size, oci_error *err);

/* Reads ROOT/ID/state.json; "container ID does not exist" when there is none. */
int oci_state_load(const char *root, const char *id, oci_state *state, oci_error *err);

/* Writes state->dir/state.json atomically (a temporary file, then rename). */
int oci_state_save(const oci_state *state, oci_error *err);

/* The status now, from the init process, the fifo and the paused mark. */
oci_status oci_state_status(const oci_state *state);
const char *oci_status_name(oci_status status);

/* The OCI state document (`state`, and the hooks' stdin): ociVersion, id, status, pid
 * (0 once stopped), bundle, annotations, plus runc's rootfs and created. */
json_t *oci_state_report(const oci_state *state, oci_status status);

/* The exec fifo's path. */
void oci_state_fifo(const oci_state *state, char *out, size_t size);

/* Removes the state directory and what is in it. */
int oci_state_remove(const oci_state *state, oci_error *err);

void oci_state_free(oci_state *state);

/* A process's start time in clock ticks since boot (field 22 of /proc/PID/stat), 0
 * when it does not exist; *zombie set when it has exited but is not reaped yet. */
unsigned long long oci_process_start_time(pid_t pid, bool *zombie);

#endif

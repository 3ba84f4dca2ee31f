/* container.h: a container's life, as runc's commands split it. create clones the
 * container's init into the namespaces config.json asks for, places it in its cgroup,
 * runs the prestart and createRuntime hooks while the init waits, and returns once the
 * init has set up the root file system, the process's identity and limits, and loaded
 * the Wasm module; the init then waits on the exec fifo. start releases it; the module
 * runs in the init process itself (no exec, no second runtime process). delete removes
 * what is left once it has stopped. run is create + start (+ wait + delete unless
 * detached), in one process. */
#ifndef OCI_CONTAINER_H
#define OCI_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

typedef struct oci_create_options {
    const char *root; /* the state directory (--root) */
    const char *id;
    const char *bundle;         /* default: the current directory */
    const char *pid_file;       /* NULL: none */
    const char *console_socket; /* NULL: none (needed when process.terminal is true) */
    int preserve_fds;           /* fds 3 .. 3+N-1 stay open in the container */
    bool no_pivot;              /* MS_MOVE + chroot instead of pivot_root */
    bool no_new_keyring;        /* keep the caller's session keyring */
    char *cmdline;              /* main's argv strings, rewritten by the init to read as */
    size_t cmdline_size;        /* the container's process.args in ps and docker top */
} oci_create_options;

/* `create`: fills *pid with the init's pid (as the host sees it). */
int oci_container_create(const oci_create_options *options, pid_t *pid, oci_error *err);

/* `start`: releases a created container's module. */
int oci_container_start(const char *root, const char *id, oci_error *err);

/* `delete [--force]`. */
int oci_container_delete(const char *root, const char *id, bool force, oci_error *err);

/* `run [--detach]`: *exit_status is the container's (128+N for a signal N), or 0 when
 * detached. */
int oci_container_run(const oci_create_options *options, bool detach, int *exit_status,
                      oci_error *err);

#endif

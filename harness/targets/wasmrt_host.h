/* wasmrt_host.h: the density host of the `wasmrt` target. One forked process that loads
 * a reactor module once and keeps any number of instances of it, each with its own WASI
 * context, the way a Wasm platform keeps idle instances. Being a process of its own, its
 * memory is measured like every other target's, and a crash in it cannot take the
 * harness down. It dies with the harness (PR_SET_PDEATHSIG). */
#ifndef WASMVS_TARGETS_WASMRT_HOST_H
#define WASMVS_TARGETS_WASMRT_HOST_H

#include <stddef.h>
#include <sys/types.h>
#include <wasmrt.h>

#include "../error.h"
#include "../helper.h"

typedef struct wasmrt_host {
    helper process; /* pid -1 when not running */
    size_t instances;
    wasmrt_config config; /* the host's engine: wasmrt_host_init fills the defaults */
} wasmrt_host;

void wasmrt_host_init(wasmrt_host *host);

/* Adds one instance of module_path (starting the host with the first, its engine made
 * with host->config): instantiate, run _initialize, call handle(0) and check it
 * answered 1, then keep it. Waits at most timeout_s for the host's answer. *bounds gets
 * the instance's bounds mode (WASMRT_BOUNDS_GUARD or WASMRT_BOUNDS_EXPLICIT). */
int wasmrt_host_add(wasmrt_host *host, const char *module_path, double timeout_s,
                    wasmrt_bounds_mode *bounds, wasmvs_error *err);

/* Frees the most recent instance; the host ends with its last instance. */
void wasmrt_host_remove(wasmrt_host *host);

/* Ends the host and everything in it. Idempotent. */
void wasmrt_host_end(wasmrt_host *host);

#endif

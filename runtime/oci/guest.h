/* guest.h: the container's program, a WebAssembly module run by the wasmrt engine
 * linked into this binary. prepare runs in the container's init during `create`, after
 * pivot_root and as the container's user: it finds process.args[0] (a path, or a name
 * searched in process.env's PATH), checks it is a module by its magic bytes (a native
 * program is refused, saying so), loads and validates it, binds the listening socket
 * WASMRT_LISTEN=ADDR:PORT in process.env asks for, and makes the WASI context
 * (process.args, process.env, "/" preopened as the container's root and process.cwd as
 * ".", stdio as inherited, the socket after the preopens). run is what `start`
 * releases: an instance, _start. Nothing of the spec is needed after prepare. */
#ifndef OCI_GUEST_H
#define OCI_GUEST_H

#include "error.h"
#include "spec.h"
#include "wasmrt.h"

/* The environment variable that asks for a listening socket for the guest. */
#define OCI_GUEST_LISTEN_ENV "WASMRT_LISTEN"

typedef struct oci_guest {
    char path[4096]; /* the module, in the container */
    wasmrt_engine *engine;
    wasmrt_module *module;
    wasmrt_wasi *wasi;
    wasmrt_linker *linker;
    int listen_fd; /* -1: none */
} oci_guest;

int oci_guest_prepare(oci_guest *guest, const oci_spec *spec, oci_error *err);

/* Runs the module to its end; returns the process's exit status: the guest's exit code,
 * 134 after a trap (as `wasmrt run`), 1 when instantiating fails (said on stderr). */
int oci_guest_run(oci_guest *guest);

/* Says what the first bytes of a file are, for the refusal of a non-Wasm entrypoint:
 * fills why and returns -1 unless they are a WebAssembly core module's header. */
int oci_guest_check_magic(const unsigned char *bytes, size_t length, char *why, size_t size);

#endif

/* init.h: the container's init, the process create clones, between the clone and the
 * Wasm module's end. It talks to the runtime over a SOCK_SEQPACKET socket pair, one
 * message per step, each a kind byte and text:
 *   runtime -> init  'G' go (cgroups joined; after the hooks: the state JSON as text)
 *   init -> runtime  'H' the mounts are made: run the prestart/createRuntime hooks
 *                    'R' ready: everything is set up and the module loaded
 *                    'E' an error, the message as text (then the init exits)
 * After 'R' the init blocks reading the exec fifo, until `start` writes a byte. */
#ifndef OCI_INIT_H
#define OCI_INIT_H

#include <jansson.h>
#include <stdbool.h>

#include "spec.h"

enum {
    OCI_SYNC_GO = 'G',
    OCI_SYNC_HOOKS = 'H',
    OCI_SYNC_READY = 'R',
    OCI_SYNC_ERROR = 'E',
};

typedef struct oci_init_args {
    oci_spec *spec;
    json_t *cgroup_plan;
    int sync_fd;      /* this side of the socket pair */
    int fifo_fd;      /* the exec fifo, open for reading and writing */
    int console_fd;   /* the --console-socket connection, or -1 */
    int preserve_fds; /* fds 3 .. 3+N-1 stay open */
    bool no_pivot;
    bool no_new_keyring;
    char *cmdline; /* the argv area to rewrite with process.args (NULL: leave it) */
    size_t cmdline_size;
} oci_init_args;

/* The init's whole life; returns the process's exit status (the module's, or 1 when
 * setting up failed, after telling the runtime why). The caller _exits with it. */
int oci_init_main(const oci_init_args *args);

/* A message on the sync socket: the kind and text (may be NULL). 0 when sent. */
int oci_sync_send(int fd, char kind, const char *text);

/* Receives one message: its kind (0 for end of file, -1 on error); text (size bytes)
 * gets what came after the kind byte, NUL-terminated. */
int oci_sync_receive(int fd, char *text, size_t size);

#endif

/* console.h: a container with process.terminal: a pseudo-terminal made in the
 * container's own devpts, its master sent to the --console-socket (a unix socket the
 * caller listens on; containerd-shim relays it to `docker run -t`), its peer bound on
 * /dev/console and made the init's controlling terminal and stdio. */
#ifndef OCI_CONSOLE_H
#define OCI_CONSOLE_H

#include "error.h"
#include "spec.h"

/* Connects to the console socket at path; returns the socket or -1. */
int oci_console_connect(const char *path, oci_error *err);

/* Before pivot_root: makes the terminal, binds /dev/console, sends the master to
 * socket_fd; returns the peer (the container's side) or -1. */
int oci_console_create(const oci_spec *spec, int root_fd, int socket_fd, oci_error *err);

/* Makes peer the controlling terminal (a new session) and fds 0, 1 and 2. */
int oci_console_attach(int peer, oci_error *err);

#endif

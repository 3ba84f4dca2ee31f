/* commands.h: the commands that look at or act on an existing container, and the
 * ones that need no container: state, kill, ps, pause, resume, update, list, features.
 * Each prints what runc prints, in the form containerd's go-runc parses. */
#ifndef OCI_COMMANDS_H
#define OCI_COMMANDS_H

#include <stdbool.h>

#include "error.h"

/* `state ID`: the OCI state JSON on stdout. */
int oci_command_state(const char *root, const char *id, oci_error *err);

/* `kill [--all] ID [SIGNAL]`: SIGNAL by number or name (KILL, SIGKILL), default TERM. */
int oci_command_kill(const char *root, const char *id, const char *signal, bool all,
                     oci_error *err);

/* `ps [--format table|json] ID`: the container's processes. */
int oci_command_ps(const char *root, const char *id, const char *format, oci_error *err);

/* `pause ID` / `resume ID`. */
int oci_command_pause(const char *root, const char *id, bool pause, oci_error *err);

/* `update --resources FILE|- ID`: linux.resources JSON applied to the cgroups. */
int oci_command_update(const char *root, const char *id, const char *resources, oci_error *err);

/* `list [--format table|json] [-q]`. */
int oci_command_list(const char *root, const char *format, bool quiet, oci_error *err);

/* `features`: what this runtime implements, as the runtime spec's features JSON. */
int oci_command_features(oci_error *err);

/* A signal by number or name ("9", "KILL", "SIGKILL", "sigterm"); -1 when unknown. */
int oci_signal_parse(const char *text);

#endif

/* hooks.h: running the OCI hooks of one kind (prestart, createRuntime, ... poststop):
 * each hook's program with its args and env, the container's state JSON on its stdin,
 * killed at its timeout. The caller decides where it runs (the runtime's namespaces,
 * or the container's for createContainer and startContainer), by where it calls this. */
#ifndef OCI_HOOKS_H
#define OCI_HOOKS_H

#include <jansson.h>

#include "error.h"
#include "spec.h"

/* Runs the list in order; stops at the first hook that fails (exit status not 0, a
 * signal, its timeout), naming it. */
int oci_hooks_run(const oci_hook_list *list, oci_hook_kind kind, json_t *state, oci_error *err);

#endif

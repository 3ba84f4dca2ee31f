/* capabilities.h: Linux capability names as config.json writes them ("CAP_CHOWN") and
 * their numbers, and applying a spec's five sets to the calling process. */
#ifndef OCI_CAPABILITIES_H
#define OCI_CAPABILITIES_H

#include "error.h"
#include "spec.h"

/* The number of "CAP_NAME", or -1 when this runtime does not know it. */
int oci_capability_number(const char *name);
/* The name of capability n, or NULL past the last known one. */
const char *oci_capability_name(int n);

/* Drops from the bounding set what the spec leaves out: while still root (it takes
 * CAP_SETPCAP in the effective set, which a change of user clears). */
int oci_capabilities_bound(const oci_capabilities *caps, oci_error *err);

/* Sets the effective, permitted and inheritable sets and the ambient ones. Called after
 * the user is set (with keep-capabilities on, so the permitted set survives). */
int oci_capabilities_apply(const oci_capabilities *caps, oci_error *err);

#endif

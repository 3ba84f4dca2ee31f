/* security.h: who the container's process is and what it may do, set by its init in
 * the order the kernel needs: rlimits and the OOM score while still root, then groups,
 * gid and uid (keeping capabilities across the change), then the capability sets,
 * no_new_privs, and the seccomp filter last, once nothing else needs a syscall it may
 * forbid. An AppArmor profile is applied where AppArmor is enabled (ignored elsewhere,
 * as runc does); SELinux labels are not supported. */
#ifndef OCI_SECURITY_H
#define OCI_SECURITY_H

#include <jansson.h>

#include "error.h"
#include "spec.h"

/* process.rlimits, process.oomScoreAdj and process.apparmorProfile (before pivot_root:
 * they use the host's /proc). */
int oci_security_limits(const oci_spec *spec, oci_error *err);

/* process.user (groups, gid, uid, umask) and process.capabilities. */
int oci_security_identity(const oci_spec *spec, oci_error *err);

/* process.noNewPrivileges, then linux.seccomp (NULL: no filter). */
int oci_security_lock(const oci_spec *spec, oci_error *err);

/* linux.seccomp into a loaded filter (seccomp.c). */
int oci_seccomp_load(json_t *seccomp, oci_error *err);

/* The names `features` reports: actions, operators, architectures, flags. */
json_t *oci_seccomp_features(void);

#endif

/* rootfs.h: the container's file system, set up by its init inside its own mount
 * namespace: the root's propagation, the rootfs bound onto itself, the spec's mounts
 * (destinations resolved inside the rootfs, so a symlink in an image cannot send a
 * mount out of it), the default devices and /dev links, then pivot_root into it, and
 * last the masked and read-only paths and a read-only root. */
#ifndef OCI_ROOTFS_H
#define OCI_ROOTFS_H

#include <jansson.h>

#include "error.h"
#include "spec.h"

/* Everything before pivot_root. plan: the cgroup plan, for a "cgroup" mount. Returns
 * a descriptor of the rootfs (for the console's /dev/console), or -1. */
int oci_rootfs_prepare(const oci_spec *spec, json_t *plan, oci_error *err);

/* Opens path inside the root directory root_fd (symlinks resolved within it) as an
 * O_PATH descriptor; with create, makes what is missing (directories; the last one a
 * regular file when as_file). */
int oci_rootfs_open(int root_fd, const char *path, int create, int as_file, oci_error *err);

/* pivot_root into the rootfs and detach the old root. */
int oci_rootfs_pivot(const oci_spec *spec, oci_error *err);

/* After pivot_root: linux.sysctl (in the container's /proc/sys). */
int oci_rootfs_sysctl(const oci_spec *spec, oci_error *err);

/* After pivot_root: read-only paths, masked paths, then the root read-only. */
int oci_rootfs_finish(const oci_spec *spec, oci_error *err);

#endif

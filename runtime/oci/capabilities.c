/* capabilities.c: the capability name table and the calls that set a process's sets
 * (capset(2) for effective/permitted/inheritable, prctl for bounding and ambient). */
#include "capabilities.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const oci_capability_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
#define OCI_CAPABILITY_COUNT (int)(sizeof oci_capability_names / sizeof oci_capability_names[0])

int oci_capability_number(const char *name)
{
    for (int i = 0; i < OCI_CAPABILITY_COUNT; i++)
        if (strcmp(oci_capability_names[i], name) == 0) return i;
    return -1;
}

const char *oci_capability_name(int n)
{
    return n >= 0 && n < OCI_CAPABILITY_COUNT ? oci_capability_names[n] : NULL;
}

/* The highest capability this kernel has, from /proc (or the table's last). */
static int oci_capability_last(void)
{
    static int last = -2;
    if (last == -2) {
        last = OCI_CAPABILITY_COUNT - 1;
        int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
        char text[16] = "";
        if (fd >= 0) {
            ssize_t n = read(fd, text, sizeof text - 1);
            close(fd);
            if (n > 0) last = atoi(text);
        }
    }
    return last;
}

int oci_capabilities_bound(const oci_capabilities *caps, oci_error *err)
{
    int last = oci_capability_last();
    for (int cap = 0; cap <= last; cap++) {
        if (cap < 64 && (caps->bounding >> cap) & 1) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
            return oci_fail(err, "capabilities: dropping %s from the bounding set: %s",
                            oci_capability_name(cap) ? oci_capability_name(cap) : "?",
                            strerror(errno));
    }
    return 0;
}

int oci_capabilities_apply(const oci_capabilities *caps, oci_error *err)
{
    int last = oci_capability_last();
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    for (int word = 0; word < 2; word++) {
        data[word].effective = (uint32_t)(caps->effective >> (32 * word));
        data[word].permitted = (uint32_t)(caps->permitted >> (32 * word));
        data[word].inheritable = (uint32_t)(caps->inheritable >> (32 * word));
    }
    if (syscall(SYS_capset, &header, data) != 0)
        return oci_fail(err, "capabilities: capset (effective, permitted, inheritable): %s",
                        strerror(errno));
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return oci_fail(err, "capabilities: clearing the ambient set: %s", strerror(errno));
    for (int cap = 0; cap <= last && cap < 64; cap++)
        if ((caps->ambient >> cap) & 1 &&
            prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
            return oci_fail(err,
                            "capabilities: raising %s in the ambient set (it must be in the "
                            "permitted and inheritable sets too): %s",
                            oci_capability_name(cap), strerror(errno));
    return 0;
}

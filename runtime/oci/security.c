/* security.c: limits, identity and lock-down of the container's process (see
 * security.h). */
#include "security.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"

static int oci_security_write(const char *path, const char *text, oci_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    size_t length = strlen(text);
    if (fd < 0 || write(fd, text, length) != (ssize_t)length) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return oci_fail(err, "%s: cannot write \"%s\": %s", path, text, strerror(saved));
    }
    close(fd);
    return 0;
}

int oci_security_limits(const oci_spec *spec, oci_error *err)
{
    for (size_t i = 0; i < spec->rlimit_count; i++)
        if (setrlimit(spec->rlimits[i].resource, &spec->rlimits[i].limit) != 0)
            return oci_fail(err, "process.rlimits[%zu]: setrlimit: %s", i, strerror(errno));
    if (spec->has_oom_score_adj) {
        char text[16];
        snprintf(text, sizeof text, "%d", spec->oom_score_adj);
        if (oci_security_write("/proc/self/oom_score_adj", text, err) != 0)
            return oci_wrap(err, "process.oomScoreAdj");
    }
    if (spec->apparmor_profile && *spec->apparmor_profile &&
        access("/sys/kernel/security/apparmor", F_OK) == 0) {
        char text[512];
        snprintf(text, sizeof text, "changeprofile %s", spec->apparmor_profile);
        if (oci_security_write("/proc/self/attr/current", text, err) != 0)
            return oci_wrap(err, "process.apparmorProfile");
    }
    return 0;
}

int oci_security_identity(const oci_spec *spec, oci_error *err)
{
    if (spec->has_capabilities && oci_capabilities_bound(&spec->capabilities, err) != 0)
        return oci_wrap(err, "process.capabilities");
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
        return oci_fail(err, "prctl(PR_SET_KEEPCAPS): %s", strerror(errno));
    if (setgroups(spec->group_count, spec->groups) != 0)
        return oci_fail(err, "process.user.additionalGids: setgroups: %s", strerror(errno));
    if (setresgid(spec->gid, spec->gid, spec->gid) != 0)
        return oci_fail(err, "process.user.gid %u: setresgid: %s", (unsigned)spec->gid,
                        strerror(errno));
    if (setresuid(spec->uid, spec->uid, spec->uid) != 0)
        return oci_fail(err, "process.user.uid %u: setresuid: %s", (unsigned)spec->uid,
                        strerror(errno));
    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    if (spec->umask >= 0) umask((mode_t)spec->umask);
    if (spec->has_capabilities && oci_capabilities_apply(&spec->capabilities, err) != 0)
        return oci_wrap(err, "process.capabilities");
    return 0;
}

int oci_security_lock(const oci_spec *spec, oci_error *err)
{
    if (spec->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return oci_fail(err, "process.noNewPrivileges: %s", strerror(errno));
    if (spec->seccomp && oci_seccomp_load(spec->seccomp, err) != 0)
        return oci_wrap(err, "linux.seccomp");
    return 0;
}

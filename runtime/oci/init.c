/* init.c: the container's init (see init.h), in the order the kernel and the spec
 * need: join the namespaces given by path, a cgroup namespace of its own once it is in
 * its cgroup, the mounts, the terminal, the rlimits, then the hooks the runtime runs,
 * createContainer, pivot_root, sysctl, hostname, read-only and masked paths, cwd, the
 * user and capabilities, the module (loaded as that user), no_new_privs and seccomp;
 * ready. After start: startContainer, then the module. */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "console.h"
#include "guest.h"
#include "hooks.h"
#include "log.h"
#include "rootfs.h"
#include "security.h"

int oci_sync_send(int fd, char kind, const char *text)
{
    char message[2048];
    size_t length = text ? strnlen(text, sizeof message - 2) : 0;
    message[0] = kind;
    if (length) memcpy(message + 1, text, length);
    ssize_t sent;
    do
        sent = send(fd, message, length + 1, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    return sent == (ssize_t)(length + 1) ? 0 : -1;
}

int oci_sync_receive(int fd, char *text, size_t size)
{
    char message[4096];
    ssize_t n;
    do
        n = recv(fd, message, sizeof message - 1, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return n == 0 ? 0 : -1;
    size_t length = (size_t)n - 1 < size - 1 ? (size_t)n - 1 : size - 1;
    memcpy(text, message + 1, length);
    text[length] = '\0';
    return (unsigned char)message[0];
}

/* Waits for the runtime's go; the state JSON it carries (if any) goes to state. */
static int oci_init_wait_go(int fd, char *state, size_t size, oci_error *err)
{
    int kind = oci_sync_receive(fd, state, size);
    if (kind != OCI_SYNC_GO)
        return oci_fail(err, "expected the runtime's go-ahead, found %s",
                        kind == 0 ? "the runtime gone" : "another message");
    return 0;
}

static int oci_init_join_namespaces(const oci_spec *spec, oci_error *err)
{
    for (size_t i = 0; i < spec->namespace_count; i++) {
        const oci_namespace *ns = &spec->namespaces[i];
        if (!ns->path || ns->flag == CLONE_NEWPID) continue; /* pid: joined before the clone */
        int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, ns->flag) != 0) {
            int saved = errno;
            if (fd >= 0) close(fd);
            return oci_fail(err, "linux.namespaces: joining %s: %s", ns->path, strerror(saved));
        }
        close(fd);
    }
    const oci_namespace *cgroup = oci_spec_namespace(spec, CLONE_NEWCGROUP);
    if (cgroup && !cgroup->path && unshare(CLONE_NEWCGROUP) != 0)
        return oci_fail(err, "linux.namespaces: a new cgroup namespace: %s", strerror(errno));
    return 0;
}

/* The processes of a container that is only a Wasm module: a guest cannot handle
 * signals, so the init, which is pid 1 of its namespace and would ignore SIGTERM and
 * the like, ends on them as any other process would, with the shell's 128+N. */
static void oci_init_on_signal(int signal_number)
{
    _exit(128 + signal_number);
}

static void oci_init_signals(const oci_spec *spec)
{
    if (!oci_spec_namespace(spec, CLONE_NEWPID) || oci_spec_namespace(spec, CLONE_NEWPID)->path)
        return; /* not pid 1: the default actions already end it */
    const int terminating[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = oci_init_on_signal;
    for (size_t i = 0; i < sizeof terminating / sizeof *terminating; i++)
        sigaction(terminating[i], &action, NULL);
}

/* Closes every descriptor but stdio, the preserved ones and those in keep (-1 entries
 * ignored), with close_range over the gaps between the kept ones. */
static void oci_init_close_fds(int preserve, int *keep, size_t keep_count)
{
    for (size_t i = 1; i < keep_count; i++) /* a few entries: insertion sort */
        for (size_t j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int swap = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = swap;
        }
    unsigned first = 3 + (unsigned)preserve;
    for (size_t i = 0; i < keep_count; i++) {
        if (keep[i] < (int)first) continue;
        if ((unsigned)keep[i] > first) syscall(SYS_close_range, first, (unsigned)keep[i] - 1, 0);
        first = (unsigned)keep[i] + 1;
    }
    syscall(SYS_close_range, first, ~0u, 0);
}

/* The init is the container's process: ps, docker top and /proc/PID/cmdline should say
 * process.args, not the runtime's create command line it was cloned from. */
static void oci_init_title(const oci_init_args *args)
{
    const char *const *words = args->spec->args;
    const char *name = strrchr(words[0], '/') ? strrchr(words[0], '/') + 1 : words[0];
    prctl(PR_SET_NAME, name, 0, 0, 0);
    if (!args->cmdline || args->cmdline_size < 2) return;
    size_t used = 0;
    for (size_t i = 0; words[i] && used < args->cmdline_size - 1; i++) {
        size_t length = strlen(words[i]);
        if (length > args->cmdline_size - 1 - used) length = args->cmdline_size - 1 - used;
        memcpy(args->cmdline + used, words[i], length);
        used += length;
        args->cmdline[used++] = '\0';
    }
    memset(args->cmdline + used, 0, args->cmdline_size - used);
}

/* Everything up to 'R'; the guest is prepared into *guest. */
static int oci_init_setup(const oci_init_args *args, oci_guest *guest, int *peer, char *state,
                          size_t state_size, oci_error *err)
{
    oci_spec *spec = args->spec;
    if (oci_init_wait_go(args->sync_fd, state, state_size, err) != 0 ||
        oci_init_join_namespaces(spec, err) != 0)
        return -1;
    if (!args->no_new_keyring &&
        syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) < 0 && errno != ENOSYS)
        oci_log_debug("a new session keyring: %s (keeping the caller's)", strerror(errno));
    int root_fd = oci_rootfs_prepare(spec, args->cgroup_plan, err);
    if (root_fd < 0) return -1;
    int cwd = oci_rootfs_open(root_fd, spec->cwd, 1, 0, err);
    if (cwd < 0) {
        close(root_fd);
        return oci_wrap(err, "process.cwd");
    }
    close(cwd);
    if (spec->terminal) {
        *peer = oci_console_create(spec, root_fd, args->console_fd, err);
        if (*peer < 0) {
            close(root_fd);
            return -1;
        }
    }
    close(root_fd);
    if (oci_security_limits(spec, err) != 0) return -1;
    if (oci_sync_send(args->sync_fd, OCI_SYNC_HOOKS, NULL) != 0 ||
        oci_init_wait_go(args->sync_fd, state, state_size, err) != 0)
        return oci_fail(err, "the runtime did not answer after the hooks");
    json_t *state_json = json_loads(state, 0, NULL);
    int status = oci_hooks_run(&spec->hooks[OCI_HOOK_CREATE_CONTAINER], OCI_HOOK_CREATE_CONTAINER,
                               state_json, err);
    json_decref(state_json);
    if (status != 0) return -1;
    if (args->no_pivot) {
        if (chdir(spec->rootfs) != 0 || mount(spec->rootfs, "/", NULL, MS_MOVE, NULL) != 0 ||
            chroot(".") != 0 || chdir("/") != 0)
            return oci_fail(err, "--no-pivot: moving %s to /: %s", spec->rootfs, strerror(errno));
    } else if (oci_rootfs_pivot(spec, err) != 0) {
        return -1;
    }
    if (oci_rootfs_sysctl(spec, err) != 0) return -1;
    if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) != 0)
        return oci_fail(err, "hostname \"%s\": %s", spec->hostname, strerror(errno));
    if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) != 0)
        return oci_fail(err, "domainname \"%s\": %s", spec->domainname, strerror(errno));
    if (oci_rootfs_finish(spec, err) != 0) return -1;
    if (chdir(spec->cwd) != 0)
        return oci_fail(err, "process.cwd %s: %s", spec->cwd, strerror(errno));
    if (oci_security_identity(spec, err) != 0) return -1;
    /* what the runtime had open is not the container's (the guest opens its own next) */
    int keep[] = {args->sync_fd, args->fifo_fd, *peer};
    oci_log_close(); /* the log is the runtime's: from here on the init is the container */
    oci_init_close_fds(args->preserve_fds, keep, sizeof keep / sizeof *keep);
    if (oci_guest_prepare(guest, spec, err) != 0) return -1;
    if (spec->terminal && oci_console_attach(*peer, err) != 0) return -1;
    oci_init_signals(spec);
    oci_init_title(args);
    return oci_security_lock(spec, err);
}

/* An idle container is this process waiting: what set-up touched and the module will
 * not use goes back to the kernel before it waits. The heap's free pages, and the stack
 * below this frame, which the runtime's parsing dirtied before the clone (the pages
 * are copies now, the init's own). */
static void oci_init_release_memory(void)
{
    malloc_trim(0);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    volatile char here = 0;
    /* a page of margin below the live frames; then down to the stack's lowest page */
    uintptr_t top = ((uintptr_t)&here & ~(page - 1)) - page;
    for (uintptr_t at = top - page; at > page; at -= page)
        if (madvise((void *)at, page, MADV_DONTNEED) != 0) break;
    (void)here;
}

int oci_init_main(const oci_init_args *args)
{
    oci_guest guest;
    memset(&guest, 0, sizeof guest);
    guest.listen_fd = -1;
    oci_error err = {{0}};
    int peer = -1;
    static char state[4096];
    if (oci_init_setup(args, &guest, &peer, state, sizeof state, &err) != 0) {
        oci_sync_send(args->sync_fd, OCI_SYNC_ERROR, err.message);
        return 1;
    }
    if (oci_sync_send(args->sync_fd, OCI_SYNC_READY, NULL) != 0) return 1;
    close(args->sync_fd);
    const oci_hook_list *start_hooks = &args->spec->hooks[OCI_HOOK_START_CONTAINER];
    if (!start_hooks->count) { /* else they still point into the spec */
        oci_spec_free(args->spec);
        json_decref(args->cgroup_plan);
    }
    oci_init_release_memory();
    char byte;
    ssize_t n;
    do
        n = read(args->fifo_fd, &byte, 1);
    while (n < 0 && errno == EINTR);
    close(args->fifo_fd);
    if (n != 1) return 1;
    if (start_hooks->count) {
        json_t *state_json = json_loads(state, 0, NULL);
        json_object_set_new(state_json, "status", json_string("created"));
        int status = oci_hooks_run(start_hooks, OCI_HOOK_START_CONTAINER, state_json, &err);
        json_decref(state_json);
        if (status != 0) {
            fprintf(stderr, "wasmrt-oci: %s\n", err.message);
            return 1;
        }
    }
    return oci_guest_run(&guest);
}

/* container.c: create, start, delete and run (see container.h); the init's side of a
 * create is init.c. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "console.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "spec.h"
#include "state.h"

static long long oci_now_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

/* Writes the init's pid as runc does (no newline), through a rename. */
static int oci_write_pid_file(const char *path, pid_t pid, oci_error *err)
{
    char temporary[PATH_MAX], text[32];
    if (snprintf(temporary, sizeof temporary, "%s.new", path) >= (int)sizeof temporary)
        return oci_fail(err, "--pid-file %s: the path is too long", path);
    int length = snprintf(text, sizeof text, "%d", (int)pid);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, (size_t)length) != length || close(fd) != 0 ||
        rename(temporary, path) != 0) {
        int saved = errno;
        unlink(temporary);
        return oci_fail(err, "--pid-file %s: cannot write: %s", path, strerror(saved));
    }
    return 0;
}

/* Waits until pid (not necessarily a child) has ended, up to timeout_ms. */
static void oci_wait_gone(pid_t pid, unsigned long long start, int timeout_ms)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        struct pollfd entry = {.fd = fd, .events = POLLIN};
        poll(&entry, 1, timeout_ms);
        close(fd);
        return;
    }
    for (int waited = 0; waited < timeout_ms; waited += 2) {
        bool zombie = false;
        unsigned long long now = oci_process_start_time(pid, &zombie);
        if (now == 0 || now != start || zombie) return;
        poll(NULL, 0, 2);
    }
}

/* clone3's arguments, as the kernel lays them out (linux/sched.h, version 2). */
typedef struct oci_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
} oci_clone_args;
#define OCI_CLONE_INTO_CGROUP 0x200000000ULL

/* Like fork, with the new namespaces (no exec: the init runs on this image), born in
 * the cgroup2 directory cgroup_fd when there is one and the kernel can (5.7+), which
 * spares a migration; *born_in_cgroup says whether it was. */
static pid_t oci_clone(int flags, int cgroup_fd, bool *born_in_cgroup)
{
    if (cgroup_fd >= 0) {
        oci_clone_args args = {.flags = (uint64_t)(unsigned)flags | OCI_CLONE_INTO_CGROUP,
                               .exit_signal = SIGCHLD,
                               .cgroup = (uint64_t)cgroup_fd};
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0) {
            *born_in_cgroup = true;
            return (pid_t)pid;
        }
        if (errno != ENOSYS && errno != E2BIG && errno != EINVAL) return -1;
    }
    return (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* What the runtime keeps while it creates one container, for the clean-up of a failure. */
typedef struct oci_creation {
    oci_state state;
    oci_spec spec;
    json_t *plan;
    int sync_fd, console_fd;
    pid_t pid;
    bool dir_made;
} oci_creation;

static void oci_creation_abandon(oci_creation *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
    }
    oci_error ignored;
    if (c->plan) oci_cgroup_remove(c->plan, &ignored);
    if (c->dir_made) oci_state_remove(&c->state, &ignored);
}

static void oci_creation_free(oci_creation *c)
{
    if (c->sync_fd >= 0) close(c->sync_fd);
    if (c->console_fd >= 0) close(c->console_fd);
    json_decref(c->plan);
    oci_spec_free(&c->spec);
    oci_state_free(&c->state);
}

/* The state directory, the spec and what the clone needs. */
static int oci_create_prepare(const oci_create_options *o, oci_creation *c, oci_error *err)
{
    char bundle[PATH_MAX];
    if (!realpath(o->bundle ? o->bundle : ".", bundle))
        return oci_fail(err, "--bundle %s: %s", o->bundle ? o->bundle : ".", strerror(errno));
    if (oci_state_dir(o->root, o->id, c->state.dir, sizeof c->state.dir, err) != 0) return -1;
    if (mkdir(o->root, 0711) != 0 && errno != EEXIST)
        return oci_fail(err, "--root %s: cannot create: %s", o->root, strerror(errno));
    if (mkdir(c->state.dir, 0711) != 0)
        return errno == EEXIST
                   ? oci_fail(err, "container %s already exists", o->id)
                   : oci_fail(err, "%s: cannot create: %s", c->state.dir, strerror(errno));
    c->dir_made = true;
    snprintf(c->state.id, sizeof c->state.id, "%s", o->id);
    snprintf(c->state.bundle, sizeof c->state.bundle, "%s", bundle);
    if (oci_spec_load(bundle, &c->spec, err) != 0) return -1;
    snprintf(c->state.rootfs, sizeof c->state.rootfs, "%s", c->spec.rootfs);
    c->state.annotations = json_incref(c->spec.annotations);
    c->state.hooks = json_incref(json_object_get(c->spec.json, "hooks"));
    oci_time_now(c->state.created, sizeof c->state.created);
    if (!oci_spec_namespace(&c->spec, CLONE_NEWNS))
        return oci_fail(err, "linux.namespaces: expected a mount namespace (wasmrt-oci sets up "
                             "the root file system in one), found none");
    if (c->spec.terminal && !o->console_socket)
        return oci_fail(err, "process.terminal is true: expected --console-socket to send the "
                             "terminal to, found none");
    if (!c->spec.terminal && o->console_socket)
        return oci_fail(err, "--console-socket given, but process.terminal is false: expected "
                             "one with the other");
    if (o->console_socket && (c->console_fd = oci_console_connect(o->console_socket, err)) < 0)
        return -1;
    return oci_cgroup_plan(c->spec.cgroups_path, o->id, &c->plan, err);
}

/* Runs one kind of hooks in the runtime's namespaces with the state as the hooks see it. */
static int oci_create_hooks(oci_creation *c, oci_hook_kind kind, oci_error *err)
{
    json_t *report = oci_state_report(&c->state, OCI_STATUS_CREATING);
    int status = oci_hooks_run(&c->spec.hooks[kind], kind, report, err);
    json_decref(report);
    return status;
}

/* From the clone to the init's 'R'. */
static int oci_create_init(const oci_create_options *o, oci_creation *c, oci_error *err)
{
    char fifo[PATH_MAX];
    oci_state_fifo(&c->state, fifo, sizeof fifo);
    if (mkfifo(fifo, 0622) != 0)
        return oci_fail(err, "%s: cannot make the exec fifo: %s", fifo, strerror(errno));
    /* read and write: the init's read blocks until start writes, and opening never
     * blocks the runtime */
    int fifo_fd = open(fifo, O_RDWR | O_CLOEXEC);
    int pair[2];
    if (fifo_fd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        if (fifo_fd >= 0) close(fifo_fd);
        return oci_fail(err, "the exec fifo and sync socket: %s", strerror(errno));
    }
    const oci_namespace *pid_ns = oci_spec_namespace(&c->spec, CLONE_NEWPID);
    int flags = 0;
    for (size_t i = 0; i < c->spec.namespace_count; i++)
        if (!c->spec.namespaces[i].path && c->spec.namespaces[i].flag != CLONE_NEWCGROUP)
            flags |= c->spec.namespaces[i].flag;
    if (pid_ns && pid_ns->path) { /* joining one applies to the children made after */
        int fd = open(pid_ns->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWPID) != 0) {
            int saved = errno;
            if (fd >= 0) close(fd);
            close(fifo_fd);
            close(pair[0]);
            close(pair[1]);
            return oci_fail(err, "linux.namespaces: joining %s: %s", pid_ns->path, strerror(saved));
        }
        close(fd);
    }
    long long started = oci_now_us();
    int unified_fd = -1;
    if (oci_cgroup_create(c->plan, &unified_fd, err) != 0) {
        close(fifo_fd);
        close(pair[0]);
        close(pair[1]);
        return oci_wrap(err, "linux.cgroupsPath");
    }
    bool born_in_cgroup = false;
    c->pid = oci_clone(flags, unified_fd, &born_in_cgroup);
    if (unified_fd >= 0) close(unified_fd);
    if (c->pid == 0) {
        close(pair[0]);
        oci_init_args args = {.spec = &c->spec,
                              .cgroup_plan = c->plan,
                              .sync_fd = pair[1],
                              .fifo_fd = fifo_fd,
                              .console_fd = c->console_fd,
                              .preserve_fds = o->preserve_fds,
                              .no_pivot = o->no_pivot,
                              .no_new_keyring = o->no_new_keyring,
                              .cmdline = o->cmdline,
                              .cmdline_size = o->cmdline_size};
        _exit(oci_init_main(&args));
    }
    int saved = errno;
    close(pair[1]);
    close(fifo_fd);
    c->sync_fd = pair[0];
    if (c->pid < 0) {
        c->pid = 0;
        return oci_fail(err, "clone with the container's namespaces (flags 0x%x): %s", flags,
                        strerror(saved));
    }
    c->state.pid = c->pid;
    c->state.pid_start = oci_process_start_time(c->pid, NULL);
    oci_log_debug("clone%s: %lld us", born_in_cgroup ? " into the cgroup2 directory" : "",
                  oci_now_us() - started);
    if (oci_cgroup_join(c->plan, c->pid, born_in_cgroup, err) != 0)
        return oci_wrap(err, "linux.cgroupsPath");
    oci_log_debug("cgroups: %lld us", oci_now_us() - started);
    if (oci_sync_send(c->sync_fd, OCI_SYNC_GO, NULL) != 0)
        return oci_fail(err, "the container's init: cannot send: %s", strerror(errno));
    for (;;) {
        char text[2048];
        int kind = oci_sync_receive(c->sync_fd, text, sizeof text);
        if (kind == OCI_SYNC_READY) break;
        if (kind == OCI_SYNC_ERROR) return oci_fail(err, "%s", text);
        if (kind == OCI_SYNC_HOOKS) {
            oci_log_debug("mounts: %lld us", oci_now_us() - started);
            /* the limits once the devices are made: the device rules would refuse the
             * init a mknod of one they do not list (Docker's leave out /dev/full) */
            if (oci_cgroup_apply(c->plan, c->spec.resources, err) != 0)
                return oci_wrap(err, "linux.resources");
            if (oci_create_hooks(c, OCI_HOOK_PRESTART, err) != 0 ||
                oci_create_hooks(c, OCI_HOOK_CREATE_RUNTIME, err) != 0)
                return -1;
            json_t *report = oci_state_report(&c->state, OCI_STATUS_CREATING);
            char *json = json_dumps(report, JSON_COMPACT);
            json_decref(report);
            int sent = oci_sync_send(c->sync_fd, OCI_SYNC_GO, json);
            free(json);
            if (sent != 0) return oci_fail(err, "the container's init: cannot send");
            oci_log_debug("hooks: %lld us", oci_now_us() - started);
            continue;
        }
        int status = 0;
        waitpid(c->pid, &status, 0);
        c->pid = 0;
        return oci_fail(err, "the container's init ended before it was ready (%s %d)",
                        WIFSIGNALED(status) ? "signal" : "exit status",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    oci_log_debug("ready: %lld us", oci_now_us() - started);
    return 0;
}

int oci_container_create(const oci_create_options *o, pid_t *pid, oci_error *err)
{
    oci_creation c;
    memset(&c, 0, sizeof c);
    c.sync_fd = c.console_fd = -1;
    int status = oci_create_prepare(o, &c, err);
    if (status == 0) status = oci_create_init(o, &c, err);
    if (status == 0) {
        c.state.cgroup_paths = json_incref(c.plan);
        status = oci_state_save(&c.state, err);
    }
    if (status == 0 && o->pid_file) status = oci_write_pid_file(o->pid_file, c.pid, err);
    if (status != 0) {
        oci_creation_abandon(&c);
        oci_creation_free(&c);
        return oci_wrap(err, "create %s", o->id);
    }
    *pid = c.pid;
    oci_creation_free(&c);
    return 0;
}

int oci_container_start(const char *root, const char *id, oci_error *err)
{
    oci_state state;
    if (oci_state_load(root, id, &state, err) != 0) return -1;
    oci_status status = oci_state_status(&state);
    int result = 0;
    char fifo[PATH_MAX];
    oci_state_fifo(&state, fifo, sizeof fifo);
    int fd = -1;
    if (status != OCI_STATUS_CREATED) {
        result = oci_fail(err, "start %s: expected a created container, found it %s", id,
                          oci_status_name(status));
    } else if ((fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        result = oci_fail(err, "start %s: %s: %s", id, fifo,
                          errno == ENXIO ? "the container's init is not waiting on it"
                                         : strerror(errno));
    } else if (write(fd, "0", 1) != 1) {
        result = oci_fail(err, "start %s: writing the exec fifo: %s", id, strerror(errno));
    }
    if (fd >= 0) close(fd);
    if (result == 0) {
        unlink(fifo);
        oci_hook_list hooks[OCI_HOOK_KINDS] = {{0}};
        oci_error hook_error;
        json_t *report = oci_state_report(&state, OCI_STATUS_RUNNING);
        /* a failing poststart hook is a warning: the container runs on (the spec) */
        if (oci_hooks_parse(state.hooks, hooks, &hook_error) != 0 ||
            oci_hooks_run(&hooks[OCI_HOOK_POSTSTART], OCI_HOOK_POSTSTART, report, &hook_error) != 0)
            oci_log_warning("start %s: %s", id, hook_error.message);
        json_decref(report);
        oci_hooks_free(hooks);
    }
    oci_state_free(&state);
    return result;
}

/* Sends sig to every process of the container, from its cgroup (or to its init). */
static void oci_container_signal_all(const oci_state *state, int sig)
{
    pid_t *pids = NULL;
    size_t count = 0;
    oci_error ignored;
    if (oci_cgroup_pids(state->cgroup_paths, &pids, &count, &ignored) != 0 || count == 0)
        kill(state->pid, sig);
    for (size_t i = 0; i < count; i++)
        kill(pids[i], sig);
    free(pids);
}

int oci_container_delete(const char *root, const char *id, bool force, oci_error *err)
{
    char dir[PATH_MAX], file[PATH_MAX + 16];
    if (oci_state_dir(root, id, dir, sizeof dir, err) != 0) return -1;
    snprintf(file, sizeof file, "%s/state.json", dir);
    if (access(file, F_OK) != 0) {
        /* a create that died before writing its state leaves only the directory; a
         * forced delete of a container that is gone is no error, as with runc */
        if (rmdir(dir) == 0 || force) return 0;
        return oci_fail(err, "container %s does not exist", id);
    }
    oci_state state;
    if (oci_state_load(root, id, &state, err) != 0) return -1;
    oci_status status = oci_state_status(&state);
    if ((status == OCI_STATUS_RUNNING || status == OCI_STATUS_PAUSED) && !force) {
        oci_state_free(&state);
        return oci_fail(err, "cannot delete container %s that is not stopped: %s", id,
                        oci_status_name(status));
    }
    if (status != OCI_STATUS_STOPPED) { /* created (never started), or forced */
        oci_container_signal_all(&state, SIGKILL);
        oci_error ignored;
        if (status == OCI_STATUS_PAUSED) oci_cgroup_freeze(state.cgroup_paths, false, &ignored);
        oci_wait_gone(state.pid, state.pid_start, 10000);
    }
    oci_hook_list hooks[OCI_HOOK_KINDS] = {{0}};
    oci_error hook_error;
    json_t *report = oci_state_report(&state, OCI_STATUS_STOPPED);
    if (oci_hooks_parse(state.hooks, hooks, &hook_error) != 0 ||
        oci_hooks_run(&hooks[OCI_HOOK_POSTSTOP], OCI_HOOK_POSTSTOP, report, &hook_error) != 0)
        oci_log_warning("delete %s: %s", id, hook_error.message);
    json_decref(report);
    oci_hooks_free(hooks);
    int result = oci_cgroup_remove(state.cgroup_paths, err);
    if (oci_state_remove(&state, result == 0 ? err : NULL) != 0) result = -1;
    oci_state_free(&state);
    return result == 0 ? 0 : oci_wrap(err, "delete %s", id);
}

static pid_t oci_run_pid;

static void oci_run_forward(int sig)
{
    if (oci_run_pid > 0) kill(oci_run_pid, sig);
}

int oci_container_run(const oci_create_options *o, bool detach, int *exit_status, oci_error *err)
{
    pid_t pid;
    *exit_status = 0;
    if (oci_container_create(o, &pid, err) != 0) return -1;
    if (oci_container_start(o->root, o->id, err) != 0) {
        oci_error ignored;
        oci_container_delete(o->root, o->id, true, &ignored);
        return -1;
    }
    if (detach) return 0;
    /* signals for the container go to it, as runc run forwards them */
    oci_run_pid = pid;
    const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = oci_run_forward;
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
        sigaction(forwarded[i], &action, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    oci_run_pid = 0;
    *exit_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    return oci_container_delete(o->root, o->id, true, err);
}

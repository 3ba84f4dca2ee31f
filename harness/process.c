/* process.c: launching with pipes, timing, rusage and perf counters (see process.h).
 * The child is cloned into the harness's address space (CLONE_VM, as posix_spawn does)
 * instead of forked: copying the page tables of a harness holding a few MiB costs more
 * than starting a small static program, and would be counted in every cold start. It
 * waits on a gate pipe before exec, so the perf counters are attached before the
 * program runs, and reports an exec failure through a close-on-exec pipe. */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

extern char **environ;

#include "cancel.h"
#include "meters/clock.h"
#include "meters/perf.h"
#include "meters/taskstats.h"

typedef struct process_buffer {
    char *data;
    size_t length, capacity;
} process_buffer;

static void process_buffer_append(process_buffer *buffer, const char *data, size_t length)
{
    if (buffer->length + length > PROCESS_OUTPUT_LIMIT)
        length = PROCESS_OUTPUT_LIMIT - buffer->length; /* keep the beginning, drop the rest */
    if (length == 0) return;
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 256;
        while (capacity < buffer->length + length + 1)
            capacity *= 2;
        char *grown = realloc(buffer->data, capacity);
        if (!grown) return;
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, data, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

static char *process_buffer_take(process_buffer *buffer, size_t *length)
{
    if (!buffer->data) buffer->data = calloc(1, 1);
    *length = buffer->length;
    return buffer->data;
}

static void process_close(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* What the child needs, prepared by the parent: the child shares the parent's memory
 * until it execs, so it may only make system calls (no allocation, no PATH search, no
 * writes to anything the parent uses). */
typedef struct process_child_args {
    char path[4096]; /* the program, resolved on PATH by the parent */
    char *const *argv;
    int stdin_fd, out_fd, err_fd;
    int gate_fd; /* -1: no gate */
    int report_fd;
    sigset_t mask; /* the parent's signal mask, restored just before exec */
} process_child_args;

/* In the child: wire the pipes, wait for the gate, exec. Signals stay blocked until the
 * exec, so no handler of the parent's runs on this stack. */
static int process_child(void *arg)
{
    const process_child_args *a = arg;
    setpgid(0, 0); /* its own group, so a timeout can kill everything it started */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGINT, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    sigaction(SIGPIPE, &dfl, NULL); /* ignored by the harness; an exec keeps that */
    dup2(a->stdin_fd, 0);
    dup2(a->out_fd, 1);
    dup2(a->err_fd, 2);
    char go;
    if (a->gate_fd >= 0)
        while (read(a->gate_fd, &go, 1) < 0 && errno == EINTR) {
        }
    int code = a->path[0] ? 0 : ENOENT;
    if (!code) {
        sigprocmask(SIG_SETMASK, &a->mask, NULL);
        execve(a->path, a->argv, environ);
        code = errno;
    }
    if (write(a->report_fd, &code, sizeof code) < 0) _exit(127);
    _exit(127);
}

/* Resolves name as execvp would (a '/' means a path; otherwise each PATH entry);
 * path is left empty when nothing executable is found. */
static void process_resolve(const char *name, char *path, size_t size)
{
    path[0] = '\0';
    if (strchr(name, '/')) {
        snprintf(path, size, "%s", name);
        return;
    }
    const char *dirs = getenv("PATH");
    if (!dirs) dirs = "/usr/local/bin:/usr/bin:/bin";
    for (const char *d = dirs;; d++) {
        size_t length = strcspn(d, ":");
        int n = snprintf(path, size, "%.*s%s%s", (int)length, length ? d : ".", "/", name);
        if (n > 0 && (size_t)n < size && access(path, X_OK) == 0) return;
        d += length;
        if (!*d) break;
    }
    path[0] = '\0';
}

/* Everything the child will need, resolved here, before it shares our memory. */
static void process_child_prepare(process_child_args *a, const process_spec *spec, int stdin_fd,
                                  int out_fd, int err_fd, int gate_fd, int report_fd)
{
    process_resolve(spec->argv[0], a->path, sizeof a->path);
    a->argv = spec->argv;
    a->stdin_fd = stdin_fd;
    a->out_fd = out_fd;
    a->err_fd = err_fd;
    a->gate_fd = gate_fd;
    a->report_fd = report_fd;
}

/* Starts the child (process_child) on a stack of its own; *stack is unmapped by
 * process_release_stack once the child has exec'd or exited. Returns the pid, or -1
 * with errno set. */
static pid_t process_clone(process_child_args *a, void **stack)
{
    const size_t size = 64 * 1024;
    *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
                  -1, 0);
    if (*stack == MAP_FAILED) {
        *stack = NULL;
        return -1;
    }
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &a->mask);
    pid_t pid = clone(process_child, (char *)*stack + size, CLONE_VM | SIGCHLD, a);
    int saved = errno;
    sigprocmask(SIG_SETMASK, &a->mask, NULL);
    if (pid < 0) {
        munmap(*stack, size);
        *stack = NULL;
    }
    errno = saved;
    return pid;
}

static void process_release_stack(void *stack)
{
#if defined(__SANITIZE_ADDRESS__)
    /* The child ran instrumented code on this stack in our address space: its frames'
       redzones are in our shadow, and a later mapping at this address (the serverless
       front end's shared statistics) would be reported as written out of bounds. */
    if (stack) ASAN_UNPOISON_MEMORY_REGION(stack, 64 * 1024);
#endif
    if (stack) munmap(stack, 64 * 1024);
}

static void process_kill_group(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

static int process_pipe(int fds[2])
{
    return pipe2(fds, O_CLOEXEC);
}

static void process_close_pipes(int *pipes[], size_t count)
{
    for (size_t i = 0; i < count; i++) {
        process_close(&pipes[i][0]);
        process_close(&pipes[i][1]);
    }
}

/* Makes the write ends of out and err (or one shared file) what the child gets. */
static int process_open_output(const process_spec *spec, int out[2], int errp[2], wasmvs_error *err)
{
    if (!spec->output_path) {
        if (process_pipe(out) || process_pipe(errp))
            return wasmvs_fail(err, "%s: cannot create pipes: %s", spec->argv[0], strerror(errno));
        return 0;
    }
    out[1] = open(spec->output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out[1] < 0)
        return wasmvs_fail(err, "%s: cannot create output file: %s", spec->output_path,
                           strerror(errno));
    errp[1] = dup(out[1]);
    fcntl(errp[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

int process_run(const process_spec *spec, process_result *result, wasmvs_error *err)
{
    memset(result, 0, sizeof *result);
    /* A program that exits without reading its stdin must not kill wasmvs with SIGPIPE:
     * the write fails with EPIPE instead and the sample is judged by its output. */
    signal(SIGPIPE, SIG_IGN);
    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1}, gate[2] = {-1, -1},
        report[2] = {-1, -1};
    int *all[] = {in, out, errp, gate, report};
    if (process_open_output(spec, out, errp, err) != 0) {
        process_close_pipes(all, 5);
        return -1;
    }
    if (process_pipe(in) || process_pipe(gate) || process_pipe(report)) {
        int saved = errno;
        process_close_pipes(all, 5);
        return wasmvs_fail(err, "%s: cannot create pipes: %s", spec->argv[0], strerror(saved));
    }
    process_child_args child; /* read by the child, which shares this memory, until it execs */
    process_child_prepare(&child, spec, in[0], out[1], errp[1], gate[0], report[1]);
    void *stack;
    /* exit reports queued before this launch are not this process's */
    bool taskstats = meter_taskstats_ready();
    if (taskstats) meter_taskstats_drain();
    uint64_t launcher_kib = meter_taskstats_self_peak_rss();
    uint64_t started = meter_clock_ns();
    pid_t pid = process_clone(&child, &stack);
    if (pid < 0) {
        int saved = errno;
        process_close_pipes(all, 5);
        return wasmvs_fail(err, "%s: cannot start a process: %s", spec->argv[0],
                           strerror(saved));
    }
    /* The child waits at the gate while the counters are attached: that time is the
       harness's, not the program's, and is left out of wall_ns. */
    uint64_t attach_from = meter_clock_ns();
    setpgid(pid, pid); /* also here, so the group exists whichever side runs first */
    process_close(&in[0]); /* the child has its own copies of the descriptors */
    process_close(&out[1]);
    process_close(&errp[1]);
    process_close(&gate[0]);
    process_close(&report[1]);
    meter_perf perf;
    if (spec->count_perf) meter_perf_open(&perf, pid);
    uint64_t attach_ns = meter_clock_ns() - attach_from;
    if (write(gate[1], "g", 1) != 1) process_kill_group(pid);
    process_close(&gate[1]);

    int exec_errno = 0;
    ssize_t got;
    while ((got = read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    /* the child has exec'd (the pipe closed with it) or is exiting after reporting */
    uint64_t exec_ns = meter_clock_ns() - started - attach_ns;
    process_close(&report[0]);
    if (got == (ssize_t)sizeof exec_errno) {
        waitpid(pid, NULL, 0);
        process_release_stack(stack);
        if (spec->count_perf) meter_perf_close(&perf);
        process_close(&in[1]);
        process_close(&out[0]);
        process_close(&errp[0]);
        return wasmvs_fail(err, "%s: cannot execute: %s", spec->argv[0], strerror(exec_errno));
    }
    process_release_stack(stack);

    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    size_t stdin_done = 0;
    if (!spec->stdin_data || spec->stdin_length == 0) process_close(&in[1]);
    process_buffer out_buffer = {0}, err_buffer = {0};
    uint64_t deadline = spec->timeout_s > 0 ? started + (uint64_t)(spec->timeout_s * 1e9) : 0;
    result->end = PROCESS_EXITED;
    bool exited = false;
    while (!exited || out[0] >= 0 || errp[0] >= 0) {
        struct pollfd fds[4];
        int count = 0, in_at = -1, out_at = -1, err_at = -1, pid_at = -1;
        if (in[1] >= 0) fds[in_at = count++] = (struct pollfd){in[1], POLLOUT, 0};
        if (out[0] >= 0) fds[out_at = count++] = (struct pollfd){out[0], POLLIN, 0};
        if (errp[0] >= 0) fds[err_at = count++] = (struct pollfd){errp[0], POLLIN, 0};
        if (!exited && pidfd >= 0) fds[pid_at = count++] = (struct pollfd){pidfd, POLLIN, 0};
        int wait_ms = -1;
        if (deadline) {
            uint64_t now = meter_clock_ns();
            wait_ms = now >= deadline ? 0 : (int)((deadline - now) / 1000000u) + 1;
        }
        if (pidfd < 0 && !exited && wait_ms < 0) wait_ms = 10; /* no pidfd: poll waitpid */
        int ready = poll(fds, (nfds_t)count, wait_ms);
        if (cancel_requested() && !spec->ignore_cancel && !exited) {
            result->end = PROCESS_CANCELLED;
            process_kill_group(pid);
        } else if (deadline && meter_clock_ns() >= deadline && !exited) {
            result->end = PROCESS_TIMED_OUT;
            process_kill_group(pid);
        }
        if (ready < 0 && errno != EINTR) break;
        char chunk[65536];
        if (in_at >= 0 && ready > 0 && fds[in_at].revents) {
            ssize_t n =
                write(in[1], spec->stdin_data + stdin_done, spec->stdin_length - stdin_done);
            if (n > 0) stdin_done += (size_t)n;
            if (n < 0 && errno != EAGAIN && errno != EINTR) stdin_done = spec->stdin_length;
            if (stdin_done >= spec->stdin_length) process_close(&in[1]);
        }
        if (out_at >= 0 && ready > 0 && fds[out_at].revents) {
            ssize_t n = read(out[0], chunk, sizeof chunk);
            if (n > 0)
                process_buffer_append(&out_buffer, chunk, (size_t)n);
            else if (n == 0 || errno != EINTR)
                process_close(&out[0]);
        }
        if (err_at >= 0 && ready > 0 && fds[err_at].revents) {
            ssize_t n = read(errp[0], chunk, sizeof chunk);
            if (n > 0)
                process_buffer_append(&err_buffer, chunk, (size_t)n);
            else if (n == 0 || errno != EINTR)
                process_close(&errp[0]);
        }
        if (!exited && (pidfd < 0 || (pid_at >= 0 && ready > 0 && fds[pid_at].revents))) {
            int status;
            struct rusage usage;
            pid_t done = wait4(pid, &status, WNOHANG, &usage);
            if (done == pid) {
                result->wall_ns = meter_clock_ns() - started - attach_ns;
                exited = true;
                process_close(&in[1]);
                if (result->end == PROCESS_EXITED && WIFSIGNALED(status)) {
                    result->end = PROCESS_SIGNALED;
                    result->term_signal = WTERMSIG(status);
                }
                if (WIFEXITED(status)) result->exit_code = WEXITSTATUS(status);
                /* ru_maxrss carries the launcher's peak (this process's: the child
                   shared it until exec); the exit report has the program's own. A larger
                   ru_maxrss is real: the program, or a descendant it waited for. */
                uint64_t peak = 0;
                const char *peak_from = "rusage";
                if (taskstats && meter_taskstats_peak_rss(pid, &peak)) {
                    peak_from = "taskstats";
                    if ((uint64_t)usage.ru_maxrss > launcher_kib && (uint64_t)usage.ru_maxrss > peak)
                        peak = (uint64_t)usage.ru_maxrss;
                } else {
                    peak = (uint64_t)usage.ru_maxrss;
                    peak_from = "rusage, including the launcher's peak";
                }
                /* page faults and context switches from rusage: attached perf
                   counters, when there are, give their own counts instead */
                result->metrics = json_pack(
                    "{s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:I}", "wall_ns",
                    (json_int_t)result->wall_ns, "exec_ns", (json_int_t)exec_ns, "user_ns",
                    (json_int_t)usage.ru_utime.tv_sec * 1000000000 + usage.ru_utime.tv_usec * 1000,
                    "sys_ns",
                    (json_int_t)usage.ru_stime.tv_sec * 1000000000 + usage.ru_stime.tv_usec * 1000,
                    "max_rss_kib", (json_int_t)peak, "max_rss_from", peak_from, "page_faults",
                    (json_int_t)(usage.ru_minflt + usage.ru_majflt), "context_switches",
                    (json_int_t)(usage.ru_nvcsw + usage.ru_nivcsw));
                /* Grandchildren that kept the pipes open (a daemonised helper) must not
                 * hold the sample: kill the rest of the group once the leader is gone. */
                if (!spec->keep_descendants) kill(-pid, SIGKILL);
            }
        }
    }
    if (!exited) { /* poll failed: make sure nothing is left behind */
        process_kill_group(pid);
        waitpid(pid, NULL, 0);
        result->wall_ns = meter_clock_ns() - started - attach_ns;
        result->metrics = json_pack("{s:I}", "wall_ns", (json_int_t)result->wall_ns);
    }
    if (pidfd >= 0) close(pidfd);
    process_close(&in[1]);
    process_close(&out[0]);
    process_close(&errp[0]);
    if (spec->count_perf) meter_perf_read_close(&perf, result->metrics);
    result->out = process_buffer_take(&out_buffer, &result->out_length);
    result->err = process_buffer_take(&err_buffer, &result->err_length);
    return 0;
}

int process_spawn(const process_spec *spec, pid_t *pid, wasmvs_error *err)
{
    int out[2] = {-1, -1}, errp[2] = {-1, -1}, report[2] = {-1, -1};
    int *all[] = {out, errp, report};
    if (!spec->output_path)
        return wasmvs_fail(err, "%s: a spawned process needs an output file", spec->argv[0]);
    if (process_open_output(spec, out, errp, err) != 0) return -1;
    if (process_pipe(report) != 0) {
        int saved = errno;
        process_close_pipes(all, 3);
        return wasmvs_fail(err, "%s: cannot create pipes: %s", spec->argv[0], strerror(saved));
    }
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    signal(SIGPIPE, SIG_IGN);
    process_child_args child; /* read by the child, which shares this memory, until it execs */
    process_child_prepare(&child, spec, null_fd, out[1], errp[1], -1, report[1]);
    void *stack;
    *pid = process_clone(&child, &stack);
    int saved = errno;
    if (*pid < 0) {
        if (null_fd >= 0) close(null_fd);
        process_close_pipes(all, 3);
        return wasmvs_fail(err, "%s: cannot start a process: %s", spec->argv[0],
                           strerror(saved));
    }
    setpgid(*pid, *pid);
    process_close(&report[1]);
    int exec_errno = 0;
    ssize_t got;
    while ((got = read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    if (null_fd >= 0) close(null_fd);
    process_close_pipes(all, 3);
    if (got == (ssize_t)sizeof exec_errno) {
        waitpid(*pid, NULL, 0);
        process_release_stack(stack);
        return wasmvs_fail(err, "%s: cannot execute: %s", spec->argv[0], strerror(exec_errno));
    }
    process_release_stack(stack);
    return 0;
}

void process_stop(pid_t pid, double grace_s)
{
    if (pid <= 0) return;
    kill(-pid, SIGTERM);
    kill(pid, SIGTERM);
    uint64_t deadline = meter_clock_ns() + (uint64_t)(grace_s * 1e9);
    while (waitpid(pid, NULL, WNOHANG) == 0) {
        if (meter_clock_ns() >= deadline) {
            process_kill_group(pid);
            waitpid(pid, NULL, 0);
            break;
        }
        usleep(1000);
    }
    kill(-pid, SIGKILL); /* whatever else the group still holds */
}

int process_wait_file_text(const char *path, const char *text, double timeout_s, pid_t pid,
                           wasmvs_error *err)
{
    uint64_t deadline = meter_clock_ns() + (uint64_t)(timeout_s * 1e9);
    char buffer[4096];
    for (;;) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, buffer, sizeof buffer - 1);
            close(fd);
            buffer[n > 0 ? n : 0] = '\0';
            if (strstr(buffer, text)) return 0;
        }
        if (pid > 0 && waitpid(pid, NULL, WNOHANG) == pid)
            return wasmvs_fail(err,
                               "%s: expected \"%.40s\" before the process ended, found \"%.200s\"",
                               path, text, buffer);
        if (cancel_requested()) return wasmvs_fail(err, "%s: cancelled while waiting", path);
        if (meter_clock_ns() >= deadline)
            return wasmvs_fail(err, "%s: expected \"%.40s\" within %.1f s, found \"%.200s\"", path,
                               text, timeout_s, buffer);
        usleep(1000);
    }
}

void process_result_free(process_result *result)
{
    free(result->out);
    free(result->err);
    json_decref(result->metrics);
    memset(result, 0, sizeof *result);
}

void process_describe_end(const process_result *result, char *out, size_t size)
{
    switch (result->end) {
    case PROCESS_EXITED:
        snprintf(out, size, "exit code %d", result->exit_code);
        break;
    case PROCESS_SIGNALED:
        snprintf(out, size, "killed by signal %d (%s)", result->term_signal,
                 strsignal(result->term_signal));
        break;
    case PROCESS_TIMED_OUT:
        snprintf(out, size, "timed out and was killed");
        break;
    case PROCESS_CANCELLED:
        snprintf(out, size, "cancelled (interrupted run)");
        break;
    }
}

char *process_first_line(char *const *argv)
{
    process_spec spec = {.argv = argv, .timeout_s = 10};
    process_result result;
    wasmvs_error err;
    if (process_run(&spec, &result, &err) != 0) return NULL;
    char *line = NULL;
    if (result.end == PROCESS_EXITED) { /* some tools (wrk) exit 1 after --version */
        const char *text = result.out_length ? result.out : result.err; /* gcc: stdout */
        size_t length = strcspn(text, "\n");
        if (length > 0) line = strndup(text, length);
    }
    process_result_free(&result);
    return line;
}

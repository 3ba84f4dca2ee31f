/* hooks.c: one hook = fork, exec its path with its args and env (no PATH search: the
 * path is absolute), the state JSON written to a pipe on its stdin, wait with its
 * timeout. Its stdout and stderr are the runtime's. */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static long long oci_hooks_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits for pid until deadline_ms (0: forever); kills it at the deadline. */
static int oci_hooks_wait(pid_t pid, long long deadline_ms, int *status)
{
    for (;;) {
        pid_t done = waitpid(pid, status, deadline_ms ? WNOHANG : 0);
        if (done == pid) return 0;
        if (done < 0 && errno != EINTR) return -1;
        if (deadline_ms && oci_hooks_now_ms() >= deadline_ms) {
            kill(pid, SIGKILL);
            waitpid(pid, status, 0);
            return 1;
        }
        if (deadline_ms) poll(NULL, 0, 5);
    }
}

static int oci_hooks_run_one(const oci_hook *hook, const char *name, const char *state_text,
                             oci_error *err)
{
    int input[2];
    if (pipe2(input, O_CLOEXEC) != 0)
        return oci_fail(err, "hook %s: cannot make a pipe: %s", name, strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(input[0]);
        close(input[1]);
        return oci_fail(err, "hook %s: cannot fork: %s", name, strerror(errno));
    }
    if (pid == 0) {
        dup2(input[0], 0);
        const char *fallback[] = {hook->path, NULL};
        char *const *argv = (char *const *)(hook->args[0] ? hook->args : fallback);
        execve(hook->path, argv, (char *const *)hook->env);
        dprintf(2, "wasmrt-oci: hook %s: cannot run %s: %s\n", name, hook->path, strerror(errno));
        _exit(127);
    }
    close(input[0]);
    /* a hook that does not read its stdin must not kill the runtime: EPIPE instead */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, previous;
    sigaction(SIGPIPE, &ignore, &previous);
    size_t length = strlen(state_text);
    for (size_t done = 0; done < length;) {
        ssize_t n = write(input[1], state_text + done, length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += (size_t)n;
    }
    close(input[1]);
    sigaction(SIGPIPE, &previous, NULL);
    int status = 0;
    long long deadline = hook->timeout_s ? oci_hooks_now_ms() + hook->timeout_s * 1000LL : 0;
    int waited = oci_hooks_wait(pid, deadline, &status);
    if (waited == 1)
        return oci_fail(err,
                        "hook %s (%s): expected it to end within its timeout of %d s, "
                        "killed it",
                        name, hook->path, hook->timeout_s);
    if (waited < 0) return oci_fail(err, "hook %s: waitpid: %s", name, strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFSIGNALED(status))
        return oci_fail(err, "hook %s (%s): expected exit status 0, found signal %d", name,
                        hook->path, WTERMSIG(status));
    return oci_fail(err, "hook %s (%s): expected exit status 0, found %d", name, hook->path,
                    WEXITSTATUS(status));
}

int oci_hooks_run(const oci_hook_list *list, oci_hook_kind kind, json_t *state, oci_error *err)
{
    if (!list->count) return 0;
    char *text = json_dumps(state, JSON_COMPACT);
    if (!text) return oci_fail(err, "hooks: out of memory");
    int status = 0;
    for (size_t i = 0; i < list->count && status == 0; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s[%zu]", oci_hook_kind_name(kind), i);
        oci_log_debug("running hook %s: %s", name, list->hooks[i].path);
        status = oci_hooks_run_one(&list->hooks[i], name, text, err);
    }
    free(text);
    return status;
}

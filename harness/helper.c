/* helper.c: forking a helper process and talking to it (see helper.h). */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cancel.h"
#include "meters/clock.h"

void helper_init(helper *h)
{
    h->pid = -1;
    h->command_fd = h->reply_fd = -1;
}

int helper_start(helper *h, void (*run)(void *context, int commands, int replies), void *context,
                 wasmvs_error *err)
{
    int commands[2], replies[2];
    if (pipe2(commands, O_CLOEXEC) != 0) return wasmvs_fail(err, "pipe: %s", strerror(errno));
    if (pipe2(replies, O_CLOEXEC) != 0) {
        int saved = errno;
        close(commands[0]);
        close(commands[1]);
        return wasmvs_fail(err, "pipe: %s", strerror(saved));
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        setpgid(0, 0); /* Ctrl-C goes to wasmvs, which ends the helper itself */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_DFL);
        close(commands[1]);
        close(replies[0]);
        run(context, commands[0], replies[1]);
        _exit(1); /* run does not return */
    }
    close(commands[0]);
    close(replies[1]);
    if (pid < 0) {
        int saved = errno;
        close(commands[1]);
        close(replies[0]);
        return wasmvs_fail(err, "fork: %s", strerror(saved));
    }
    h->pid = pid;
    h->command_fd = commands[1];
    h->reply_fd = replies[0];
    return 0;
}

int helper_read(const helper *h, void *data, size_t size, double timeout_s, const char *what,
                wasmvs_error *err)
{
    uint64_t deadline = meter_clock_ns() + (uint64_t)(timeout_s * 1e9);
    size_t done = 0;
    while (done < size) {
        if (cancel_requested()) return wasmvs_fail(err, "%s: cancelled while waiting", what);
        uint64_t now = meter_clock_ns();
        if (now >= deadline)
            return wasmvs_fail(err, "%s: expected an answer within %.1f s, found none", what,
                               timeout_s);
        struct pollfd fd = {h->reply_fd, POLLIN, 0};
        int wait_ms = (int)((deadline - now) / 1000000) + 1;
        if (poll(&fd, 1, wait_ms > 100 ? 100 : wait_ms) <= 0) continue;
        ssize_t n = read(h->reply_fd, (char *)data + done, size - done);
        if (n > 0)
            done += (size_t)n;
        else if (n == 0 || errno != EINTR)
            return wasmvs_fail(err, "%s: expected an answer, found the helper gone (%s)", what,
                               n == 0 ? "end of file" : strerror(errno));
    }
    return 0;
}

void helper_end(helper *h)
{
    if (h->pid > 0) {
        kill(-h->pid, SIGKILL); /* the helper and what it launched in its group */
        kill(h->pid, SIGKILL);
        while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    if (h->command_fd >= 0) close(h->command_fd);
    if (h->reply_fd >= 0) close(h->reply_fd);
    helper_init(h);
}

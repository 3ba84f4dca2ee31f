/* wasi_poll.c: poll_oneoff: waits on clock and fd read/write subscriptions with one
 * host ppoll(). Clock timeouts (relative or absolute, any WASI clock) become one
 * monotonic deadline, so an interrupted wait resumes with the time left rather than
 * starting over. This is the idle path (sleep) and the event loop of a guest server. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>

#define WASI_SUBSCRIPTION_SIZE 48
#define WASI_EVENT_SIZE 32
#define WASI_POLL_STACK 64 /* more fd subscriptions than this use the heap */

static uint64_t wasi_now_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void wasi_put_event(wasi_call *call, uint32_t out, uint32_t *count, uint64_t userdata,
                           uint16_t error, uint8_t type, uint64_t nbytes, uint16_t flags)
{
    uint32_t at = out + *count * WASI_EVENT_SIZE;
    memset(call->mem + at, 0, WASI_EVENT_SIZE);
    wasi_store_u64(call, at, userdata);
    wasi_store_u16(call, at + 8, error);
    wasi_store_u8(call, at + 10, type);
    wasi_store_u64(call, at + 16, nbytes);
    wasi_store_u16(call, at + 24, flags);
    (*count)++;
}

/* Monotonic deadline of a clock subscription, or an errno for an unknown clock. */
static int wasi_clock_deadline(wasi_call *call, uint32_t sub, uint64_t now_mono, uint64_t *deadline)
{
    static const clockid_t clocks[4] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                        CLOCK_THREAD_CPUTIME_ID};
    uint32_t id = wasi_load_u32(call, sub + 16);
    uint64_t timeout = wasi_load_u64(call, sub + 24);
    uint16_t flags;
    memcpy(&flags, call->mem + sub + 40, 2);
    if (id > 3) return WASI_EINVAL;
    uint64_t relative = timeout;
    if (flags & 1) { /* absolute time on that clock */
        uint64_t now = id == 1 ? now_mono : wasi_now_ns(clocks[id]);
        relative = timeout > now ? timeout - now : 0;
    }
    *deadline = relative > UINT64_MAX - now_mono ? UINT64_MAX : now_mono + relative;
    return WASI_ESUCCESS;
}

WASI_FN(poll_oneoff)
{
    uint32_t in = wasi_arg_u32(a, 0), out = wasi_arg_u32(a, 1);
    uint32_t nsubs = wasi_arg_u32(a, 2), nevents_ptr = wasi_arg_u32(a, 3);
    if (nsubs == 0) return WASI_EINVAL;
    if (!wasi_mem_ok(call, in, (uint64_t)nsubs * WASI_SUBSCRIPTION_SIZE) ||
        !wasi_mem_ok(call, out, (uint64_t)nsubs * WASI_EVENT_SIZE) ||
        !wasi_mem_ok(call, nevents_ptr, 4))
        return WASI_EFAULT;

    struct pollfd stack_fds[WASI_POLL_STACK];
    uint32_t stack_subs[WASI_POLL_STACK];
    struct pollfd *fds = stack_fds;
    uint32_t *fd_subs = stack_subs; /* which subscription each pollfd answers */
    if (nsubs > WASI_POLL_STACK) {
        wasmrt_wasi *w = call->wasi;
        size_t each = sizeof *fds + sizeof *fd_subs;
        if (nsubs > w->poll_capacity) {
            if (nsubs > (1u << 24)) return WASI_ENOMEM; /* 16M subscriptions: refuse */
            void *grown = realloc(w->poll_space, nsubs * each);
            if (!grown) return WASI_ENOMEM;
            w->poll_space = grown;
            w->poll_capacity = nsubs;
        }
        fds = w->poll_space;
        fd_subs = (uint32_t *)(fds + w->poll_capacity);
    }

    uint32_t events = 0, nfds = 0;
    const uint64_t start = wasi_now_ns(CLOCK_MONOTONIC);
    uint64_t now = start, deadline = UINT64_MAX;
    for (uint32_t i = 0; i < nsubs; i++) {
        uint32_t sub = in + i * WASI_SUBSCRIPTION_SIZE;
        uint64_t userdata = wasi_load_u64(call, sub);
        uint8_t type = call->mem[sub + 8];
        if (type == WASI_EVENTTYPE_CLOCK) {
            uint64_t d;
            int err = wasi_clock_deadline(call, sub, start, &d);
            if (err)
                wasi_put_event(call, out, &events, userdata, (uint16_t)err, type, 0, 0);
            else if (d < deadline)
                deadline = d;
        } else if (type == WASI_EVENTTYPE_FD_READ || type == WASI_EVENTTYPE_FD_WRITE) {
            int err;
            wasi_fd *entry = wasi_fd_get(call->wasi, wasi_load_u32(call, sub + 16),
                                         WASI_RIGHT_POLL_FD_READWRITE, &err);
            if (!entry) {
                wasi_put_event(call, out, &events, userdata, (uint16_t)err, type, 0, 0);
                continue;
            }
            fds[nfds].fd = entry->host_fd;
            fds[nfds].events = type == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
            fds[nfds].revents = 0;
            fd_subs[nfds++] = i;
        } else {
            wasi_put_event(call, out, &events, userdata, WASI_EINVAL, type, 0, 0);
        }
    }

    int ready;
    for (;;) {
        struct timespec ts, *timeout = NULL;
        if (events > 0 || deadline != UINT64_MAX) {
            uint64_t left = events > 0 || deadline <= now ? 0 : deadline - now;
            ts.tv_sec = (time_t)(left / 1000000000ull);
            ts.tv_nsec = (long)(left % 1000000000ull);
            timeout = &ts;
        }
        ready = ppoll(nfds ? fds : NULL, nfds, timeout, NULL);
        if (ready >= 0 || errno != EINTR) break;
        now = wasi_now_ns(CLOCK_MONOTONIC);
    }
    if (ready < 0) return wasi_errno_from_host(errno);
    for (uint32_t k = 0; k < nfds && ready > 0; k++) {
        short revents = fds[k].revents;
        if (!revents) continue;
        uint32_t sub = in + fd_subs[k] * WASI_SUBSCRIPTION_SIZE;
        uint8_t type = call->mem[sub + 8];
        uint16_t error = 0, flags = 0;
        uint64_t nbytes = 0;
        if (revents & POLLNVAL)
            error = WASI_EBADF;
        else if ((revents & POLLERR) && !(revents & (POLLIN | POLLOUT)))
            error = WASI_EIO;
        if (revents & POLLHUP) flags = 1; /* hangup */
        if (!error && type == WASI_EVENTTYPE_FD_READ && (revents & POLLIN)) {
            int avail = 0;
            if (ioctl(fds[k].fd, FIONREAD, &avail) == 0 && avail > 0) nbytes = (uint64_t)avail;
        }
        wasi_put_event(call, out, &events, wasi_load_u64(call, sub), error, type, nbytes, flags);
    }
    if (deadline != UINT64_MAX) {
        now = wasi_now_ns(CLOCK_MONOTONIC);
        for (uint32_t i = 0; i < nsubs && deadline <= now; i++) {
            uint32_t sub = in + i * WASI_SUBSCRIPTION_SIZE;
            uint64_t d;
            /* the same arithmetic as before the wait, from the same start */
            if (call->mem[sub + 8] == WASI_EVENTTYPE_CLOCK &&
                wasi_clock_deadline(call, sub, start, &d) == 0 && d <= now)
                wasi_put_event(call, out, &events, wasi_load_u64(call, sub), 0,
                               WASI_EVENTTYPE_CLOCK, 0, 0);
        }
    }
    wasi_store_u32(call, nevents_ptr, events);
    return WASI_ESUCCESS;
}

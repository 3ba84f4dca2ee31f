/* clocks: clocks, sleeping and randomness: realtime is a plausible date, monotonic
 * never goes back, resolutions are sane, a 20 ms sleep (poll_oneoff on a clock) takes
 * at least 20 ms, an absolute-time wait works, poll() on a pipe with no data times
 * out, and random_get fills buffers with bytes that differ. */
#include "check.h"

#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static int64_t ns_of(struct timespec ts)
{
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void)
{
    struct timespec rt, m1, m2, res;
    CHECK("realtime", clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1600000000);
    CHECK("monotonic", clock_gettime(CLOCK_MONOTONIC, &m1) == 0);
    CHECK("resolution",
          clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns_of(res) > 0 && ns_of(res) <= 1000000);
    CHECK("process_cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &res) == 0);
    __wasi_timestamp_t t;
    CHECK("bad clock id is EINVAL", __wasi_clock_time_get(99, 1, &t) == __WASI_ERRNO_INVAL);

    struct timespec nap = {0, 20 * 1000 * 1000};
    CHECK("nanosleep", nanosleep(&nap, NULL) == 0);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    CHECK("slept at least 20 ms", ns_of(m2) - ns_of(m1) >= 20 * 1000 * 1000);
    CHECK("slept less than 2 s", ns_of(m2) - ns_of(m1) < 2000LL * 1000 * 1000);

    /* absolute deadline 15 ms from now on the monotonic clock */
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    sub.userdata = 42;
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub.u.u.clock.timeout = (uint64_t)ns_of(m2) + 15 * 1000 * 1000;
    sub.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    CHECK("poll_oneoff abstime", __wasi_poll_oneoff(&sub, &ev, 1, &n) == 0 && n == 1 &&
                                     ev.userdata == 42 && ev.type == __WASI_EVENTTYPE_CLOCK);
    clock_gettime(CLOCK_MONOTONIC, &m1);
    CHECK("abstime waited", ns_of(m1) >= (int64_t)sub.u.u.clock.timeout);
    CHECK("poll_oneoff with no subscriptions is EINVAL",
          __wasi_poll_oneoff(&sub, &ev, 0, &n) == __WASI_ERRNO_INVAL);

    /* stdin is an empty, open pipe in the runner: poll must time out, not hang */
    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    int ready = poll(&pfd, 1, 30);
    CHECK("poll times out or sees hangup", ready == 0 || (pfd.revents & POLLHUP));
    struct pollfd bad = {.fd = 99, .events = POLLIN};
    CHECK("poll on a closed fd reports it", poll(&bad, 1, 0) == 1 && (bad.revents & POLLNVAL));

    /* many subscriptions at once (more than the runtime keeps on its stack), twice */
    static __wasi_subscription_t many[100];
    static __wasi_event_t many_events[100];
    for (int round = 0; round < 2; round++) {
        memset(many, 0, sizeof many);
        for (int i = 0; i < 99; i++) {
            many[i].userdata = (uint64_t)i;
            many[i].u.tag = __WASI_EVENTTYPE_FD_WRITE;
            many[i].u.u.fd_write.file_descriptor = 2; /* stderr: a file or pipe, writable */
        }
        many[99].userdata = 99;
        many[99].u.tag = __WASI_EVENTTYPE_CLOCK;
        many[99].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
        n = 0;
        CHECK("poll_oneoff with 100 subscriptions",
              __wasi_poll_oneoff(many, many_events, 100, &n) == 0 && n >= 99 && n <= 100);
    }
    int writable = 0;
    for (__wasi_size_t i = 0; i < n; i++)
        writable += many_events[i].type == __WASI_EVENTTYPE_FD_WRITE &&
                    many_events[i].error == 0 && many_events[i].userdata < 99;
    CHECK("all 99 fd_write subscriptions ready", writable == 99);

    unsigned char a[64], b[64], zero[64] = {0};
    CHECK("random_get", getentropy(a, sizeof a) == 0 && getentropy(b, sizeof b) == 0);
    CHECK("random bytes differ", memcmp(a, b, sizeof a) != 0 && memcmp(a, zero, 64) != 0);
    unsigned char big[4096];
    CHECK("random_get 4 KiB", __wasi_random_get(big, sizeof big) == 0);
    return check_failures ? 1 : 0;
}

/* openloop.c: open-loop HTTP load at a constant request rate, the way wrk2 measures.
 *
 * Request i of the run is due at t0 + i / rate, whatever happened to earlier requests,
 * and its latency is taken from that intended send time, not from when it could be
 * sent. A server that stalls therefore shows its stall in every request that queued
 * behind it, instead of silently lowering the offered load (coordinated omission).
 * Due times are dealt round-robin to keep-alive connections, each carrying at most one
 * request at a time; a request whose connection is still busy is sent when the
 * connection frees, still measured from its due time.
 *
 * Built on plain non-blocking sockets and one epoll set in the calling thread, not on
 * libcurl's multi interface. Measured on this machine (2 vCPUs, httpd pinned to CPU 0,
 * generator to CPU 1, 64 connections): a libcurl-multi version of this same loop spent
 * about 26 us of CPU per request and fell behind at 40k requests/s (latency grew
 * without bound); this version spends about 16 us (most of it in the kernel's
 * loopback send path) and held 40k/s with p99 under 6 ms, and 60k/s when the machine
 * was quiet. libcurl's cost is its per-transfer bookkeeping (re-adding the easy
 * handle, header parsing callbacks, socket-action dispatch, millisecond timers); here
 * a request is one send() and one recv(), and timers have nanosecond resolution
 * (epoll_pwait2). The
 * generator must stay well ahead of the server it measures, so the cheaper one wins. */
#include "load.h"
#include "response.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../cancel.h"
#include "../meters/clock.h"

enum { CONN_CLOSED, CONN_CONNECTING, CONN_IDLE, CONN_SENDING, CONN_WAITING, CONN_FINISHED };

/* A connection that failed waits this long before it tries again, so a dead server
 * costs a few error counts per connection rather than a busy loop. */
#define OPEN_RETRY_NS 10000000ull

typedef struct open_connection {
    int fd;
    int state;
    uint64_t sequence; /* index of the next (or current) request: due at t0 + sequence / rate */
    uint64_t due_ns;   /* due time of the current request */
    uint64_t sent_ns;  /* when its first byte went out (or the connect started) */
    uint64_t retry_ns; /* CONN_CLOSED: not before this */
    size_t request_sent;
    load_response response;
} open_connection;

typedef struct open_run {
    const load_open_options *options;
    struct sockaddr_in address;
    char request[640];
    size_t request_len;
    int epoll_fd;
    open_connection *connections;
    double period_ns; /* time between two due times over all connections */
    uint64_t t0_ns;   /* due time of request 0 */
    uint64_t record_ns, end_ns, timeout_ns;
    load_result *result;
    load_histogram *send_delay; /* sent_ns - due_ns of recorded requests */
} open_run;

static uint64_t open_due(const open_run *run, uint64_t sequence)
{
    return run->t0_ns + (uint64_t)((double)sequence * run->period_ns);
}

static int open_recording(const open_run *run, uint64_t due_ns)
{
    return due_ns >= run->record_ns && due_ns < run->end_ns;
}

static void open_close(open_run *run, open_connection *c, uint64_t retry_ns)
{
    if (c->fd >= 0) close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    c->state = CONN_CLOSED;
    c->retry_ns = retry_ns;
    (void)run;
}

static void open_watch(open_run *run, open_connection *c, int op, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(run->epoll_fd, op, c->fd, &ev);
}

/* A request failed: count it (if it is in the recorded interval) and move its
 * connection on to its next due time. */
static void open_fail(open_run *run, open_connection *c, uint64_t *counter, uint64_t now)
{
    if (open_recording(run, c->due_ns)) (*counter)++;
    c->sequence += (uint64_t)run->options->connections;
    open_close(run, c, now + OPEN_RETRY_NS);
}

static void open_connect(open_run *run, open_connection *c, uint64_t now)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->due_ns = open_due(run, c->sequence);
        open_fail(run, c, &run->result->errors.connect, now);
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->sent_ns = now;
    if (connect(c->fd, (struct sockaddr *)&run->address, sizeof run->address) == 0) {
        c->state = CONN_IDLE;
        open_watch(run, c, EPOLL_CTL_ADD, EPOLLIN);
    } else if (errno == EINPROGRESS) {
        c->state = CONN_CONNECTING;
        open_watch(run, c, EPOLL_CTL_ADD, EPOLLOUT);
    } else {
        c->due_ns = open_due(run, c->sequence);
        open_fail(run, c, &run->result->errors.connect, now);
    }
}

/* Writes what is left of the request; switches to waiting when it is all out. */
static void open_write(open_run *run, open_connection *c, uint64_t now)
{
    while (c->request_sent < run->request_len) {
        ssize_t n = send(c->fd, run->request + c->request_sent, run->request_len - c->request_sent,
                         MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                if (c->state != CONN_SENDING) open_watch(run, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
                c->state = CONN_SENDING;
                return;
            }
            open_fail(run, c, &run->result->errors.write, now);
            return;
        }
        c->request_sent += (size_t)n;
    }
    if (c->state == CONN_SENDING) open_watch(run, c, EPOLL_CTL_MOD, EPOLLIN);
    c->state = CONN_WAITING;
}

/* Sends the connection's next request if it is due; returns when it will be due. */
static uint64_t open_send_if_due(open_run *run, open_connection *c, uint64_t now)
{
    uint64_t due = open_due(run, c->sequence);
    if (due >= run->end_ns) {
        c->state = CONN_FINISHED;
        return UINT64_MAX;
    }
    if (due > now) return due;
    c->due_ns = due;
    c->sent_ns = now;
    c->request_sent = 0;
    load_response_begin(&c->response);
    open_write(run, c, now); /* from CONN_IDLE: the epoll set changes only if send blocks */
    return UINT64_MAX;
}

static void open_complete(open_run *run, open_connection *c, uint64_t now)
{
    load_result *r = run->result;
    if (open_recording(run, c->due_ns)) {
        r->requests++;
        load_histogram_record(r->histogram, now - c->due_ns);
        load_histogram_record(run->send_delay, c->sent_ns - c->due_ns);
        if (c->response.status < 200 || c->response.status > 299) r->errors.status++;
    }
    c->sequence += (uint64_t)run->options->connections;
    if (c->response.keep_alive) {
        c->state = CONN_IDLE;
        open_send_if_due(run, c, now);
    } else {
        open_close(run, c, now); /* reconnect right away: the server chose to close */
    }
}

static void open_read(open_run *run, open_connection *c, uint64_t now)
{
    char buffer[8192];
    ssize_t n;
    do {
        n = recv(c->fd, buffer, sizeof buffer, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) return;
    if (c->state != CONN_WAITING && c->state != CONN_SENDING) {
        /* Idle: only the server closing the connection (or stray bytes) gets here. The
         * next request will open a new connection; nothing was lost. */
        open_close(run, c, now);
        return;
    }
    if (n <= 0) {
        if (n == 0 && load_response_end_of_stream(&c->response) == LOAD_RESPONSE_DONE) {
            open_complete(run, c, now);
            if (c->state != CONN_CLOSED) open_close(run, c, now);
            return;
        }
        open_fail(run, c, &run->result->errors.read, now);
        return;
    }
    if (open_recording(run, c->due_ns)) run->result->bytes += (uint64_t)n;
    size_t used;
    int status = load_response_feed(&c->response, buffer, (size_t)n, &used);
    if (status == LOAD_RESPONSE_BAD || (status == LOAD_RESPONSE_DONE && used != (size_t)n))
        open_fail(run, c, &run->result->errors.read, now);
    else if (status == LOAD_RESPONSE_DONE)
        open_complete(run, c, now);
}

static void open_connected(open_run *run, open_connection *c, uint64_t now)
{
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error) {
        c->due_ns = open_due(run, c->sequence);
        open_fail(run, c, &run->result->errors.connect, now);
        return;
    }
    c->state = CONN_IDLE;
    open_watch(run, c, EPOLL_CTL_MOD, EPOLLIN);
    open_send_if_due(run, c, now);
}

static void open_event(open_run *run, open_connection *c, uint32_t events, uint64_t now)
{
    if (c->state == CONN_CONNECTING) {
        open_connected(run, c, now);
        return;
    }
    if ((events & EPOLLOUT) && c->state == CONN_SENDING) open_write(run, c, now);
    if (c->fd >= 0 && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) open_read(run, c, now);
}

/* One pass over the connections: start due requests, expire late ones, reconnect.
 * Returns the earliest instant something will be due, and whether any work remains. */
static uint64_t open_tick(open_run *run, uint64_t now, int *busy)
{
    uint64_t wake = UINT64_MAX;
    *busy = 0;
    for (int i = 0; i < run->options->connections; i++) {
        open_connection *c = &run->connections[i];
        uint64_t at = UINT64_MAX;
        switch (c->state) {
        case CONN_CLOSED:
            if (open_due(run, c->sequence) >= run->end_ns) {
                c->state = CONN_FINISHED;
                break;
            }
            if (now >= c->retry_ns)
                open_connect(run, c, now);
            else
                at = c->retry_ns;
            *busy = 1;
            break;
        case CONN_IDLE:
            at = open_send_if_due(run, c, now);
            if (c->state != CONN_FINISHED) *busy = 1;
            break;
        case CONN_CONNECTING:
        case CONN_SENDING:
        case CONN_WAITING:
            *busy = 1;
            if (now - c->sent_ns >= run->timeout_ns) {
                if (c->state == CONN_CONNECTING) c->due_ns = open_due(run, c->sequence);
                open_fail(run, c,
                          c->state == CONN_CONNECTING ? &run->result->errors.connect
                                                      : &run->result->errors.timeout,
                          now);
            } else {
                at = c->sent_ns + run->timeout_ns;
            }
            break;
        default:
            break;
        }
        if (at < wake) wake = at;
    }
    return wake;
}

/* Requests due in the recorded interval that never left, because their connection was
 * still busy with earlier ones (or kept failing) when the run ended. */
static void open_count_unsent(open_run *run)
{
    for (int i = 0; i < run->options->connections; i++) {
        open_connection *c = &run->connections[i];
        uint64_t s = c->sequence;
        if (c->state == CONN_SENDING || c->state == CONN_WAITING) {
            if (open_recording(run, open_due(run, s))) run->result->errors.timeout++;
            s += (uint64_t)run->options->connections;
        }
        for (; open_due(run, s) < run->end_ns; s += (uint64_t)run->options->connections)
            if (open_recording(run, open_due(run, s))) run->result->unsent++;
    }
}

static void open_loop(open_run *run)
{
    struct epoll_event events[256];
    uint64_t give_up_ns = run->end_ns + run->timeout_ns;
    for (;;) {
        uint64_t now = meter_clock_ns();
        int busy;
        uint64_t wake = open_tick(run, now, &busy);
        if (!busy || now >= give_up_ns || cancel_requested()) break;
        if (wake > give_up_ns) wake = give_up_ns;
        uint64_t wait_ns = wake > now ? wake - now : 0;
        struct timespec timeout = {.tv_sec = (time_t)(wait_ns / 1000000000u),
                                   .tv_nsec = (long)(wait_ns % 1000000000u)};
        int n = epoll_pwait2(run->epoll_fd, events, 256, &timeout, NULL);
        now = meter_clock_ns();
        for (int i = 0; i < n; i++)
            open_event(run, events[i].data.ptr, events[i].events, now);
    }
    open_count_unsent(run);
}

static void open_summarize(const open_run *run)
{
    load_result *r = run->result;
    const load_histogram *h = r->histogram;
    r->requests_per_s = r->duration_s > 0 ? (double)r->requests / r->duration_s : 0.0;
    load_latency_of(h, &r->latency);
    load_latency_of(run->send_delay, &r->send_delay);
}

static uint64_t open_thread_cpu_ns(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) < 0) return 0;
    return (uint64_t)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000ull +
           (uint64_t)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000ull;
}

static int open_check_options(const load_open_options *o, wasmvs_error *err)
{
    if (!(o->rate_per_s > 0 && o->rate_per_s <= 10e6))
        return wasmvs_fail(err, "open loop: rate_per_s: expected 0 < rate <= 1e7, found %g",
                           o->rate_per_s);
    if (o->connections < 1 || o->connections > 10000)
        return wasmvs_fail(err, "open loop: connections: expected 1-10000, found %d",
                           o->connections);
    if (!(o->duration_s > 0 && o->duration_s <= 3600) || !(o->warmup_s >= 0 && o->warmup_s <= 3600))
        return wasmvs_fail(err,
                           "open loop: duration_s/warmup_s: expected 0 < duration <= 3600 and "
                           "0 <= warmup <= 3600, found %g and %g",
                           o->duration_s, o->warmup_s);
    if (!(o->timeout_s >= 0 && o->timeout_s <= 600))
        return wasmvs_fail(err, "open loop: timeout_s: expected 0-600, found %g", o->timeout_s);
    return 0;
}

int load_open_run(const load_open_options *options, load_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    if (open_check_options(options, err) < 0) return -1;
    load_url url;
    if (load_url_parse(options->url, &url, err) < 0) return wasmvs_wrap(err, "open loop");

    open_run run = {.options = options, .result = out};
    run.address.sin_family = AF_INET;
    run.address.sin_port = htons((uint16_t)url.port);
    inet_pton(AF_INET, url.host, &run.address.sin_addr);
    run.request_len =
        (size_t)snprintf(run.request, sizeof run.request, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n",
                         url.path, url.host, url.port);
    out->histogram = malloc(sizeof *out->histogram);
    run.send_delay = malloc(sizeof *run.send_delay);
    run.connections = calloc((size_t)options->connections, sizeof *run.connections);
    run.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (!out->histogram || !run.send_delay || !run.connections || run.epoll_fd < 0) {
        free(run.connections);
        free(run.send_delay);
        if (run.epoll_fd >= 0) close(run.epoll_fd);
        load_result_free(out);
        return wasmvs_fail(err,
                           "open loop: expected memory and an epoll set for %d connections, "
                           "found %s",
                           options->connections, strerror(errno));
    }
    load_histogram_reset(out->histogram);
    load_histogram_reset(run.send_delay);
    snprintf(out->generator, sizeof out->generator, "open-loop");
    out->connections = options->connections;
    out->threads = 1;
    out->target_rate_per_s = options->rate_per_s;
    out->duration_s = options->duration_s;

    uint64_t cpu_start_ns = open_thread_cpu_ns(), wall_start_ns = meter_clock_ns();
    /* Pin to the requested CPU and sharpen timer wake-ups (the default 50 us slack would
     * show up as latency) for the run only; both are restored afterwards. */
    cpu_set_t saved_cpus;
    int pinned = 0;
    if (options->cpu >= 0 && sched_getaffinity(0, sizeof saved_cpus, &saved_cpus) == 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(options->cpu, &one);
        pinned = sched_setaffinity(0, sizeof one, &one) == 0;
    }
    int saved_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0);

    run.period_ns = 1e9 / options->rate_per_s;
    run.timeout_ns = (uint64_t)((options->timeout_s > 0 ? options->timeout_s : 2.0) * 1e9);
    /* Connect everything before the first due time, so connection set-up is not
     * charged to the first requests. */
    uint64_t now = meter_clock_ns();
    run.t0_ns = now + 1000000000ull;
    run.record_ns = run.t0_ns + (uint64_t)(options->warmup_s * 1e9);
    run.end_ns = run.record_ns + (uint64_t)(options->duration_s * 1e9);
    for (int i = 0; i < options->connections; i++) {
        run.connections[i].fd = -1;
        run.connections[i].sequence = (uint64_t)i;
        open_connect(&run, &run.connections[i], now);
    }
    struct epoll_event events[256];
    while ((now = meter_clock_ns()) < run.t0_ns) {
        int pending = 0;
        for (int i = 0; i < options->connections; i++)
            pending += run.connections[i].state == CONN_CONNECTING;
        if (!pending) break;
        int n = epoll_wait(run.epoll_fd, events, 256, (int)((run.t0_ns - now) / 1000000u) + 1);
        for (int i = 0; i < n; i++) {
            open_connection *c = events[i].data.ptr;
            if (c->state == CONN_CONNECTING) open_connected(&run, c, meter_clock_ns());
        }
    }
    /* Start the clock now that connections are up (up to 1 s early). */
    now = meter_clock_ns();
    if (now < run.t0_ns) {
        uint64_t shift = run.t0_ns - now;
        run.t0_ns -= shift;
        run.record_ns -= shift;
        run.end_ns -= shift;
    }
    open_loop(&run);
    out->generator_cpu_ns = open_thread_cpu_ns() - cpu_start_ns;
    out->generator_wall_s = (double)(meter_clock_ns() - wall_start_ns) / 1e9;

    for (int i = 0; i < options->connections; i++)
        if (run.connections[i].fd >= 0) close(run.connections[i].fd);
    free(run.connections);
    close(run.epoll_fd);
    prctl(PR_SET_TIMERSLACK, saved_slack > 0 ? saved_slack : 50000, 0, 0, 0);
    if (pinned) sched_setaffinity(0, sizeof saved_cpus, &saved_cpus);
    open_summarize(&run);
    free(run.send_delay);
    if (cancel_requested()) {
        load_result_free(out);
        return wasmvs_fail(err, "open loop %s: cancelled", options->url);
    }
    return 0;
}

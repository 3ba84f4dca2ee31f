/* openloop.c: open-loop HTTP load at a constant request rate, the way wrk2 measures.
 *
 * Request i of the run is due at t0 + i / rate, whatever happened to earlier requests,
 * and its latency is taken from that intended send time, not from when it could be
 * sent. A server that stalls therefore shows its stall in every request that queued
 * behind it, instead of silently lowering the offered load (coordinated omission).
 * Due times are dealt round-robin to keep-alive connections, each carrying at most one
 * request at a time; a request whose connection is still busy is sent when the
 * connection frees, still measured from its due time. With several generator threads
 * each owns a share of the connections and its own epoll set; the schedule stays one.
 *
 * Built on plain non-blocking sockets and one epoll set per generator thread, not on
 * libcurl's multi interface. Measured on this machine (2 vCPUs, httpd pinned to CPU 0,
 * generator to CPU 1, 64 connections): a libcurl-multi version of this same loop spent
 * about 26 us of CPU per request and fell behind at 40k requests/s (latency grew
 * without bound); this version spends 11-16 us (most of it in the kernel's loopback
 * send path) and held 40k/s with p99 under 6 ms on the same busy machine, and 72k/s
 * with p99 under 0.3 ms when shielded from other work (SCHED_FIFO). libcurl's cost is its
 * per-transfer bookkeeping (re-adding the easy handle, header parsing callbacks, socket-action
 * dispatch, millisecond timers); here a request is one send() and one recv(), and timers have
 * nanosecond resolution (epoll_pwait2). The generator must stay well ahead of the server it
 * measures, so the cheaper one wins. */
#include "load.h"
#include "response.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
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

/* The start line all generator threads cross together: each connects its connections,
 * then the calling thread fixes the schedule for everyone. */
typedef struct open_start {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int connected; /* threads done connecting */
    int go;        /* 1: the times below are final; -1: give up (a thread failed to start) */
    uint64_t t0_ns, record_ns, end_ns;
} open_start;

/* One generator thread: its share of the connections and its own counts. */
typedef struct open_run {
    const load_open_options *options;
    struct sockaddr_in address;
    char request[640];
    size_t request_len;
    int epoll_fd;
    int cpu; /* pin here; -1: don't */
    open_connection *connections;
    int count;        /* connections of this thread */
    double period_ns; /* time between two due times over all connections */
    uint64_t t0_ns;   /* due time of request 0 */
    uint64_t record_ns, end_ns, timeout_ns;
    open_start *start;
    pthread_t thread;
    uint64_t cpu_ns;           /* CPU this thread used */
    load_result *result;       /* this thread's counts: requests, bytes, errors, unsent */
    load_result counts;        /* what result points to */
    load_histogram latency;    /* due -> response of recorded requests */
    load_histogram send_delay; /* due -> send of recorded requests */
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
        load_histogram_record(&run->latency, now - c->due_ns);
        load_histogram_record(&run->send_delay, c->sent_ns - c->due_ns);
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
    for (int i = 0; i < run->count; i++) {
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
    for (int i = 0; i < run->count; i++) {
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

/* epoll_wait with a nanosecond timeout (epoll_pwait2, Linux 5.11). Older kernels get
 * epoll_wait with the timeout rounded down to milliseconds: the loop then wakes early
 * and polls until the due time, which costs CPU but not accuracy. */
static int open_wait(int epoll_fd, struct epoll_event *events, int size, uint64_t wait_ns)
{
    static _Atomic int no_pwait2;
    if (!no_pwait2) {
        struct timespec timeout = {.tv_sec = (time_t)(wait_ns / 1000000000u),
                                   .tv_nsec = (long)(wait_ns % 1000000000u)};
        int n = epoll_pwait2(epoll_fd, events, size, &timeout, NULL);
        if (n >= 0 || errno != ENOSYS) return n;
        no_pwait2 = 1;
    }
    return epoll_wait(epoll_fd, events, size, (int)(wait_ns / 1000000u));
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
        int n = open_wait(run->epoll_fd, events, 256, wake > now ? wake - now : 0);
        now = meter_clock_ns();
        for (int i = 0; i < n; i++)
            open_event(run, events[i].data.ptr, events[i].events, now);
    }
    open_count_unsent(run);
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
    if (o->threads < 0 || o->threads > 256 || o->threads > o->connections)
        return wasmvs_fail(err,
                           "open loop: threads: expected 0-256 and no more than the %d "
                           "connections, found %d",
                           o->connections, o->threads);
    if (!(o->timeout_s >= 0 && o->timeout_s <= 600))
        return wasmvs_fail(err, "open loop: timeout_s: expected 0-600, found %g", o->timeout_s);
    return 0;
}

/* Connects every connection of the thread before the first due time, so connection
 * set-up is not charged to the first requests; waits at most until t0_ns. */
static void open_connect_all(open_run *run)
{
    uint64_t now = meter_clock_ns();
    for (int i = 0; i < run->count; i++)
        open_connect(run, &run->connections[i], now);
    struct epoll_event events[256];
    while ((now = meter_clock_ns()) < run->t0_ns) {
        int pending = 0;
        for (int i = 0; i < run->count; i++)
            pending += run->connections[i].state == CONN_CONNECTING;
        if (!pending) break;
        int n = epoll_wait(run->epoll_fd, events, 256, (int)((run->t0_ns - now) / 1000000u) + 1);
        for (int i = 0; i < n; i++) {
            open_connection *c = events[i].data.ptr;
            if (c->state == CONN_CONNECTING) open_connected(run, c, meter_clock_ns());
        }
    }
}

static void *open_thread(void *argument)
{
    open_run *run = argument;
    if (run->cpu >= 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(run->cpu, &one);
        sched_setaffinity(0, sizeof one, &one);
    }
    /* The default 50 us timer slack would show up as latency. */
    prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0);
    uint64_t cpu_start_ns = open_thread_cpu_ns();
    open_connect_all(run);
    open_start *start = run->start;
    pthread_mutex_lock(&start->lock);
    start->connected++;
    pthread_cond_broadcast(&start->changed);
    while (!start->go)
        pthread_cond_wait(&start->changed, &start->lock);
    int go = start->go;
    run->t0_ns = start->t0_ns;
    run->record_ns = start->record_ns;
    run->end_ns = start->end_ns;
    pthread_mutex_unlock(&start->lock);
    if (go > 0) open_loop(run);
    for (int i = 0; i < run->count; i++)
        if (run->connections[i].fd >= 0) close(run->connections[i].fd);
    run->cpu_ns = open_thread_cpu_ns() - cpu_start_ns;
    return NULL;
}

/* Deals connections round-robin to threads (global index g = thread + j * threads, the
 * first request of connection g being request g) and prepares each thread. */
static int open_prepare(open_run *runs, int threads, const load_open_options *options,
                        const load_url *url, open_start *start)
{
    for (int k = 0; k < threads; k++) {
        open_run *run = &runs[k];
        run->options = options;
        run->address.sin_family = AF_INET;
        run->address.sin_port = htons((uint16_t)url->port);
        inet_pton(AF_INET, url->host, &run->address.sin_addr);
        run->request_len = (size_t)snprintf(run->request, sizeof run->request,
                                            "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n", url->path,
                                            url->host, url->port);
        run->cpu = options->cpu >= 0 ? options->cpu + k : -1;
        run->count = options->connections / threads + (k < options->connections % threads);
        run->period_ns = 1e9 / options->rate_per_s;
        run->timeout_ns = (uint64_t)((options->timeout_s > 0 ? options->timeout_s : 2.0) * 1e9);
        run->t0_ns = start->t0_ns;
        run->record_ns = start->record_ns;
        run->end_ns = start->end_ns;
        run->start = start;
        run->result = &run->counts;
        load_histogram_reset(&run->latency);
        load_histogram_reset(&run->send_delay);
        run->connections = calloc((size_t)run->count, sizeof *run->connections);
        run->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        if (!run->connections || run->epoll_fd < 0) return -1;
        for (int j = 0; j < run->count; j++) {
            run->connections[j].fd = -1;
            run->connections[j].sequence = (uint64_t)(k + j * threads);
        }
    }
    return 0;
}

static void open_release(open_run *runs, int threads)
{
    for (int k = 0; k < threads; k++) {
        free(runs[k].connections);
        if (runs[k].epoll_fd > 0) close(runs[k].epoll_fd);
    }
    free(runs);
}

/* Starts the threads, lets them connect, then starts the clock for all at once (up to
 * 1 s earlier than planned once every connection is up). Returns the threads started. */
static int open_start_threads(open_run *runs, int threads, open_start *start)
{
    int started = 0;
    while (started < threads &&
           pthread_create(&runs[started].thread, NULL, open_thread, &runs[started]) == 0)
        started++;
    pthread_mutex_lock(&start->lock);
    if (started < threads) {
        start->go = -1;
    } else {
        while (start->connected < threads)
            pthread_cond_wait(&start->changed, &start->lock);
        uint64_t now = meter_clock_ns();
        if (now < start->t0_ns) {
            uint64_t shift = start->t0_ns - now;
            start->t0_ns -= shift;
            start->record_ns -= shift;
            start->end_ns -= shift;
        }
        start->go = 1;
    }
    pthread_cond_broadcast(&start->changed);
    pthread_mutex_unlock(&start->lock);
    return started;
}

static void open_sleep_until(uint64_t at_ns)
{
    struct timespec at = {.tv_sec = (time_t)(at_ns / 1000000000u),
                          .tv_nsec = (long)(at_ns % 1000000000u)};
    while (!cancel_requested() &&
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR) {
    }
}

/* While the threads run: the server's CPU over exactly the recorded interval (the
 * clock is meter_clock_ns's, CLOCK_MONOTONIC). */
static int open_measure_server(pid_t pid, const open_start *start, load_result *out,
                               wasmvs_error *err)
{
    if (pid <= 0) return 0;
    uint64_t before, after;
    open_sleep_until(start->record_ns);
    if (load_process_cpu_ns(pid, &before, err) < 0) return -1;
    open_sleep_until(start->end_ns);
    if (load_process_cpu_ns(pid, &after, err) < 0) return -1;
    out->server_cpu_ns = after - before;
    return 0;
}

/* Adds every thread's counts and histograms into out. */
static void open_merge(open_run *runs, int threads, load_result *out, load_histogram *send_delay)
{
    for (int k = 0; k < threads; k++) {
        const load_result *r = &runs[k].counts;
        out->requests += r->requests;
        out->bytes += r->bytes;
        out->unsent += r->unsent;
        out->errors.connect += r->errors.connect;
        out->errors.read += r->errors.read;
        out->errors.write += r->errors.write;
        out->errors.status += r->errors.status;
        out->errors.timeout += r->errors.timeout;
        out->generator_cpu_ns += runs[k].cpu_ns;
        load_histogram_merge(out->histogram, &runs[k].latency);
        load_histogram_merge(send_delay, &runs[k].send_delay);
    }
    out->requests_per_s = out->duration_s > 0 ? (double)out->requests / out->duration_s : 0.0;
    load_latency_of(out->histogram, &out->latency);
    load_latency_of(send_delay, &out->send_delay);
}

int load_open_run(const load_open_options *options, load_result *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    if (open_check_options(options, err) < 0) return -1;
    load_url url;
    if (load_url_parse(options->url, &url, err) < 0) return wasmvs_wrap(err, "open loop");
    int threads = options->threads > 1 ? options->threads : 1;

    uint64_t wall_start_ns = meter_clock_ns();
    open_start start = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
    start.t0_ns = wall_start_ns + 1000000000ull;
    start.record_ns = start.t0_ns + (uint64_t)(options->warmup_s * 1e9);
    start.end_ns = start.record_ns + (uint64_t)(options->duration_s * 1e9);
    open_run *runs = calloc((size_t)threads, sizeof *runs);
    load_histogram *send_delay = malloc(sizeof *send_delay);
    out->histogram = malloc(sizeof *out->histogram);
    if (!runs || !send_delay || !out->histogram ||
        open_prepare(runs, threads, options, &url, &start) < 0) {
        int e = errno;
        if (runs) open_release(runs, threads);
        free(send_delay);
        load_result_free(out);
        return wasmvs_fail(err,
                           "open loop: expected memory and epoll sets for %d connections, "
                           "found %s",
                           options->connections, strerror(e));
    }
    load_histogram_reset(out->histogram);
    load_histogram_reset(send_delay);
    snprintf(out->generator, sizeof out->generator, "open-loop");
    out->connections = options->connections;
    out->threads = threads;
    out->target_rate_per_s = options->rate_per_s;
    out->duration_s = options->duration_s;

    int started = open_start_threads(runs, threads, &start);
    int server_rc =
        started == threads ? open_measure_server(options->server_pid, &start, out, err) : 0;
    for (int k = 0; k < started; k++)
        pthread_join(runs[k].thread, NULL);
    out->generator_wall_s = (double)(meter_clock_ns() - wall_start_ns) / 1e9;
    open_merge(runs, started, out, send_delay);
    open_release(runs, threads);
    free(send_delay);
    if (started < threads) {
        load_result_free(out);
        return wasmvs_fail(err, "open loop: expected %d generator threads, started only %d",
                           threads, started);
    }
    if (cancel_requested()) {
        load_result_free(out);
        return wasmvs_fail(err, "open loop %s: cancelled", options->url);
    }
    if (server_rc < 0) {
        load_result_free(out);
        return wasmvs_wrap(err, "open loop %s: server", options->url);
    }
    return 0;
}

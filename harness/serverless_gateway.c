/* serverless_gateway.c: the serverless front end (see serverless_gateway.h): the forked
 * process's life (serve_open, the epoll loop over the listening socket, the keep-alive
 * connections and the command pipe), HTTP/1.1 request framing, one fresh instance per
 * request through the target, and the statistics the harness snapshots. */
#include "serverless_gateway.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"
#include "meters/clock.h"
#include "meters/taskstats.h"

#define GATEWAY_HEAD_MAX 8192       /* a longer head is answered 431 */
#define GATEWAY_BODY_MAX (1u << 20) /* a longer body is answered 413 */
#define GATEWAY_INPUT_MAX (GATEWAY_HEAD_MAX + GATEWAY_BODY_MAX)
#define GATEWAY_EVENTS 64

/* The start-up answer, one write smaller than PIPE_BUF. */
typedef struct gateway_ready {
    int ok;
    char message[252];
} gateway_ready;

typedef struct gateway_connection {
    int fd;
    char *in; /* GATEWAY_INPUT_MAX bytes, allocated on the first read */
    size_t in_length;
    char *out;
    size_t out_length, out_sent, out_capacity;
    int close_after; /* close once out is sent */
} gateway_connection;

/* The front end's own state, in the forked process. */
typedef struct gateway {
    target *t;
    const workload_invocation *w;
    double instance_timeout_s;
    int epoll_fd, listen_fd, commands, replies;
    serverless_stats stats, *shared;
    uint64_t reset_at_ns, cpu_at_reset_ns, children_cpu_at_reset_ns;
    target_outcome outcome; /* the last run_once's, whose output a request points into */
    int quit;
} gateway;

/* ---- statistics ---- */

static uint64_t gateway_cpu_ns(int who)
{
    struct rusage usage;
    if (getrusage(who, &usage) != 0) return 0;
    return (uint64_t)usage.ru_utime.tv_sec * 1000000000u +
           (uint64_t)usage.ru_utime.tv_usec * 1000u +
           (uint64_t)usage.ru_stime.tv_sec * 1000000000u + (uint64_t)usage.ru_stime.tv_usec * 1000u;
}

static void gateway_stats_reset(gateway *g)
{
    memset(&g->stats, 0, sizeof g->stats);
    load_histogram_reset(&g->stats.instance);
    load_histogram_reset(&g->stats.instantiate);
    load_histogram_reset(&g->stats.request);
    g->reset_at_ns = meter_clock_ns();
    g->cpu_at_reset_ns = gateway_cpu_ns(RUSAGE_SELF);
    g->children_cpu_at_reset_ns = gateway_cpu_ns(RUSAGE_CHILDREN);
}

static void gateway_stats_snapshot(gateway *g)
{
    g->stats.elapsed_ns = meter_clock_ns() - g->reset_at_ns;
    g->stats.cpu_ns = gateway_cpu_ns(RUSAGE_SELF) - g->cpu_at_reset_ns;
    g->stats.children_cpu_ns = gateway_cpu_ns(RUSAGE_CHILDREN) - g->children_cpu_at_reset_ns;
    memcpy(g->shared, &g->stats, sizeof *g->shared);
}

/* ---- one request, one fresh instance ---- */

/* What a run_once sample tells of its instance's start: a process's exec, a container's
 * create, attach and start. 0 when it tells nothing. */
static uint64_t gateway_outcome_instantiate_ns(const target_outcome *o)
{
    json_t *exec = json_object_get(o->metrics, "exec_ns");
    if (json_is_integer(exec)) return (uint64_t)json_integer_value(exec);
    json_t *started = json_object_get(o->phases, "start_ns");
    if (!json_is_integer(started)) return 0;
    return (uint64_t)(json_integer_value(started) +
                      json_integer_value(json_object_get(o->phases, "create_ns")) +
                      json_integer_value(json_object_get(o->phases, "attach_ns")));
}

/* The request as one run_once sample of the target: a process or a container per request,
 * with the request's input as the workload's stdin. */
static int gateway_run_once(gateway *g, target_request *r, wasmvs_error *err)
{
    workload_invocation invocation = *g->w; /* borrows the arguments; never freed */
    invocation.stdin_data = (char *)r->input;
    invocation.stdin_length = r->input_length;
    target_outcome_free(&g->outcome);
    if (g->t->ops->run_once(g->t, &invocation, g->instance_timeout_s, &g->outcome, err) != 0)
        return -1;
    r->exited = g->outcome.exited;
    r->exit_code = g->outcome.exit_code;
    snprintf(r->how, sizeof r->how, "%s", g->outcome.how);
    r->out = g->outcome.out ? g->outcome.out : "";
    r->out_length = strlen(r->out);
    r->instantiate_ns = gateway_outcome_instantiate_ns(&g->outcome);
    return 0;
}

/* Runs the request on a fresh instance; fills status 200 or 500 and the body. */
static void gateway_invoke(gateway *g, const char *body, size_t body_length, int *status,
                           const char **answer, size_t *answer_length, char *why, size_t why_size)
{
    int own_input = body_length > 0; /* the client's: judged by exit code alone */
    target_request r = {.input = own_input ? body : g->w->stdin_data,
                        .input_length = own_input ? body_length : g->w->stdin_length};
    wasmvs_error err = {{0}};
    uint64_t started = meter_clock_ns();
    int served =
        g->t->ops->serve ? g->t->ops->serve(g->t, &r, &err) : gateway_run_once(g, &r, &err);
    uint64_t instance_ns = meter_clock_ns() - started;
    *status = 500;
    if (served != 0)
        snprintf(why, why_size, "no instance: %.300s", err.message);
    else if (!r.exited)
        snprintf(why, why_size, "the instance did not exit normally: %s", r.how);
    else if (own_input ? r.exit_code == 0
                       : workload_check(g->w, r.exit_code, r.out, why, why_size) == 0)
        *status = 200;
    else if (own_input)
        snprintf(why, why_size, "the instance exited with %d", r.exit_code);
    if (served == 0) {
        load_histogram_record(&g->stats.instance, instance_ns);
        if (r.instantiate_ns) load_histogram_record(&g->stats.instantiate, r.instantiate_ns);
    }
    if (*status == 200) {
        *answer = r.out;
        *answer_length = r.out_length;
        return;
    }
    g->stats.failures++;
    snprintf(g->stats.last_failure, sizeof g->stats.last_failure, "%.255s", why);
    *answer = why;
    *answer_length = strlen(why);
}

/* ---- connections ---- */

static int gateway_append(gateway_connection *c, const char *data, size_t length)
{
    if (c->out_length + length > c->out_capacity) {
        size_t capacity = c->out_capacity ? c->out_capacity : 1024;
        while (capacity < c->out_length + length)
            capacity *= 2;
        char *grown = realloc(c->out, capacity);
        if (!grown) return -1;
        c->out = grown;
        c->out_capacity = capacity;
    }
    memcpy(c->out + c->out_length, data, length);
    c->out_length += length;
    return 0;
}

static void gateway_respond(gateway_connection *c, int status, const char *body, size_t length)
{
    const char *reason = status == 200   ? "OK"
                         : status == 400 ? "Bad Request"
                         : status == 413 ? "Content Too Large"
                         : status == 431 ? "Request Header Fields Too Large"
                                         : "Internal Server Error";
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n", status,
                     reason, status == 200 ? "application/json" : "text/plain", length,
                     c->close_after ? "Connection: close\r\n" : "");
    if (gateway_append(c, head, (size_t)n) != 0 || gateway_append(c, body, length) != 0)
        c->close_after = 1;
}

/* The value of header `name` in head (case-insensitive), or NULL; *length its length. */
static const char *gateway_header(const char *head, size_t head_length, const char *name,
                                  size_t *length)
{
    size_t name_length = strlen(name);
    const char *end = head + head_length;
    for (const char *line = memchr(head, '\n', head_length); line && line + 1 < end;
         line = memchr(line + 1, '\n', (size_t)(end - line - 1))) {
        const char *at = line + 1;
        if ((size_t)(end - at) > name_length && strncasecmp(at, name, name_length) == 0 &&
            at[name_length] == ':') {
            at += name_length + 1;
            while (at < end && (*at == ' ' || *at == '\t'))
                at++;
            const char *stop = at;
            while (stop < end && *stop != '\r' && *stop != '\n')
                stop++;
            *length = (size_t)(stop - at);
            return at;
        }
    }
    return NULL;
}

/* Serves every complete request in c's input; one that cannot be read is answered with
 * its error and the connection closed after it. */
static void gateway_serve_input(gateway *g, gateway_connection *c)
{
    while (c->in_length > 0 && !c->close_after) {
        const char *end = memmem(c->in, c->in_length, "\r\n\r\n", 4);
        if (!end) {
            if (c->in_length < GATEWAY_HEAD_MAX) return; /* wait for more */
            c->close_after = 1;
            const char *why = "request head over 8 KiB";
            gateway_respond(c, 431, why, strlen(why));
            return;
        }
        uint64_t started = meter_clock_ns();
        size_t head_length = (size_t)(end - c->in) + 4;
        const char *space = memchr(c->in, ' ', head_length);
        const char *version =
            space ? memmem(space, head_length - (size_t)(space - c->in), " HTTP/1.", 8) : NULL;
        if (!space || space == c->in || !version) {
            c->close_after = 1;
            const char *why = "expected a request line METHOD TARGET HTTP/1.x";
            gateway_respond(c, 400, why, strlen(why));
            return;
        }
        size_t value_length = 0;
        const char *value = gateway_header(c->in, head_length, "Content-Length", &value_length);
        unsigned long body_length = value ? strtoul(value, NULL, 10) : 0;
        if (body_length > GATEWAY_BODY_MAX) {
            c->close_after = 1;
            const char *why = "request body over 1 MiB";
            gateway_respond(c, 413, why, strlen(why));
            return;
        }
        if (c->in_length < head_length + body_length) return; /* the body is on its way */
        value = gateway_header(c->in, head_length, "Connection", &value_length);
        if ((value && value_length == 5 && strncasecmp(value, "close", 5) == 0) ||
            (version[8] == '0' && !(value && strncasecmp(value, "keep-alive", 10) == 0)))
            c->close_after = 1;
        int status;
        const char *answer;
        size_t answer_length;
        char why[400];
        gateway_invoke(g, c->in + head_length, body_length, &status, &answer, &answer_length, why,
                       sizeof why);
        gateway_respond(c, status, answer, answer_length);
        g->stats.requests++;
        size_t used = head_length + body_length;
        memmove(c->in, c->in + used, c->in_length - used);
        c->in_length -= used;
        load_histogram_record(&g->stats.request, meter_clock_ns() - started);
    }
}

static void gateway_close(gateway *g, gateway_connection *c)
{
    epoll_ctl(g->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

/* Writes what c has pending; -1 when the connection is done with. */
static int gateway_flush(gateway *g, gateway_connection *c)
{
    while (c->out_sent < c->out_length) {
        ssize_t n = send(c->fd, c->out + c->out_sent, c->out_length - c->out_sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->out_sent += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
            epoll_ctl(g->epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
            return 0;
        }
        return -1;
    }
    c->out_length = c->out_sent = 0;
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(g->epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
    return c->close_after ? -1 : 0;
}

static void gateway_on_connection(gateway *g, gateway_connection *c, uint32_t events)
{
    if (events & EPOLLIN) {
        if (!c->in && !(c->in = malloc(GATEWAY_INPUT_MAX))) {
            gateway_close(g, c);
            return;
        }
        for (;;) {
            if (c->in_length == GATEWAY_INPUT_MAX) break;
            ssize_t n = recv(c->fd, c->in + c->in_length, GATEWAY_INPUT_MAX - c->in_length, 0);
            if (n > 0) {
                c->in_length += (size_t)n;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EAGAIN) break;
            gateway_close(g, c); /* closed by the client, or reset */
            return;
        }
        gateway_serve_input(g, c);
    }
    if (gateway_flush(g, c) != 0) gateway_close(g, c);
}

static void gateway_accept(gateway *g)
{
    for (;;) {
        int fd = accept4(g->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return; /* EAGAIN, or a connection gone before we took it */
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        gateway_connection *c = calloc(1, sizeof *c);
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        if (!c || epoll_ctl(g->epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
            free(c);
            close(fd);
            continue;
        }
        c->fd = fd;
    }
}

static void gateway_on_command(gateway *g)
{
    char command;
    ssize_t n = read(g->commands, &command, 1);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        g->quit = 1; /* the harness is gone */
        return;
    }
    if (n != 1) return;
    if (command == 'q') {
        g->quit = 1;
        return;
    }
    if (command == 'r') gateway_stats_reset(g);
    if (command == 's') gateway_stats_snapshot(g);
    if (write(g->replies, &command, 1) != 1) g->quit = 1;
}

/* ---- the process ---- */

static const char gateway_listen_tag, gateway_command_tag; /* epoll data for the two fds */

/* The front end's whole life; never returns. */
static void gateway_main(gateway *g)
{
    gateway_ready ready = {0};
    wasmvs_error err = {{0}};
    /* a fork of wasmvs launches its own processes: no perf counters, no exit reports
       read from the parent's socket (process.c then keeps rusage) */
    g->t->counts_perf = false;
    meter_taskstats_detach();
    g->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event listen_event = {.events = EPOLLIN, .data.ptr = (void *)&gateway_listen_tag};
    struct epoll_event command_event = {.events = EPOLLIN,
                                        .data.ptr = (void *)&gateway_command_tag};
    if (g->epoll_fd < 0 || epoll_ctl(g->epoll_fd, EPOLL_CTL_ADD, g->listen_fd, &listen_event) ||
        epoll_ctl(g->epoll_fd, EPOLL_CTL_ADD, g->commands, &command_event)) {
        snprintf(ready.message, sizeof ready.message, "epoll: %s", strerror(errno));
    } else if (g->t->ops->serve_open && g->t->ops->serve_open(g->t, g->w, &err) != 0) {
        snprintf(ready.message, sizeof ready.message, "%.250s", err.message);
    } else {
        ready.ok = 1;
    }
    if (write(g->replies, &ready, sizeof ready) != (ssize_t)sizeof ready || !ready.ok) _exit(1);
    gateway_stats_reset(g);
    struct epoll_event events[GATEWAY_EVENTS];
    while (!g->quit) {
        int n = epoll_wait(g->epoll_fd, events, GATEWAY_EVENTS, -1);
        for (int i = 0; i < n && !g->quit; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &gateway_listen_tag)
                gateway_accept(g);
            else if (tag == &gateway_command_tag)
                gateway_on_command(g);
            else
                gateway_on_connection(g, tag, events[i].events);
        }
        if (n < 0 && errno != EINTR) break;
    }
    _exit(0); /* the kernel frees the instances' engine and the connections at once */
}

/* A listening socket on 127.0.0.1 at a free port. */
static int gateway_listen(int *port, wasmvs_error *err)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return wasmvs_fail(err, "serverless front end: socket: %s", strerror(errno));
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 4096) != 0 ||
        getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
        int saved = errno;
        close(fd);
        return wasmvs_fail(err, "serverless front end: listening on 127.0.0.1: %s",
                           strerror(saved));
    }
    *port = ntohs(address.sin_port);
    return fd;
}

/* What the child needs besides its pipes. */
typedef struct gateway_start {
    target *t;
    const workload_invocation *w;
    double instance_timeout_s;
    int listen_fd;
    serverless_stats *shared;
} gateway_start;

static void gateway_run(void *context, int commands, int replies)
{
    const gateway_start *start = context;
    gateway g = {.t = start->t,
                 .w = start->w,
                 .instance_timeout_s = start->instance_timeout_s,
                 .listen_fd = start->listen_fd,
                 .commands = commands,
                 .replies = replies,
                 .shared = start->shared};
    gateway_main(&g);
}

int serverless_gateway_start(target *t, const workload_invocation *w, double timeout_s,
                             double instance_timeout_s, serverless_gateway *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    helper_init(&out->process);
    out->shared =
        mmap(NULL, sizeof *out->shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (out->shared == MAP_FAILED) {
        out->shared = NULL;
        return wasmvs_fail(err, "serverless front end: shared memory: %s", strerror(errno));
    }
    gateway_start start = {t, w, instance_timeout_s, gateway_listen(&out->port, err), out->shared};
    if (start.listen_fd < 0) {
        serverless_gateway_stop(out, 0);
        return -1;
    }
    uint64_t forked = meter_clock_ns();
    int started = helper_start(&out->process, gateway_run, &start, err);
    close(start.listen_fd); /* the front end's now */
    if (started != 0) {
        serverless_gateway_stop(out, 0);
        return wasmvs_wrap(err, "serverless front end");
    }
    gateway_ready ready;
    if (helper_read(&out->process, &ready, sizeof ready, timeout_s, "serverless front end", err) !=
        0) {
        serverless_gateway_stop(out, 0);
        return -1;
    }
    if (!ready.ok) {
        serverless_gateway_stop(out, 0);
        return wasmvs_fail(err, "serverless front end: %s", ready.message);
    }
    out->ready_ns = meter_clock_ns() - forked;
    return 0;
}

/* Sends one command and waits for its echo. */
static int gateway_command(serverless_gateway *g, char command, double timeout_s, wasmvs_error *err)
{
    if (g->process.pid <= 0) return wasmvs_fail(err, "serverless front end: not running");
    if (write(g->process.command_fd, &command, 1) != 1)
        return wasmvs_fail(err, "serverless front end: cannot send a command: %s", strerror(errno));
    char echo;
    return helper_read(&g->process, &echo, 1, timeout_s, "serverless front end", err);
}

int serverless_gateway_reset(serverless_gateway *g, double timeout_s, wasmvs_error *err)
{
    return gateway_command(g, 'r', timeout_s, err);
}

int serverless_gateway_snapshot(serverless_gateway *g, double timeout_s, wasmvs_error *err)
{
    return gateway_command(g, 's', timeout_s, err);
}

void serverless_gateway_stop(serverless_gateway *g, double grace_s)
{
    if (g->process.pid > 0 && write(g->process.command_fd, "q", 1) == 1) {
        uint64_t deadline = meter_clock_ns() + (uint64_t)(grace_s * 1e9);
        while (waitpid(g->process.pid, NULL, WNOHANG) == 0 && meter_clock_ns() < deadline)
            usleep(2000);
    }
    helper_end(&g->process); /* gone already, or killed now with what it launched */
    if (g->shared) munmap(g->shared, sizeof *g->shared);
    g->shared = NULL;
}

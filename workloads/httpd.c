/* httpd: the HTTP workload. A minimal single-threaded HTTP/1.1 server with keep-alive
 * and pipelining that answers `GET /` with a small fixed body, 404 for any other
 * well-formed request and 400 for garbage.
 *
 * The request parser and the response code are shared; only the event loop differs:
 *   native:        epoll (level-triggered) over non-blocking sockets. Listens on the
 *                  ADDR:PORT given in argv (port 0 picks a free one), or uses an
 *                  inherited listening socket (LISTEN_FDS=1 -> fd 3, or --fd N).
 *   wasm32-wasi:   the listening socket handed in by the embedder (the first socket fd
 *                  after the preopened directories, or --fd N), accept4 -> sock_accept,
 *                  recv/send -> sock_recv/sock_send, poll -> poll_oneoff.
 * Prints "listening on ADDR:PORT" (or "listening on fd N" under WASI) and "ready" on
 * stdout once it accepts connections. SIGTERM/SIGINT end it cleanly, also as PID 1 in a
 * container, where default signal actions do not apply. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTPD_MAX_CONNECTIONS 1024
#define HTTPD_IN_SIZE 8192
#define HTTPD_OUT_SIZE 16384
/* Longest response we ever write; processing pauses while less room than this is left. */
#define HTTPD_RESPONSE_MAX 256
/* A request body larger than this is refused (the server never needs one). */
#define HTTPD_BODY_MAX (1u << 20)

static const char httpd_body[] = "Hello from wasmvs httpd\n";

typedef struct httpd_connection {
    int fd;
    int slot;            /* index in httpd_connections, for O(1) removal */
    int close_when_sent; /* set after a response that announced "Connection: close" */
    int draining;        /* that response is sent: discard input until the peer closes */
    size_t in_len;
    size_t body_skip; /* bytes of a request body still to be discarded */
    size_t out_len, out_sent;
    char in[HTTPD_IN_SIZE];
    char out[HTTPD_OUT_SIZE];
} httpd_connection;

static httpd_connection *httpd_connections[HTTPD_MAX_CONNECTIONS];
static int httpd_connection_count;

/* ---- request parsing and responses (shared by both event loops) ---- */

typedef struct httpd_request {
    int is_get, is_head, target_is_root, keep_alive;
    size_t content_length;
} httpd_request;

enum { HTTPD_PARSE_OK, HTTPD_PARSE_INCOMPLETE, HTTPD_PARSE_BAD, HTTPD_PARSE_TOO_LARGE };

static int httpd_is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int httpd_equals_nocase(const char *a, size_t a_len, const char *b)
{
    size_t b_len = strlen(b);
    if (a_len != b_len) return 0;
    for (size_t i = 0; i < a_len; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}

/* Does the comma-separated header value contain the token (case-insensitive)? */
static int httpd_value_has_token(const char *value, size_t len, const char *token)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (value[i] == ' ' || value[i] == '\t' || value[i] == ','))
            i++;
        size_t start = i;
        while (i < len && value[i] != ',' && value[i] != ' ' && value[i] != '\t')
            i++;
        if (i > start && httpd_equals_nocase(value + start, i - start, token)) return 1;
    }
    return 0;
}

/* Finds the end of the next line in [p, end): returns the length of the line without
 * its "\r\n" or "\n", and sets *next to the byte after it; -1 when no full line yet. */
static long httpd_line(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return -1;
    *next = nl + 1;
    long len = nl - p;
    if (len > 0 && p[len - 1] == '\r') len--;
    return len;
}

static int httpd_parse_request_line(const char *line, long len, httpd_request *req)
{
    long i = 0;
    while (i < len && httpd_is_token_char(line[i]))
        i++;
    long method_len = i;
    if (method_len == 0 || i >= len || line[i] != ' ') return HTTPD_PARSE_BAD;
    long target = ++i;
    while (i < len && line[i] > ' ' && line[i] < 127)
        i++;
    long target_len = i - target;
    if (target_len == 0 || i >= len || line[i] != ' ') return HTTPD_PARSE_BAD;
    i++;
    if (len - i != 8 || memcmp(line + i, "HTTP/1.", 7) != 0 ||
        (line[i + 7] != '0' && line[i + 7] != '1'))
        return HTTPD_PARSE_BAD;
    req->keep_alive = line[i + 7] == '1'; /* HTTP/1.0 closes unless asked to keep alive */
    req->is_get = method_len == 3 && memcmp(line, "GET", 3) == 0;
    req->is_head = method_len == 4 && memcmp(line, "HEAD", 4) == 0;
    const char *path = line + target;
    req->target_is_root = path[0] == '/' && (target_len == 1 || path[1] == '?');
    return HTTPD_PARSE_OK;
}

static int httpd_parse_header(const char *line, long len, httpd_request *req)
{
    long i = 0;
    while (i < len && httpd_is_token_char(line[i]))
        i++;
    long name_len = i;
    if (name_len == 0 || i >= len || line[i] != ':') return HTTPD_PARSE_BAD;
    i++;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    const char *value = line + i;
    long value_len = len - i;
    while (value_len > 0 && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
        value_len--;
    if (httpd_equals_nocase(line, (size_t)name_len, "content-length")) {
        if (value_len == 0) return HTTPD_PARSE_BAD;
        size_t n = 0;
        for (long k = 0; k < value_len; k++) {
            if (value[k] < '0' || value[k] > '9') return HTTPD_PARSE_BAD;
            n = n * 10 + (size_t)(value[k] - '0');
            if (n > HTTPD_BODY_MAX) return HTTPD_PARSE_TOO_LARGE;
        }
        req->content_length = n;
    } else if (httpd_equals_nocase(line, (size_t)name_len, "transfer-encoding")) {
        return HTTPD_PARSE_BAD; /* chunked bodies are not needed by any client we serve */
    } else if (httpd_equals_nocase(line, (size_t)name_len, "connection")) {
        if (httpd_value_has_token(value, (size_t)value_len, "close")) req->keep_alive = 0;
        if (httpd_value_has_token(value, (size_t)value_len, "keep-alive")) req->keep_alive = 1;
    }
    return HTTPD_PARSE_OK;
}

/* Parses one request head from buf[0..len). On HTTPD_PARSE_OK *consumed is its size. */
static int httpd_parse_request(const char *buf, size_t len, httpd_request *req, size_t *consumed)
{
    const char *p = buf, *end = buf + len, *next;
    memset(req, 0, sizeof *req);
    long line_len;
    /* RFC 9112 2.2: ignore empty lines before the request line. */
    while ((line_len = httpd_line(p, end, &next)) == 0)
        p = next;
    if (line_len < 0) return len >= HTTPD_IN_SIZE ? HTTPD_PARSE_TOO_LARGE : HTTPD_PARSE_INCOMPLETE;
    int status = httpd_parse_request_line(p, line_len, req);
    if (status != HTTPD_PARSE_OK) return status;
    p = next;
    for (;;) {
        line_len = httpd_line(p, end, &next);
        if (line_len < 0)
            return len >= HTTPD_IN_SIZE ? HTTPD_PARSE_TOO_LARGE : HTTPD_PARSE_INCOMPLETE;
        if (line_len == 0) break;
        status = httpd_parse_header(p, line_len, req);
        if (status != HTTPD_PARSE_OK) return status;
        p = next;
    }
    *consumed = (size_t)(next - buf);
    return HTTPD_PARSE_OK;
}

/* Appends one response to the connection's output buffer. */
static void httpd_respond(httpd_connection *c, const char *status, int with_body, int keep_alive)
{
    const char *body = status[0] == '2' ? httpd_body : status;
    size_t body_len = status[0] == '2' ? sizeof httpd_body - 1 : strlen(status);
    int n =
        snprintf(c->out + c->out_len, HTTPD_OUT_SIZE - c->out_len,
                 "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n", status,
                 body_len + (status[0] == '2' ? 0 : 1), keep_alive ? "" : "Connection: close\r\n");
    c->out_len += (size_t)n;
    if (with_body) {
        memcpy(c->out + c->out_len, body, body_len);
        c->out_len += body_len;
        if (status[0] != '2') c->out[c->out_len++] = '\n';
    }
    if (!keep_alive) c->close_when_sent = 1;
}

/* Answers every complete request in the input buffer while the output has room. */
static void httpd_process_input(httpd_connection *c)
{
    size_t pos = 0;
    while (!c->close_when_sent && HTTPD_OUT_SIZE - c->out_len >= HTTPD_RESPONSE_MAX) {
        if (c->body_skip) {
            size_t skip = c->in_len - pos < c->body_skip ? c->in_len - pos : c->body_skip;
            pos += skip;
            c->body_skip -= skip;
            if (c->body_skip) break;
        }
        httpd_request req;
        size_t consumed = 0;
        int status = httpd_parse_request(c->in + pos, c->in_len - pos, &req, &consumed);
        if (status == HTTPD_PARSE_INCOMPLETE) break;
        if (status == HTTPD_PARSE_BAD) {
            httpd_respond(c, "400 Bad Request", 1, 0);
            pos = c->in_len;
            break;
        }
        if (status == HTTPD_PARSE_TOO_LARGE) {
            httpd_respond(c, "431 Request Header Fields Too Large", 1, 0);
            pos = c->in_len;
            break;
        }
        pos += consumed;
        c->body_skip = req.content_length;
        int found = (req.is_get || req.is_head) && req.target_is_root;
        httpd_respond(c, found ? "200 OK" : "404 Not Found", !req.is_head, req.keep_alive);
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
}

/* Sends buffered output. Returns -1 when the connection is gone, else 0. */
static int httpd_flush(httpd_connection *c)
{
    while (c->out_sent < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
            return -1;
        }
        c->out_sent += (size_t)n;
    }
    c->out_len = c->out_sent = 0;
    return 0;
}

static int httpd_wants_write(const httpd_connection *c)
{
    return c->out_sent < c->out_len;
}

/* After the last response of a closing connection: half-close and drain instead of
 * close(), because closing with unread input makes the kernel send a reset that can
 * destroy the response before the client reads it (RFC 9112 9.6). */
static int httpd_after_flush(httpd_connection *c)
{
    if (c->close_when_sent && !httpd_wants_write(c) && !c->draining) {
        shutdown(c->fd, SHUT_WR);
        c->draining = 1;
    }
    return 0;
}

/* Answers and sends until the input holds no complete request or the peer stops
 * taking output. Answering stops whenever the output buffer is nearly full, and no
 * readiness event would ever report the requests still waiting in the input buffer, so
 * this must go round until one of those two is true. */
static int httpd_answer(httpd_connection *c)
{
    for (;;) {
        size_t before = c->in_len;
        httpd_process_input(c);
        if (httpd_flush(c) < 0) return -1;
        if (httpd_wants_write(c) || c->close_when_sent || c->in_len == before) break;
    }
    return httpd_after_flush(c);
}

/* Reads once, answers. Returns -1 when the connection should be closed. */
static int httpd_on_readable(httpd_connection *c)
{
    if (c->draining) c->in_len = 0;
    ssize_t n;
    do {
        n = recv(c->fd, c->in + c->in_len, HTTPD_IN_SIZE - c->in_len, 0);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return -1;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    if (c->draining) return 0;
    c->in_len += (size_t)n;
    return httpd_answer(c);
}

/* Output had been blocked: send it, then answer what waited behind it. */
static int httpd_on_writable(httpd_connection *c)
{
    if (httpd_flush(c) < 0) return -1;
    return httpd_wants_write(c) ? 0 : httpd_answer(c);
}

static httpd_connection *httpd_connection_open(int fd)
{
    if (httpd_connection_count == HTTPD_MAX_CONNECTIONS) return NULL;
    httpd_connection *c = malloc(sizeof *c);
    if (!c) return NULL;
    c->fd = fd;
    c->close_when_sent = c->draining = 0;
    c->in_len = c->body_skip = c->out_len = c->out_sent = 0;
    c->slot = httpd_connection_count;
    httpd_connections[httpd_connection_count++] = c;
    return c;
}

static void httpd_connection_close(httpd_connection *c)
{
    close(c->fd);
    httpd_connection *last = httpd_connections[--httpd_connection_count];
    httpd_connections[c->slot] = last;
    last->slot = c->slot;
    free(c);
}

/* Accepts one pending connection; returns it, or NULL when none is left (or on error). */
static httpd_connection *httpd_accept(int listen_fd)
{
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    int fd = accept4(listen_fd, (struct sockaddr *)&peer, &peer_len, SOCK_NONBLOCK);
    if (fd < 0) return NULL;
    httpd_connection *c = httpd_connection_open(fd);
    if (!c) close(fd); /* over the limit: refuse rather than stall everyone */
    return c;
}

static void httpd_announce(const char *where)
{
    printf("listening on %s\nready\n", where);
    fflush(stdout);
}

static int httpd_parse_fd(const char *text)
{
    char *end;
    long fd = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || fd < 0 || fd > 65535) return -1;
    return (int)fd;
}

#ifndef __wasi__
/* ---- native: bind or inherit, then epoll ---- */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>

static volatile sig_atomic_t httpd_stop_requested;

static void httpd_on_signal(int sig)
{
    (void)sig;
    httpd_stop_requested = 1;
}

/* Binds and listens on "ADDR:PORT" (or "PORT", meaning 127.0.0.1). */
static int httpd_listen_on(const char *spec)
{
    char addr[64] = "127.0.0.1";
    const char *colon = strrchr(spec, ':');
    const char *port_text = spec;
    if (colon) {
        size_t len = (size_t)(colon - spec);
        if (len == 0 || len >= sizeof addr) {
            fprintf(stderr, "httpd: listen address \"%s\": expected ADDR:PORT\n", spec);
            return -1;
        }
        memcpy(addr, spec, len);
        addr[len] = '\0';
        port_text = colon + 1;
    }
    char *end;
    long port = strtol(port_text, &end, 10);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (*port_text == '\0' || *end != '\0' || port < 0 || port > 65535) {
        fprintf(stderr, "httpd: listen address \"%s\": expected a port 0-65535, found \"%s\"\n",
                spec, port_text);
        return -1;
    }
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
        fprintf(stderr, "httpd: listen address \"%s\": expected an IPv4 address, found \"%s\"\n",
                spec, addr);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "httpd: socket: %s\n", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0) {
        fprintf(stderr, "httpd: bind %s:%ld: %s%s\n", addr, port, strerror(errno),
                errno == EADDRINUSE
                    ? " (another process listens there; pick another port, or 0 for a free one)"
                    : "");
        close(fd);
        return -1;
    }
    if (listen(fd, 1024) < 0) {
        fprintf(stderr, "httpd: listen %s:%ld: %s\n", addr, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int httpd_serve(int listen_fd)
{
    struct sockaddr_in bound;
    socklen_t bound_len = sizeof bound;
    char where[80] = "inherited socket";
    if (getsockname(listen_fd, (struct sockaddr *)&bound, &bound_len) == 0 &&
        bound.sin_family == AF_INET) {
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &bound.sin_addr, ip, sizeof ip);
        snprintf(where, sizeof where, "%s:%u", ip, ntohs(bound.sin_port));
    }
    fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        fprintf(stderr, "httpd: epoll_create1: %s\n", strerror(errno));
        return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
        fprintf(stderr, "httpd: epoll_ctl on the listening socket: %s\n", strerror(errno));
        return 1;
    }
    /* SIGTERM/SIGINT are blocked except inside epoll_pwait, so a stop request can never
     * slip in between checking the flag and going to sleep. */
    sigset_t stop_signals, wait_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask);
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);

    httpd_announce(where);
    struct epoll_event events[256];
    while (!httpd_stop_requested) {
        int n = epoll_pwait(ep, events, 256, -1, &wait_mask);
        if (n < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "httpd: epoll_pwait: %s\n", strerror(errno));
            return 1;
        }
        for (int i = 0; i < n; i++) {
            httpd_connection *c = events[i].data.ptr;
            if (!c) {
                while ((c = httpd_accept(listen_fd)) != NULL) {
                    int one = 1;
                    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &cev) < 0) httpd_connection_close(c);
                }
                continue;
            }
            int was_writing = httpd_wants_write(c);
            int rc;
            if (events[i].events & (EPOLLERR | EPOLLHUP))
                rc = -1;
            else if (was_writing)
                rc = (events[i].events & EPOLLOUT) ? httpd_on_writable(c) : 0;
            else
                rc = httpd_on_readable(c);
            if (rc < 0) {
                httpd_connection_close(c); /* close() also removes it from the epoll set */
                continue;
            }
            if (httpd_wants_write(c) != was_writing) {
                /* While output is blocked, stop reading: the peer must drain first. */
                struct epoll_event cev = {.events = httpd_wants_write(c) ? EPOLLOUT : EPOLLIN,
                                          .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &cev);
            }
        }
    }
    while (httpd_connection_count > 0)
        httpd_connection_close(httpd_connections[0]);
    close(ep);
    close(listen_fd);
    return 0;
}

int main(int argc, char **argv)
{
    struct sigaction sa = {.sa_handler = httpd_on_signal}; /* no SA_RESTART: wake the loop */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a peer that vanished is an error code, not a death */
    /* Room for HTTPD_MAX_CONNECTIONS sockets: the usual soft limit of 1024 fds is less
     * than that plus stdio, the listener and epoll. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    int listen_fd = -1;
    const char *listen_fds = getenv("LISTEN_FDS");
    if (argc == 3 && strcmp(argv[1], "--fd") == 0) {
        if ((listen_fd = httpd_parse_fd(argv[2])) < 0) {
            fprintf(stderr, "httpd: --fd: expected a file descriptor number, found \"%s\"\n",
                    argv[2]);
            return 2;
        }
    } else if (argc == 2 && argv[1][0] != '-') {
        if ((listen_fd = httpd_listen_on(argv[1])) < 0) return 2;
    } else if (argc == 1 && listen_fds && atoi(listen_fds) >= 1) {
        listen_fd = 3; /* systemd's LISTEN_FDS convention: the first passed fd is 3 */
    } else {
        fprintf(stderr, "usage: httpd ADDR:PORT | httpd --fd N | LISTEN_FDS=1 httpd\n"
                        "  (port 0 picks a free port; the chosen one is printed)\n");
        return 2;
    }
    int type = 0;
    socklen_t type_len = sizeof type;
    if (getsockopt(listen_fd, SOL_SOCKET, SO_TYPE, &type, &type_len) < 0 || type != SOCK_STREAM) {
        fprintf(stderr, "httpd: fd %d: expected a listening stream socket, found %s\n", listen_fd,
                errno == EBADF ? "no open fd" : "another kind of file");
        return 2;
    }
    return httpd_serve(listen_fd);
}

#else
/* ---- wasm32-wasi: the embedder's socket, poll() over poll_oneoff ---- */
#include <poll.h>
#include <wasi/api.h>

/* The embedder places its listening socket right after the preopened directories. */
static int httpd_find_listen_fd(void)
{
    for (int fd = 3; fd < 64; fd++) {
        __wasi_fdstat_t stat;
        __wasi_errno_t err = __wasi_fd_fdstat_get((__wasi_fd_t)fd, &stat);
        if (err == __WASI_ERRNO_BADF) return -1;
        if (err == 0 && stat.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM) return fd;
    }
    return -1;
}

static struct pollfd httpd_pollfds[HTTPD_MAX_CONNECTIONS + 1];

static int httpd_serve(int listen_fd)
{
    char where[32];
    snprintf(where, sizeof where, "fd %d", listen_fd);
    /* A non-blocking listener lets one wake-up accept every pending connection; if the
     * host refuses, accept exactly one per readiness report, which never blocks either. */
    int accept_all = fcntl(listen_fd, F_SETFL, O_NONBLOCK) == 0;
    httpd_announce(where);
    for (;;) { /* the host ends the instance */
        int n = httpd_connection_count;
        for (int i = 0; i < n; i++) {
            httpd_pollfds[i].fd = httpd_connections[i]->fd;
            httpd_pollfds[i].events = httpd_wants_write(httpd_connections[i]) ? POLLOUT : POLLIN;
            httpd_pollfds[i].revents = 0;
        }
        httpd_pollfds[n] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        int ready = poll(httpd_pollfds, (nfds_t)n + 1, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "httpd: poll: %s\n", strerror(errno));
            return 1;
        }
        /* Walk backwards: closing swaps the last connection into the freed slot, and
         * every slot above i has been handled already. */
        for (int i = n - 1; i >= 0; i--) {
            short revents = httpd_pollfds[i].revents;
            if (!revents) continue;
            httpd_connection *c = httpd_connections[i];
            int rc;
            if (revents & (POLLERR | POLLNVAL))
                rc = -1;
            else if (httpd_wants_write(c))
                rc = (revents & (POLLOUT | POLLHUP)) ? httpd_on_writable(c) : 0;
            else
                rc = httpd_on_readable(c);
            if (rc < 0) httpd_connection_close(c);
        }
        if (httpd_pollfds[n].revents & POLLIN) {
            while (httpd_accept(listen_fd) && accept_all) {
            }
        }
    }
}

int main(int argc, char **argv)
{
    int listen_fd;
    if (argc == 3 && strcmp(argv[1], "--fd") == 0) {
        listen_fd = httpd_parse_fd(argv[2]);
        if (listen_fd < 0) {
            fprintf(stderr, "httpd: --fd: expected a file descriptor number, found \"%s\"\n",
                    argv[2]);
            return 2;
        }
    } else if (argc == 1) {
        listen_fd = httpd_find_listen_fd();
        if (listen_fd < 0) {
            fprintf(stderr, "httpd: expected a listening socket from the host (e.g. wasmrt run "
                            "--listen 127.0.0.1:8080), found none among fds 3-63\n");
            return 2;
        }
    } else {
        fprintf(stderr, "usage: httpd [--fd N]   (WASI cannot bind: the host hands in the "
                        "listening socket)\n");
        return 2;
    }
    return httpd_serve(listen_fd);
}
#endif

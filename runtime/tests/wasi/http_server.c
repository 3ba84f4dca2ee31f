/* http_server: a small HTTP/1.1 keep-alive server for the `--listen` test. It serves
 * on the listening socket the runtime hands over: fd argv[1], default 3 (the first fd
 * when no directories are preopened), multiplexing connections with poll() (poll_oneoff) and using accept(),
 * recv() and send() (sock_accept, sock_recv, sock_send).
 *   GET /      -> 200 "hello from wasm\n"
 *   GET /quit  -> 200 "bye\n", then the server exits 0 once the reply is sent
 *   GET /close -> 200 "closing\n", then shutdown() (sock_shutdown) ends the connection
 *   otherwise  -> 404 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define BUF_SIZE 8192

typedef struct client {
    int fd;
    size_t used;
    char buf[BUF_SIZE];
} client;

static client clients[MAX_CLIENTS];
static int quitting, closing;

static int send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, 0);
        if (n < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            poll(&p, 1, 1000);
            continue;
        }
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int respond(int fd, const char *request)
{
    const char *status = "404 Not Found", *body = "not found\n";
    if (strncmp(request, "GET / ", 6) == 0) {
        status = "200 OK";
        body = "hello from wasm\n";
    } else if (strncmp(request, "GET /close ", 11) == 0) {
        status = "200 OK";
        body = "closing\n";
        closing = 1;
    } else if (strncmp(request, "GET /quit ", 10) == 0) {
        status = "200 OK";
        body = "bye\n";
        quitting = 1;
    }
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
                     status, strlen(body), body);
    return send_all(fd, head, (size_t)n);
}

/* Answers every complete request in the buffer; -1 when the connection should close. */
static int serve(client *c)
{
    ssize_t n = recv(c->fd, c->buf + c->used, BUF_SIZE - 1 - c->used, 0);
    if (n < 0 && errno == EAGAIN) return 0;
    if (n <= 0) return -1;
    c->used += (size_t)n;
    c->buf[c->used] = '\0';
    char *end;
    while ((end = strstr(c->buf, "\r\n\r\n"))) {
        *end = '\0';
        if (respond(c->fd, c->buf) != 0) return -1;
        if (closing) {
            closing = 0;
            if (shutdown(c->fd, SHUT_RDWR) != 0) perror("http_server: shutdown failed");
            return -1;
        }
        size_t consumed = (size_t)(end + 4 - c->buf);
        memmove(c->buf, end + 4, c->used - consumed + 1);
        c->used -= consumed;
    }
    return c->used == BUF_SIZE - 1 ? -1 : 0; /* a request too large: drop it */
}

static int listen_fd = 3;

int main(int argc, char **argv)
{
    if (argc > 1) listen_fd = atoi(argv[1]);
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    fprintf(stderr, "http_server: serving on fd %d\n", listen_fd);
    while (!quitting) {
        struct pollfd fds[MAX_CLIENTS + 1];
        int owner[MAX_CLIENTS + 1];
        int nfds = 0;
        fds[nfds].fd = listen_fd;
        fds[nfds].events = POLLIN;
        owner[nfds++] = -1;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            if (clients[i].fd < 0) continue;
            fds[nfds].fd = clients[i].fd;
            fds[nfds].events = POLLIN;
            owner[nfds++] = i;
        }
        if (poll(fds, (nfds_t)nfds, -1) < 0) {
            perror("http_server: poll");
            return 1;
        }
        for (int k = 1; k < nfds; k++) {
            if (!fds[k].revents) continue;
            client *c = &clients[owner[k]];
            if (serve(c) != 0) {
                close(c->fd);
                c->fd = -1;
            }
        }
        if (fds[0].revents & POLLIN) {
            int fd = accept(listen_fd, NULL, NULL);
            if (fd < 0) {
                perror("http_server: accept");
                return 1;
            }
            int slot = 0;
            while (slot < MAX_CLIENTS && clients[slot].fd >= 0)
                slot++;
            if (slot == MAX_CLIENTS) {
                close(fd);
                continue;
            }
            clients[slot].fd = fd;
            clients[slot].used = 0;
        }
    }
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd >= 0) close(clients[i].fd);
    fprintf(stderr, "http_server: quit\n");
    return 0;
}

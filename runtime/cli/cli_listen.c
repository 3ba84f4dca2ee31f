/* cli_listen.c: a listening TCP socket from "ADDR:PORT", for a guest that serves
 * (WASI cannot bind: the embedder binds and hands the guest the socket). Used by
 * `wasmrt run --listen` and by the OCI runtime (WASMRT_LISTEN). */
#include "cli.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int cli_listen(const char *spec, int *chosen_port, char *why, size_t why_size)
{
    char host[128];
    const char *colon = strrchr(spec, ':');
    size_t host_len = colon ? (size_t)(colon - spec) : 0;
    if (!colon || host_len == 0 || host_len >= sizeof host) goto bad;
    memcpy(host, spec, host_len);
    host[host_len] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || end == colon + 1 || port < 0 || port > 65535) goto bad;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    memset(&addr, 0, sizeof addr);
    if (host[0] == '[' && host[host_len - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&addr;
        host[host_len - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1) goto bad;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        addr_len = sizeof *a6;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&addr;
        if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
        if (inet_pton(AF_INET, host, &a4->sin_addr) != 1) goto bad;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        addr_len = sizeof *a4;
    }
    int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&addr, addr_len) != 0 || listen(fd, 1024) != 0) {
        snprintf(why, why_size, "%s: %s", spec, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    *chosen_port = 0;
    if (port == 0) {
        struct sockaddr_storage bound;
        socklen_t bound_len = sizeof bound;
        getsockname(fd, (struct sockaddr *)&bound, &bound_len);
        *chosen_port = bound.ss_family == AF_INET6
                           ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port)
                           : ntohs(((struct sockaddr_in *)&bound)->sin_port);
    }
    return fd;
bad:
    snprintf(why, why_size, "expected ADDR:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), found '%s'",
             spec);
    return -1;
}

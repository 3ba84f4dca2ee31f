/* probe.c: the guest of the OCI runtime's tests, one module with a mode per behaviour
 * a test checks (argv[1]): hello, echo (stdin to stdout), exit N, trap, sleep (prints
 * "ready", then waits until it is killed), env, args, ls DIR, cat FILE, write FILE,
 * serve (answers one HTTP request on the socket the runtime passed in). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

extern char **environ;

/* The runtime's listening socket: the first stream socket after the preopens. */
static int probe_listen_fd(void)
{
    for (int fd = 3; fd < 64; fd++) {
        __wasi_fdstat_t stat;
        __wasi_errno_t err = __wasi_fd_fdstat_get((__wasi_fd_t)fd, &stat);
        if (err == __WASI_ERRNO_BADF) return -1;
        if (err == 0 && stat.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM) return fd;
    }
    return -1;
}

static int probe_serve(void)
{
    int listener = probe_listen_fd();
    if (listener < 0) {
        fprintf(stderr, "probe: no listening socket\n");
        return 3;
    }
    printf("ready\n");
    fflush(stdout);
    __wasi_fd_t connection;
    while (__wasi_sock_accept((__wasi_fd_t)listener, 0, &connection) != 0)
        ;
    char request[1024];
    size_t got = 0;
    __wasi_iovec_t in = {(uint8_t *)request, sizeof request};
    __wasi_roflags_t flags;
    if (__wasi_sock_recv(connection, &in, 1, 0, &got, &flags) != 0) return 4;
    static const char answer[] = "HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nwasm!\n";
    __wasi_ciovec_t out = {(const uint8_t *)answer, sizeof answer - 1};
    size_t sent;
    if (__wasi_sock_send(connection, &out, 1, 0, &sent) != 0) return 4;
    return __wasi_fd_close(connection) == 0 ? 0 : 4;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "hello";
    if (strcmp(mode, "hello") == 0) {
        printf("hello from wasm\n");
    } else if (strcmp(mode, "echo") == 0) {
        int c;
        while ((c = getchar()) != EOF)
            putchar(c);
    } else if (strcmp(mode, "exit") == 0) {
        return argc > 2 ? atoi(argv[2]) : 0;
    } else if (strcmp(mode, "trap") == 0) {
        __builtin_trap();
    } else if (strcmp(mode, "sleep") == 0) {
        printf("ready\n");
        fflush(stdout);
        for (;;)
            sleep(3600);
    } else if (strcmp(mode, "env") == 0) {
        for (char **e = environ; *e; e++)
            printf("%s\n", *e);
    } else if (strcmp(mode, "args") == 0) {
        for (int i = 0; i < argc; i++)
            printf("%s\n", argv[i]);
    } else if (strcmp(mode, "ls") == 0 && argc > 2) {
        DIR *dir = opendir(argv[2]);
        if (!dir) {
            perror(argv[2]);
            return 2;
        }
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL)
            if (entry->d_name[0] != '.') printf("%s\n", entry->d_name);
        closedir(dir);
    } else if (strcmp(mode, "cat") == 0 && argc > 2) {
        FILE *file = fopen(argv[2], "r");
        if (!file) {
            perror(argv[2]);
            return 2;
        }
        int c;
        while ((c = fgetc(file)) != EOF)
            putchar(c);
        fclose(file);
    } else if (strcmp(mode, "write") == 0 && argc > 2) {
        FILE *file = fopen(argv[2], "w");
        if (!file) {
            perror(argv[2]);
            return 2;
        }
        fputs("written by wasm\n", file);
        return fclose(file) == 0 ? 0 : 2;
    } else if (strcmp(mode, "serve") == 0) {
        return probe_serve();
    } else {
        fprintf(stderr, "probe: unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}

/* console.c: the container's terminal (see console.h). */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "rootfs.h"

int oci_console_connect(const char *path, oci_error *err)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path)
        return oci_fail(err, "--console-socket %s: expected a socket path of at most %zu bytes",
                        path, sizeof address.sun_path - 1);
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return oci_fail(err, "--console-socket %s: cannot connect: %s", path, strerror(saved));
    }
    return fd;
}

/* Sends fd over the socket with SCM_RIGHTS, named as runc names it. */
static int oci_console_send(int socket_fd, int fd, oci_error *err)
{
    char name[] = "/dev/ptmx";
    struct iovec data = {.iov_base = name, .iov_len = sizeof name - 1};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &data,
                             .msg_iovlen = 1,
                             .msg_control = control.buffer,
                             .msg_controllen = sizeof control.buffer};
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof fd);
    if (sendmsg(socket_fd, &message, MSG_NOSIGNAL) < 0)
        return oci_fail(err, "--console-socket: cannot send the terminal: %s", strerror(errno));
    return 0;
}

int oci_console_create(const oci_spec *spec, int root_fd, int socket_fd, oci_error *err)
{
    /* the container's devpts instance when it mounts one, else the host's */
    struct open_how how = {.flags = O_RDWR | O_NOCTTY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
    int master = (int)syscall(SYS_openat2, root_fd, "/dev/pts/ptmx", &how, sizeof how);
    if (master < 0) master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return oci_fail(err, "terminal: cannot open a ptmx: %s", strerror(errno));
    int unlock = 0, peer = -1;
    if (ioctl(master, TIOCSPTLCK, &unlock) != 0 ||
        (peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
        int saved = errno;
        close(master);
        return oci_fail(err, "terminal: cannot open its peer: %s", strerror(saved));
    }
    if (spec->console_height && spec->console_width) {
        struct winsize size = {.ws_row = (unsigned short)spec->console_height,
                               .ws_col = (unsigned short)spec->console_width};
        ioctl(master, TIOCSWINSZ, &size);
    }
    int status = 0;
    int console = oci_rootfs_open(root_fd, "/dev/console", 1, 1, err);
    char from[64], to[64];
    snprintf(from, sizeof from, "/proc/self/fd/%d", peer);
    snprintf(to, sizeof to, "/proc/self/fd/%d", console);
    if (console < 0)
        status = -1;
    else if (mount(from, to, NULL, MS_BIND, NULL) != 0)
        status = oci_fail(err, "terminal: bind on /dev/console: %s", strerror(errno));
    if (console >= 0) close(console);
    if (status == 0) status = oci_console_send(socket_fd, master, err);
    close(master);
    if (status != 0) {
        close(peer);
        return -1;
    }
    return peer;
}

int oci_console_attach(int peer, oci_error *err)
{
    if (setsid() < 0 && errno != EPERM)
        return oci_fail(err, "terminal: setsid: %s", strerror(errno));
    if (ioctl(peer, TIOCSCTTY, 0) != 0)
        return oci_fail(err, "terminal: cannot make it the controlling terminal: %s",
                        strerror(errno));
    for (int fd = 0; fd < 3; fd++)
        if (dup2(peer, fd) != fd)
            return oci_fail(err, "terminal: dup2 onto %d: %s", fd, strerror(errno));
    if (peer > 2) close(peer);
    return 0;
}

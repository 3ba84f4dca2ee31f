/* taskstats.c: exit reports over generic netlink (see taskstats.h). One socket per
 * harness process, registered for the exits of every task on every CPU: the kernel
 * sends a report for each, so a search skips other tasks' and a large receive buffer
 * keeps a busy machine from dropping ours. */
#include "taskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int taskstats_fd = -1;
static int taskstats_state; /* 0 not tried, 1 ready, -1 unavailable */

typedef struct taskstats_request {
    struct nlmsghdr header;
    struct genlmsghdr genl;
    char attributes[256];
} taskstats_request;

static void *taskstats_attr_data(struct nlattr *a)
{
    return (char *)a + NLA_HDRLEN;
}

/* The attribute at *at when a whole one lies before end, moving *at past it. */
static struct nlattr *taskstats_attr_next(char **at, char *end)
{
    struct nlattr *a = (struct nlattr *)*at;
    if (*at + NLA_HDRLEN > end || a->nla_len < NLA_HDRLEN || *at + a->nla_len > end) return NULL;
    *at += NLA_ALIGN(a->nla_len);
    return a;
}

/* Sends one generic netlink command carrying one attribute. */
static bool taskstats_send(uint16_t family, uint8_t command, uint16_t type, const void *data,
                           size_t length)
{
    taskstats_request request;
    memset(&request, 0, sizeof request);
    if (NLA_HDRLEN + length > sizeof request.attributes) return false;
    request.header.nlmsg_type = family;
    request.header.nlmsg_flags = NLM_F_REQUEST;
    request.genl.cmd = command;
    request.genl.version = 1;
    struct nlattr *a = (struct nlattr *)request.attributes;
    a->nla_type = type;
    a->nla_len = (uint16_t)(NLA_HDRLEN + length);
    memcpy(taskstats_attr_data(a), data, length);
    request.header.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    return sendto(taskstats_fd, &request, request.header.nlmsg_len, 0,
                  (struct sockaddr *)&kernel, sizeof kernel) == (ssize_t)request.header.nlmsg_len;
}

/* The generic netlink family id of "TASKSTATS", 0 when the kernel has none. */
static uint16_t taskstats_family(void)
{
    if (!taskstats_send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME,
                        TASKSTATS_GENL_NAME, sizeof TASKSTATS_GENL_NAME))
        return 0;
    union {
        struct nlmsghdr header;
        char bytes[4096];
    } reply;
    ssize_t n = recv(taskstats_fd, &reply, sizeof reply, 0);
    if (n < (ssize_t)NLMSG_LENGTH(GENL_HDRLEN) || reply.header.nlmsg_type == NLMSG_ERROR ||
        !NLMSG_OK(&reply.header, (size_t)n))
        return 0;
    char *at = (char *)NLMSG_DATA(&reply.header) + GENL_HDRLEN;
    char *end = (char *)&reply.header + reply.header.nlmsg_len;
    for (struct nlattr *a; (a = taskstats_attr_next(&at, end)) != NULL;)
        if (a->nla_type == CTRL_ATTR_FAMILY_ID && a->nla_len >= NLA_HDRLEN + 2) {
            uint16_t id;
            memcpy(&id, taskstats_attr_data(a), 2);
            return id;
        }
    return 0;
}

bool meter_taskstats_ready(void)
{
    if (taskstats_state) return taskstats_state > 0;
    taskstats_state = -1;
    taskstats_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (taskstats_fd < 0) return false;
    struct sockaddr_nl self = {.nl_family = AF_NETLINK};
    int buffer = 8 << 20;
    if (setsockopt(taskstats_fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0)
        setsockopt(taskstats_fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    uint16_t family = 0;
    char cpus[32];
    long count = sysconf(_SC_NPROCESSORS_CONF);
    snprintf(cpus, sizeof cpus, "0-%ld", count > 0 ? count - 1 : 0);
    if (bind(taskstats_fd, (struct sockaddr *)&self, sizeof self) != 0 ||
        (family = taskstats_family()) == 0 ||
        !taskstats_send(family, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, cpus,
                        strlen(cpus) + 1)) {
        close(taskstats_fd);
        taskstats_fd = -1;
        return false;
    }
    fcntl(taskstats_fd, F_SETFL, O_NONBLOCK);
    taskstats_state = 1;
    return true;
}

void meter_taskstats_drain(void)
{
    if (taskstats_state <= 0) return;
    char buffer[16384];
    while (recv(taskstats_fd, buffer, sizeof buffer, 0) > 0 || errno == ENOBUFS) {
    }
}

/* The report inside one TASKSTATS_TYPE_AGGR_PID attribute, when it is pid's. */
static bool taskstats_match(struct nlattr *aggregate, pid_t pid, uint64_t *kib)
{
    char *at = (char *)taskstats_attr_data(aggregate);
    char *end = (char *)aggregate + aggregate->nla_len;
    bool ours = false;
    for (struct nlattr *a; (a = taskstats_attr_next(&at, end)) != NULL;) {
        if (a->nla_type == TASKSTATS_TYPE_PID && a->nla_len >= NLA_HDRLEN + 4) {
            uint32_t got;
            memcpy(&got, taskstats_attr_data(a), 4);
            ours = got == (uint32_t)pid;
        } else if (a->nla_type == TASKSTATS_TYPE_STATS && ours &&
                   a->nla_len >= NLA_HDRLEN + offsetof(struct taskstats, hiwater_vm)) {
            struct taskstats stats;
            size_t length = a->nla_len - NLA_HDRLEN;
            memset(&stats, 0, sizeof stats);
            memcpy(&stats, taskstats_attr_data(a), length < sizeof stats ? length : sizeof stats);
            *kib = stats.hiwater_rss;
            return true;
        }
    }
    return false;
}

bool meter_taskstats_peak_rss(pid_t pid, uint64_t *kib)
{
    if (taskstats_state <= 0) return false;
    union {
        struct nlmsghdr header;
        char bytes[16384];
    } buffer;
    for (;;) {
        ssize_t n = recv(taskstats_fd, &buffer, sizeof buffer, 0);
        if (n < 0 && errno == ENOBUFS) continue; /* some reports were dropped: go on */
        if (n <= 0) return false;
        for (struct nlmsghdr *h = &buffer.header; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) continue;
            char *at = (char *)NLMSG_DATA(h) + GENL_HDRLEN;
            char *end = (char *)h + h->nlmsg_len;
            for (struct nlattr *a; (a = taskstats_attr_next(&at, end)) != NULL;)
                if (a->nla_type == TASKSTATS_TYPE_AGGR_PID && taskstats_match(a, pid, kib))
                    return true;
        }
    }
}

void meter_taskstats_detach(void)
{
    if (taskstats_fd >= 0) close(taskstats_fd);
    taskstats_fd = -1;
    taskstats_state = -1;
}

uint64_t meter_taskstats_self_peak_rss(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) return 0;
    char line[256];
    unsigned long long kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %llu kB", &kib) == 1) break;
    fclose(f);
    return kib;
}

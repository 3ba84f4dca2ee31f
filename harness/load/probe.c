/* probe.c: readiness of a server under test. load_probe_first_ok polls a URL with
 * libcurl until the first `200 OK`, for "cold start to first response"; between
 * attempts it asks the caller whether the server is still alive, so a server that died
 * fails the probe at once instead of after the whole timeout. Also the CPU a running
 * server has used (for a load run's window, where wait4's rusage would only come at its
 * exit) and a free-port finder for servers the harness launches. */
#include "load.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../cancel.h"
#include "../meters/clock.h"

static size_t probe_discard(char *data, size_t size, size_t count, void *context)
{
    (void)data;
    (void)context;
    return size * count;
}

static void probe_sleep(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds,
                          .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

struct load_probe {
    CURL *curl;
    char url[1024];
};

load_probe *load_probe_new(const char *url, wasmvs_error *err)
{
    if (!url || strlen(url) >= sizeof((load_probe *)0)->url) {
        wasmvs_fail(err, "probe: expected a URL under 1 KiB, found %s",
                    url ? "a longer one" : "none");
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        wasmvs_fail(err, "probe %s: curl_global_init failed", url);
        return NULL;
    }
    load_probe *p = calloc(1, sizeof *p);
    if (p) p->curl = curl_easy_init();
    if (!p || !p->curl) {
        free(p);
        curl_global_cleanup();
        wasmvs_fail(err, "probe %s: expected a libcurl handle, found none (out of memory)", url);
        return NULL;
    }
    strcpy(p->url, url);
    curl_easy_setopt(p->curl, CURLOPT_URL, p->url);
    curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(p->curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(p->curl, CURLOPT_NOPROXY, "*"); /* loopback: never through a proxy */
    curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, probe_discard);
    return p;
}

void load_probe_free(load_probe *p)
{
    if (!p) return;
    curl_easy_cleanup(p->curl);
    free(p);
    curl_global_cleanup();
}

int load_probe_first_ok(load_probe *p, const load_probe_options *o, uint64_t *elapsed_ns,
                        wasmvs_error *err)
{
    if (!(o->timeout_s > 0))
        return wasmvs_fail(err, "probe %s: expected a timeout > 0, found %g s", p->url,
                           o->timeout_s);
    double interval = o->interval_s > 0 ? o->interval_s : 200e-6;
    uint64_t deadline = o->start_ns + (uint64_t)(o->timeout_s * 1e9);
    char last[CURL_ERROR_SIZE + 64] = "no attempt made";
    int attempts = 0;
    for (;;) {
        if (cancel_requested())
            return wasmvs_fail(err, "probe %s: cancelled after %d attempts", p->url, attempts);
        if (o->alive && !o->alive(o->alive_context))
            return wasmvs_fail(err,
                               "probe %s: expected the server to answer, found it exited after "
                               "%d attempts (last: %s)",
                               p->url, attempts, last);
        uint64_t now = meter_clock_ns();
        if (now >= deadline)
            return wasmvs_fail(err,
                               "probe %s: expected 200 OK within %g s, found none after %d "
                               "attempts (last: %s)",
                               p->url, o->timeout_s, attempts, last);
        /* An attempt never outlives the deadline: a server that accepts but never
         * answers must not hold the probe. */
        long remaining_ms = (long)((deadline - now) / 1000000u) + 1;
        curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, remaining_ms);
        curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT_MS, remaining_ms);
        attempts++;
        CURLcode res = curl_easy_perform(p->curl);
        uint64_t answered = meter_clock_ns();
        long status = 0;
        if (res == CURLE_OK) curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &status);
        if (res == CURLE_OK && status == 200) {
            *elapsed_ns = answered > o->start_ns ? answered - o->start_ns : 0;
            return 0;
        }
        if (res != CURLE_OK)
            snprintf(last, sizeof last, "%s", curl_easy_strerror(res));
        else
            snprintf(last, sizeof last, "HTTP status %ld", status);
        probe_sleep(interval);
    }
}

int load_process_cpu_ns(pid_t pid, uint64_t *cpu_ns, wasmvs_error *err)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return wasmvs_fail(err, "%s: expected a running process, found %s", path, strerror(errno));
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    /* Fields after the command name, which may hold spaces and parentheses: the last ')'
     * ends it. utime and stime are fields 14 and 15, in clock ticks. */
    const char *rest = strrchr(text, ')');
    unsigned long long utime, stime;
    if (!rest || sscanf(rest + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                        &stime) != 2)
        return wasmvs_fail(err, "%s: expected utime and stime in fields 14 and 15, found \"%.80s\"",
                           path, text);
    long ticks = sysconf(_SC_CLK_TCK);
    *cpu_ns = (utime + stime) * (1000000000ull / (unsigned long long)(ticks > 0 ? ticks : 100));
    return 0;
}

int load_free_port(int *port, wasmvs_error *err)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return wasmvs_fail(err, "free port: socket: %s", strerror(errno));
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sin;
    if (bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
        int e = errno;
        close(fd);
        return wasmvs_fail(err, "free port: expected to bind 127.0.0.1:0, found %s", strerror(e));
    }
    close(fd);
    *port = ntohs(sin.sin_port);
    return 0;
}

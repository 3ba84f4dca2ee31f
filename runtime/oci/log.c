/* log.c: the runtime's log (see log.h). Lines are written with one write() each, so
 * the processes of one create (the runtime and the container's init before it starts
 * the module) can share the file without tearing each other's lines. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int oci_log_file = -1;
static int oci_log_json;
static int oci_log_debug_on;

int oci_log_open(const char *path, const char *format, int debug, oci_error *err)
{
    oci_log_debug_on = debug;
    if (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0)
        return oci_fail(err, "--log-format: expected json or text, found \"%s\"", format);
    oci_log_json = format && strcmp(format, "json") == 0;
    if (!path || !*path) return 0;
    oci_log_file = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (oci_log_file < 0)
        return oci_fail(err, "--log %s: cannot open for appending: %s", path, strerror(errno));
    return 0;
}

static int oci_log_closed;

void oci_log_close(void)
{
    if (oci_log_file >= 0) close(oci_log_file);
    oci_log_file = -1;
    oci_log_closed = 1;
}

int oci_log_debugging(void)
{
    return oci_log_debug_on;
}

/* RFC 3339 with nanoseconds, UTC, as logrus writes it. */
void oci_time_now(char *out, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char seconds[32];
    strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(out, size, "%s.%09ldZ", seconds, now.tv_nsec);
}

static void oci_log_write(int fd, const char *text, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, text, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text += n;
        length -= (size_t)n;
    }
}

static void oci_log_line(const char *level, const char *message)
{
    if (oci_log_file < 0) return;
    char when[64];
    oci_time_now(when, sizeof when);
    if (oci_log_json) {
        json_t *line = json_pack("{s:s, s:s, s:s}", "level", level, "msg", message, "time", when);
        char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(line);
        if (!text) return;
        size_t length = strlen(text);
        text[length] = '\n'; /* json_dumps's NUL becomes the line's end */
        oci_log_write(oci_log_file, text, length + 1);
        free(text);
        return;
    }
    char line[1400];
    int length = snprintf(line, sizeof line, "time=\"%s\" level=%s msg=\"", when, level);
    for (const char *p = message; *p && length < (int)sizeof line - 3; p++) {
        if (*p == '"' || *p == '\\') line[length++] = '\\';
        line[length++] = *p == '\n' ? ' ' : *p;
    }
    line[length++] = '"';
    line[length++] = '\n';
    oci_log_write(oci_log_file, line, (size_t)length);
}

static void oci_log_message(const char *level, int to_stderr, const char *fmt, va_list ap)
{
    if (oci_log_closed) return;
    char message[1100];
    vsnprintf(message, sizeof message, fmt, ap);
    oci_log_line(level, message);
    if (to_stderr || oci_log_file < 0) {
        char line[1200];
        int length = strcmp(level, "error") == 0
                         ? snprintf(line, sizeof line, "wasmrt-oci: %s\n", message)
                         : snprintf(line, sizeof line, "wasmrt-oci: %s: %s\n", level, message);
        if (length > (int)sizeof line - 1) length = (int)sizeof line - 1;
        oci_log_write(2, line, (size_t)length);
    }
}

void oci_log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    oci_log_message("error", 1, fmt, ap);
    va_end(ap);
}

void oci_log_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    oci_log_message("warning", 0, fmt, ap);
    va_end(ap);
}

void oci_log_debug(const char *fmt, ...)
{
    if (!oci_log_debug_on) return;
    va_list ap;
    va_start(ap, fmt);
    oci_log_message("debug", 0, fmt, ap);
    va_end(ap);
}

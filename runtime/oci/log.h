/* log.h: what the runtime says, and where. runc's convention, which containerd-shim and
 * Docker rely on: --log FILE receives every message (--log-format json: one object per
 * line with "level", "msg" and "time", from which the shim takes the last error for its
 * "OCI runtime create failed: ..."; text: logrus-style key=value lines), and an error is
 * printed on stderr as well. Without --log, messages go to stderr only. Debug messages
 * (--debug) carry the timings of each step of a create. */
#ifndef OCI_LOG_H
#define OCI_LOG_H

#include <stddef.h>

#include "error.h"

/* Opens the log (path NULL: stderr only); format "json" or "text" (NULL: text). */
int oci_log_open(const char *path, const char *format, int debug, oci_error *err);

/* An error: to the log and to stderr ("wasmrt-oci: message"). */
void oci_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning: to the log, or stderr without one. */
void oci_log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with --debug: to the log, or stderr without one. */
void oci_log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int oci_log_debugging(void);

/* The current time as RFC 3339 with nanoseconds, UTC (the log's and the state's). */
void oci_time_now(char *out, size_t size);

/* Closes the log; messages after it are dropped (the container's init closes it before
 * it becomes the container's process: its stderr is the container's). */
void oci_log_close(void);

#endif

/* error.c: formatting of wasmvs_error messages. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int wasmvs_fail(wasmvs_error *err, const char *fmt, ...)
{
    if (!err) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

int wasmvs_wrap(wasmvs_error *err, const char *fmt, ...)
{
    if (!err) return -1;
    char prefix[512], old[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    /* Built piecewise: the joined text may be longer than the message and is cut. */
    size_t used = strnlen(prefix, sizeof prefix - 1);
    if (used > sizeof err->message - 3) used = sizeof err->message - 3;
    memcpy(err->message, prefix, used);
    memcpy(err->message + used, ": ", 2);
    used += 2;
    size_t rest = strnlen(old, sizeof old - 1);
    if (rest > sizeof err->message - 1 - used) rest = sizeof err->message - 1 - used;
    memcpy(err->message + used, old, rest);
    err->message[used + rest] = '\0';
    return -1;
}

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
    snprintf(err->message, sizeof err->message, "%s: %s", prefix, old);
    return -1;
}

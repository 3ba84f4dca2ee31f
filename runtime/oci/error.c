/* error.c: formatting of oci_error messages. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int oci_fail(oci_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int oci_wrap(oci_error *err, const char *fmt, ...)
{
    if (!err) return -1;
    char context[sizeof err->message], joined[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(context, sizeof context, fmt, ap);
    va_end(ap);
    /* the joined text may not fit: it is cut at the end, where the detail is least */
    size_t used = strlen(context);
    memcpy(joined, context, used);
    if (used < sizeof joined - 2) {
        memcpy(joined + used, ": ", 2);
        used += 2;
    }
    size_t rest = strnlen(err->message, sizeof err->message);
    if (rest > sizeof joined - 1 - used) rest = sizeof joined - 1 - used;
    memcpy(joined + used, err->message, rest);
    joined[used + rest] = '\0';
    memcpy(err->message, joined, sizeof joined);
    return -1;
}

/* error.h: the harness's error value. A function that can fail returns -1 (or a
 * status) and fills the caller's wasmvs_error with one message that names the file,
 * field or object, what was expected and what was found. No exit() below main. */
#ifndef WASMVS_ERROR_H
#define WASMVS_ERROR_H

#include <stddef.h>

typedef struct wasmvs_error {
    char message[1024];
} wasmvs_error;

/* Formats the message into err (if not NULL) and returns -1, so callers can write
 * `return wasmvs_fail(err, "%s: expected ..., found ...", path, ...);`. */
int wasmvs_fail(wasmvs_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the existing message ("context: message") and returns -1. */
int wasmvs_wrap(wasmvs_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

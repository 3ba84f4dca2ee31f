/* error.h: the OCI runtime's error value. A function that can fail returns -1 and fills
 * the caller's oci_error with one message naming the container, file or field, what was
 * expected and what was found; main prints it and writes it to the log, where
 * containerd-shim reads it back for Docker's "OCI runtime create failed: ...". */
#ifndef OCI_ERROR_H
#define OCI_ERROR_H

typedef struct oci_error {
    char message[1024];
} oci_error;

/* Formats the message into err (if not NULL); returns -1 for `return oci_fail(...)`. */
int oci_fail(oci_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Puts "context: " before the message already in err; returns -1. */
int oci_wrap(oci_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

/* helper.h: a helper process forked from wasmvs that works for it over two pipes
 * (commands in, replies out): the wasmrt density host and the serverless front end. Being
 * a process of its own, a crash in it cannot take the harness down and its memory and CPU
 * are measured like any other process's. It dies with wasmvs (PR_SET_PDEATHSIG) and sits
 * in a process group of its own, so Ctrl-C reaches only wasmvs, which ends it. */
#ifndef WASMVS_HELPER_H
#define WASMVS_HELPER_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

typedef struct helper {
    pid_t pid;      /* -1 when not running */
    int command_fd; /* wasmvs -> helper */
    int reply_fd;   /* helper -> wasmvs */
} helper;

/* Not running, no pipes. */
void helper_init(helper *h);

/* Forks the helper. The child, with SIGINT ignored, calls run(context, commands, replies)
 * with its ends of the pipes; run must not return (it ends with _exit). Descriptors the
 * caller opened stay open in the child; the pipes are close-on-exec. */
int helper_start(helper *h, void (*run)(void *context, int commands, int replies), void *context,
                 wasmvs_error *err);

/* Reads exactly size bytes from the helper within timeout_s; fails, naming `what`, on
 * timeout, on cancellation (cancel.h) or when the helper is gone. */
int helper_read(const helper *h, void *data, size_t size, double timeout_s, const char *what,
                wasmvs_error *err);

/* Kills the helper and its process group, reaps it and closes the pipes. Idempotent. */
void helper_end(helper *h);

#endif

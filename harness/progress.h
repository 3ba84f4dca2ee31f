/* progress.h: a one-line progress bar on stderr, drawn only when stderr is a terminal,
 * so logs and pipes stay clean. */
#ifndef WASMVS_PROGRESS_H
#define WASMVS_PROGRESS_H

#include <stddef.h>

typedef struct progress {
    size_t total, done;
    int enabled;
} progress;

void progress_start(progress *p, size_t total);
/* Marks one more step done; label says what that step was. */
void progress_step(progress *p, const char *label);
/* Clears the bar so ordinary output can follow (also before printing a failure). */
void progress_clear(progress *p);

#endif

/* progress.c: the terminal progress bar (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#define PROGRESS_WIDTH 30

void progress_start(progress *p, size_t total)
{
    p->total = total;
    p->done = 0;
    p->enabled = isatty(STDERR_FILENO);
}

void progress_step(progress *p, const char *label)
{
    if (p->done < p->total) p->done++;
    if (!p->enabled || p->total == 0) return;
    size_t filled = p->done * PROGRESS_WIDTH / p->total;
    char bar[PROGRESS_WIDTH + 1];
    for (size_t i = 0; i < PROGRESS_WIDTH; i++)
        bar[i] = i < filled ? '#' : '-';
    bar[PROGRESS_WIDTH] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu %s", bar, p->done, p->total, label ? label : "");
    fflush(stderr);
}

void progress_clear(progress *p)
{
    if (!p->enabled) return;
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

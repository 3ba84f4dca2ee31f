/* idle: the density workload. Starts, writes "ready" on stdout, then waits without
 * using CPU until it is stopped (SIGTERM/SIGINT end it cleanly, also as PID 1 in a
 * container, where default signal actions do not apply).
 *
 * Built as a WASI reactor (-mexec-model=reactor, -DIDLE_REACTOR) it has no main: the
 * embedder runs _initialize, calls `handle` once to prove the instance is ready, and
 * keeps it, the way Wasm platforms keep idle instances. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int requests_served;

/* The request handler: returns the number of requests served so far, this one included. */
__attribute__((visibility("default")))
#ifdef __wasi__
__attribute__((export_name("handle")))
#endif
int handle(int request)
{
    (void)request;
    return ++requests_served;
}

#ifndef IDLE_REACTOR
#ifndef __wasi__
#include <signal.h>
static void on_stop(int sig)
{
    (void)sig;
    _exit(0);
}
#endif

int main(void)
{
#ifndef __wasi__
    signal(SIGTERM, on_stop);
    signal(SIGINT, on_stop);
#endif
    handle(0);
    printf("ready\n");
    fflush(stdout);
    for (;;) {
#ifdef __wasi__
        sleep(3600); /* poll_oneoff on a clock: blocks in the host, no CPU */
#else
        pause();
#endif
    }
}
#endif

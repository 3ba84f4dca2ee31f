/* cancel.h: Ctrl-C and SIGTERM during a run. The handlers only set a flag; every wait
 * in the harness (the process launcher's poll, libcurl transfers) checks it, stops what
 * it started, and returns, so the run can clean up and write what it has. */
#ifndef WASMVS_CANCEL_H
#define WASMVS_CANCEL_H

#include <stdbool.h>

/* Installs SIGINT and SIGTERM handlers without SA_RESTART, so blocking calls return
 * EINTR and the flag is seen at once. */
void cancel_install(void);

/* True once SIGINT or SIGTERM arrived. */
bool cancel_requested(void);

/* The signal that asked for cancellation (0 if none), for the exit status. */
int cancel_signal(void);

#endif

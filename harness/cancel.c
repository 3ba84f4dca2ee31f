/* cancel.c: the cancellation flag set by SIGINT/SIGTERM (see cancel.h). */
#include "cancel.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t cancel_flag;

static void cancel_on_signal(int signal_number)
{
    cancel_flag = signal_number;
}

void cancel_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cancel_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: a blocked poll or read returns EINTR */
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

bool cancel_requested(void)
{
    return cancel_flag != 0;
}

int cancel_signal(void)
{
    return (int)cancel_flag;
}

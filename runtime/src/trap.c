/* trap.c: turning a hardware fault inside a Wasm memory access into a trap. One
 * SIGSEGV/SIGBUS handler for the process, run on a per-thread alternate stack; it
 * jumps back to the innermost wasm entry only when the thread is running Wasm code
 * and the faulting address lies in the running instance's memory reservation.
 * Any other fault goes to the previous handler, or crashes as it would have. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "exec.h"

extern __thread exec_thread *exec_current;

static struct sigaction trap_old_segv, trap_old_bus;
static pthread_once_t trap_once = PTHREAD_ONCE_INIT;
static int trap_install_failed;

static void trap_handler(int sig, siginfo_t *info, void *context)
{
    exec_thread *t = exec_current;
    uint8_t *addr = info->si_addr;
    if (t && t->in_wasm && t->jmp && addr >= t->mem_lo && addr < t->mem_hi) {
#if defined(__x86_64__) && defined(__linux__)
        t->fault_pc = (void *)(uintptr_t)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
#endif
        siglongjmp(*t->jmp, 1);
    }
    /* not a Wasm memory access: behave as if we were not here */
    struct sigaction *old = sig == SIGSEGV ? &trap_old_segv : &trap_old_bus;
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
        old->sa_sigaction(sig, info, context);
        return;
    }
    if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
        return;
    }
    /* restore the default action; returning re-executes the access and crashes */
    signal(sig, SIG_DFL);
}

static pthread_mutex_t trap_lock = PTHREAD_MUTEX_INITIALIZER;

/* Installs the handler for sig unless it is already ours, remembering the one it
 * replaces so that faults which are not ours reach it. */
static int trap_claim(int sig, struct sigaction *old)
{
    struct sigaction cur, sa;
    if (sigaction(sig, NULL, &cur) != 0)
        return 0;
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == trap_handler)
        return 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = trap_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    pthread_mutex_lock(&trap_lock);
    int ok = sigaction(sig, &sa, old) == 0;
    pthread_mutex_unlock(&trap_lock);
    return ok;
}

static void trap_install_once(void)
{
    if (!trap_claim(SIGSEGV, &trap_old_segv) || !trap_claim(SIGBUS, &trap_old_bus))
        trap_install_failed = 1;
}

/* Someone (a test framework, another runtime) may have replaced the handler since:
 * take it back, chaining to theirs. Checked when entering Wasm from the host. */
int trap_ensure(void)
{
    return trap_claim(SIGSEGV, &trap_old_segv) && trap_claim(SIGBUS, &trap_old_bus);
}

int trap_install(void **altstack)
{
    *altstack = NULL;
    pthread_once(&trap_once, trap_install_once);
    if (trap_install_failed)
        return 0;
    /* this thread needs an alternate stack: a fault may come with a full stack */
    stack_t old;
    if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) && old.ss_sp)
        return 1;
    size_t size = 64 * 1024;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    stack_t ss = {.ss_sp = p, .ss_size = size, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(p, size);
        return 0;
    }
    *altstack = p;
    return 1;
}

void trap_uninstall(void *altstack)
{
    stack_t cur;
    if (!altstack || sigaltstack(NULL, &cur) != 0 || cur.ss_sp != altstack)
        return;
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    if (sigaltstack(&off, NULL) == 0)
        munmap(altstack, cur.ss_size);
}

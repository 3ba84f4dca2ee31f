/* stack.c: where compiled code may use the C stack. Each thread's own stack is found
 * once (jit_thread_limits); compiled code then compares rsp with a limit below which
 * it traps (stack exhausted) instead of running into the guard page: the thread's
 * lowest address plus a reserve for host functions and the C library, or, entered on
 * a stack that is not the thread's (a coroutine's), a budget below the entry. */
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include "jit.h"

int jit_supported(void)
{
#if defined(__x86_64__) && defined(__linux__)
    return 1;
#else
    return 0;
#endif
}

/* C stack compiled code may use when entered on a stack that is not the thread's */
#define JIT_FOREIGN_STACK_BUDGET ((size_t)96 << 10)

void jit_thread_limits(exec_thread *t)
{
    /* The thread's stack [lo, hi). The main thread's grows down from near the string
       AT_EXECFN points at (the kernel puts it at the top) up to RLIMIT_STACK; asking
       the C library instead reads /proc, which a cold start does not want. Another
       thread's bounds are known to its C library. */
    char *here = __builtin_frame_address(0);
    char *lo = NULL, *hi = NULL;
    if (gettid() == getpid()) {
        struct rlimit rl;
        size_t size = (size_t)8 << 20;
        if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            size = (size_t)rl.rlim_cur;
        if (size > ((size_t)256 << 20)) size = (size_t)256 << 20;
        char *top = (char *)getauxval(AT_EXECFN);
        if (top > here && (size_t)(top - here) < size)
            hi = (char *)(((uintptr_t)top + 4095) & ~(uintptr_t)4095);
        else
            hi = here; /* unknown: count the budget from here */
        lo = hi - size;
    } else {
        pthread_attr_t attr;
        void *addr;
        size_t size;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            if (pthread_attr_getstack(&attr, &addr, &size) == 0 && (char *)addr < here &&
                here < (char *)addr + size) {
                lo = addr;
                hi = lo + size;
            }
            pthread_attr_destroy(&attr);
        }
        if (!lo) {
            hi = here;
            lo = here - ((size_t)1 << 20);
        }
    }
    t->cstack_lo = lo;
    t->cstack_hi = hi;
    t->cstack_limit = jit_stack_limit(t, here);
}

char *jit_stack_limit(const exec_thread *t, char *here)
{
    if (here > t->cstack_lo && here <= t->cstack_hi) {
        /* room below the deepest compiled frame for host functions and the C library */
        size_t size = (size_t)(t->cstack_hi - t->cstack_lo);
        size_t reserve = size / 4 < ((size_t)256 << 10) ? size / 4 : (size_t)256 << 10;
        return t->cstack_lo + reserve;
    }
    /* another stack (a coroutine's, say) of unknown size: a modest budget from here */
    return here - JIT_FOREIGN_STACK_BUDGET;
}

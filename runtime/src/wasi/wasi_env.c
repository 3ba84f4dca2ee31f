/* wasi_env.c: what a guest learns about its process and the world: arguments,
 * environment, clocks, randomness, and the process calls that are not about files
 * (sched_yield, proc_raise; proc_exit is in wasi_define.c since it ends the call). */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <sched.h>
#include <sys/random.h>
#include <time.h>

/* Writes count pointers at list_ptr and the strings (bytes long, NUL-terminated,
 * back to back) at buf_ptr: the layout args_get and environ_get share. */
static int wasi_put_strings(wasi_call *call, char **strings, uint32_t count, uint32_t bytes,
                            uint32_t list_ptr, uint32_t buf_ptr)
{
    if (!wasi_mem_ok(call, list_ptr, (uint64_t)count * 4) || !wasi_mem_ok(call, buf_ptr, bytes))
        return WASI_EFAULT;
    uint32_t at = buf_ptr;
    for (uint32_t i = 0; i < count; i++) {
        size_t n = strlen(strings[i]) + 1;
        wasi_store_u32(call, list_ptr + i * 4, at);
        memcpy(call->mem + at, strings[i], n);
        at += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

static int wasi_put_sizes(wasi_call *call, uint32_t count, uint32_t bytes, uint32_t count_ptr,
                          uint32_t bytes_ptr)
{
    if (!wasi_mem_ok(call, count_ptr, 4) || !wasi_mem_ok(call, bytes_ptr, 4)) return WASI_EFAULT;
    wasi_store_u32(call, count_ptr, count);
    wasi_store_u32(call, bytes_ptr, bytes);
    return WASI_ESUCCESS;
}

WASI_FN(args_get)
{
    wasmrt_wasi *w = call->wasi;
    return wasi_put_strings(call, w->argv, w->argc, w->args_bytes, wasi_arg_u32(a, 0),
                            wasi_arg_u32(a, 1));
}

WASI_FN(args_sizes_get)
{
    return wasi_put_sizes(call, call->wasi->argc, call->wasi->args_bytes, wasi_arg_u32(a, 0),
                          wasi_arg_u32(a, 1));
}

WASI_FN(environ_get)
{
    wasmrt_wasi *w = call->wasi;
    return wasi_put_strings(call, w->envp, w->envc, w->env_bytes, wasi_arg_u32(a, 0),
                            wasi_arg_u32(a, 1));
}

WASI_FN(environ_sizes_get)
{
    return wasi_put_sizes(call, call->wasi->envc, call->wasi->env_bytes, wasi_arg_u32(a, 0),
                          wasi_arg_u32(a, 1));
}

static int wasi_host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case 0:
        *out = CLOCK_REALTIME;
        return 1;
    case 1:
        *out = CLOCK_MONOTONIC;
        return 1;
    case 2:
        *out = CLOCK_PROCESS_CPUTIME_ID;
        return 1;
    case 3:
        *out = CLOCK_THREAD_CPUTIME_ID;
        return 1;
    default:
        return 0;
    }
}

WASI_FN(clock_res_get)
{
    clockid_t id;
    struct timespec ts;
    if (!wasi_host_clock(wasi_arg_u32(a, 0), &id)) return WASI_EINVAL;
    if (clock_getres(id, &ts) != 0) return wasi_errno_from_host(errno);
    return wasi_put_u64(call, wasi_arg_u32(a, 1),
                        (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

WASI_FN(clock_time_get)
{
    clockid_t id;
    struct timespec ts;
    if (!wasi_host_clock(wasi_arg_u32(a, 0), &id)) return WASI_EINVAL;
    if (clock_gettime(id, &ts) != 0) return wasi_errno_from_host(errno);
    return wasi_put_u64(call, wasi_arg_u32(a, 2),
                        (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

WASI_FN(random_get)
{
    uint32_t buf = wasi_arg_u32(a, 0), len = wasi_arg_u32(a, 1);
    if (!wasi_mem_ok(call, buf, len)) return WASI_EFAULT;
    uint32_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(call->mem + buf + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return wasi_errno_from_host(errno);
        }
        done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

/* Raising a signal inside a sandbox has no meaning the host could honour safely
 * (the signal would hit the embedder's process); preview1 deprecates it. */
WASI_FN(proc_raise)
{
    (void)call;
    (void)a;
    return WASI_ENOSYS;
}

WASI_FN(sched_yield)
{
    (void)call;
    (void)a;
    sched_yield();
    return WASI_ESUCCESS;
}

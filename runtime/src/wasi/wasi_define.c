/* wasi_define.c: the bridge between the engine and the WASI functions: one host
 * function per wasi_snapshot_preview1 import, with its signature, defined into a
 * linker. Each host function finds the calling instance's WASI context and memory,
 * runs the implementation and returns its errno as the i32 result. proc_exit lives
 * here because it does not return an errno: it ends the guest's call chain. */
#include "wasi/wasi_internal.h"

#include <stdio.h>

#define WASI_MODULE "wasi_snapshot_preview1"

/* The context is the instance's own when it has one (many instances, one linker),
 * else the one given to wasmrt_wasi_define. */
static int wasi_call_begin(wasi_call *call, wasmrt_caller *caller, void *user)
{
    wasmrt_instance *instance = wasmrt_caller_instance(caller);
    void *own = instance ? wasmrt_instance_user(instance) : NULL;
    call->wasi = own ? own : user;
    call->mem_size = 0;
    call->mem = wasmrt_caller_memory(caller, &call->mem_size);
    if (!call->mem) call->mem_size = 0;
    return call->wasi != NULL;
}

/* Every preview1 function that returns an errno: name and engine signature. */
#define WASI_FUNCTIONS(X)                                                                          \
    X(args_get, "ii:i")                                                                            \
    X(args_sizes_get, "ii:i") X(environ_get, "ii:i") X(environ_sizes_get, "ii:i") X(               \
        clock_res_get, "ii:i") X(clock_time_get, "iIi:i") X(fd_advise, "iIIi:i")                   \
        X(fd_allocate, "iII:i") X(fd_close, "i:i") X(fd_datasync, "i:i") X(                        \
            fd_fdstat_get, "ii:i") X(fd_fdstat_set_flags, "ii:i") X(fd_fdstat_set_rights, "iII:i") \
            X(fd_filestat_get, "ii:i") X(fd_filestat_set_size, "iI:i") X(                          \
                fd_filestat_set_times, "iIIi:i") X(fd_pread, "iiiIi:i") X(fd_prestat_get, "ii:i")  \
                X(fd_prestat_dir_name, "iii:i") X(fd_pwrite, "iiiIi:i") X(fd_read, "iiii:i")       \
                    X(fd_readdir, "iiiIi:i") X(fd_renumber, "ii:i") X(fd_seek, "iIii:i")           \
                        X(fd_sync, "i:i") X(fd_tell, "ii:i") X(fd_write, "iiii:i")                 \
                            X(path_create_directory, "iii:i") X(path_filestat_get, "iiiii:i")      \
                                X(path_filestat_set_times, "iiiiIIi:i") X(path_link, "iiiiiii:i")  \
                                    X(path_open, "iiiiiIIii:i") X(path_readlink, "iiiiii:i")       \
                                        X(path_remove_directory, "iii:i")                          \
                                            X(path_rename, "iiiiii:i") X(path_symlink, "iiiii:i")  \
                                                X(path_unlink_file, "iii:i")                       \
                                                    X(poll_oneoff, "iiii:i") X(proc_raise, "i:i")  \
                                                        X(sched_yield, ":i") X(random_get, "ii:i") \
                                                            X(sock_accept, "iii:i")                \
                                                                X(sock_recv, "iiiiii:i")           \
                                                                    X(sock_send, "iiiii:i")        \
                                                                        X(sock_shutdown, "ii:i")

#define WASI_HOST_FUNCTION(name, signature)                                                        \
    static wasmrt_status wasi_host_##name(wasmrt_caller *caller, void *user,                       \
                                          const wasmrt_value *args, wasmrt_value *results)         \
    {                                                                                              \
        wasi_call call;                                                                            \
        if (!wasi_call_begin(&call, caller, user))                                                 \
            return wasmrt_caller_trap(caller, "wasi: " #name " called without a WASI context");    \
        results[0] = wasmrt_i32(wasi_##name(&call, args));                                         \
        return WASMRT_OK;                                                                          \
    }
WASI_FUNCTIONS(WASI_HOST_FUNCTION)

static wasmrt_status wasi_host_proc_exit(wasmrt_caller *caller, void *user,
                                         const wasmrt_value *args, wasmrt_value *results)
{
    (void)user;
    (void)results;
    return wasmrt_caller_exit(caller, args[0].of.i32);
}

typedef struct wasi_export {
    const char *name;
    const char *signature;
    wasmrt_host_fn fn;
} wasi_export;

#define WASI_EXPORT_ENTRY(name, signature) {#name, signature, wasi_host_##name},
static const wasi_export wasi_exports[] = {
    WASI_FUNCTIONS(WASI_EXPORT_ENTRY){"proc_exit", "i:", wasi_host_proc_exit},
};

wasmrt_status wasmrt_wasi_define(wasmrt_linker *linker, wasmrt_wasi *wasi, wasmrt_error *error)
{
    for (size_t i = 0; i < sizeof wasi_exports / sizeof wasi_exports[0]; i++) {
        const wasi_export *e = &wasi_exports[i];
        wasmrt_status status = wasmrt_linker_define_func(linker, WASI_MODULE, e->name, e->signature,
                                                         e->fn, wasi, error);
        if (status != WASMRT_OK) return status;
    }
    return WASMRT_OK;
}

/* wasi_context.c: the WASI context: building it from a wasmrt_wasi_config (arguments,
 * environment, preopened directories, stdio, listening sockets), its descriptor table,
 * freeing it, and running a command or initialising a reactor. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

void wasmrt_wasi_config_default(wasmrt_wasi_config *config)
{
    memset(config, 0, sizeof *config);
    config->stdin_fd = 0;
    config->stdout_fd = 1;
    config->stderr_fd = 2;
}

static void wasi_error_set(wasmrt_error *error, wasmrt_status status, const char *fmt,
                           const char *arg, const char *detail)
{
    if (!error) return;
    memset(error, 0, sizeof *error);
    error->status = status;
    error->offset = WASMRT_NO_OFFSET;
    error->func_index = WASMRT_NO_FUNC;
    snprintf(error->message, sizeof error->message, fmt, arg, detail);
}

/* Lays argv, envp and the preopen names into one allocation: pointer arrays first,
 * then the strings, so a context costs two allocations (this and the fd table). */
static int wasi_copy_strings(wasmrt_wasi *wasi, const wasmrt_wasi_config *config)
{
    size_t args_bytes = 0, env_bytes = 0, names_bytes = 0;
    for (int i = 0; i < config->argc; i++)
        args_bytes += strlen(config->argv[i]) + 1;
    for (int i = 0; i < config->envc; i++)
        env_bytes += strlen(config->envp[i]) + 1;
    for (uint32_t i = 0; i < config->preopen_count; i++) {
        const char *name = config->preopens[i].guest_path;
        names_bytes += strlen(name ? name : config->preopens[i].host_path) + 1;
    }
    if (args_bytes > UINT32_MAX / 2 || env_bytes > UINT32_MAX / 2) return -1;
    size_t pointers = (size_t)config->argc + (size_t)config->envc + config->preopen_count;
    size_t total = pointers * sizeof(char *) + args_bytes + env_bytes + names_bytes;
    char **block = malloc(total ? total : 1);
    if (!block) return -1;
    wasi->strings = (char *)block;
    wasi->argv = block;
    wasi->envp = block + config->argc;
    wasi->preopen_names = block + config->argc + config->envc;
    char *text = (char *)(block + pointers);
    for (int i = 0; i < config->argc; i++) {
        size_t n = strlen(config->argv[i]) + 1;
        wasi->argv[i] = memcpy(text, config->argv[i], n);
        text += n;
    }
    for (int i = 0; i < config->envc; i++) {
        size_t n = strlen(config->envp[i]) + 1;
        wasi->envp[i] = memcpy(text, config->envp[i], n);
        text += n;
    }
    for (uint32_t i = 0; i < config->preopen_count; i++) {
        const char *name = config->preopens[i].guest_path;
        if (!name) name = config->preopens[i].host_path;
        size_t n = strlen(name) + 1;
        wasi->preopen_names[i] = memcpy(text, name, n);
        text += n;
    }
    wasi->argc = (uint32_t)config->argc;
    wasi->envc = (uint32_t)config->envc;
    wasi->args_bytes = (uint32_t)args_bytes;
    wasi->env_bytes = (uint32_t)env_bytes;
    wasi->preopen_count = config->preopen_count;
    return 0;
}

static void wasi_fd_set(wasi_fd *entry, int host_fd, uint8_t state, uint8_t filetype, uint64_t base,
                        uint64_t inheriting)
{
    entry->host_fd = host_fd;
    entry->state = state;
    entry->filetype = filetype;
    entry->preopen = 0;
    entry->rights_base = base;
    entry->rights_inheriting = inheriting;
}

wasmrt_status wasmrt_wasi_new(const wasmrt_wasi_config *config, wasmrt_wasi **out,
                              wasmrt_error *error)
{
    *out = NULL;
    if (config->argc < 0 || config->envc < 0 || (config->argc && !config->argv) ||
        (config->envc && !config->envp) || (config->preopen_count && !config->preopens) ||
        (config->listen_fd_count && !config->listen_fds)) {
        wasi_error_set(error, WASMRT_ERR_ARGUMENT, "wasi config: %s%s",
                       "a count is set but its array is NULL or the count is negative", "");
        return WASMRT_ERR_ARGUMENT;
    }
    wasmrt_wasi *wasi = calloc(1, sizeof *wasi);
    if (!wasi || wasi_copy_strings(wasi, config) != 0) {
        free(wasi);
        wasi_error_set(error, WASMRT_ERR_RESOURCE, "wasi: out of memory for %s%s",
                       "arguments and environment", "");
        return WASMRT_ERR_RESOURCE;
    }
    uint32_t initial = 3 + config->preopen_count + config->listen_fd_count;
    wasi->fd_capacity = initial < 8 ? 8 : initial;
    wasi->fds = calloc(wasi->fd_capacity, sizeof *wasi->fds);
    if (!wasi->fds) {
        wasmrt_wasi_free(wasi);
        wasi_error_set(error, WASMRT_ERR_RESOURCE, "wasi: out of memory for %s%s",
                       "the descriptor table", "");
        return WASMRT_ERR_RESOURCE;
    }
    /* stdio: typed on first use, so a cold start does not pay three fstat calls */
    const int stdio[3] = {config->stdin_fd, config->stdout_fd, config->stderr_fd};
    for (int i = 0; i < 3; i++) {
        if (stdio[i] >= 0)
            wasi_fd_set(&wasi->fds[i], stdio[i], WASI_FD_OPEN | WASI_FD_UNTYPED,
                        WASI_FILETYPE_UNKNOWN, 0, 0);
        else
            wasi_fd_set(&wasi->fds[i], -1, WASI_FD_FREE, 0, 0, 0);
    }
    wasi->fd_count = 3;
    for (uint32_t i = 0; i < config->preopen_count; i++) {
        const char *host = config->preopens[i].host_path;
        int fd = host ? open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        if (fd < 0) {
            int saved = host ? errno : EINVAL;
            wasi_error_set(error, WASMRT_ERR_IO, "wasi: cannot preopen directory '%s': %s",
                           host ? host : "(null)", strerror(saved));
            wasmrt_wasi_free(wasi);
            return WASMRT_ERR_IO;
        }
        wasi_fd *entry = &wasi->fds[wasi->fd_count++];
        wasi_fd_set(entry, fd, WASI_FD_OPEN | WASI_FD_OWNED | WASI_FD_PREOPEN,
                    WASI_FILETYPE_DIRECTORY, WASI_RIGHTS_DIRECTORY, WASI_RIGHTS_ALL);
        entry->preopen = (uint16_t)i;
    }
    for (uint32_t i = 0; i < config->listen_fd_count; i++) {
        wasi_fd_set(&wasi->fds[wasi->fd_count++], config->listen_fds[i], WASI_FD_OPEN,
                    WASI_FILETYPE_SOCKET_STREAM, WASI_RIGHTS_LISTENER, WASI_RIGHTS_SOCKET);
    }
    *out = wasi;
    return WASMRT_OK;
}

void wasmrt_wasi_free(wasmrt_wasi *wasi)
{
    if (!wasi) return;
    for (uint32_t i = 0; wasi->fds && i < wasi->fd_count; i++)
        if (wasi->fds[i].state & WASI_FD_OPEN) wasi_fd_release(wasi, i);
    free(wasi->fds);
    free(wasi->strings);
    free(wasi->poll_space);
    free(wasi);
}

void wasi_fd_learn_type(wasi_fd *entry)
{
    struct stat st;
    entry->state &= (uint8_t)~WASI_FD_UNTYPED;
    if (fstat(entry->host_fd, &st) != 0) {
        entry->filetype = WASI_FILETYPE_UNKNOWN;
        entry->rights_base = WASI_RIGHTS_STREAM;
        entry->rights_inheriting = 0;
        return;
    }
    entry->filetype = wasi_filetype_from_mode(st.st_mode);
    switch (entry->filetype) {
    case WASI_FILETYPE_REGULAR_FILE:
        entry->rights_base = WASI_RIGHTS_REGULAR_FILE;
        entry->rights_inheriting = 0;
        break;
    case WASI_FILETYPE_DIRECTORY:
        entry->rights_base = WASI_RIGHTS_DIRECTORY;
        entry->rights_inheriting = WASI_RIGHTS_ALL;
        break;
    case WASI_FILETYPE_SOCKET_STREAM:
    case WASI_FILETYPE_SOCKET_DGRAM:
        entry->rights_base = WASI_RIGHTS_SOCKET;
        entry->rights_inheriting = 0;
        break;
    default:
        /* A terminal has no seek/tell rights: that is how wasi-libc's isatty() knows
         * it (and so line-buffers stdout); other devices and pipes may seek if the
         * host allows. */
        entry->rights_base = WASI_RIGHTS_STREAM;
        if (!isatty(entry->host_fd)) entry->rights_base |= WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL;
        entry->rights_inheriting = 0;
        break;
    }
}

wasi_fd *wasi_fd_get(wasmrt_wasi *wasi, uint32_t fd, uint64_t rights, int *err)
{
    if (fd >= wasi->fd_count || !(wasi->fds[fd].state & WASI_FD_OPEN)) {
        *err = WASI_EBADF;
        return NULL;
    }
    wasi_fd *entry = &wasi->fds[fd];
    if (entry->state & WASI_FD_UNTYPED) wasi_fd_learn_type(entry);
    if ((entry->rights_base & rights) != rights) {
        *err = WASI_ENOTCAPABLE;
        return NULL;
    }
    return entry;
}

int wasi_fd_insert(wasmrt_wasi *wasi, int host_fd, uint8_t filetype, uint64_t base,
                   uint64_t inheriting, uint32_t *guest_fd)
{
    uint32_t slot = 0;
    while (slot < wasi->fd_count && (wasi->fds[slot].state & WASI_FD_OPEN))
        slot++;
    if (slot == wasi->fd_capacity) {
        if (wasi->fd_capacity >= (1u << 20)) return WASI_EMFILE;
        uint32_t capacity = wasi->fd_capacity * 2;
        wasi_fd *grown = realloc(wasi->fds, capacity * sizeof *grown);
        if (!grown) return WASI_ENOMEM;
        memset(grown + wasi->fd_capacity, 0, (capacity - wasi->fd_capacity) * sizeof *grown);
        wasi->fds = grown;
        wasi->fd_capacity = capacity;
    }
    if (slot == wasi->fd_count) wasi->fd_count++;
    wasi_fd_set(&wasi->fds[slot], host_fd, WASI_FD_OPEN | WASI_FD_OWNED, filetype, base,
                inheriting);
    *guest_fd = slot;
    return WASI_ESUCCESS;
}

void wasi_fd_release(wasmrt_wasi *wasi, uint32_t fd)
{
    wasi_fd *entry = &wasi->fds[fd];
    if (entry->state & WASI_FD_OWNED) close(entry->host_fd);
    wasi_fd_set(entry, -1, WASI_FD_FREE, 0, 0, 0);
    while (wasi->fd_count > 3 && !(wasi->fds[wasi->fd_count - 1].state & WASI_FD_OPEN))
        wasi->fd_count--;
}

wasmrt_status wasmrt_wasi_run_command(wasmrt_instance *instance, int *exit_code,
                                      wasmrt_error *error)
{
    wasmrt_error local;
    wasmrt_error *err = error ? error : &local;
    *exit_code = 0;
    wasmrt_func *start = wasmrt_instance_func(instance, "_start");
    if (!start) {
        wasi_error_set(err, WASMRT_ERR_NOT_FOUND, "wasi: expected a command exporting %s, %s",
                       "'_start'", "found none (a reactor? a library?)");
        return WASMRT_ERR_NOT_FOUND;
    }
    wasmrt_status status = wasmrt_func_call(start, NULL, 0, NULL, 0, err);
    if (status == WASMRT_ERR_EXIT) {
        *exit_code = err->exit_code;
        memset(err, 0, sizeof *err);
        return WASMRT_OK;
    }
    return status;
}

wasmrt_status wasmrt_wasi_initialize_reactor(wasmrt_instance *instance, wasmrt_error *error)
{
    wasmrt_func *init = wasmrt_instance_func(instance, "_initialize");
    if (!init) return WASMRT_OK;
    return wasmrt_func_call(init, NULL, 0, NULL, 0, error);
}

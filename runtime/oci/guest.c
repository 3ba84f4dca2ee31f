/* guest.c: the Wasm module of a container (see guest.h). */
#include "guest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cli/cli.h"

int oci_guest_check_magic(const unsigned char *bytes, size_t length, char *why, size_t size)
{
    static const unsigned char magic[4] = {0x00, 0x61, 0x73, 0x6d};
    if (length >= 8 && memcmp(bytes, magic, 4) == 0) {
        if (bytes[4] == 1 && bytes[5] == 0 && bytes[6] == 0 && bytes[7] == 0) return 0;
        snprintf(why, size,
                 "a WebAssembly binary of layer/version %02x %02x %02x %02x (a component?), "
                 "not a core module of version 1",
                 bytes[4], bytes[5], bytes[6], bytes[7]);
        return -1;
    }
    const char *what = "other bytes";
    if (length >= 4 && memcmp(bytes,
                              "\x7f"
                              "ELF",
                              4) == 0)
        what = "an ELF executable";
    else if (length >= 2 && bytes[0] == '#' && bytes[1] == '!')
        what = "a script";
    else if (length >= 1 && bytes[0] == '(')
        what = "text: a .wat file? (compile it with wat2wasm)";
    char hex[32] = "";
    for (size_t i = 0, used = 0; i < length && i < 4; i++)
        used += (size_t)snprintf(hex + used, sizeof hex - used, "%s%02x", i ? " " : "", bytes[i]);
    snprintf(why, size, "%s (%s)", length ? hex : "an empty file", what);
    return -1;
}

/* process.args[0] as a path in the container: itself when it holds a '/', else the
 * first regular file of that name in process.env's PATH. */
static int oci_guest_find(const oci_spec *spec, char *out, size_t size, oci_error *err)
{
    const char *name = spec->args[0];
    if (strchr(name, '/')) {
        snprintf(out, size, "%s", name);
        return 0;
    }
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (size_t i = 0; spec->env[i]; i++)
        if (strncmp(spec->env[i], "PATH=", 5) == 0) path = spec->env[i] + 5;
    for (const char *p = path; *p;) {
        size_t length = strcspn(p, ":");
        snprintf(out, size, "%.*s/%s", (int)length, p, name);
        struct stat info;
        if (length && stat(out, &info) == 0 && S_ISREG(info.st_mode)) return 0;
        p += length + (p[length] == ':');
    }
    return oci_fail(err,
                    "process.args[0] \"%s\": expected a module in the container's PATH "
                    "(%s), found none",
                    name, path);
}

/* Opens the module, checks its header, loads it into the engine. */
static int oci_guest_load(oci_guest *guest, oci_error *err)
{
    int fd = open(guest->path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return oci_fail(err, "process.args[0] %s (in the container): cannot open: %s", guest->path,
                        strerror(saved));
    }
    if (!S_ISREG(info.st_mode)) {
        close(fd);
        return oci_fail(err, "process.args[0] %s (in the container): expected a regular file",
                        guest->path);
    }
    size_t length = (size_t)info.st_size;
    void *bytes = length ? mmap(NULL, length, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (bytes == MAP_FAILED)
        return oci_fail(err, "%s: cannot map the module: %s", guest->path, strerror(errno));
    char why[200];
    if (oci_guest_check_magic(bytes, length, why, sizeof why) != 0) {
        if (bytes) munmap(bytes, length);
        return oci_fail(err,
                        "process.args[0] %s (in the container): expected a WebAssembly module "
                        "(magic bytes 00 61 73 6d, \"\\0asm\"), found %s: wasmrt-oci runs "
                        "WebAssembly modules only; run native programs with runc",
                        guest->path, why);
    }
    wasmrt_error error;
    wasmrt_status status = wasmrt_module_load(guest->engine, bytes, length, &guest->module, &error);
    munmap(bytes, length);
    if (status != WASMRT_OK) {
        char offset[48] = "";
        if (error.offset != WASMRT_NO_OFFSET)
            snprintf(offset, sizeof offset, " (at byte offset 0x%zx)", error.offset);
        return oci_fail(err, "%s: %s: %s%s", guest->path, wasmrt_status_name(error.status),
                        error.message, offset);
    }
    wasmrt_functype type;
    if (wasmrt_module_export_functype(guest->module, "_start", &type) != WASMRT_OK)
        return oci_fail(err,
                        "%s: expected a WASI command exporting _start, found a module without "
                        "it (a reactor or a library?)",
                        guest->path);
    return 0;
}

/* The WASI context and the linker, which copy what they keep of the spec. */
static int oci_guest_context(oci_guest *guest, const oci_spec *spec, oci_error *err)
{
    wasmrt_wasi_preopen preopens[2] = {{"/", "/"}, {spec->cwd, "."}};
    wasmrt_wasi_config config;
    wasmrt_wasi_config_default(&config);
    int argc = 0;
    while (spec->args[argc])
        argc++;
    config.argc = argc;
    config.argv = spec->args;
    config.envc = (int)spec->env_count;
    config.envp = spec->env;
    /* the container's root, and its working directory for relative paths */
    config.preopen_count = strcmp(spec->cwd, "/") == 0 ? 1 : 2;
    config.preopens = preopens;
    config.listen_fd_count = guest->listen_fd >= 0 ? 1 : 0;
    config.listen_fds = &guest->listen_fd;
    wasmrt_error error;
    if (wasmrt_wasi_new(&config, &guest->wasi, &error) != WASMRT_OK ||
        wasmrt_linker_new(guest->engine, &guest->linker, &error) != WASMRT_OK ||
        wasmrt_wasi_define(guest->linker, guest->wasi, &error) != WASMRT_OK)
        return oci_fail(err, "%s: the WASI context: %s", guest->path, error.message);
    return 0;
}

int oci_guest_prepare(oci_guest *guest, const oci_spec *spec, oci_error *err)
{
    memset(guest, 0, sizeof *guest);
    guest->listen_fd = -1;
    if (oci_guest_find(spec, guest->path, sizeof guest->path, err) != 0) return -1;
    wasmrt_config config;
    wasmrt_config_default(&config);
    wasmrt_error error;
    if (wasmrt_engine_new(&config, &guest->engine, &error) != WASMRT_OK)
        return oci_fail(err, "the wasmrt engine: %s", error.message);
    if (oci_guest_load(guest, err) != 0) return -1;
    size_t prefix = strlen(OCI_GUEST_LISTEN_ENV "=");
    for (size_t i = 0; spec->env[i]; i++) {
        if (strncmp(spec->env[i], OCI_GUEST_LISTEN_ENV "=", prefix) != 0) continue;
        char why[300];
        int port = 0;
        guest->listen_fd = cli_listen(spec->env[i] + prefix, &port, why, sizeof why);
        if (guest->listen_fd < 0)
            return oci_fail(err, "process.env %s: %s", OCI_GUEST_LISTEN_ENV, why);
    }
    return oci_guest_context(guest, spec, err);
}

int oci_guest_run(oci_guest *guest)
{
    wasmrt_error error;
    memset(&error, 0, sizeof error);
    wasmrt_instance *instance = NULL;
    int exit_code = 0;
    wasmrt_status status = wasmrt_instance_new(guest->linker, guest->module, &instance, &error);
    if (status == WASMRT_OK) status = wasmrt_wasi_run_command(instance, &exit_code, &error);
    if (status == WASMRT_OK) return exit_code;
    if (status == WASMRT_ERR_EXIT) return error.exit_code;
    if (status == WASMRT_ERR_TRAP) {
        const char *name = error.func_index != WASMRT_NO_FUNC
                               ? wasmrt_module_func_name(guest->module, error.func_index)
                               : NULL;
        fprintf(stderr, "wasmrt-oci: %s: trap: %s", guest->path, wasmrt_trap_name(error.trap));
        if (error.func_index != WASMRT_NO_FUNC)
            fprintf(stderr, " in function %u", error.func_index);
        if (name) fprintf(stderr, " (%s)", name);
        if (error.message[0] && strcmp(error.message, wasmrt_trap_name(error.trap)) != 0)
            fprintf(stderr, ": %s", error.message);
        fputc('\n', stderr);
        return CLI_EXIT_TRAP;
    }
    fprintf(stderr, "wasmrt-oci: %s: %s: %s\n", guest->path, wasmrt_status_name(status),
            error.message);
    return CLI_EXIT_ERROR;
}

/* cli_module.c: reading a module file for the command (one open, one fstat, one
 * mmap: the cold-start path) and printing engine errors for a person. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_print_error(const char *context, const wasmrt_error *error)
{
    fprintf(stderr, "wasmrt: %s: %s: %s", context, wasmrt_status_name(error->status),
            error->message);
    if (error->offset != WASMRT_NO_OFFSET)
        fprintf(stderr, " (at byte offset 0x%zx)", error->offset);
    fputc('\n', stderr);
}

wasmrt_status cli_module_load(wasmrt_engine *engine, const char *path, wasmrt_module **out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "wasmrt: %s: cannot read the module: %s\n", path, strerror(errno));
        if (fd >= 0) close(fd);
        return WASMRT_ERR_IO;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < 8) {
        fprintf(stderr, "wasmrt: %s: expected a WebAssembly module file, found %s\n", path,
                S_ISREG(st.st_mode) ? "a file shorter than the 8-byte header"
                                    : "something that is not a regular file");
        close(fd);
        return WASMRT_ERR_MALFORMED;
    }
    void *bytes = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (bytes == MAP_FAILED) {
        fprintf(stderr, "wasmrt: %s: cannot map the module: %s\n", path, strerror(errno));
        return WASMRT_ERR_IO;
    }
    if (memcmp(bytes, "\0asm", 4) != 0) {
        fprintf(stderr,
                "wasmrt: %s: expected a WebAssembly module (magic \\0asm), found "
                "other bytes: is this a native program or a text (.wat) file?\n",
                path);
        munmap(bytes, (size_t)st.st_size);
        return WASMRT_ERR_MALFORMED;
    }
    wasmrt_error error;
    wasmrt_status status = wasmrt_module_load(engine, bytes, (size_t)st.st_size, out, &error);
    munmap(bytes, (size_t)st.st_size);
    if (status != WASMRT_OK) cli_print_error(path, &error);
    return status;
}

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

/* Takes the value of an option given as "--name VALUE" or "--name=VALUE". */
const char *cli_option_value(const char *command, int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "wasmrt %s: expected a value after %s, found the end of the line\n",
                command, name);
        return "";
    }
    return argv[++*i];
}

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
    if (memcmp(bytes, "wasmrtAO", 8) == 0) {
        /* a compiled module: the engine maps the file itself (its code runs there) */
        munmap(bytes, (size_t)st.st_size);
        wasmrt_error error;
        wasmrt_status status = wasmrt_module_load_compiled(engine, path, out, &error);
        if (status != WASMRT_OK) cli_print_error(path, &error);
        return status;
    }
    if (memcmp(bytes, "\0asm", 4) != 0) {
        fprintf(stderr,
                "wasmrt: %s: expected a WebAssembly module (magic \\0asm) or a compiled "
                "module (wasmrtAO), found other bytes: is this a native program or a text "
                "(.wat) file?\n",
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

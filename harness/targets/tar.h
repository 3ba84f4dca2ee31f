/* tar.h: a minimal ustar writer, enough to make a container rootfs archive of a few
 * regular files in memory (the Docker target imports its image from one). */
#ifndef WASMVS_TAR_H
#define WASMVS_TAR_H

#include <stddef.h>

#include "../error.h"

typedef struct tar_archive {
    unsigned char *data;
    size_t length, capacity;
} tar_archive;

/* Appends a regular file (name: up to 99 bytes, relative, e.g. "hello"). */
int tar_add_file(tar_archive *archive, const char *name, unsigned mode, const void *content,
                 size_t length, wasmvs_error *err);

/* Appends the two zero blocks that end an archive. */
int tar_finish(tar_archive *archive, wasmvs_error *err);

void tar_free(tar_archive *archive);

#endif

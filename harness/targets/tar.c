/* tar.c: ustar archives in memory (see tar.h). The format: per file a 512-byte header
 * of octal text fields with a checksum, the content padded to 512 bytes; two zero
 * blocks at the end. */
#include "tar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAR_BLOCK 512

static int tar_reserve(tar_archive *archive, size_t more, wasmvs_error *err)
{
    if (archive->length + more <= archive->capacity) return 0;
    size_t capacity = archive->capacity ? archive->capacity : 64 * 1024;
    while (capacity < archive->length + more)
        capacity *= 2;
    unsigned char *grown = realloc(archive->data, capacity);
    if (!grown) return wasmvs_fail(err, "tar: out of memory for %zu bytes", capacity);
    archive->data = grown;
    archive->capacity = capacity;
    return 0;
}

/* Octal, zero-padded, NUL-terminated, filling width bytes. */
static void tar_octal(char *field, size_t width, unsigned long long value)
{
    field[width - 1] = '\0';
    for (size_t i = width - 1; i > 0; i--) {
        field[i - 1] = (char)('0' + (value & 7));
        value >>= 3;
    }
}

int tar_add_file(tar_archive *archive, const char *name, unsigned mode, const void *content,
                 size_t length, wasmvs_error *err)
{
    if (strlen(name) == 0 || strlen(name) > 99)
        return wasmvs_fail(err, "tar: file name \"%s\": expected 1 to 99 bytes", name);
    if (length > 077777777777ull)
        return wasmvs_fail(err, "tar: %s: %zu bytes is too large for ustar", name, length);
    size_t padded = (length + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    if (tar_reserve(archive, TAR_BLOCK + padded, err) != 0) return -1;
    char *header = (char *)archive->data + archive->length;
    memset(header, 0, TAR_BLOCK);
    memcpy(header, name, strlen(name));  /* name[100] */
    tar_octal(header + 100, 8, mode);    /* mode */
    tar_octal(header + 108, 8, 0);       /* uid */
    tar_octal(header + 116, 8, 0);       /* gid */
    tar_octal(header + 124, 12, length); /* size */
    tar_octal(header + 136, 12, 0);      /* mtime: fixed, so the archive is reproducible */
    header[156] = '0';                   /* typeflag: regular file */
    memcpy(header + 257, "ustar", 6);    /* magic, NUL-terminated */
    memcpy(header + 263, "00", 2);       /* version */
    memcpy(header + 265, "root", 4);     /* uname */
    memcpy(header + 297, "root", 4);     /* gname */
    memset(header + 148, ' ', 8);        /* the checksum counts its own field as spaces */
    unsigned sum = 0;
    for (size_t i = 0; i < TAR_BLOCK; i++)
        sum += (unsigned char)header[i];
    snprintf(header + 148, 8, "%06o", sum);
    header[155] = ' ';
    archive->length += TAR_BLOCK;
    memcpy(archive->data + archive->length, content, length);
    memset(archive->data + archive->length + length, 0, padded - length);
    archive->length += padded;
    return 0;
}

int tar_finish(tar_archive *archive, wasmvs_error *err)
{
    if (tar_reserve(archive, 2 * TAR_BLOCK, err) != 0) return -1;
    memset(archive->data + archive->length, 0, 2 * TAR_BLOCK);
    archive->length += 2 * TAR_BLOCK;
    return 0;
}

void tar_free(tar_archive *archive)
{
    free(archive->data);
    memset(archive, 0, sizeof *archive);
}

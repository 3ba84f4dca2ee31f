/* paths.h: where the tree is. wasmvs finds build/workloads/ and results/ relative to
 * the project root: $WASMVS_ROOT when set, else the nearest folder above the running
 * executable that holds workloads/Makefile (build/bin/wasmvs sits two levels below),
 * else the current directory. */
#ifndef WASMVS_PATHS_H
#define WASMVS_PATHS_H

#include <stddef.h>

const char *paths_root(void);

/* build/workloads/VARIANT/NAME under root (VARIANT: native, native-clang, wasm). */
void paths_workload(const char *variant, const char *name, char *out, size_t size);

struct wasmvs_error;
/* Creates path and any missing parent folders (mode 0755); an existing folder is fine. */
int paths_make_directories(const char *path, struct wasmvs_error *err);
/* Removes a folder of plain files (no subfolders) and the folder; best effort. */
void paths_remove_flat_directory(const char *dir);
/* dir/STEM.EXT where STEM is file's name without folders and without a last extension
 * (build/workloads/wasm/hello.wasm, "cwasm" -> dir/hello.cwasm); truncated to size. */
void paths_in_folder_with_extension(const char *dir, const char *file, const char *ext,
                                    char *out, size_t size);

#endif

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

#endif

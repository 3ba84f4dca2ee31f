/* load.h: the load pipeline's stages, in order, as module.c runs them: decode the
 * sections into the module (decode.c), check every body is well-formed
 * (decode_body.c), then the spec's validation (validate.c). */
#ifndef WASMRT_LOAD_H
#define WASMRT_LOAD_H

#include "module.h"

wasmrt_status decode_module(wasmrt_module *module, wasmrt_error *error);
/* decode_body.c: every body well-formed, before any type checking */
wasmrt_status decode_bodies(const wasmrt_module *module, wasmrt_error *error);
/* Walks one body (checked already), calling visit for each instruction with its
 * opcode (the prefix byte for 0xfc and 0xfd) and its first immediate: an index
 * (labels, functions, locals, globals, tables), a block's type as its signed LEB (a
 * type index, or a negative value type: -5 is v128), typed select's first type byte;
 * 0 for the others. */
typedef void (*decode_visit_fn)(void *ctx, uint8_t op, uint32_t index);
wasmrt_status decode_body_walk(const wasmrt_module *module, const func_entry *f,
                               decode_visit_fn visit, void *ctx);
/* check_bodies = 0: the module-level checks only (the bodies passed before: cache.c) */
wasmrt_status validate_module(wasmrt_module *module, int check_bodies, wasmrt_error *error);

/* module.c: the module's checked twin (see wasmrt_module.checked_twin), loading it on
 * first call; the module itself when its code is already checked. NULL with error on
 * failure. */
wasmrt_module *module_checked_twin(wasmrt_module *module, wasmrt_error *error);

#endif

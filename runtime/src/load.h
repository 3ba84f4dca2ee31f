/* load.h: the load pipeline's stages, in order, as module.c runs them: decode the
 * sections into the module (decode.c), check every body is well-formed
 * (decode_body.c), then the spec's validation (validate.c). */
#ifndef WASMRT_LOAD_H
#define WASMRT_LOAD_H

#include "module.h"

wasmrt_status decode_module(wasmrt_module *module, wasmrt_error *error);
/* decode_body.c: every body well-formed, before any type checking */
wasmrt_status decode_bodies(const wasmrt_module *module, wasmrt_error *error);
/* check_bodies = 0: the module-level checks only (the bodies passed before: cache.c) */
wasmrt_status validate_module(wasmrt_module *module, int check_bodies, wasmrt_error *error);

/* module.c: the module's checked twin (see wasmrt_module.checked_twin), loading it on
 * first call; the module itself when its code is already checked. NULL with error on
 * failure. */
wasmrt_module *module_checked_twin(wasmrt_module *module, wasmrt_error *error);

#endif

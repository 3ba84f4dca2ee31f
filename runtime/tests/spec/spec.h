/* spec.h: the parts of the spec-test runner (wast2json scripts run against wasmrt).
 *
 *   spec_value.c   JSON values <-> wasmrt_value, result matching (NaN classes)
 *   spec_host.c    the "spectest" host module scripts import from
 *   spec_script.c  runs the commands of one converted script
 *   spec_main.c    options, the list of scripts, per-file and closing counts
 */
#ifndef SPEC_H
#define SPEC_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "wasmrt.h"

/* Counts for one script or for the whole run. */
typedef struct spec_counts {
    unsigned passed, failed, skipped;
} spec_counts;

typedef struct spec_options {
    wasmrt_bounds_mode bounds;
    int mode; /* wasmrt_exec_mode, or -1 for the engine's default */
    int verbose; /* also list message mismatches and skipped commands */
} spec_options;

/* ---- spec_value.c ---- */

/* How an expected value is matched. */
typedef enum spec_expect_kind {
    SPEC_EXPECT_EXACT,          /* bits (or reference) equal */
    SPEC_EXPECT_NAN_CANONICAL,  /* a NaN with only the quiet bit of the payload set */
    SPEC_EXPECT_NAN_ARITHMETIC, /* a NaN with the quiet bit set */
    SPEC_EXPECT_NON_NULL,       /* any non-null reference ("ref.func" without index) */
} spec_expect_kind;

typedef struct spec_expect {
    wasmrt_value value;
    spec_expect_kind kind;
    /* v128: the lane width of the script's shape (1, 2, 4, 8 bytes) and each lane's
       kind (f32 and f64 lanes may be a NaN class; the rest are exact) */
    unsigned lane_bytes;
    spec_expect_kind lanes[16];
} spec_expect;

/* Parses an argument {"type": "i32", "value": "42"}; 0 on success, else -1 with a
 * message in err (what was expected, what was found). */
int spec_value_parse(json_t *json, wasmrt_value *out, char *err, size_t err_size);
/* Parses an expected result, which may also be "nan:canonical"/"nan:arithmetic". */
int spec_expect_parse(json_t *json, spec_expect *out, char *err, size_t err_size);
/* 1 when the actual value satisfies the expectation. */
int spec_expect_matches(const spec_expect *expect, wasmrt_value actual);
/* Writes "i32:42" / "f32:0x7fc00000" / "externref:3" / "funcref:null" for messages. */
void spec_value_format(wasmrt_value value, char *buf, size_t size);
void spec_expect_format(const spec_expect *expect, char *buf, size_t size);

/* ---- spec_host.c ---- */

/* Defines the spectest module (README of the spec-test folder) in the linker. Objects
 * are owned by the engine. The print functions write to print_to, or nowhere if NULL. */
wasmrt_status spec_host_define(wasmrt_engine *engine, wasmrt_linker *linker, wasmrt_error *error,
                               FILE *print_to);

/* ---- spec_script.c ---- */

/* Runs every command of the converted script json_path (modules beside it), adds to
 * counts and prints failures with name:line. Returns -1 if the script itself cannot
 * be read (counted as one failure). */
int spec_script_run(const char *json_path, const char *name, const spec_options *options,
                    spec_counts *counts);

#endif

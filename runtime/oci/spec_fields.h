/* spec_fields.h: what spec.c and spec_linux.c share to read config.json: typed reads
 * of a member, each failing with the field's name as config.json spells it (where +
 * key: "process." + "cwd") and what was expected and found. Not part of the spec's
 * interface (spec.h). */
#ifndef OCI_SPEC_FIELDS_H
#define OCI_SPEC_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "spec.h"

/* What a JSON value is, for "found ..." ("an object", "a string", ...). */
const char *oci_spec_kind(const json_t *value);

/* A string member; *out stays as it was when absent and not required. */
int oci_spec_string(json_t *object, const char *key, const char *where, bool required,
                    const char **out, oci_error *err);
int oci_spec_bool(json_t *object, const char *key, const char *where, bool *out, oci_error *err);
/* An integer member within [low, high]; *present (may be NULL) says whether it was there. */
int oci_spec_integer(json_t *object, const char *key, const char *where, long long low,
                     long long high, long long *out, bool *present, oci_error *err);
/* An array of strings into a malloc'ed NULL-terminated list of borrowed pointers (an
 * empty list when absent); *count (may be NULL) gets its length. */
int oci_spec_strings(json_t *object, const char *key, const char *where, const char ***out,
                     size_t *count, oci_error *err);
/* An optional member that must be an object when present (null counts as absent). */
int oci_spec_object(json_t *object, const char *key, const char *where, json_t **out,
                    oci_error *err);

/* An array member (absent: none) whose items must all be objects: checked, and *out
 * allocated zeroed with room for one element of size bytes per item, plus one. */
int oci_spec_objects(json_t *array, const char *field, size_t size, void **out, oci_error *err);

/* MS_PRIVATE, MS_SLAVE | MS_REC, ... for "private", "rslave", ...; 0 when unknown. */
unsigned long oci_mount_propagation(const char *name);

/* The "linux" object into spec. */
int oci_spec_linux(json_t *linux_, oci_spec *spec, oci_error *err);

#endif

/* spec_fields.c: typed reads of config.json members (see spec_fields.h). */
#include "spec_fields.h"

#include <stdlib.h>
#include <string.h>

/* What a JSON value is, for "found ..." in messages. */
const char *oci_spec_kind(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* A string member; *out stays NULL when absent and not required. */
int oci_spec_string(json_t *object, const char *key, const char *where, bool required,
                    const char **out, oci_error *err)
{
    json_t *value = json_object_get(object, key);
    if (!value) {
        if (required) return oci_fail(err, "field %s%s: expected a string, found none", where, key);
        return 0;
    }
    if (!json_is_string(value))
        return oci_fail(err, "field %s%s: expected a string, found %s", where, key,
                        oci_spec_kind(value));
    *out = json_string_value(value);
    return 0;
}

int oci_spec_bool(json_t *object, const char *key, const char *where, bool *out, oci_error *err)
{
    json_t *value = json_object_get(object, key);
    if (!value) return 0;
    if (!json_is_boolean(value))
        return oci_fail(err, "field %s%s: expected true or false, found %s", where, key,
                        oci_spec_kind(value));
    *out = json_is_true(value);
    return 0;
}

/* An integer member within [low, high]; *present says whether it was there. */
int oci_spec_integer(json_t *object, const char *key, const char *where, long long low,
                     long long high, long long *out, bool *present, oci_error *err)
{
    json_t *value = json_object_get(object, key);
    if (present) *present = value != NULL;
    if (!value) return 0;
    if (!json_is_integer(value) || json_integer_value(value) < low ||
        json_integer_value(value) > high)
        return oci_fail(err, "field %s%s: expected an integer from %lld to %lld, found %s", where,
                        key, low, high,
                        json_is_integer(value) ? "one out of range" : oci_spec_kind(value));
    *out = json_integer_value(value);
    return 0;
}

/* An array of strings into a malloc'ed NULL-terminated list of borrowed pointers;
 * absent: an empty list. */
int oci_spec_strings(json_t *object, const char *key, const char *where, const char ***out,
                     size_t *count, oci_error *err)
{
    json_t *array = json_object_get(object, key);
    if (array && !json_is_array(array))
        return oci_fail(err, "field %s%s: expected an array of strings, found %s", where, key,
                        oci_spec_kind(array));
    size_t n = array ? json_array_size(array) : 0;
    const char **list = calloc(n + 1, sizeof *list);
    if (!list) return oci_fail(err, "field %s%s: out of memory", where, key);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(array, i);
        if (!json_is_string(item)) {
            free(list);
            return oci_fail(err, "field %s%s[%zu]: expected a string, found %s", where, key, i,
                            oci_spec_kind(item));
        }
        list[i] = json_string_value(item);
    }
    *out = list;
    if (count) *count = n;
    return 0;
}

/* An optional member that must be an object when present. */
int oci_spec_object(json_t *object, const char *key, const char *where, json_t **out,
                    oci_error *err)
{
    json_t *value = json_object_get(object, key);
    *out = NULL;
    if (!value || json_is_null(value)) return 0;
    if (!json_is_object(value))
        return oci_fail(err, "field %s%s: expected an object, found %s", where, key,
                        oci_spec_kind(value));
    *out = value;
    return 0;
}

int oci_spec_objects(json_t *array, const char *field, size_t size, void **out, oci_error *err)
{
    *out = NULL;
    if (!array) return 0;
    if (!json_is_array(array))
        return oci_fail(err, "field %s: expected an array, found %s", field, oci_spec_kind(array));
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        if (!json_is_object(item))
            return oci_fail(err, "field %s[%zu]: expected an object, found %s", field, i,
                            oci_spec_kind(item));
    }
    *out = calloc(json_array_size(array) + 1, size);
    return *out ? 0 : oci_fail(err, "field %s: out of memory", field);
}

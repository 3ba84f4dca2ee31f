/* spec_value.c: wast2json values to wasmrt values and back, and how a result is
 * matched against an expectation (exact bits, NaN classes, references).
 *
 * wast2json writes every number as the decimal string of its unsigned bits, floats
 * included, so values are parsed as bit patterns and never pass through a C float.
 * An externref written as a number N becomes the opaque host pointer N + 1, so that
 * "ref.extern 0" is not the null reference. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static const uint32_t F32_EXP_MASK = 0x7f800000u;
static const uint32_t F32_QUIET = 0x00400000u;
static const uint64_t F64_EXP_MASK = 0x7ff0000000000000ull;
static const uint64_t F64_QUIET = 0x0008000000000000ull;

static int spec_type_parse(const char *name, wasmrt_valtype *out)
{
    static const struct {
        const char *name;
        wasmrt_valtype type;
    } types[] = {
        {"i32", WASMRT_I32},
        {"i64", WASMRT_I64},
        {"f32", WASMRT_F32},
        {"f64", WASMRT_F64},
        {"v128", WASMRT_V128},
        {"funcref", WASMRT_FUNCREF},
        {"externref", WASMRT_EXTERNREF},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(types[i].name, name) == 0) {
            *out = types[i].type;
            return 0;
        }
    }
    return -1;
}

static int spec_bits_parse(const char *text, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v > max) return -1;
    *out = v;
    return 0;
}

/* The shared part of argument and expectation parsing. allow_nan: accept the
 * nan:canonical / nan:arithmetic patterns of expectations. */
static int spec_parse(json_t *json, spec_expect *out, int allow_nan, char *err, size_t err_size)
{
    const char *type_name = json_string_value(json_object_get(json, "type"));
    json_t *value_json = json_object_get(json, "value");
    const char *text = json_string_value(value_json);
    wasmrt_valtype type;

    memset(out, 0, sizeof *out);
    if (!type_name || spec_type_parse(type_name, &type) != 0) {
        snprintf(err, err_size,
                 "value: expected a type i32|i64|f32|f64|funcref|externref, found %s",
                 type_name ? type_name : "none");
        return -1;
    }
    out->value.type = type;
    out->kind = SPEC_EXPECT_EXACT;
    if (type == WASMRT_V128) {
        snprintf(err, err_size, "value: v128 is not supported by wasmrt yet");
        return -1;
    }
    if (type == WASMRT_FUNCREF || type == WASMRT_EXTERNREF) {
        uint64_t n;
        if (!value_json && allow_nan) {
            out->kind = SPEC_EXPECT_NON_NULL;
            return 0;
        }
        if (text && strcmp(text, "null") == 0) {
            out->value.of.ref = NULL;
            return 0;
        }
        if (type == WASMRT_EXTERNREF && text && spec_bits_parse(text, UINT32_MAX, &n) == 0) {
            out->value.of.ref = (void *)(uintptr_t)(n + 1);
            return 0;
        }
        snprintf(err, err_size, "value: expected %s null%s, found %s", type_name,
                 type == WASMRT_EXTERNREF ? " or a number" : "", text ? text : "nothing");
        return -1;
    }
    if (!text) {
        snprintf(err, err_size, "value: expected a string value for %s, found none", type_name);
        return -1;
    }
    if (allow_nan && (type == WASMRT_F32 || type == WASMRT_F64)) {
        if (strcmp(text, "nan:canonical") == 0) {
            out->kind = SPEC_EXPECT_NAN_CANONICAL;
            return 0;
        }
        if (strcmp(text, "nan:arithmetic") == 0) {
            out->kind = SPEC_EXPECT_NAN_ARITHMETIC;
            return 0;
        }
    }
    uint64_t bits;
    uint64_t max = (type == WASMRT_I32 || type == WASMRT_F32) ? UINT32_MAX : UINT64_MAX;
    if (spec_bits_parse(text, max, &bits) != 0) {
        snprintf(err, err_size, "value: expected the unsigned decimal bits of a %s, found '%s'",
                 type_name, text);
        return -1;
    }
    switch (type) {
    case WASMRT_I32:
        out->value.of.i64 = 0;
        out->value.of.i32 = (int32_t)(uint32_t)bits;
        break;
    case WASMRT_F32:
        out->value.of.i64 = 0;
        out->value.of.f32_bits = (uint32_t)bits;
        break;
    case WASMRT_I64:
        out->value.of.i64 = (int64_t)bits;
        break;
    default:
        out->value.of.f64_bits = bits;
        break;
    }
    return 0;
}

int spec_value_parse(json_t *json, wasmrt_value *out, char *err, size_t err_size)
{
    spec_expect e;
    if (spec_parse(json, &e, 0, err, err_size) != 0) return -1;
    *out = e.value;
    return 0;
}

int spec_expect_parse(json_t *json, spec_expect *out, char *err, size_t err_size)
{
    return spec_parse(json, out, 1, err, err_size);
}

int spec_expect_matches(const spec_expect *expect, wasmrt_value actual)
{
    wasmrt_valtype type = expect->value.type;
    if (actual.type != type) return 0;
    switch (expect->kind) {
    case SPEC_EXPECT_NON_NULL:
        return actual.of.ref != NULL;
    case SPEC_EXPECT_NAN_CANONICAL:
        if (type == WASMRT_F32)
            return (actual.of.f32_bits & ~0x80000000u) == (F32_EXP_MASK | F32_QUIET);
        return (actual.of.f64_bits & ~(1ull << 63)) == (F64_EXP_MASK | F64_QUIET);
    case SPEC_EXPECT_NAN_ARITHMETIC:
        if (type == WASMRT_F32)
            return (actual.of.f32_bits & (F32_EXP_MASK | F32_QUIET)) == (F32_EXP_MASK | F32_QUIET);
        return (actual.of.f64_bits & (F64_EXP_MASK | F64_QUIET)) == (F64_EXP_MASK | F64_QUIET);
    case SPEC_EXPECT_EXACT:
        break;
    }
    switch (type) {
    case WASMRT_I32:
        return actual.of.i32 == expect->value.of.i32;
    case WASMRT_F32:
        return actual.of.f32_bits == expect->value.of.f32_bits;
    case WASMRT_I64:
        return actual.of.i64 == expect->value.of.i64;
    case WASMRT_F64:
        return actual.of.f64_bits == expect->value.of.f64_bits;
    case WASMRT_FUNCREF:
        /* Scripts can only name the null funcref; any other is "ref.func" (non-null). */
        return (actual.of.ref == NULL) == (expect->value.of.ref == NULL);
    case WASMRT_EXTERNREF:
        return actual.of.ref == expect->value.of.ref;
    default:
        return 0;
    }
}

void spec_value_format(wasmrt_value value, char *buf, size_t size)
{
    const char *t = wasmrt_valtype_name(value.type);
    switch (value.type) {
    case WASMRT_I32:
        snprintf(buf, size, "%s:%" PRIu32, t, (uint32_t)value.of.i32);
        break;
    case WASMRT_I64:
        snprintf(buf, size, "%s:%" PRIu64, t, (uint64_t)value.of.i64);
        break;
    case WASMRT_F32:
        snprintf(buf, size, "%s:0x%08" PRIx32 " (%g)", t, value.of.f32_bits,
                 (double)wasmrt_value_f32(value));
        break;
    case WASMRT_F64:
        snprintf(buf, size, "%s:0x%016" PRIx64 " (%g)", t, value.of.f64_bits,
                 wasmrt_value_f64(value));
        break;
    case WASMRT_FUNCREF:
        snprintf(buf, size, "%s:%s", t, value.of.ref ? "non-null" : "null");
        break;
    case WASMRT_EXTERNREF:
        if (value.of.ref)
            snprintf(buf, size, "%s:%" PRIuPTR, t, (uintptr_t)value.of.ref - 1);
        else
            snprintf(buf, size, "%s:null", t);
        break;
    default:
        snprintf(buf, size, "type 0x%02x", (unsigned)value.type);
        break;
    }
}

void spec_expect_format(const spec_expect *expect, char *buf, size_t size)
{
    const char *t = wasmrt_valtype_name(expect->value.type);
    switch (expect->kind) {
    case SPEC_EXPECT_NAN_CANONICAL:
        snprintf(buf, size, "%s:nan:canonical", t);
        break;
    case SPEC_EXPECT_NAN_ARITHMETIC:
        snprintf(buf, size, "%s:nan:arithmetic", t);
        break;
    case SPEC_EXPECT_NON_NULL:
        snprintf(buf, size, "%s:non-null", t);
        break;
    case SPEC_EXPECT_EXACT:
        spec_value_format(expect->value, buf, size);
        break;
    }
}

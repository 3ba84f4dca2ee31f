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

/* A v128 {"type": "v128", "lane_type": "i8".."f64", "value": [lanes...]}: each lane
 * the unsigned decimal bits of its lane type, or in expectations a NaN class. */
static int spec_v128_parse(json_t *json, spec_expect *out, int allow_nan, char *err,
                           size_t err_size)
{
    static const struct {
        const char *name;
        unsigned bytes;
        int is_float;
    } shapes[] = {{"i8", 1, 0}, {"i16", 2, 0}, {"i32", 4, 0}, {"i64", 8, 0},
                  {"f32", 4, 1}, {"f64", 8, 1}};
    const char *lane_type = json_string_value(json_object_get(json, "lane_type"));
    json_t *lanes = json_object_get(json, "value");
    unsigned bytes = 0;
    int is_float = 0;
    for (size_t i = 0; lane_type && i < sizeof shapes / sizeof shapes[0]; i++)
        if (strcmp(shapes[i].name, lane_type) == 0) {
            bytes = shapes[i].bytes;
            is_float = shapes[i].is_float;
        }
    if (!bytes || json_array_size(lanes) != 16 / bytes) {
        snprintf(err, err_size, "value: expected a v128 with lane_type i8|i16|i32|i64|f32|f64 "
                 "and 16/width lanes, found lane_type %s with %zu lanes",
                 lane_type ? lane_type : "none", json_array_size(lanes));
        return -1;
    }
    out->lane_bytes = bytes;
    uint8_t raw[16] = {0};
    for (unsigned i = 0; i < 16 / bytes; i++) {
        const char *text = json_string_value(json_array_get(lanes, i));
        out->lanes[i] = SPEC_EXPECT_EXACT;
        if (text && allow_nan && is_float && strcmp(text, "nan:canonical") == 0) {
            out->lanes[i] = SPEC_EXPECT_NAN_CANONICAL;
            continue;
        }
        if (text && allow_nan && is_float && strcmp(text, "nan:arithmetic") == 0) {
            out->lanes[i] = SPEC_EXPECT_NAN_ARITHMETIC;
            continue;
        }
        uint64_t bits, max = bytes == 8 ? UINT64_MAX : (1ull << (8 * bytes)) - 1;
        if (!text || spec_bits_parse(text, max, &bits) != 0) {
            snprintf(err, err_size, "value: expected the unsigned decimal bits of a %s lane, "
                     "found '%s'", lane_type, text ? text : "nothing");
            return -1;
        }
        memcpy(raw + i * bytes, &bits, bytes); /* little-endian, as the lanes are */
    }
    memcpy(out->value.of.v128, raw, 16);
    return 0;
}

/* One lane of a v128 result against its expectation. */
static int spec_lane_matches(const spec_expect *e, const uint8_t *actual, unsigned i)
{
    uint64_t want = 0, got = 0;
    memcpy(&want, (const uint8_t *)e->value.of.v128 + i * e->lane_bytes, e->lane_bytes);
    memcpy(&got, actual + i * e->lane_bytes, e->lane_bytes);
    if (e->lanes[i] == SPEC_EXPECT_EXACT)
        return want == got;
    uint64_t exp = e->lane_bytes == 4 ? F32_EXP_MASK : F64_EXP_MASK;
    uint64_t quiet = e->lane_bytes == 4 ? F32_QUIET : F64_QUIET;
    uint64_t sign = e->lane_bytes == 4 ? 0x80000000u : 1ull << 63;
    if (e->lanes[i] == SPEC_EXPECT_NAN_CANONICAL)
        return (got & ~sign) == (exp | quiet);
    return (got & (exp | quiet)) == (exp | quiet);
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
    if (type == WASMRT_V128)
        return spec_v128_parse(json, out, allow_nan, err, err_size);
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
    if (type == WASMRT_V128) {
        for (unsigned i = 0; i < 16 / expect->lane_bytes; i++)
            if (!spec_lane_matches(expect, (const uint8_t *)actual.of.v128, i))
                return 0;
        return 1;
    }
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
    case WASMRT_V128: {
        /* bytes 15..0, most significant first, as one 128-bit hex number */
        const uint8_t *b = (const uint8_t *)value.of.v128;
        int n = snprintf(buf, size, "%s:0x", t);
        for (int i = 15; i >= 0 && n > 0 && (size_t)n < size; i--)
            n += snprintf(buf + n, size - (size_t)n, "%02x", b[i]);
        break;
    }
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
        if (expect->value.type != WASMRT_V128) {
            spec_value_format(expect->value, buf, size);
            break;
        }
        /* lane by lane (little-endian lane order), NaN classes by name */
        int n = snprintf(buf, size, "v128:i%u[", 8 * expect->lane_bytes);
        for (unsigned i = 0; i < 16 / expect->lane_bytes && n > 0 && (size_t)n < size; i++) {
            uint64_t lane = 0;
            memcpy(&lane, (const uint8_t *)expect->value.of.v128 + i * expect->lane_bytes,
                   expect->lane_bytes);
            if (expect->lanes[i] == SPEC_EXPECT_NAN_CANONICAL)
                n += snprintf(buf + n, size - (size_t)n, "%snan:canonical", i ? " " : "");
            else if (expect->lanes[i] == SPEC_EXPECT_NAN_ARITHMETIC)
                n += snprintf(buf + n, size - (size_t)n, "%snan:arithmetic", i ? " " : "");
            else
                n += snprintf(buf + n, size - (size_t)n, "%s%#" PRIx64, i ? " " : "", lane);
        }
        if (n > 0 && (size_t)n < size)
            snprintf(buf + n, size - (size_t)n, "]");
        break;
    }
}

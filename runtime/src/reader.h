/* reader.h: a bounds-checked cursor over the module binary with the spec's LEB128
 * rules, shared by the decoder (sections) and the function-body walker (compile.c).
 * Every failure fills the error with the byte offset and the spec's phrase. */
#ifndef WASMRT_READER_H
#define WASMRT_READER_H

#include <stdint.h>
#include <string.h>

#include "engine.h"

typedef struct reader {
    const uint8_t *base; /* start of the module binary: offsets are relative to it */
    const uint8_t *p, *end;
    int at_file_end;     /* end is the end of the file, not of a section or function */
    wasmrt_error *error;
    wasmrt_status status;
} reader;

static inline size_t reader_offset(const reader *r)
{
    return (size_t)(r->p - r->base);
}

static inline int reader_fail(reader *r, wasmrt_status status, const char *what)
{
    if (r->status == WASMRT_OK)
        r->status = error_set(r->error, status, reader_offset(r), "%s", what);
    return 0;
}

static inline int reader_eof(reader *r)
{
    return reader_fail(r, WASMRT_ERR_MALFORMED,
                       r->at_file_end ? "unexpected end" : "unexpected end of section or function");
}

static inline int reader_byte(reader *r, uint8_t *out)
{
    if (r->p >= r->end)
        return reader_eof(r);
    *out = *r->p++;
    return 1;
}

/* Unsigned LEB128 of at most `bits` bits. */
static inline int reader_uleb(reader *r, unsigned bits, uint64_t *out)
{
    uint64_t result = 0;
    unsigned shift = 0;
    for (;;) {
        uint8_t b;
        if (!reader_byte(r, &b))
            return 0;
        if (shift + 7 >= bits && shift < bits) {
            /* last permitted byte: no continuation, no bits beyond `bits` */
            if (b & 0x80)
                return reader_fail(r, WASMRT_ERR_MALFORMED, "integer representation too long");
            if (bits - shift < 7 && (b >> (bits - shift)) != 0)
                return reader_fail(r, WASMRT_ERR_MALFORMED, "integer too large");
        }
        result |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    *out = result;
    return 1;
}

static inline int reader_u32(reader *r, uint32_t *out)
{
    /* most indices fit one byte: no loop, no limit checks needed */
    if (r->p < r->end && *r->p < 0x80) {
        *out = *r->p++;
        return 1;
    }
    uint64_t v;
    if (!reader_uleb(r, 32, &v))
        return 0;
    *out = (uint32_t)v;
    return 1;
}

/* Signed LEB128 of at most `bits` bits (32 or 64, or 33 for block types). */
static inline int reader_sleb(reader *r, unsigned bits, int64_t *out)
{
    /* one byte (-64..63) is the common constant; any width of 8 bits or more takes it */
    if (bits >= 8 && r->p < r->end && *r->p < 0x80) {
        uint8_t b = *r->p++;
        *out = (b & 0x40) ? (int64_t)b - 128 : (int64_t)b;
        return 1;
    }
    uint64_t result = 0;
    unsigned shift = 0;
    uint8_t b;
    for (;;) {
        if (!reader_byte(r, &b))
            return 0;
        if (shift + 7 >= bits) {
            if (b & 0x80)
                return reader_fail(r, WASMRT_ERR_MALFORMED, "integer representation too long");
            /* the unused high bits must all equal the sign bit */
            unsigned used = bits - shift; /* bits of this byte that carry value */
            int sign = (b >> (used - 1)) & 1;
            uint8_t high = (uint8_t)((b & 0x7f) >> used);
            uint8_t expect = sign ? (uint8_t)(0x7f >> used) : 0;
            if (high != expect)
                return reader_fail(r, WASMRT_ERR_MALFORMED, "integer too large");
        }
        result |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    if (shift < 64 && (b & 0x40))
        result |= ~(uint64_t)0 << shift;
    *out = (int64_t)result;
    return 1;
}

static inline int reader_bytes(reader *r, size_t n, const uint8_t **out)
{
    if ((size_t)(r->end - r->p) < n) {
        r->p = r->end;
        return reader_eof(r);
    }
    *out = r->p;
    r->p += n;
    return 1;
}

static inline int reader_fixed32(reader *r, uint32_t *out)
{
    const uint8_t *b;
    if (!reader_bytes(r, 4, &b))
        return 0;
    memcpy(out, b, 4);
    return 1;
}

static inline int reader_fixed64(reader *r, uint64_t *out)
{
    const uint8_t *b;
    if (!reader_bytes(r, 8, &b))
        return 0;
    memcpy(out, b, 8);
    return 1;
}

#endif

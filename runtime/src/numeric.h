/* numeric.h: Wasm's float and conversion semantics that C does not give directly:
 * bit casts, min/max with NaN and signed zeros, trapping-range checks and saturating
 * truncation. Used by interp.c. */
#ifndef WASMRT_NUMERIC_H
#define WASMRT_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float num_f32(uint64_t bits)
{
    uint32_t b = (uint32_t)bits;
    float f;
    memcpy(&f, &b, 4);
    return f;
}
static inline double num_f64(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, 8);
    return d;
}
static inline uint64_t num_f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static inline uint64_t num_f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* The NaN an operation on two operands returns when either is one: the first if it is
 * a NaN, else the second, made quiet. It is what x86's scalar SSE instructions do, so
 * compiled code (src/jit/ops_float.c) and C agree bit for bit, whatever order a C
 * compiler gives the operands of a commutative `a + b`. */
static inline float num_f32_nan2(float a, float b)
{
    uint32_t bits = (uint32_t)num_f32_bits(isnan(a) ? a : b) | 0x00400000u;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}
static inline double num_f64_nan2(double a, double b)
{
    uint64_t bits = num_f64_bits(isnan(a) ? a : b) | 0x0008000000000000ull;
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

static inline float num_f32_min(float a, float b)
{
    if (isnan(a) || isnan(b))
        return num_f32_nan2(a, b);
    if (a == b) /* +0 and -0: the negative one */
        return num_f32((uint32_t)num_f32_bits(a) | (uint32_t)num_f32_bits(b));
    return a < b ? a : b;
}
static inline float num_f32_max(float a, float b)
{
    if (isnan(a) || isnan(b))
        return num_f32_nan2(a, b);
    if (a == b)
        return num_f32((uint32_t)num_f32_bits(a) & (uint32_t)num_f32_bits(b));
    return a > b ? a : b;
}
static inline double num_f64_min(double a, double b)
{
    if (isnan(a) || isnan(b))
        return num_f64_nan2(a, b);
    if (a == b)
        return num_f64(num_f64_bits(a) | num_f64_bits(b));
    return a < b ? a : b;
}
static inline double num_f64_max(double a, double b)
{
    if (isnan(a) || isnan(b))
        return num_f64_nan2(a, b);
    if (a == b)
        return num_f64(num_f64_bits(a) & num_f64_bits(b));
    return a > b ? a : b;
}

/* Rounding that returns a signalling NaN quieted, as Wasm requires (libm may
 * return the operand unchanged). */
#define NUM_ROUND(name, T, fn)                                                           \
    static inline T name(T x) { return isnan(x) ? x + x : fn(x); }
NUM_ROUND(num_ceilf, float, ceilf)
NUM_ROUND(num_floorf, float, floorf)
NUM_ROUND(num_truncf, float, truncf)
NUM_ROUND(num_rintf, float, rintf)
NUM_ROUND(num_ceil, double, ceil)
NUM_ROUND(num_floor, double, floor)
NUM_ROUND(num_trunc, double, trunc)
NUM_ROUND(num_rint, double, rint)

/* Truncation ranges: the open or half-open interval of values that fit. */
static inline int num_fits_i32_s(double x) { return x > -2147483649.0 && x < 2147483648.0; }
static inline int num_fits_i32_u(double x) { return x > -1.0 && x < 4294967296.0; }
static inline int num_fits_i64_s(double x)
{
    return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}
static inline int num_fits_i64_u(double x) { return x > -1.0 && x < 18446744073709551616.0; }

static inline uint32_t num_sat_i32_s(double x)
{
    if (isnan(x)) return 0;
    if (x <= -2147483648.0) return 0x80000000u;
    if (x >= 2147483647.0) return 0x7fffffffu;
    return (uint32_t)(int32_t)x;
}
static inline uint32_t num_sat_i32_u(double x)
{
    if (isnan(x) || x <= 0) return 0;
    if (x >= 4294967295.0) return 0xffffffffu;
    return (uint32_t)x;
}
static inline uint64_t num_sat_i64_s(double x)
{
    if (isnan(x)) return 0;
    if (x <= -9223372036854775808.0) return 0x8000000000000000ull;
    if (x >= 9223372036854775808.0) return 0x7fffffffffffffffull;
    return (uint64_t)(int64_t)x;
}
static inline uint64_t num_sat_i64_u(double x)
{
    if (isnan(x) || x <= 0) return 0;
    if (x >= 18446744073709551616.0) return 0xffffffffffffffffull;
    return (uint64_t)x;
}

#endif

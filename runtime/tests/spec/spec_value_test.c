/* spec_value_test.c: how the spec runner reads wast2json values and matches results;
 * the runner's verdicts are only as good as these rules (NaN classes above all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "spec.h"

static int parse_expect(const char *type, const char *value, spec_expect *out)
{
    char err[200];
    json_t *j = value ? json_pack("{s:s, s:s}", "type", type, "value", value)
                      : json_pack("{s:s}", "type", type);
    int rc = spec_expect_parse(j, out, err, sizeof err);
    json_decref(j);
    return rc;
}

static wasmrt_value f32_bits(uint32_t bits)
{
    wasmrt_value v = {.type = WASMRT_F32};
    v.of.i64 = 0;
    v.of.f32_bits = bits;
    return v;
}

static wasmrt_value f64_bits(uint64_t bits)
{
    wasmrt_value v = {.type = WASMRT_F64};
    v.of.f64_bits = bits;
    return v;
}

static void test_i32_is_read_as_unsigned_bits(void **state)
{
    spec_expect e;
    (void)state;
    assert_int_equal(parse_expect("i32", "4294967295", &e), 0);
    assert_true(spec_expect_matches(&e, wasmrt_i32(-1)));
    assert_false(spec_expect_matches(&e, wasmrt_i64(-1)));
}

static void test_out_of_range_numbers_are_rejected(void **state)
{
    spec_expect e;
    (void)state;
    assert_int_not_equal(parse_expect("i32", "4294967296", &e), 0);
    assert_int_not_equal(parse_expect("i64", "18446744073709551616", &e), 0);
    assert_int_not_equal(parse_expect("i32", "12x", &e), 0);
    assert_int_not_equal(parse_expect("v128", "0", &e), 0);
}

static void test_f32_matches_bits_not_value(void **state)
{
    spec_expect e;
    (void)state;
    assert_int_equal(parse_expect("f32", "2147483648", &e), 0); /* -0.0 */
    assert_true(spec_expect_matches(&e, f32_bits(0x80000000u)));
    assert_false(spec_expect_matches(&e, f32_bits(0)));
}

static void test_canonical_nan_allows_only_the_sign(void **state)
{
    spec_expect e;
    (void)state;
    assert_int_equal(parse_expect("f32", "nan:canonical", &e), 0);
    assert_true(spec_expect_matches(&e, f32_bits(0x7fc00000u)));
    assert_true(spec_expect_matches(&e, f32_bits(0xffc00000u)));
    assert_false(spec_expect_matches(&e, f32_bits(0x7fc00001u)));
    assert_false(spec_expect_matches(&e, f32_bits(0x7f800000u))); /* infinity */
    assert_int_equal(parse_expect("f64", "nan:canonical", &e), 0);
    assert_true(spec_expect_matches(&e, f64_bits(0xfff8000000000000ull)));
    assert_false(spec_expect_matches(&e, f64_bits(0x7ff8000000000001ull)));
}

static void test_arithmetic_nan_needs_the_quiet_bit(void **state)
{
    spec_expect e;
    (void)state;
    assert_int_equal(parse_expect("f32", "nan:arithmetic", &e), 0);
    assert_true(spec_expect_matches(&e, f32_bits(0x7fc00001u)));
    assert_true(spec_expect_matches(&e, f32_bits(0xffffffffu)));
    assert_false(spec_expect_matches(&e, f32_bits(0x7fa00000u))); /* signalling */
    assert_int_equal(parse_expect("f64", "nan:arithmetic", &e), 0);
    assert_true(spec_expect_matches(&e, f64_bits(0x7ffc000000000000ull)));
    assert_false(spec_expect_matches(&e, f64_bits(0x7ff4000000000000ull)));
}

static void test_nan_patterns_are_not_arguments(void **state)
{
    char err[200];
    wasmrt_value v;
    (void)state;
    json_t *j = json_pack("{s:s, s:s}", "type", "f32", "value", "nan:canonical");
    assert_int_not_equal(spec_value_parse(j, &v, err, sizeof err), 0);
    json_decref(j);
}

static void test_externref_numbers_are_distinct_non_null_pointers(void **state)
{
    spec_expect zero, one, null;
    char err[200];
    wasmrt_value arg;
    (void)state;
    assert_int_equal(parse_expect("externref", "0", &zero), 0);
    assert_int_equal(parse_expect("externref", "1", &one), 0);
    assert_int_equal(parse_expect("externref", "null", &null), 0);
    assert_non_null(zero.value.of.ref);
    assert_ptr_not_equal(zero.value.of.ref, one.value.of.ref);
    assert_null(null.value.of.ref);
    json_t *j = json_pack("{s:s, s:s}", "type", "externref", "value", "1");
    assert_int_equal(spec_value_parse(j, &arg, err, sizeof err), 0);
    json_decref(j);
    assert_true(spec_expect_matches(&one, arg));
    assert_false(spec_expect_matches(&zero, arg));
    assert_false(spec_expect_matches(&null, arg));
}

static void test_funcref_without_value_means_non_null(void **state)
{
    spec_expect any, null;
    wasmrt_value f = {.type = WASMRT_FUNCREF};
    (void)state;
    assert_int_equal(parse_expect("funcref", NULL, &any), 0);
    assert_int_equal(parse_expect("funcref", "null", &null), 0);
    f.of.ref = NULL;
    assert_false(spec_expect_matches(&any, f));
    assert_true(spec_expect_matches(&null, f));
    f.of.ref = &any; /* any non-null pointer stands for a function here */
    assert_true(spec_expect_matches(&any, f));
    assert_false(spec_expect_matches(&null, f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i32_is_read_as_unsigned_bits),
        cmocka_unit_test(test_out_of_range_numbers_are_rejected),
        cmocka_unit_test(test_f32_matches_bits_not_value),
        cmocka_unit_test(test_canonical_nan_allows_only_the_sign),
        cmocka_unit_test(test_arithmetic_nan_needs_the_quiet_bit),
        cmocka_unit_test(test_nan_patterns_are_not_arguments),
        cmocka_unit_test(test_externref_numbers_are_distinct_non_null_pointers),
        cmocka_unit_test(test_funcref_without_value_means_non_null),
    };
    return cmocka_run_group_tests_name("spec_value", tests, NULL, NULL);
}

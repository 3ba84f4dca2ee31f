/* test_load_histogram.c: the load histogram on data whose percentiles are known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "load/load.h"

static load_histogram *new_histogram(void)
{
    load_histogram *h = malloc(sizeof *h);
    assert_non_null(h);
    load_histogram_reset(h);
    return h;
}

/* |found - expected| <= 1% of expected: the histogram's promised precision. */
static void assert_within_one_percent(uint64_t found, uint64_t expected)
{
    double diff = (double)found - (double)expected;
    if (diff < 0) diff = -diff;
    if (diff > 0.01 * (double)expected)
        fail_msg("expected %llu within 1%%, found %llu", (unsigned long long)expected,
                 (unsigned long long)found);
}

static void test_empty_histogram_reports_zero(void **state)
{
    (void)state;
    load_histogram *h = new_histogram();
    assert_int_equal(load_histogram_percentile(h, 50), 0);
    assert_int_equal(load_histogram_percentile(h, 100), 0);
    assert_true(load_histogram_mean(h) == 0.0);
    free(h);
}

static void test_small_values_are_exact(void **state)
{
    (void)state;
    load_histogram *h = new_histogram();
    for (uint64_t v = 1; v <= 100; v++)
        load_histogram_record(h, v);
    assert_int_equal(load_histogram_percentile(h, 50), 50);
    assert_int_equal(load_histogram_percentile(h, 90), 90);
    assert_int_equal(load_histogram_percentile(h, 99), 99);
    assert_int_equal(load_histogram_percentile(h, 100), 100);
    assert_int_equal(h->min, 1);
    assert_true(load_histogram_mean(h) == 50.5);
    free(h);
}

static void test_uniform_microseconds_give_known_percentiles(void **state)
{
    (void)state;
    load_histogram *h = new_histogram();
    /* 1..100000 us in ns: the p-th percentile is p * 1000 us. */
    for (uint64_t us = 1; us <= 100000; us++)
        load_histogram_record(h, us * 1000);
    assert_within_one_percent(load_histogram_percentile(h, 50), 50000000);
    assert_within_one_percent(load_histogram_percentile(h, 90), 90000000);
    assert_within_one_percent(load_histogram_percentile(h, 99), 99000000);
    assert_within_one_percent(load_histogram_percentile(h, 99.9), 99900000);
    assert_int_equal(load_histogram_percentile(h, 100), 100000000);
    assert_int_equal(h->max, 100000000);
    assert_int_equal(h->count, 100000);
    free(h);
}

static void test_percentile_never_reports_below_the_true_value(void **state)
{
    (void)state;
    load_histogram *h = new_histogram();
    /* 99 fast requests and one slow one: p99 is fast, p99.9 and max are the slow one. */
    for (int i = 0; i < 99; i++)
        load_histogram_record(h, 1000000);
    load_histogram_record(h, 750000000);
    uint64_t p99 = load_histogram_percentile(h, 99);
    assert_true(p99 >= 1000000 && p99 <= 1010000);
    assert_int_equal(load_histogram_percentile(h, 99.9), 750000000);
    assert_int_equal(load_histogram_percentile(h, 100), 750000000);
    free(h);
}

static void test_buckets_are_contiguous_and_within_precision(void **state)
{
    (void)state;
    for (int i = 1; i < LOAD_HISTOGRAM_BUCKETS; i++) {
        uint64_t low = load_histogram_bucket_low(i), high = load_histogram_bucket_high(i);
        assert_int_equal(low, load_histogram_bucket_high(i - 1) + 1);
        assert_true((double)(high - low + 1) <= (double)low / 128.0 + 1.0);
    }
}

static void test_huge_values_are_clamped_not_lost(void **state)
{
    (void)state;
    load_histogram *h = new_histogram();
    load_histogram_record(h, UINT64_MAX / 2);
    assert_int_equal(h->count, 1);
    assert_int_equal(h->max, UINT64_MAX / 2);
    assert_int_equal(h->buckets[LOAD_HISTOGRAM_BUCKETS - 1], 1);
    free(h);
}

static void test_merge_adds_counts_and_extremes(void **state)
{
    (void)state;
    load_histogram *a = new_histogram(), *b = new_histogram();
    for (uint64_t v = 1000; v <= 2000; v++)
        load_histogram_record(a, v);
    for (uint64_t v = 5000; v <= 6000; v++)
        load_histogram_record(b, v);
    load_histogram_merge(a, b);
    assert_int_equal(a->count, 2002);
    assert_int_equal(a->min, 1000);
    assert_int_equal(a->max, 6000);
    assert_within_one_percent(load_histogram_percentile(a, 25), 1500);
    assert_within_one_percent(load_histogram_percentile(a, 75), 5500);
    free(a);
    free(b);
}

static void test_json_lists_only_filled_buckets(void **state)
{
    (void)state;
    load_histogram *h = new_histogram();
    load_histogram_record(h, 5);
    load_histogram_record(h, 5);
    load_histogram_record(h, 1000000);
    json_t *j = load_histogram_to_json(h);
    assert_string_equal(json_string_value(json_object_get(j, "unit")), "ns");
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 3);
    json_t *buckets = json_object_get(j, "buckets");
    assert_int_equal(json_array_size(buckets), 2);
    json_t *first = json_array_get(buckets, 0);
    assert_int_equal(json_integer_value(json_array_get(first, 0)), 5);
    assert_int_equal(json_integer_value(json_array_get(first, 2)), 2);
    json_t *second = json_array_get(buckets, 1);
    uint64_t low = (uint64_t)json_integer_value(json_array_get(second, 0));
    uint64_t high = (uint64_t)json_integer_value(json_array_get(second, 1));
    assert_true(low <= 1000000 && 1000000 <= high);
    json_decref(j);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_histogram_reports_zero),
        cmocka_unit_test(test_small_values_are_exact),
        cmocka_unit_test(test_uniform_microseconds_give_known_percentiles),
        cmocka_unit_test(test_percentile_never_reports_below_the_true_value),
        cmocka_unit_test(test_buckets_are_contiguous_and_within_precision),
        cmocka_unit_test(test_huge_values_are_clamped_not_lost),
        cmocka_unit_test(test_merge_adds_counts_and_extremes),
        cmocka_unit_test(test_json_lists_only_filled_buckets),
    };
    return cmocka_run_group_tests_name("load_histogram", tests, NULL, NULL);
}

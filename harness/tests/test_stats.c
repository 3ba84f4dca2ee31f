/* test_stats.c: the statistics module against values worked out by hand (and checked
 * with numpy/scipy conventions: type-7 quantiles, sample standard deviation, the
 * asymptotic Mann-Whitney test with tie and continuity corrections, the Mann-Kendall
 * trend test with the same corrections, Theil-Sen slopes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "../stats.h"

#define CLOSE(expected, actual) assert_true(fabs((expected) - (actual)) < 1e-9)
#define NEAR(expected, actual, tolerance) assert_true(fabs((expected) - (actual)) < (tolerance))

static const double one_to_ten[] = {7, 3, 10, 1, 5, 2, 9, 4, 8, 6};

static void summary_of_one_to_ten_has_known_order_statistics(void **state)
{
    (void)state;
    stats_summary s;
    stats_summarize(one_to_ten, 10, STATS_DEFAULT_SEED, &s);
    assert_int_equal(s.n, 10);
    CLOSE(1.0, s.min);
    CLOSE(10.0, s.max);
    CLOSE(5.5, s.mean);
    CLOSE(5.5, s.median);
    CLOSE(sqrt(55.0 / 6.0), s.stddev); /* sum of squares 82.5 over n-1 = 9 */
    CLOSE(2.5, s.mad);
    CLOSE(9.1, s.p90);
    CLOSE(9.91, s.p99);
    assert_int_equal(s.outliers, 0);
}

static void quantile_interpolates_between_order_statistics(void **state)
{
    (void)state;
    const double v[] = {10, 20, 30, 40};
    CLOSE(10.0, stats_quantile(v, 4, 0.0));
    CLOSE(25.0, stats_quantile(v, 4, 0.5));
    CLOSE(17.5, stats_quantile(v, 4, 0.25));
    CLOSE(40.0, stats_quantile(v, 4, 1.0));
    CLOSE(0.0, stats_quantile(v, 0, 0.5));
}

static void outlier_is_flagged_by_mad_rule(void **state)
{
    (void)state;
    const double v[] = {1, 2, 3, 4, 100};
    stats_summary s;
    stats_summarize(v, 5, STATS_DEFAULT_SEED, &s);
    CLOSE(3.0, s.median);
    CLOSE(1.0, s.mad); /* deviations 2,1,0,1,97 */
    assert_int_equal(s.outliers, 1);
    assert_true(stats_is_outlier(&s, 100.0));
    assert_false(stats_is_outlier(&s, 7.4)); /* limit 3 * 1.4826 = 4.4478 */
    assert_true(stats_is_outlier(&s, 7.5));
}

static void bootstrap_interval_contains_median_and_is_reproducible(void **state)
{
    (void)state;
    stats_summary first, second, other_seed;
    stats_summarize(one_to_ten, 10, 42, &first);
    stats_summarize(one_to_ten, 10, 42, &second);
    stats_summarize(one_to_ten, 10, 43, &other_seed);
    assert_true(first.ci_low <= first.median && first.median <= first.ci_high);
    assert_true(first.ci_low >= 1.0 && first.ci_high <= 10.0);
    assert_true(first.ci_low < first.ci_high);
    CLOSE(first.ci_low, second.ci_low);
    CLOSE(first.ci_high, second.ci_high);
    /* another seed gives an interval of about the same width, not the same numbers */
    NEAR(first.ci_high - first.ci_low, other_seed.ci_high - other_seed.ci_low, 2.0);
}

static void constant_samples_have_zero_spread(void **state)
{
    (void)state;
    const double v[] = {3, 3, 3, 3};
    stats_summary s;
    stats_summarize(v, 4, STATS_DEFAULT_SEED, &s);
    CLOSE(3.0, s.median);
    CLOSE(0.0, s.stddev);
    CLOSE(0.0, s.mad);
    CLOSE(3.0, s.ci_low);
    CLOSE(3.0, s.ci_high);
    assert_int_equal(s.outliers, 0);
}

static void empty_and_single_sample_sets(void **state)
{
    (void)state;
    stats_summary s;
    stats_summarize(NULL, 0, STATS_DEFAULT_SEED, &s);
    assert_int_equal(s.n, 0);
    CLOSE(0.0, s.median);
    const double one[] = {7.5};
    stats_summarize(one, 1, STATS_DEFAULT_SEED, &s);
    assert_int_equal(s.n, 1);
    CLOSE(7.5, s.median);
    CLOSE(0.0, s.stddev);
    CLOSE(7.5, s.ci_low);
    CLOSE(7.5, s.ci_high);
}

static void ratio_of_medians_with_interval(void **state)
{
    (void)state;
    const double a[] = {4, 4, 4}, b[] = {2, 2, 2};
    stats_ratio r;
    stats_ratio_of_medians(a, 3, b, 3, STATS_DEFAULT_SEED, &r);
    CLOSE(2.0, r.ratio);
    CLOSE(2.0, r.ci_low);
    CLOSE(2.0, r.ci_high);

    double doubled[10];
    for (int i = 0; i < 10; i++)
        doubled[i] = 2.0 * one_to_ten[i];
    stats_ratio_of_medians(doubled, 10, one_to_ten, 10, STATS_DEFAULT_SEED, &r);
    CLOSE(2.0, r.ratio);
    assert_true(r.ci_low < 2.0 && 2.0 < r.ci_high);

    const double zeros[] = {0, 0};
    stats_ratio_of_medians(a, 3, zeros, 2, STATS_DEFAULT_SEED, &r);
    assert_true(isnan(r.ratio));
}

static void mann_whitney_separated_samples(void **state)
{
    (void)state;
    const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
    stats_mann_whitney m;
    stats_mann_whitney_u(a, 3, b, 3, &m);
    CLOSE(0.0, m.u);
    /* mean 4.5, variance 3*3/12*7 = 5.25, continuity 0.5: z = -4/sqrt(5.25) */
    CLOSE(-4.0 / sqrt(5.25), m.z);
    NEAR(0.0808556, m.p_value, 1e-6);
}

static void mann_whitney_with_ties_and_identical_sets(void **state)
{
    (void)state;
    const double a[] = {1, 2, 2, 3}, b[] = {2, 3, 4, 5};
    stats_mann_whitney m;
    stats_mann_whitney_u(a, 4, b, 4, &m);
    /* ranks: 1->1, 2,2,2->3, 3,3->5.5, 4->7, 5->8; R_a = 1+3+3+5.5 = 12.5, U = 2.5 */
    CLOSE(2.5, m.u);
    /* ties: t=3 gives 24, t=2 gives 6: variance = 16/12 * (9 - 30/56) */
    double variance = 16.0 / 12.0 * (9.0 - 30.0 / 56.0);
    CLOSE(-(8.0 - 2.5 - 0.5) / sqrt(variance), m.z);
    NEAR(erfc(5.0 / sqrt(variance) / sqrt(2.0)), m.p_value, 1e-12);

    const double same[] = {5, 5, 5};
    stats_mann_whitney_u(same, 3, same, 3, &m);
    CLOSE(1.0, m.p_value);
}

static void fit_line_exact_and_noisy(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4}, y[] = {3, 5, 7, 9};
    stats_line l;
    stats_fit_line(x, y, 4, &l);
    CLOSE(2.0, l.slope);
    CLOSE(1.0, l.intercept);
    CLOSE(1.0, l.r2);
    CLOSE(0.0, l.slope_stderr);

    const double x3[] = {1, 2, 3}, y3[] = {1, 2, 2};
    stats_fit_line(x3, y3, 3, &l);
    CLOSE(0.5, l.slope);
    CLOSE(2.0 / 3.0, l.intercept);
    CLOSE(0.75, l.r2);
    CLOSE(sqrt(1.0 / 12.0), l.slope_stderr);

    stats_fit_line(x, y, 2, &l); /* two points: a line, but no error estimate */
    CLOSE(2.0, l.slope);
    CLOSE(0.0, l.slope_stderr);
}

static void fit_line_slope_interval_by_bootstrap(void **state)
{
    (void)state;
    const double x[] = {1, 10, 50, 100, 200}, exact[] = {102, 120, 200, 300, 500};
    double low, high;
    stats_fit_line_slope_interval(x, exact, 5, STATS_DEFAULT_SEED, &low, &high);
    CLOSE(2.0, low); /* every resample of points on one line has its slope */
    CLOSE(2.0, high);

    const double noisy[] = {103, 118, 203, 296, 502};
    stats_line line;
    stats_fit_line(x, noisy, 5, &line);
    stats_fit_line_slope_interval(x, noisy, 5, STATS_DEFAULT_SEED, &low, &high);
    assert_true(low < line.slope && line.slope < high);
    assert_true(high - low < 0.2);
    double again_low, again_high;
    stats_fit_line_slope_interval(x, noisy, 5, STATS_DEFAULT_SEED, &again_low, &again_high);
    CLOSE(low, again_low); /* seeded: the same interval every time */
    CLOSE(high, again_high);

    stats_fit_line_slope_interval(x, noisy, 2, STATS_DEFAULT_SEED, &low, &high);
    assert_true(isnan(low) && isnan(high));
}

static void lag1_autocorrelation_of_trend_and_alternation(void **state)
{
    (void)state;
    const double rising[] = {1, 2, 3, 4, 5};
    CLOSE(0.4, stats_lag1_autocorrelation(rising, 5)); /* products 4 over squares 10 */
    const double alternating[] = {1, -1, 1, -1, 1, -1};
    CLOSE(-5.0 / 6.0, stats_lag1_autocorrelation(alternating, 6));
    const double flat[] = {3, 3, 3, 3};
    assert_true(isnan(stats_lag1_autocorrelation(flat, 4)));
    assert_true(isnan(stats_lag1_autocorrelation(rising, 2)));
}

static void trend_test_finds_a_rising_series_and_not_a_shuffled_one(void **state)
{
    (void)state;
    double rising[10];
    for (int i = 0; i < 10; i++)
        rising[i] = 100.0 + 2.0 * i;
    stats_trend t;
    stats_trend_test(rising, 10, &t);
    CLOSE(1.0, t.tau);
    CLOSE(2.0, t.slope_per_step);
    CLOSE(44.0 / sqrt(125.0), t.z); /* S = 45, Var(S) = 10*9*25/18 */
    assert_true(t.p_value < 0.001);

    stats_trend_test(one_to_ten, 10, &t); /* S = 3 */
    CLOSE(3.0 / 45.0, t.tau);
    CLOSE(2.0 / sqrt(125.0), t.z);
    NEAR(0.858, t.p_value, 1e-3);
    CLOSE(1.0 / 6.0, t.slope_per_step);

    const double tied[] = {5, 5, 5, 5, 5};
    stats_trend_test(tied, 5, &t);
    CLOSE(1.0, t.p_value);
    CLOSE(0.0, t.slope_per_step);
}

static void trend_test_thins_a_long_series_keeping_its_spacing(void **state)
{
    (void)state;
    static double long_series[5000];
    for (int i = 0; i < 5000; i++)
        long_series[i] = 0.5 * i;
    stats_trend t;
    stats_trend_test(long_series, 5000, &t);
    assert_int_equal(t.n_used, STATS_TREND_MAX_POINTS);
    NEAR(0.5, t.slope_per_step, 1e-9); /* per original position, not per point kept */
    CLOSE(1.0, t.tau);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_of_one_to_ten_has_known_order_statistics),
        cmocka_unit_test(quantile_interpolates_between_order_statistics),
        cmocka_unit_test(outlier_is_flagged_by_mad_rule),
        cmocka_unit_test(bootstrap_interval_contains_median_and_is_reproducible),
        cmocka_unit_test(constant_samples_have_zero_spread),
        cmocka_unit_test(empty_and_single_sample_sets),
        cmocka_unit_test(ratio_of_medians_with_interval),
        cmocka_unit_test(mann_whitney_separated_samples),
        cmocka_unit_test(mann_whitney_with_ties_and_identical_sets),
        cmocka_unit_test(fit_line_exact_and_noisy),
        cmocka_unit_test(fit_line_slope_interval_by_bootstrap),
        cmocka_unit_test(lag1_autocorrelation_of_trend_and_alternation),
        cmocka_unit_test(trend_test_finds_a_rising_series_and_not_a_shuffled_one),
        cmocka_unit_test(trend_test_thins_a_long_series_keeping_its_spacing),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}

/* stats.h: every statistic wasmvs computes, in one module.
 *
 * Summaries of one sample set (order statistics, spread, bootstrap confidence interval
 * of the median, outliers), ratios between two sets with a bootstrap interval, the
 * Mann-Whitney U test for comparisons, checks of a series in the order it was taken
 * (lag-1 autocorrelation, the Mann-Kendall trend test), and a least-squares line with a
 * bootstrap interval of its slope for density sweeps.
 * Pure functions over arrays of doubles: no I/O, no global state. The bootstrap uses
 * its own seeded generator so a result file's summaries can be recomputed exactly.
 */
#ifndef WASMVS_STATS_H
#define WASMVS_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_BOOTSTRAP_RESAMPLES 2000
#define STATS_DEFAULT_SEED 0x5eed5eedu

typedef struct stats_summary {
    size_t n;
    double min, max, mean, stddev, median, mad; /* mad: median absolute deviation, raw */
    double p90, p99;
    double ci_low, ci_high; /* bootstrap 95% confidence interval of the median */
    size_t outliers;        /* values outside median +/- 3 * 1.4826 * MAD */
} stats_summary;

/* Summarises values[0..n). n == 0 gives a zeroed summary. */
void stats_summarize(const double *values, size_t n, uint64_t seed, stats_summary *out);

/* Quantile q in [0,1] with linear interpolation between order statistics. */
double stats_quantile(const double *values, size_t n, double q);

/* 1 when values[i] is an outlier by the rule in stats_summary. */
int stats_is_outlier(const stats_summary *summary, double value);

typedef struct stats_ratio {
    double ratio;           /* median(a) / median(b) */
    double ci_low, ci_high; /* bootstrap 95% interval of that ratio */
} stats_ratio;

void stats_ratio_of_medians(const double *a, size_t na, const double *b, size_t nb,
                            uint64_t seed, stats_ratio *out);

typedef struct stats_mann_whitney {
    double u;       /* U statistic of sample a */
    double z;       /* normal approximation with tie correction */
    double p_value; /* two-sided */
} stats_mann_whitney;

void stats_mann_whitney_u(const double *a, size_t na, const double *b, size_t nb,
                          stats_mann_whitney *out);

typedef struct stats_line {
    double slope, intercept;
    double slope_stderr; /* standard error of the slope; 0 with fewer than 3 points */
    double r2;
} stats_line;

/* Ordinary least squares y = slope * x + intercept; n >= 2. */
void stats_fit_line(const double *x, const double *y, size_t n, stats_line *out);

/* A 95% interval of the slope of stats_fit_line by a pairs bootstrap (points drawn with
 * replacement; a draw whose x are all equal has no slope and is not counted). Both NaN
 * with fewer than 3 points. */
void stats_fit_line_slope_interval(const double *x, const double *y, size_t n, uint64_t seed,
                                   double *low, double *high);

/* Lag-1 autocorrelation of values in the order they were taken: near 0 for independent
 * samples; above about 2 / sqrt(n), successive samples resemble each other (a slow
 * disturbance spans several). NaN with fewer than 3 values or none differing. */
double stats_lag1_autocorrelation(const double *values, size_t n);

typedef struct stats_trend {
    double tau;            /* Kendall's tau between the values and their order, -1..1 */
    double z, p_value;     /* Mann-Kendall test (normal approximation, ties corrected) */
    double slope_per_step; /* Theil-Sen slope: median of the pairwise slopes, per position */
    size_t n_used;         /* values tested: a series longer than STATS_TREND_MAX_POINTS
                            * is thinned evenly to that many */
} stats_trend;

#define STATS_TREND_MAX_POINTS 1000

/* Whether values drift with their order (a monotonic trend), two-sided. With fewer than
 * 4 values: tau and slope 0, p_value 1. */
void stats_trend_test(const double *values, size_t n, stats_trend *out);

#endif

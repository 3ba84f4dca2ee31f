/* stats.h: every statistic wasmvs computes, in one module.
 *
 * Summaries of one sample set (order statistics, spread, bootstrap confidence interval
 * of the median, outliers), ratios between two sets with a bootstrap interval, the
 * Mann-Whitney U test for comparisons, and a least-squares line for density sweeps.
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

#endif

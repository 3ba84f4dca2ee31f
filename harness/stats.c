/* stats.c: every statistic wasmvs computes (see stats.h). Order statistics over a
 * sorted copy, a seeded bootstrap for the confidence intervals of the median, of ratios
 * of medians and of a fitted slope, the Mann-Whitney U test, the lag-1 autocorrelation
 * and Mann-Kendall trend test of a series, and an ordinary least-squares line.
 * Pure functions: the only state is the generator passed down the bootstrap calls. */
#include "stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Scale that makes the MAD a consistent estimator of a normal standard deviation. */
#define STATS_MAD_SCALE 1.4826
#define STATS_OUTLIER_MADS 3.0

static int stats_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile of already sorted values: linear interpolation between order statistics at
 * position q * (n - 1) (the common "type 7" definition, as numpy and R use). */
static double stats_sorted_quantile(const double *sorted, size_t n, double q)
{
    if (n == 0) return 0.0;
    if (q <= 0.0) return sorted[0];
    if (q >= 1.0) return sorted[n - 1];
    double position = q * (double)(n - 1);
    size_t below = (size_t)floor(position);
    double fraction = position - (double)below;
    if (below + 1 >= n) return sorted[n - 1];
    return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

static double *stats_sorted_copy(const double *values, size_t n)
{
    double *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy) return NULL;
    if (n) memcpy(copy, values, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, stats_compare_doubles);
    return copy;
}

double stats_quantile(const double *values, size_t n, double q)
{
    if (n == 0) return 0.0;
    double *sorted = stats_sorted_copy(values, n);
    if (!sorted) return NAN;
    double result = stats_sorted_quantile(sorted, n, q);
    free(sorted);
    return result;
}

/* splitmix64: small, fast, and the same sequence on every machine for a given seed,
 * which is what lets a reader recompute a result file's intervals exactly. */
static uint64_t stats_next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t stats_random_index(uint64_t *state, size_t n)
{
    return (size_t)(stats_next_random(state) % n);
}

/* Median of a resample drawn with replacement from values; scratch holds n doubles. */
static double stats_resample_median(const double *values, size_t n, double *scratch,
                                    uint64_t *state)
{
    for (size_t i = 0; i < n; i++)
        scratch[i] = values[stats_random_index(state, n)];
    qsort(scratch, n, sizeof *scratch, stats_compare_doubles);
    return stats_sorted_quantile(scratch, n, 0.5);
}

void stats_summarize(const double *values, size_t n, uint64_t seed, stats_summary *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0) return;
    double *sorted = stats_sorted_copy(values, n);
    double *scratch = malloc(n * sizeof *scratch);
    double *resampled = malloc(STATS_BOOTSTRAP_RESAMPLES * sizeof *resampled);
    if (!sorted || !scratch || !resampled) {
        free(sorted);
        free(scratch);
        free(resampled);
        out->n = n;
        out->mean = out->median = NAN;
        return;
    }
    out->n = n;
    out->min = sorted[0];
    out->max = sorted[n - 1];
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += sorted[i];
    out->mean = sum / (double)n;
    double squares = 0.0;
    for (size_t i = 0; i < n; i++)
        squares += (sorted[i] - out->mean) * (sorted[i] - out->mean);
    out->stddev = n > 1 ? sqrt(squares / (double)(n - 1)) : 0.0; /* sample deviation */
    out->median = stats_sorted_quantile(sorted, n, 0.5);
    out->p90 = stats_sorted_quantile(sorted, n, 0.90);
    out->p99 = stats_sorted_quantile(sorted, n, 0.99);

    for (size_t i = 0; i < n; i++)
        scratch[i] = fabs(sorted[i] - out->median);
    qsort(scratch, n, sizeof *scratch, stats_compare_doubles);
    out->mad = stats_sorted_quantile(scratch, n, 0.5);

    uint64_t state = seed;
    for (size_t r = 0; r < STATS_BOOTSTRAP_RESAMPLES; r++)
        resampled[r] = stats_resample_median(sorted, n, scratch, &state);
    qsort(resampled, STATS_BOOTSTRAP_RESAMPLES, sizeof *resampled, stats_compare_doubles);
    out->ci_low = stats_sorted_quantile(resampled, STATS_BOOTSTRAP_RESAMPLES, 0.025);
    out->ci_high = stats_sorted_quantile(resampled, STATS_BOOTSTRAP_RESAMPLES, 0.975);

    for (size_t i = 0; i < n; i++)
        out->outliers += (size_t)stats_is_outlier(out, sorted[i]);
    free(sorted);
    free(scratch);
    free(resampled);
}

int stats_is_outlier(const stats_summary *summary, double value)
{
    double limit = STATS_OUTLIER_MADS * STATS_MAD_SCALE * summary->mad;
    return fabs(value - summary->median) > limit;
}

void stats_ratio_of_medians(const double *a, size_t na, const double *b, size_t nb, uint64_t seed,
                            stats_ratio *out)
{
    out->ratio = out->ci_low = out->ci_high = NAN;
    if (na == 0 || nb == 0) return;
    double *scratch_a = malloc(na * sizeof *scratch_a);
    double *scratch_b = malloc(nb * sizeof *scratch_b);
    double *ratios = malloc(STATS_BOOTSTRAP_RESAMPLES * sizeof *ratios);
    if (!scratch_a || !scratch_b || !ratios) goto done;
    double median_b = stats_quantile(b, nb, 0.5);
    if (median_b == 0.0) goto done;
    out->ratio = stats_quantile(a, na, 0.5) / median_b;

    uint64_t state = seed;
    size_t kept = 0;
    for (size_t r = 0; r < STATS_BOOTSTRAP_RESAMPLES; r++) {
        double ma = stats_resample_median(a, na, scratch_a, &state);
        double mb = stats_resample_median(b, nb, scratch_b, &state);
        if (mb != 0.0) ratios[kept++] = ma / mb; /* a zero denominator has no ratio */
    }
    if (kept > 0) {
        qsort(ratios, kept, sizeof *ratios, stats_compare_doubles);
        out->ci_low = stats_sorted_quantile(ratios, kept, 0.025);
        out->ci_high = stats_sorted_quantile(ratios, kept, 0.975);
    }
done:
    free(scratch_a);
    free(scratch_b);
    free(ratios);
}

typedef struct stats_ranked {
    double value;
    int from_a;
} stats_ranked;

static int stats_compare_ranked(const void *x, const void *y)
{
    return stats_compare_doubles(&((const stats_ranked *)x)->value,
                                 &((const stats_ranked *)y)->value);
}

void stats_mann_whitney_u(const double *a, size_t na, const double *b, size_t nb,
                          stats_mann_whitney *out)
{
    out->u = 0.0;
    out->z = 0.0;
    out->p_value = 1.0;
    size_t total = na + nb;
    if (na == 0 || nb == 0) return;
    stats_ranked *all = malloc(total * sizeof *all);
    if (!all) {
        out->p_value = NAN;
        return;
    }
    for (size_t i = 0; i < na; i++)
        all[i] = (stats_ranked){a[i], 1};
    for (size_t i = 0; i < nb; i++)
        all[na + i] = (stats_ranked){b[i], 0};
    qsort(all, total, sizeof *all, stats_compare_ranked);

    /* Ties share the mean of the ranks they span; sum(t^3 - t) corrects the variance. */
    double rank_sum_a = 0.0, tie_term = 0.0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j + 1 < total && all[j + 1].value == all[i].value)
            j++;
        double mean_rank = ((double)(i + 1) + (double)(j + 1)) / 2.0;
        for (size_t k = i; k <= j; k++)
            if (all[k].from_a) rank_sum_a += mean_rank;
        double t = (double)(j - i + 1);
        tie_term += t * t * t - t;
        i = j + 1;
    }
    free(all);

    double n1 = (double)na, n2 = (double)nb, n = (double)total;
    out->u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
    double mean_u = n1 * n2 / 2.0;
    double variance = n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
    if (variance <= 0.0) return; /* every value equal: no evidence of a difference */
    /* Continuity correction of 0.5 towards the mean, as the usual asymptotic test does. */
    double distance = fabs(out->u - mean_u) - 0.5;
    if (distance < 0.0) distance = 0.0;
    double z = distance / sqrt(variance);
    out->z = out->u >= mean_u ? z : -z;
    out->p_value = erfc(z / sqrt(2.0));
    if (out->p_value > 1.0) out->p_value = 1.0;
}

void stats_fit_line(const double *x, const double *y, size_t n, stats_line *out)
{
    memset(out, 0, sizeof *out);
    if (n < 2) return;
    double mean_x = 0.0, mean_y = 0.0;
    for (size_t i = 0; i < n; i++) {
        mean_x += x[i];
        mean_y += y[i];
    }
    mean_x /= (double)n;
    mean_y /= (double)n;
    double sxx = 0.0, sxy = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mean_x) * (x[i] - mean_x);
        sxy += (x[i] - mean_x) * (y[i] - mean_y);
        syy += (y[i] - mean_y) * (y[i] - mean_y);
    }
    if (sxx == 0.0) { /* all x equal: no slope can be fitted */
        out->intercept = mean_y;
        return;
    }
    out->slope = sxy / sxx;
    out->intercept = mean_y - out->slope * mean_x;
    double residuals = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - (out->slope * x[i] + out->intercept);
        residuals += e * e;
    }
    out->r2 = syy > 0.0 ? 1.0 - residuals / syy : 1.0;
    if (n >= 3) out->slope_stderr = sqrt(residuals / (double)(n - 2) / sxx);
}

void stats_fit_line_slope_interval(const double *x, const double *y, size_t n, uint64_t seed,
                                   double *low, double *high)
{
    *low = *high = NAN;
    if (n < 3) return;
    double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
    double *slopes = malloc(STATS_BOOTSTRAP_RESAMPLES * sizeof *slopes);
    size_t kept = 0;
    uint64_t state = seed;
    for (size_t r = 0; rx && ry && slopes && r < STATS_BOOTSTRAP_RESAMPLES; r++) {
        bool spread = false;
        for (size_t i = 0; i < n; i++) {
            size_t k = stats_random_index(&state, n);
            rx[i] = x[k];
            ry[i] = y[k];
            spread |= rx[i] != rx[0];
        }
        if (!spread) continue; /* every point at one x: no slope */
        stats_line line;
        stats_fit_line(rx, ry, n, &line);
        slopes[kept++] = line.slope;
    }
    if (kept > 0) {
        qsort(slopes, kept, sizeof *slopes, stats_compare_doubles);
        *low = stats_sorted_quantile(slopes, kept, 0.025);
        *high = stats_sorted_quantile(slopes, kept, 0.975);
    }
    free(rx);
    free(ry);
    free(slopes);
}

double stats_lag1_autocorrelation(const double *values, size_t n)
{
    if (n < 3) return NAN;
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += values[i];
    mean /= (double)n;
    double products = 0.0, squares = 0.0;
    for (size_t i = 0; i < n; i++) {
        squares += (values[i] - mean) * (values[i] - mean);
        if (i + 1 < n) products += (values[i] - mean) * (values[i + 1] - mean);
    }
    return squares > 0.0 ? products / squares : NAN;
}

static double stats_sign(double value)
{
    return (value > 0.0) - (value < 0.0);
}

void stats_trend_test(const double *values, size_t n, stats_trend *out)
{
    memset(out, 0, sizeof *out);
    out->p_value = 1.0;
    /* positions keep their true spacing when a long series is thinned */
    size_t used = n > STATS_TREND_MAX_POINTS ? STATS_TREND_MAX_POINTS : n;
    out->n_used = used;
    if (used < 4) return;
    double *y = malloc(used * sizeof *y), *position = malloc(used * sizeof *position);
    size_t pairs = used * (used - 1) / 2;
    double *slopes = malloc(pairs * sizeof *slopes);
    if (!y || !position || !slopes) {
        out->p_value = NAN;
        goto done;
    }
    for (size_t i = 0; i < used; i++) {
        size_t from = used == n ? i : (size_t)((double)i * (double)(n - 1) / (double)(used - 1));
        y[i] = values[from];
        position[i] = (double)from;
    }
    double s = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < used; i++)
        for (size_t j = i + 1; j < used; j++) {
            s += stats_sign(y[j] - y[i]);
            slopes[k++] = (y[j] - y[i]) / (position[j] - position[i]);
        }
    qsort(slopes, pairs, sizeof *slopes, stats_compare_doubles);
    out->slope_per_step = stats_sorted_quantile(slopes, pairs, 0.5);
    out->tau = s / (double)pairs;
    /* Var(S) = [n(n-1)(2n+5) - sum over tied groups t(t-1)(2t+5)] / 18 */
    double m = (double)used;
    double variance = m * (m - 1.0) * (2.0 * m + 5.0);
    memcpy(slopes, y, used * sizeof *y); /* reuse as a sorted copy to find ties */
    qsort(slopes, used, sizeof *slopes, stats_compare_doubles);
    for (size_t i = 0; i < used;) {
        size_t j = i;
        while (j + 1 < used && slopes[j + 1] == slopes[i])
            j++;
        double t = (double)(j - i + 1);
        variance -= t * (t - 1.0) * (2.0 * t + 5.0);
        i = j + 1;
    }
    variance /= 18.0;
    if (variance <= 0.0) goto done;                             /* every value equal: no trend */
    double corrected = s > 0 ? s - 1.0 : s < 0 ? s + 1.0 : 0.0; /* continuity */
    out->z = corrected / sqrt(variance);
    out->p_value = erfc(fabs(out->z) / sqrt(2.0));
    if (out->p_value > 1.0) out->p_value = 1.0;
done:
    free(y);
    free(position);
    free(slopes);
}

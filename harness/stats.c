/* stats.c: every statistic wasmvs computes (see stats.h). Order statistics over a
 * sorted copy, a seeded bootstrap for the confidence intervals of the median and of
 * ratios of medians, the Mann-Whitney U test, and an ordinary least-squares line.
 * Pure functions: the only state is the generator passed down the bootstrap calls. */
#include "stats.h"

#include <math.h>
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

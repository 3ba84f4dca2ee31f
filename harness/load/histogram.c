/* histogram.c: the latency histogram of load runs. Log-sized buckets (each power of two
 * split into 2^LOAD_HISTOGRAM_SUB_BITS linear buckets) give a fixed relative precision
 * over nanoseconds to minutes in 35 KiB, with O(1) recording, which the open-loop
 * generator needs at 100k+ requests/s. */
#include "load.h"

#include <string.h>

#define SUB_COUNT (1u << LOAD_HISTOGRAM_SUB_BITS)
#define VALUE_LIMIT ((uint64_t)1 << LOAD_HISTOGRAM_MAX_EXPONENT)

static int histogram_index(uint64_t value)
{
    if (value >= VALUE_LIMIT) value = VALUE_LIMIT - 1;
    if (value < SUB_COUNT) return (int)value;
    int exponent = 63 - __builtin_clzll(value); /* >= SUB_BITS */
    int shift = exponent - LOAD_HISTOGRAM_SUB_BITS;
    int sub = (int)(value >> shift) - (int)SUB_COUNT;
    return (int)SUB_COUNT + shift * (int)SUB_COUNT + sub;
}

uint64_t load_histogram_bucket_low(int index)
{
    if (index < (int)SUB_COUNT) return (uint64_t)index;
    int shift = (index - (int)SUB_COUNT) / (int)SUB_COUNT;
    int sub = (index - (int)SUB_COUNT) % (int)SUB_COUNT;
    return ((uint64_t)SUB_COUNT + (uint64_t)sub) << shift;
}

uint64_t load_histogram_bucket_high(int index)
{
    if (index < (int)SUB_COUNT) return (uint64_t)index;
    int shift = (index - (int)SUB_COUNT) / (int)SUB_COUNT;
    return load_histogram_bucket_low(index) + ((uint64_t)1 << shift) - 1;
}

void load_histogram_reset(load_histogram *h)
{
    memset(h, 0, sizeof *h);
}

void load_histogram_record(load_histogram *h, uint64_t value)
{
    if (h->count == 0 || value < h->min) h->min = value;
    if (value > h->max) h->max = value;
    h->count++;
    h->sum += (double)value;
    h->buckets[histogram_index(value)]++;
}

void load_histogram_merge(load_histogram *into, const load_histogram *from)
{
    if (from->count == 0) return;
    if (into->count == 0 || from->min < into->min) into->min = from->min;
    if (from->max > into->max) into->max = from->max;
    into->count += from->count;
    into->sum += from->sum;
    for (int i = 0; i < LOAD_HISTOGRAM_BUCKETS; i++)
        into->buckets[i] += from->buckets[i];
}

uint64_t load_histogram_percentile(const load_histogram *h, double percentile)
{
    if (h->count == 0) return 0;
    if (percentile >= 100.0) return h->max;
    /* The smallest value with at least `percentile` % of the values at or below it. */
    double wanted = percentile / 100.0 * (double)h->count;
    uint64_t rank = (uint64_t)wanted;
    if ((double)rank < wanted) rank++;
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (int i = 0; i < LOAD_HISTOGRAM_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t value = load_histogram_bucket_high(i);
            if (value > h->max) value = h->max;
            if (value < h->min) value = h->min;
            return value;
        }
    }
    return h->max;
}

double load_histogram_mean(const load_histogram *h)
{
    return h->count ? h->sum / (double)h->count : 0.0;
}

json_t *load_histogram_to_json(const load_histogram *h)
{
    json_t *buckets = json_array();
    for (int i = 0; i < LOAD_HISTOGRAM_BUCKETS; i++) {
        if (!h->buckets[i]) continue;
        json_array_append_new(buckets, json_pack("[III]", (json_int_t)load_histogram_bucket_low(i),
                                                 (json_int_t)load_histogram_bucket_high(i),
                                                 (json_int_t)h->buckets[i]));
    }
    return json_pack("{s:s, s:i, s:I, s:I, s:I, s:f, s:o}", "unit", "ns", "sub_bucket_bits",
                     LOAD_HISTOGRAM_SUB_BITS, "count", (json_int_t)h->count, "min",
                     (json_int_t)h->min, "max", (json_int_t)h->max, "mean", load_histogram_mean(h),
                     "buckets", buckets);
}

void load_latency_of(const load_histogram *h, load_latency *out)
{
    out->p50_ns = load_histogram_percentile(h, 50.0);
    out->p90_ns = load_histogram_percentile(h, 90.0);
    out->p99_ns = load_histogram_percentile(h, 99.0);
    out->p999_ns = load_histogram_percentile(h, 99.9);
    out->max_ns = h->max;
    out->mean_ns = load_histogram_mean(h);
}

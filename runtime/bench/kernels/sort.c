/* sort: quicksort (median of three, insertion sort below 16) of n pseudo-random
 * 32-bit integers (n <= 4 Mi), then a checksum of the sorted order. Measures
 * unpredictable branches, recursion and 32-bit loads and stores. */
#include <stdint.h>

#define SORT_MAX (4u << 20)

static uint32_t sort_data[SORT_MAX];

static void sort_swap(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

static void sort_range(uint32_t *v, int64_t lo, int64_t hi)
{
    while (hi - lo > 16) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) sort_swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo]) sort_swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid]) sort_swap(&v[hi], &v[mid]);
        uint32_t pivot = v[mid];
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                sort_swap(&v[i], &v[j]);
                i++;
                j--;
            }
        }
        /* Recurse into the smaller side so the depth stays logarithmic. */
        if (j - lo < hi - i) {
            sort_range(v, lo, j);
            lo = i;
        } else {
            sort_range(v, i, hi);
            hi = j;
        }
    }
    for (int64_t i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        int64_t j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    if (n > SORT_MAX) n = SORT_MAX;
    uint32_t x = 2463534242u;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        sort_data[i] = x;
    }
    if (n > 1) sort_range(sort_data, 0, (int64_t)n - 1);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum = sum * 1000003u + sort_data[i];
    return sum;
}

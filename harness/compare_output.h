/* compare_output.h: the outcome of `wasmvs compare` and its renderings.
 *
 * compare.c fills a compare_outcome (one row per scenario, target and metric present in
 * both files); compare_output.c writes it as a terminal table, Markdown for a CI job
 * summary, or JSON, and exports one results file's medians for CI benchmark trackers
 * (Bencher Metric Format, github-action-benchmark's customSmallerIsBetter). */
#ifndef WASMVS_COMPARE_OUTPUT_H
#define WASMVS_COMPARE_OUTPUT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

typedef enum compare_verdict {
    COMPARE_UNCHANGED,
    COMPARE_IMPROVED,
    COMPARE_REGRESSED,
    COMPARE_NOT_COMPARABLE,
} compare_verdict;

typedef struct compare_row {
    char scenario[128], target[160], metric[96];
    size_t base_n, new_n;
    double base_median, new_median;
    double ratio, ci_low, ci_high; /* median(new) / median(base), bootstrap 95% interval */
    double p_value;                /* Mann-Whitney U, two-sided; 1 when not tested */
    int smaller_is_better;
    compare_verdict verdict;
    char note[192]; /* why a row is not comparable */
} compare_row;

typedef struct compare_outcome {
    const char *base_path, *new_path;
    const char *base_fingerprint, *new_fingerprint;
    int hosts_match;
    double threshold;    /* fraction: 0.05 is 5% */
    double alpha;        /* significance level of the U test */
    const char *metrics; /* comma-separated metric names judged, NULL: every metric */
    compare_row *rows;
    size_t count, capacity;
    size_t improved, regressed, unchanged, not_comparable;
    json_t *notes; /* array of strings: targets or scenarios present on one side only */
} compare_outcome;

const char *compare_verdict_name(compare_verdict verdict);

void compare_output_text(FILE *out, const compare_outcome *outcome);
void compare_output_markdown(FILE *out, const compare_outcome *outcome);
void compare_output_json(FILE *out, const compare_outcome *outcome);

/* Exports the medians (and median confidence intervals) of every usable metric of
 * `set` in a tracker's format. Returns 0, or -1 with err filled. */
int compare_export_bencher(FILE *out, const report_set *set, wasmvs_error *err);
int compare_export_github_benchmark(FILE *out, const report_set *set, wasmvs_error *err);

#endif

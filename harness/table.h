/* table.h: the summary table printed at the end of `wasmvs run`, in the style of
 * hyperfine: per target the median, its 95% confidence interval, the ratio to the
 * baseline (first target) with its interval, sample counts, and why a target was
 * skipped; under a target, why adaptive stopping ended it and the warnings of its
 * validity checks; after the rows, the noise floor and the run's warnings about the
 * machine. Reads only the results document. */
#ifndef WASMVS_TABLE_H
#define WASMVS_TABLE_H

#include <jansson.h>
#include <stdio.h>

/* Prints the table of one metric (wall_ns for one-shot scenarios). */
void table_print(FILE *out, json_t *doc, const char *metric);

/* Formats a duration in nanoseconds with a fitting unit ("612.3 us", "31.2 ms"). */
void table_format_ns(double ns, char *out, size_t size);

#endif

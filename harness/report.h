/* report.h: `wasmvs report RESULTS.json... [--out DIR]`.
 *
 * Merges one or more results files (wasmvs/results/v1) into one report directory:
 * gnuplot charts (PNG and SVG) from the templates in report/, report.md and a
 * self-contained report.html with host facts, per-scenario tables, failures and the
 * published figures (report/published/) beside the measured ratios. */
#ifndef WASMVS_REPORT_H
#define WASMVS_REPORT_H

/* argv[0] is "report". Returns the process exit status: 0 when the report was written
 * (charts may be missing when gnuplot is absent; that is said on stderr and gives 3),
 * 2 on bad input or usage. */
int report_main(int argc, char **argv);

#endif

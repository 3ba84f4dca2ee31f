/* compare.h: `wasmvs compare BASE.json NEW.json [--threshold PCT] [--format ...]`.
 *
 * For every metric of every target and scenario present in both files: ratio of
 * medians with a bootstrap interval, a Mann-Whitney U test and a verdict. */
#ifndef WASMVS_COMPARE_H
#define WASMVS_COMPARE_H

/* argv[0] is "compare". Returns the process exit status: 0 when nothing regressed,
 * 1 when something did, 2 on bad input (unreadable file, different schema, usage). */
int compare_main(int argc, char **argv);

#endif

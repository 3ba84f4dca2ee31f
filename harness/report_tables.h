/* report_tables.h: the report's tables: host facts, one table per scenario (chosen by
 * its kind), and the failures and skipped targets with their reasons. */
#ifndef WASMVS_REPORT_TABLES_H
#define WASMVS_REPORT_TABLES_H

#include "report_doc.h"
#include "report_model.h"

/* Host facts of every distinct host; a warning when the runs come from several hosts. */
void report_tables_hosts(report_doc *doc, const report_set *set);

/* The tables of one run: oneshot (time, ratios, Wasm phases), density (fit per target),
 * http (throughput, latency percentiles, rate sweep), serverless (the http table, then
 * instance and instantiate time, CPU and memory per request). */
void report_tables_run(report_doc *doc, const report_run *run);

/* What every target runs from (module, compiled cache, native binary, container image,
 * engine command; details.artifact of each result), beside the published ranges. */
void report_tables_artifacts(report_doc *doc, const report_set *set);

/* Targets that could not run and samples that failed, with reasons. */
void report_tables_failures(report_doc *doc, const report_set *set);

#endif

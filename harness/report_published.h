/* report_published.h: the published Wasm-vs-container figures (JSON files in report/published/,
 * transcribed from the articles users come with) beside what this run measured, as
 * ratios taken between targets of one run, with each source's setup. */
#ifndef WASMVS_REPORT_PUBLISHED_H
#define WASMVS_REPORT_PUBLISHED_H

#include "error.h"
#include "report_doc.h"
#include "report_model.h"

/* Adds the "Published figures beside measured" section. `dir` holds sources.json and
 * one file per topic. Returns 0, or -1 with err naming the file and field at fault. */
int report_published_section(report_doc *doc, const report_set *set, const char *dir,
                             wasmvs_error *err);

#endif

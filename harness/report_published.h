/* report_published.h: the published Wasm-vs-container figures (JSON files in report/published/,
 * transcribed from the articles users come with) beside what this run measured, as
 * ratios taken between targets of one run, with each source's setup, and a verdict per
 * figure: reproduced within the published range, or not and why, or not measured. */
#ifndef WASMVS_REPORT_PUBLISHED_H
#define WASMVS_REPORT_PUBLISHED_H

#include <stdbool.h>

#include "error.h"
#include "report_doc.h"
#include "report_model.h"

/* Adds the "Published figures beside measured" section, or with first_page the
 * "Reproduction of the published tables" that opens a `wasmvs report --reproduction`;
 * both start with the count of figures reproduced, not reproduced and not measured.
 * `dir` holds sources.json and one file per topic. Returns 0, or -1 with err naming the
 * file and field at fault. */
int report_published_section(report_doc *doc, const report_set *set, const char *dir,
                             bool first_page, wasmvs_error *err);

#endif

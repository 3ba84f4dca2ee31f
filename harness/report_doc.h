/* report_doc.h: the report as a list of blocks (headings, paragraphs, warnings, bullet
 * lists, tables, charts), built once and rendered twice: as Markdown (report.md, charts
 * linked) and as a self-contained HTML page (report.html, PNG charts embedded as base64
 * data URIs). Text is plain: the renderers do all escaping. */
#ifndef WASMVS_REPORT_DOC_H
#define WASMVS_REPORT_DOC_H

#include <jansson.h>

#include "error.h"

typedef struct report_doc {
    json_t *blocks;
} report_doc;

void report_doc_init(report_doc *doc);
void report_doc_free(report_doc *doc);

void report_doc_heading(report_doc *doc, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void report_doc_paragraph(report_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void report_doc_warning(report_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A bullet list; add items with report_doc_item. Returns the list (borrowed). */
json_t *report_doc_list(report_doc *doc);
void report_doc_item(json_t *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A table with the given column headers (NULL-terminated); add rows with
 * report_doc_row. A header starting with '>' is right-aligned (the '>' is dropped).
 * Returns the table (borrowed). */
json_t *report_doc_table(report_doc *doc, const char *first_header, ...) __attribute__((sentinel));
/* The same with headers and cells built at run time (arrays of strings, stolen). */
json_t *report_doc_table_from(report_doc *doc, json_t *header);
void report_doc_row_from(json_t *table, json_t *cells);
/* One row of cells (NULL-terminated, as many as the headers). */
void report_doc_row(json_t *table, const char *first_cell, ...) __attribute__((sentinel));
size_t report_doc_row_count(json_t *table);
/* Removes a table that got no rows (so a report shows no empty tables). */
void report_doc_drop_if_empty(report_doc *doc, json_t *table);

/* A chart: png and svg are file names relative to the report directory. */
void report_doc_chart(report_doc *doc, const char *title, const char *png, const char *svg);

/* Writes DIR/report.md and DIR/report.html (the page title is `title`). */
int report_doc_write(const report_doc *doc, const char *dir, const char *title, wasmvs_error *err);

#endif

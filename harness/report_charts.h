/* report_charts.h: the report's charts. For each run it writes gnuplot data files and a
 * small driver script (titles, paths, arrays of target names and colours) into the
 * report directory, then runs gnuplot on the report/ templates (NAME.gp), once for PNG
 * (pngcairo) and once for SVG. Charts drawn are added to the report document. */
#ifndef WASMVS_REPORT_CHARTS_H
#define WASMVS_REPORT_CHARTS_H

#include <jansson.h>
#include <stddef.h>

#include "report_doc.h"
#include "report_model.h"

typedef struct report_charts {
    const char *out_dir;       /* where .dat, .gp, .png, .svg go */
    const char *templates_dir; /* report/ holding the *.gp templates */
    const char *gnuplot;       /* program name or path */
    int gnuplot_found;
    const char *png_terminal; /* pngcairo, or libgd's png where cairo is missing */
    size_t drawn, failed;
    char first_error[1024]; /* the first failure, for the caller to print */
    json_t *files;          /* names of the image files written */
} report_charts;

/* Prepares chart drawing; finds `gnuplot` (a name searched on PATH, or a path). When it
 * is missing, gnuplot_found is 0 and first_error says so; drawing then does nothing. */
void report_charts_init(report_charts *charts, const char *out_dir, const char *templates_dir,
                        const char *gnuplot);
void report_charts_free(report_charts *charts);

/* Draws every chart that fits the run's kind and adds it to doc. */
void report_charts_draw_run(report_charts *charts, const report_run *run, report_doc *doc);

#endif

/* report.c: the `wasmvs report` command (work in progress: argument checking only). */
#include "report.h"

#include <stdio.h>

int report_main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: wasmvs %s RESULTS.json... [--out DIR]\n",
                argc > 0 ? argv[0] : "report");
        return 2;
    }
    fprintf(stderr, "wasmvs report: not implemented yet\n");
    return 2;
}

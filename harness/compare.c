/* compare.c: the `wasmvs compare` command (work in progress: argument checking only). */
#include "compare.h"

#include <stdio.h>

int compare_main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: wasmvs %s BASE.json NEW.json [--threshold PCT] "
                        "[--format text|markdown|json]\n",
                argc > 0 ? argv[0] : "compare");
        return 2;
    }
    fprintf(stderr, "wasmvs compare: not implemented yet\n");
    return 2;
}

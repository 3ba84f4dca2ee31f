/* check.h: the one assertion the WASI test programs share. Each program checks its
 * own results, prints "ok NAME" or "FAIL NAME: why" per check, and exits 1 if any
 * check failed, so the runner needs only the exit status and the output. */
#ifndef WASI_TEST_CHECK_H
#define WASI_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond)                                                                          \
    do {                                                                                           \
        if (cond) {                                                                                \
            printf("ok %s\n", name);                                                               \
        } else {                                                                                   \
            printf("FAIL %s: %s (errno %d: %s) at line %d\n", name, #cond, errno, strerror(errno), \
                   __LINE__);                                                                      \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#endif

/* grow: allocates argv[1] MiB (default 64) in 1 MiB blocks and prints how many it
 * got; exits 3 if it could not get them all (e.g. under --max-memory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* kept reachable so the compiler cannot elide the allocations */
static char *volatile blocks[4096];

int main(int argc, char **argv)
{
    int want = argc > 1 ? atoi(argv[1]) : 64, got = 0;
    for (; got < want && got < 4096; got++) {
        char *block = malloc(1 << 20);
        if (!block) break;
        memset(block, 1, 1 << 20);
        blocks[got] = block;
    }
    printf("allocated %d of %d MiB\n", got, want);
    return got == want ? 0 : 3;
}

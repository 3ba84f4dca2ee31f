/* environ: prints the whole guest environment, one KEY=VALUE per line, then the
 * value getenv() finds for argv[1] (or "(unset)"). A sandboxed guest must see only
 * what the embedder passed. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
    for (char **e = environ; *e; e++)
        printf("%s\n", *e);
    if (argc > 1) {
        const char *v = getenv(argv[1]);
        printf("getenv(%s)=%s\n", argv[1], v ? v : "(unset)");
    }
    return 0;
}

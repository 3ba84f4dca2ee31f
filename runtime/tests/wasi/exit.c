/* exit: ends with the code in argv[1] through exit() (proc_exit), or, given
 * "return N", by returning N from main. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "return") == 0) return atoi(argv[2]);
    exit(argc > 1 ? atoi(argv[1]) : 0);
}

/* args: prints argc and each argument on its own line, as the guest received them. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    return 0;
}

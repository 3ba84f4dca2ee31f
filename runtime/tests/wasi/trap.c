/* trap: traps on purpose. "unreachable" executes the unreachable instruction;
 * "divide" divides by zero; "oob" loads far beyond memory. */
#include <stdint.h>
#include <string.h>

volatile int zero = 0;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "divide") == 0) return 10 / zero;
    if (argc > 1 && strcmp(argv[1], "oob") == 0)
        return *(volatile int *)(uintptr_t)(0xfffffff0u - (unsigned)zero);
    __builtin_trap();
}

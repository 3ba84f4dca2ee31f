/* noop: the empty static binary behind the `noop` target, the harness's noise floor.
 * It does nothing but exit 0: no C library, no start-up code, no reads, so a sample of
 * it is the cost of launching a process through the harness (clone, exec, the first
 * page faults, the exit and the reap), which every launched target pays too. Built
 * with -nostdlib -static (workloads/Makefile); only the native build exists. */

#if defined(__x86_64__)
__attribute__((noreturn)) void _start(void)
{
    __asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi", "memory");
    __builtin_unreachable();
}
#elif defined(__aarch64__)
__attribute__((noreturn)) void _start(void)
{
    __asm__ volatile("mov x8, #93\n\tmov x0, #0\n\tsvc #0" ::: "x0", "x8", "memory");
    __builtin_unreachable();
}
#else
#error "noop: exit system call not written for this architecture"
#endif

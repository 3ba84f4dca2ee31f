/* bench_coldstart.c: start-to-exit time of `wasmrt run hello.wasm` against the native
 * hello, the cold-start figure of the wasmrt command. Spawns each command N times
 * (interleaved, after warm-up runs), stdin from a file, stdout to /dev/null, checks
 * each exit status, and prints median, p10 and p90 for both and their ratio.
 *   bench_coldstart RUNS INPUT_FILE WASMRT HELLO.wasm NATIVE_HELLO */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static int bench_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One start-to-exit in milliseconds, or a negative value when the command failed. */
static double bench_spawn(char *const argv[], const char *input)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid;
    int status = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
    if (rc == 0) waitpid(pid, &status, 0);
    clock_gettime(CLOCK_MONOTONIC, &end);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6;
}

static void bench_print(const char *name, double *samples, int n)
{
    qsort(samples, (size_t)n, sizeof *samples, bench_compare);
    printf("%-8s median %.3f ms  p10 %.3f ms  p90 %.3f ms  (%d runs)\n", name, samples[n / 2],
           samples[n / 10], samples[n * 9 / 10], n);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_coldstart RUNS INPUT WASMRT HELLO.wasm NATIVE_HELLO\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    if (runs < 10) runs = 10;
    char *wasm_argv[] = {argv[3], "run", argv[4], NULL};
    char *native_argv[] = {argv[5], NULL};
    double *wasm = malloc(sizeof(double) * (size_t)runs);
    double *native = malloc(sizeof(double) * (size_t)runs);
    if (!wasm || !native) return 1;
    for (int i = -20; i < runs; i++) { /* negative i: warm-up */
        double w = bench_spawn(wasm_argv, argv[2]);
        double n = bench_spawn(native_argv, argv[2]);
        if (w < 0 || n < 0) {
            fprintf(stderr, "bench_coldstart: a run failed (%s)\n", w < 0 ? argv[3] : argv[5]);
            return 1;
        }
        if (i >= 0) {
            wasm[i] = w;
            native[i] = n;
        }
    }
    bench_print("wasmrt", wasm, runs);
    bench_print("native", native, runs);
    printf("ratio of medians wasmrt/native: %.2f\n", wasm[runs / 2] / native[runs / 2]);
    free(wasm);
    free(native);
    return 0;
}

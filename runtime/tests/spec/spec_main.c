/* spec_main.c: the spec-test runner's command line. Runs every converted script in a
 * directory (wast2json output), one child process per script so that an engine crash
 * or hang costs one script, not the run; prints a line per script and the closing
 * "spec: N passed, N failed, N skipped", the SIMD scripts (simd_*) among them.
 *
 *   spec-runner --dir build/runtime/spec [--bounds guard|explicit] [--mode interp|jit]
 *               [--file NAME] [-v] [--timeout SECONDS] [--no-fork] */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spec.h"

typedef struct spec_main_args {
    const char *dir;
    const char *file; /* only this script; NULL = all */
    unsigned timeout_seconds;
    int fork;
    spec_options options;
} spec_main_args;

static void spec_usage(FILE *out)
{
    fputs("usage: spec-runner --dir DIR [--bounds guard|explicit] [--mode interp|jit]\n"
          "                   [--file NAME] [-v] [--timeout SECONDS] [--no-fork]\n"
          "  --mode: the interpreter or the compiling tier (default: the engine's default)\n"
          "  DIR holds NAME.json and its modules, as `wast2json NAME.wast -o DIR/NAME.json`\n"
          "  writes them. Prints a line per script and \"spec: N passed, N failed, N skipped\";\n"
          "  exits 1 if anything failed.\n",
          out);
}

static int spec_args_parse(int argc, char **argv, spec_main_args *a)
{
    memset(a, 0, sizeof *a);
    a->timeout_seconds = 300;
    a->fork = 1;
    a->options.bounds = WASMRT_BOUNDS_DEFAULT;
    a->options.mode = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
            a->options.verbose = 1;
        } else if (strcmp(arg, "--no-fork") == 0) {
            a->fork = 0;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            return 1;
        } else if (!next) {
            fprintf(stderr,
                    "spec-runner: %s: expected an option with a value, or a value after it\n", arg);
            return -1;
        } else if (strcmp(arg, "--dir") == 0) {
            a->dir = argv[++i];
        } else if (strcmp(arg, "--file") == 0) {
            a->file = argv[++i];
        } else if (strcmp(arg, "--timeout") == 0) {
            a->timeout_seconds = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(arg, "--bounds") == 0) {
            const char *mode = argv[++i];
            if (strcmp(mode, "guard") == 0)
                a->options.bounds = WASMRT_BOUNDS_GUARD;
            else if (strcmp(mode, "explicit") == 0)
                a->options.bounds = WASMRT_BOUNDS_EXPLICIT;
            else if (strcmp(mode, "default") == 0)
                a->options.bounds = WASMRT_BOUNDS_DEFAULT;
            else {
                fprintf(stderr,
                        "spec-runner: --bounds: expected guard|explicit|default, got '%s'\n", mode);
                return -1;
            }
        } else if (strcmp(arg, "--mode") == 0) {
            const char *mode = argv[++i];
            if (strcmp(mode, "interp") == 0)
                a->options.mode = WASMRT_MODE_INTERP;
            else if (strcmp(mode, "jit") == 0)
                a->options.mode = WASMRT_MODE_JIT;
            else {
                fprintf(stderr, "spec-runner: --mode: expected interp|jit, got '%s'\n", mode);
                return -1;
            }
        } else {
            fprintf(stderr, "spec-runner: unknown option '%s'\n", arg);
            return -1;
        }
    }
    if (!a->dir) {
        fprintf(stderr, "spec-runner: --dir DIR is required (the wast2json output)\n");
        return -1;
    }
    return 0;
}

static int spec_name_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The script names (without .json) in dir, sorted. */
static char **spec_list_scripts(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    *count = 0;
    if (!d) return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        char **grown = realloc(names, (*count + 1) * sizeof *names);
        if (!grown) break;
        names = grown;
        names[*count] = strndup(e->d_name, len - 5);
        if (names[*count]) (*count)++;
    }
    closedir(d);
    qsort(names, *count, sizeof *names, spec_name_compare);
    return names;
}

/* "address", "address.wast" and "address.json" all name the script "address". */
static int spec_name_matches(const char *wanted, const char *name)
{
    size_t n = strlen(name);
    return strncmp(wanted, name, n) == 0 &&
           (wanted[n] == '\0' || strcmp(wanted + n, ".wast") == 0 ||
            strcmp(wanted + n, ".json") == 0);
}

/* Runs one script in a child; counts live in shared memory so that a crash still
 * reports how far the script got. */
static void spec_run_isolated(const spec_main_args *a, const char *path, const char *wast,
                              spec_counts *script_counts)
{
    spec_counts *counts =
        mmap(NULL, sizeof *counts, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counts == MAP_FAILED) {
        printf("  %s: mmap: %s\n", wast, strerror(errno));
        script_counts->failed++;
        return;
    }
    memset(counts, 0, sizeof *counts);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(a->timeout_seconds);
        spec_script_run(path, wast, &a->options, counts);
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    if (pid < 0) {
        printf("  %s: fork: %s\n", wast, strerror(errno));
        counts->failed++;
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(status)) {
            int sig = WTERMSIG(status);
            printf("  %s: the runner died of signal %d (%s)%s after %u commands\n", wast, sig,
                   strsignal(sig), sig == SIGALRM ? ", the per-script timeout," : "",
                   counts->passed + counts->failed + counts->skipped);
            counts->failed++;
        } else if (WEXITSTATUS(status) != 0) {
            printf("  %s: the runner exited with status %d\n", wast, WEXITSTATUS(status));
            counts->failed++;
        }
    }
    *script_counts = *counts;
    munmap(counts, sizeof *counts);
}

int main(int argc, char **argv)
{
    spec_main_args a;
    int parsed = spec_args_parse(argc, argv, &a);
    if (parsed != 0) {
        spec_usage(parsed > 0 ? stdout : stderr);
        return parsed > 0 ? 0 : 2;
    }
    size_t count;
    char **names = spec_list_scripts(a.dir, &count);
    if (count == 0) {
        fprintf(stderr, "spec-runner: no converted scripts (*.json) in %s\n", a.dir);
        return 2;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    spec_counts total = {0}, simd = {0};
    unsigned files_run = 0, files_simd = 0;
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096], wast[512];
        spec_counts c = {0};
        if (a.file && !spec_name_matches(a.file, names[i])) continue;
        found = 1;
        snprintf(path, sizeof path, "%s/%s.json", a.dir, names[i]);
        snprintf(wast, sizeof wast, "%s.wast", names[i]);
        if (a.fork)
            spec_run_isolated(&a, path, wast, &c);
        else
            spec_script_run(path, wast, &a.options, &c);
        files_run++;
        if (strncmp(names[i], "simd_", 5) == 0) {
            files_simd++;
            simd.passed += c.passed;
            simd.failed += c.failed;
            simd.skipped += c.skipped;
        }
        printf("%s: %u passed, %u failed, %u skipped\n", wast, c.passed, c.failed, c.skipped);
        fflush(stdout);
        total.passed += c.passed;
        total.failed += c.failed;
        total.skipped += c.skipped;
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    if (!found) {
        fprintf(stderr, "spec-runner: no script named '%s' in %s\n", a.file, a.dir);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    static const char *bounds_names[] = {"default", "guard", "explicit"};
    printf("spec (bounds %s, %s): %u scripts run, %u of them SIMD (%u passed, %u failed, "
           "%u skipped), %.1f s\n",
           bounds_names[a.options.bounds],
           a.options.mode < 0 ? "default mode" : a.options.mode == WASMRT_MODE_JIT ? "jit" : "interp",
           files_run, files_simd, simd.passed, simd.failed, simd.skipped,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    printf("spec: %u passed, %u failed, %u skipped\n", total.passed, total.failed, total.skipped);
    return total.failed ? 1 : 0;
}

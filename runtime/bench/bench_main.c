/* bench_main.c: the engine benchmark's command line.
 *
 *   bench-engine --dir build/runtime/bench [--workloads build/workloads] [--reps 5]
 *                [--json FILE] [--flags FILE] [--only NAME,...] [--bounds guard|explicit]
 *                [--interp] [--node SCRIPT] [--smoke]
 *
 * For each kernel, REPS rounds of: native gcc, native clang, wasmrt (fresh engine,
 * load, instantiate, run), interleaved so that drift in machine state hits all three
 * alike; with --interp also wasmrt's interpreter, with --node also node's V8 on the
 * freestanding kernels (SCRIPT: bench_node.mjs), in the same rounds. A run counts only
 * when its checksum is the kernel's. Prints a table of medians, the ratios to native
 * (medians of per-round ratios) and their geometric means over the distinct kernels,
 * and writes them as JSON. --smoke
 * runs each kernel once at a tiny size under wasmrt and natively and checks checksums only, for
 * `make check`: "bench-smoke: N passed, N failed, N skipped". Rows built from the
 * workloads (WASI commands) are skipped when --workloads is not given or not built. */
#include <sys/stat.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct bench_args {
    const char *dir;
    const char *workloads;
    const char *json_path;
    const char *flags_path;
    const char *only;
    unsigned reps;
    int smoke;
    int interp;       /* also the interpreter */
    const char *node; /* bench_node.mjs: also node's V8 */
    wasmrt_bounds_mode bounds;
} bench_args;

/* Medians of one kernel's runs, in milliseconds. */
typedef struct bench_row {
    double gcc_ms, clang_ms, load_ms, instantiate_ms, execute_ms;
    /* Medians of the per-round ratios: a round runs all three back to back, so a
     * busy moment of the machine slows both sides of a ratio alike. */
    double ratio_gcc, ratio_clang;
    /* the interpreter's and V8's execute times and ratios to clang (0: not run) */
    double interp_ms, ratio_interp, node_ms, ratio_node;
    int ok;
    char error[400];
} bench_row;

static int bench_args_parse(int argc, char **argv, bench_args *a)
{
    memset(a, 0, sizeof *a);
    a->reps = 5;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--smoke") == 0) {
            a->smoke = 1;
            continue;
        }
        if (strcmp(arg, "--interp") == 0) {
            a->interp = 1;
            continue;
        }
        if (!next) {
            fprintf(stderr, "bench-engine: %s: unknown, or missing its value\n", arg);
            return -1;
        }
        i++;
        if (strcmp(arg, "--dir") == 0) {
            a->dir = next;
        } else if (strcmp(arg, "--workloads") == 0) {
            a->workloads = next;
        } else if (strcmp(arg, "--json") == 0) {
            a->json_path = next;
        } else if (strcmp(arg, "--flags") == 0) {
            a->flags_path = next;
        } else if (strcmp(arg, "--only") == 0) {
            a->only = next;
        } else if (strcmp(arg, "--node") == 0) {
            a->node = next;
        } else if (strcmp(arg, "--reps") == 0) {
            a->reps = (unsigned)strtoul(next, NULL, 10);
            if (a->reps == 0 || a->reps > 1000) {
                fprintf(stderr, "bench-engine: --reps: expected 1..1000, got '%s'\n", next);
                return -1;
            }
        } else if (strcmp(arg, "--bounds") == 0) {
            if (strcmp(next, "guard") == 0)
                a->bounds = WASMRT_BOUNDS_GUARD;
            else if (strcmp(next, "explicit") == 0)
                a->bounds = WASMRT_BOUNDS_EXPLICIT;
            else {
                fprintf(stderr, "bench-engine: --bounds: expected guard|explicit, got '%s'\n",
                        next);
                return -1;
            }
        } else {
            fprintf(stderr, "bench-engine: unknown option '%s'\n", arg);
            return -1;
        }
    }
    if (!a->dir) {
        fprintf(stderr,
                "usage: bench-engine --dir DIR [--workloads WDIR] [--reps N] [--json FILE]\n"
                "         [--flags FILE] [--only NAME,...] [--bounds guard|explicit]\n"
                "         [--interp] [--node SCRIPT] [--smoke]\n"
                "  DIR holds native-gcc/K, native-clang/K and wasm/K.wasm per kernel K;\n"
                "  WDIR native/W, native-clang/W and wasm/W.wasm per workload W\n");
        return -1;
    }
    return 0;
}

static int bench_selected(const char *only, const char *name)
{
    if (!only) return 1;
    size_t len = strlen(name);
    for (const char *p = only; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0) return 1;
        p += n + (comma ? 1 : 0);
    }
    return 0;
}

static int bench_double_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double bench_median(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, bench_double_compare);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double bench_median_ms(double *ns, unsigned n)
{
    return bench_median(ns, n) / 1e6;
}

typedef struct bench_paths {
    char gcc[1024], clang[1024], wasm[1024];
} bench_paths;

/* Where the three builds of a kernel are; -1 (with the reason) if they are not built. */
static int bench_resolve(const bench_args *a, const bench_kernel *k, bench_paths *p, char *why,
                         size_t why_size)
{
    struct stat st;
    if (k->kind == BENCH_WASI_COMMAND) {
        if (!a->workloads) {
            snprintf(why, why_size, "no --workloads directory");
            return -1;
        }
        snprintf(p->gcc, sizeof p->gcc, "%s/native/%s", a->workloads, k->native);
        snprintf(p->clang, sizeof p->clang, "%s/native-clang/%s", a->workloads, k->native);
        snprintf(p->wasm, sizeof p->wasm, "%s/wasm/%s.wasm", a->workloads, k->wasm);
    } else {
        snprintf(p->gcc, sizeof p->gcc, "%s/native-gcc/%s", a->dir, k->native);
        snprintf(p->clang, sizeof p->clang, "%s/native-clang/%s", a->dir, k->native);
        snprintf(p->wasm, sizeof p->wasm, "%s/wasm/%s.wasm", a->dir, k->wasm);
    }
    const char *paths[] = {p->gcc, p->clang, p->wasm};
    for (size_t i = 0; i < 3; i++) {
        if (stat(paths[i], &st) != 0) {
            snprintf(why, why_size, "%s is not built", paths[i]);
            return -1;
        }
    }
    return 0;
}

static int bench_wasm_or_wasi_run(const bench_args *a, const bench_kernel *k, const char *path,
                                  wasmrt_exec_mode mode, uint32_t n, uint64_t *sum,
                                  bench_wasm_times *t, char *err, size_t err_size)
{
    if (k->kind == BENCH_WASI_COMMAND)
        return bench_wasi_run(path, a->bounds, mode, n, sum, t, err, err_size);
    return bench_wasm_run(path, a->bounds, mode, n, sum, t, err, err_size);
}

static int bench_check(bench_row *row, const char *what, uint64_t got, uint64_t want)
{
    if (got == want) return 0;
    snprintf(row->error, sizeof row->error, "%s: checksum %" PRIu64 ", expected %" PRIu64, what,
             got, want);
    return -1;
}

/* REPS interleaved rounds of the three builds; fills the row's medians. */
static void bench_kernel_measure(const bench_args *a, const bench_kernel *k, const bench_paths *p,
                                 bench_row *row)
{
    const char *gcc = p->gcc, *clang = p->clang, *wasm = p->wasm;
    double *ns = calloc(11 * (size_t)a->reps, sizeof *ns);
    double *gcc_ns = ns, *clang_ns = ns + a->reps, *load_ns = ns + 2 * a->reps,
           *inst_ns = ns + 3 * a->reps, *exec_ns = ns + 4 * a->reps, *ratio_gcc = ns + 5 * a->reps,
           *ratio_clang = ns + 6 * a->reps, *interp_ns = ns + 7 * a->reps,
           *ratio_interp = ns + 8 * a->reps, *node_ns = ns + 9 * a->reps,
           *ratio_node = ns + 10 * a->reps;
    int node = a->node && k->kind == BENCH_FREESTANDING;
    memset(row, 0, sizeof *row);
    if (!ns) {
        snprintf(row->error, sizeof row->error, "out of memory");
        return;
    }
    for (unsigned r = 0; r < a->reps; r++) {
        uint64_t sum;
        bench_wasm_times t;
        if (bench_native_run(gcc, k->n, &sum, &gcc_ns[r], row->error, sizeof row->error) != 0 ||
            bench_check(row, "native gcc", sum, k->checksum) != 0 ||
            bench_native_run(clang, k->n, &sum, &clang_ns[r], row->error, sizeof row->error) != 0 ||
            bench_check(row, "native clang", sum, k->checksum) != 0 ||
            bench_wasm_or_wasi_run(a, k, wasm, WASMRT_MODE_JIT, k->n, &sum, &t, row->error,
                                   sizeof row->error) != 0 ||
            bench_check(row, "wasmrt", sum, k->checksum) != 0) {
            free(ns);
            return;
        }
        if (a->interp) {
            bench_wasm_times ti;
            if (bench_wasm_or_wasi_run(a, k, wasm, WASMRT_MODE_INTERP, k->n, &sum, &ti, row->error,
                                       sizeof row->error) != 0 ||
                bench_check(row, "wasmrt --interp", sum, k->checksum) != 0) {
                free(ns);
                return;
            }
            interp_ns[r] = ti.execute_ns;
            ratio_interp[r] = ti.execute_ns / clang_ns[r];
        }
        if (node) {
            if (bench_node_run(a->node, wasm, k->n, &sum, &node_ns[r], row->error,
                               sizeof row->error) != 0 ||
                bench_check(row, "node", sum, k->checksum) != 0) {
                free(ns);
                return;
            }
            ratio_node[r] = node_ns[r] / clang_ns[r];
        }
        load_ns[r] = t.load_ns;
        inst_ns[r] = t.instantiate_ns;
        exec_ns[r] = t.execute_ns;
        ratio_gcc[r] = t.execute_ns / gcc_ns[r];
        ratio_clang[r] = t.execute_ns / clang_ns[r];
    }
    row->gcc_ms = bench_median_ms(gcc_ns, a->reps);
    row->clang_ms = bench_median_ms(clang_ns, a->reps);
    row->load_ms = bench_median_ms(load_ns, a->reps);
    row->instantiate_ms = bench_median_ms(inst_ns, a->reps);
    row->execute_ms = bench_median_ms(exec_ns, a->reps);
    row->ratio_gcc = bench_median(ratio_gcc, a->reps);
    row->ratio_clang = bench_median(ratio_clang, a->reps);
    if (a->interp) {
        row->interp_ms = bench_median_ms(interp_ns, a->reps);
        row->ratio_interp = bench_median(ratio_interp, a->reps);
    }
    if (node) {
        row->node_ms = bench_median_ms(node_ns, a->reps);
        row->ratio_node = bench_median(ratio_node, a->reps);
    }
    row->ok = 1;
    free(ns);
}

static json_t *bench_row_json(const bench_kernel *k, const bench_row *row)
{
    json_t *j = json_object();
    json_object_set_new(j, "kernel", json_string(k->name));
    json_object_set_new(j, "wasm_module", json_string(k->wasm));
    json_object_set_new(j, "kind",
                        json_string(k->kind == BENCH_WASI_COMMAND
                                        ? "wasi-command (workloads/, native timed fork to exit)"
                                        : "freestanding run(n)"));
    json_object_set_new(j, "n", json_integer(k->n));
    char checksum[24];
    snprintf(checksum, sizeof checksum, "%" PRIu64, k->checksum);
    json_object_set_new(j, "checksum", json_string(checksum)); /* every run matched it */
    json_object_set_new(j, "goal_ratio", json_real(k->goal_ratio));
    if (!row->ok) {
        json_object_set_new(j, "error", json_string(row->error));
        return j;
    }
    json_object_set_new(j, "native_gcc_ms", json_real(row->gcc_ms));
    json_object_set_new(j, "native_clang_ms", json_real(row->clang_ms));
    json_object_set_new(j, "wasmrt_load_ms", json_real(row->load_ms));
    json_object_set_new(j, "wasmrt_instantiate_ms", json_real(row->instantiate_ms));
    json_object_set_new(j, "wasmrt_execute_ms", json_real(row->execute_ms));
    json_object_set_new(j, "ratio_vs_gcc", json_real(row->ratio_gcc));
    json_object_set_new(j, "ratio_vs_clang", json_real(row->ratio_clang));
    json_object_set_new(j, "ratio", json_string("median of per-round wasmrt/native ratios"));
    if (row->interp_ms > 0) {
        json_object_set_new(j, "wasmrt_interp_execute_ms", json_real(row->interp_ms));
        json_object_set_new(j, "interp_ratio_vs_clang", json_real(row->ratio_interp));
    }
    if (row->node_ms > 0) {
        json_object_set_new(j, "node_execute_ms", json_real(row->node_ms));
        json_object_set_new(j, "node_ratio_vs_clang", json_real(row->ratio_node));
    }
    json_object_set_new(j, "meets_goal", json_boolean(row->ratio_gcc <= k->goal_ratio));
    return j;
}

static int bench_full(const bench_args *a)
{
    json_t *rows = json_array();
    int failed = 0;
    unsigned measured = 0, met = 0;
    /* logs of the ratios (x gcc, x clang, interp x clang, node x clang) for the geomeans */
    double logs[4] = {0, 0, 0, 0};
    unsigned nlogs[4] = {0, 0, 0, 0};
    printf("%-12s %9s %9s %9s %7s %7s", "kernel", "gcc ms", "clang ms", "wasmrt ms", "x gcc",
           "x clang");
    if (a->interp) printf(" %9s %7s", "interp ms", "x clang");
    if (a->node) printf(" %9s %7s", "node ms", "x clang");
    printf(" %5s %s\n", "goal", "(wasmrt load / instantiate ms)");
    for (size_t i = 0; i < bench_kernel_count; i++) {
        const bench_kernel *k = &bench_kernels[i];
        bench_row row;
        bench_paths paths;
        char why[1100];
        if (!bench_selected(a->only, k->name)) continue;
        if (bench_resolve(a, k, &paths, why, sizeof why) != 0) {
            printf("%-12s skipped: %s\n", k->name, why);
            continue;
        }
        bench_kernel_measure(a, k, &paths, &row);
        json_array_append_new(rows, bench_row_json(k, &row));
        if (!row.ok) {
            printf("%-12s failed: %s\n", k->name, row.error);
            failed++;
            continue;
        }
        double ratio = row.ratio_gcc;
        measured++;
        met += ratio <= k->goal_ratio;
        printf("%-12s %9.1f %9.1f %9.1f %6.2fx %6.2fx", k->name, row.gcc_ms, row.clang_ms,
               row.execute_ms, ratio, row.ratio_clang);
        if (a->interp) printf(" %9.1f %6.2fx", row.interp_ms, row.ratio_interp);
        if (a->node && row.node_ms > 0)
            printf(" %9.1f %6.2fx", row.node_ms, row.ratio_node);
        else if (a->node)
            printf(" %9s %7s", "-", "-");
        printf(" %5s (%.2f / %.3f)\n", ratio <= k->goal_ratio ? "ok" : "miss", row.load_ms,
               row.instantiate_ms);
        fflush(stdout);
        const double r4[4] = {row.ratio_gcc, row.ratio_clang, row.ratio_interp, row.ratio_node};
        for (int c = 0; c < 4 && k->in_geomean; c++)
            if (r4[c] > 0) {
                logs[c] += log(r4[c]);
                nlogs[c]++;
            }
    }
    double geo[4];
    for (int c = 0; c < 4; c++)
        geo[c] = nlogs[c] ? exp(logs[c] / nlogs[c]) : 0;
    printf("%-12s %9s %9s %9s %6.2fx %6.2fx", "geomean", "", "", "", geo[0], geo[1]);
    if (a->interp) printf(" %9s %6.2fx", "", geo[2]);
    if (a->node) printf(" %9s %6.2fx", "", geo[3]);
    printf("  (%u kernels: fib40 matmul sieve hash sort printf memops)\n", nlogs[1]);
    printf(
        "goals: %u of %u rows within their goal (fib40 <= %.0fx native gcc, the rest <= %.0fx)\n",
        met, measured, BENCH_GOAL_FIB40, BENCH_GOAL_KERNEL);

    json_t *root = json_object();
    json_object_set_new(root, "schema", json_string("wasmrt-engine-bench/1"));
    json_object_set_new(root, "engine_version", json_string(WASMRT_VERSION));
    json_object_set_new(root, "bounds",
                        json_string(a->bounds == WASMRT_BOUNDS_EXPLICIT ? "explicit"
                                    : a->bounds == WASMRT_BOUNDS_GUARD  ? "guard"
                                                                        : "default"));
    json_object_set_new(root, "reps", json_integer(a->reps));
    json_object_set_new(root, "statistic", json_string("median"));
    if (a->flags_path) {
        json_error_t jerr;
        json_t *flags = json_load_file(a->flags_path, 0, &jerr);
        if (flags) json_object_set_new(root, "flags", flags);
    }
    if (a->workloads) {
        /* the flags the workloads (the WASI rows) were built with, if recorded */
        char path[1100];
        json_error_t jerr;
        snprintf(path, sizeof path, "%s/flags.json", a->workloads);
        json_t *flags = json_load_file(path, 0, &jerr);
        if (flags) json_object_set_new(root, "workloads_flags", flags);
    }
    json_object_set_new(root, "kernels", rows);
    json_t *g = json_object();
    json_object_set_new(g, "over", json_string("fib40 matmul sieve hash sort printf memops"));
    json_object_set_new(g, "wasmrt_vs_gcc", json_real(geo[0]));
    json_object_set_new(g, "wasmrt_vs_clang", json_real(geo[1]));
    if (a->interp) json_object_set_new(g, "interp_vs_clang", json_real(geo[2]));
    if (a->node) json_object_set_new(g, "node_vs_clang", json_real(geo[3]));
    json_object_set_new(root, "geomean", g);
    if (a->json_path) {
        if (json_dump_file(root, a->json_path, JSON_INDENT(2)) != 0) {
            fprintf(stderr, "bench-engine: cannot write %s\n", a->json_path);
            failed++;
        } else {
            printf("wrote %s\n", a->json_path);
        }
    }
    json_decref(root);
    return failed ? 1 : 0;
}

/* Checksums only: every kernel once at its smoke size, natively and in wasmrt. */
static int bench_smoke(const bench_args *a)
{
    unsigned passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < bench_kernel_count; i++) {
        const bench_kernel *k = &bench_kernels[i];
        bench_paths p;
        char err[1100];
        uint64_t sum;
        double ns;
        bench_wasm_times t;
        if (!bench_selected(a->only, k->name)) continue;
        if (bench_resolve(a, k, &p, err, sizeof err) != 0) {
            skipped++;
            printf("  bench-smoke %s skipped: %s\n", k->name, err);
            continue;
        }
        const char *what = "native gcc";
        int ok = bench_native_run(p.gcc, k->smoke_n, &sum, &ns, err, sizeof err) == 0;
        if (ok && sum != k->smoke_checksum) {
            ok = 0;
            snprintf(err, sizeof err, "checksum %" PRIu64 ", expected %" PRIu64, sum,
                     k->smoke_checksum);
        }
        if (ok) {
            what = "wasmrt";
            ok = bench_wasm_or_wasi_run(a, k, p.wasm, WASMRT_MODE_JIT, k->smoke_n, &sum, &t, err,
                                        sizeof err) == 0;
            if (ok && sum != k->smoke_checksum) {
                ok = 0;
                snprintf(err, sizeof err, "checksum %" PRIu64 ", expected %" PRIu64, sum,
                         k->smoke_checksum);
            }
        }
        if (ok) {
            passed++;
        } else {
            failed++;
            printf("  bench-smoke %s(n=%" PRIu32 ") %s failed: %s\n", k->name, k->smoke_n, what,
                   err);
        }
    }
    printf("bench-smoke: %u passed, %u failed, %u skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    bench_args a;
    if (bench_args_parse(argc, argv, &a) != 0) return 2;
    return a.smoke ? bench_smoke(&a) : bench_full(&a);
}

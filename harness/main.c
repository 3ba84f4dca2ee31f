/* main.c: the `wasmvs` command line. Parses the command and its options and hands
 * over: run (run.c), targets (the registry and each target's probe), env (host facts),
 * report (report.c), compare (compare.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "meters/host.h"
#include "report.h"
#include "run.h"
#include "target.h"

static void main_usage(FILE *out)
{
    fprintf(out,
            "usage: wasmvs COMMAND [OPTIONS]\n"
            "\n"
            "  run SCENARIO.json [--targets a,b] [--reps N] [--warmup N] [--out FILE] [--seed N]\n"
            "                    [--target-ci PCT] [--perf-counters]\n"
            "        run a scenario; results go to results/NAME-TIME.json unless --out;\n"
            "        --target-ci: more rounds until each median's 95%% CI is within PCT%% of it\n"
            "        --perf-counters: attach perf counters to each instance (they cost it time)\n"
            "  targets            which targets work here, with version, or why not\n"
            "  env                the host facts recorded in every result (JSON)\n"
            "  report RESULTS.json... [--out DIR]   charts and report.md/.html\n"
            "  compare BASE.json NEW.json [--threshold PCT]   exit 1 on a regression\n"
            "\n"
            "targets: %s\n",
            target_names());
}

static int main_parse_count(const char *option, const char *text, int *out)
{
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value < 0 || value > 100000) {
        fprintf(stderr, "wasmvs run: %s: expected an integer from 0 to 100000, found \"%s\"\n",
                option, text);
        return -1;
    }
    *out = (int)value;
    return 0;
}

static int main_run(int argc, char **argv)
{
    static const struct option options[] = {{"targets", required_argument, NULL, 't'},
                                            {"reps", required_argument, NULL, 'n'},
                                            {"warmup", required_argument, NULL, 'w'},
                                            {"out", required_argument, NULL, 'o'},
                                            {"seed", required_argument, NULL, 's'},
                                            {"target-ci", required_argument, NULL, 'c'},
                                            {"perf-counters", no_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    run_options run = {.repetitions = -1, .warmup = -1};
    int option;
    while ((option = getopt_long(argc, argv, "t:n:w:o:s:c:ph", options, NULL)) != -1) {
        switch (option) {
        case 't':
            run.targets = optarg;
            break;
        case 'n':
            if (main_parse_count("--reps", optarg, &run.repetitions)) return 2;
            if (run.repetitions < 1) {
                fprintf(stderr, "wasmvs run: --reps: expected at least 1, found %s\n", optarg);
                return 2;
            }
            break;
        case 'w':
            if (main_parse_count("--warmup", optarg, &run.warmup)) return 2;
            break;
        case 'o':
            run.out = optarg;
            break;
        case 's':
            run.seed = strtoull(optarg, NULL, 0);
            break;
        case 'c': {
            char *end = NULL;
            run.target_ci_pct = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(run.target_ci_pct >= 0.01) ||
                run.target_ci_pct > 100) {
                fprintf(stderr,
                        "wasmvs run: --target-ci: expected a percentage from 0.01 to 100, found "
                        "\"%s\"\n",
                        optarg);
                return 2;
            }
            break;
        }
        case 'p':
            run.perf_counters = true;
            break;
        case 'h':
            main_usage(stdout);
            return 0;
        default:
            main_usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "wasmvs run: expected one scenario file, found %d arguments\n",
                argc - optind);
        main_usage(stderr);
        return 2;
    }
    run.scenario_path = argv[optind];
    return run_scenario(&run);
}

/* Every registered target, probed: the line says its version or why it cannot run. */
static int main_targets(void)
{
    char names[512];
    snprintf(names, sizeof names, "%s", target_names());
    char *save = NULL;
    for (char *name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
        target *t = NULL;
        wasmvs_error err = {{0}};
        if (target_create(name, &t, &err) != 0) {
            printf("%-18s unavailable: %s\n", name, err.message);
            continue;
        }
        if (t->ops->probe(t, &err) == 0)
            printf("%-18s available    %s\n", name, t->version);
        else
            printf("%-18s unavailable  %s\n", name, err.message);
        target_free(t);
    }
    return 0;
}

static int main_env(void)
{
    json_t *facts = meter_host_facts();
    char *text = json_dumps(facts, JSON_INDENT(2));
    if (text) puts(text);
    free(text);
    json_decref(facts);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        main_usage(stderr);
        return 2;
    }
    const char *command = argv[1];
    if (strcmp(command, "run") == 0) return main_run(argc - 1, argv + 1);
    if (strcmp(command, "targets") == 0) return main_targets();
    if (strcmp(command, "env") == 0) return main_env();
    if (strcmp(command, "report") == 0) return report_main(argc - 1, argv + 1);
    if (strcmp(command, "compare") == 0) return compare_main(argc - 1, argv + 1);
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
        strcmp(command, "help") == 0) {
        main_usage(stdout);
        return 0;
    }
    if (strcmp(command, "--version") == 0) {
        puts("wasmvs 0.1.0");
        return 0;
    }
    fprintf(stderr, "wasmvs: unknown command \"%s\"\n", command);
    main_usage(stderr);
    return 2;
}

/* target_test.h: what the tests that launch real targets share: open a target or skip
 * with the reason it cannot run here, prepare a workload for it, take one sample that
 * must exit 0 with the workload's expected output, check that no container of this
 * process is left, and check that a scenario is refused with a message naming its fault.
 * Header-only (static inline):
 * every test is one binary built from one file. Include after cmocka.h. */
#ifndef WASMVS_TARGET_TEST_H
#define WASMVS_TARGET_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../process.h"
#include "../scenario.h"
#include "../target.h"

/* Creates and probes a target; skips the test, saying why, when it cannot run here. */
static inline target *target_test_open(const char *name)
{
    target *t = NULL;
    wasmvs_error err = {{0}};
    if (target_create(name, &t, &err) != 0) fail_msg("%s: %s", name, err.message);
    if (t->ops->probe(t, &err) != 0) {
        printf("[  SKIP    ] %s unavailable: %s\n", name, err.message);
        target_free(t);
        skip();
    }
    return t;
}

/* The workload with these parameters (JSON text; NULL for its defaults), prepared for t. */
static inline void target_test_prepare(target *t, const char *workload, const char *parameters,
                                       workload_invocation *w)
{
    wasmvs_error err = {{0}};
    json_t *p = parameters ? json_loads(parameters, 0, NULL) : NULL;
    if (parameters && !p) fail_msg("bad parameters in the test: %s", parameters);
    assert_int_equal(workload_prepare(workload, p, w, &err), 0);
    json_decref(p);
    if (t->ops->prepare(t, w, &err) != 0) fail_msg("%s: prepare: %s", t->name, err.message);
}

/* One sample that must exit 0 with the workload's expected output and a wall time. */
static inline void target_test_run(target *t, const workload_invocation *w,
                                   target_outcome *outcome)
{
    wasmvs_error err = {{0}};
    if (t->ops->run_once(t, w, 60, outcome, &err) != 0) fail_msg("%s: %s", t->name, err.message);
    if (!outcome->exited) fail_msg("%s: did not exit: %s", t->name, outcome->how);
    char why[600];
    if (workload_check(w, outcome->exit_code, outcome->out, why, sizeof why) != 0)
        fail_msg("%s: %s (stderr: %s)", t->name, why, outcome->err ? outcome->err : "");
    int64_t wall = json_integer_value(json_object_get(outcome->metrics, "wall_ns"));
    assert_true(wall > 0 && wall < 60000000000);
}

/* No Docker container named after this process is left (the docker CLI, when present). */
static inline void target_test_no_containers_left(void)
{
    char filter[64];
    snprintf(filter, sizeof filter, "name=wasmvs-%ld-", (long)getpid());
    char *argv[] = {"docker", "ps", "-aq", "--filter", filter, NULL};
    char *line = process_first_line(argv);
    if (line && *line) fail_msg("containers left behind: %s", line);
    free(line);
}

/* The scenario text is refused, with `want` in the message. */
static inline void target_test_scenario_error(const char *text, const char *want)
{
    json_t *doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    scenario s;
    wasmvs_error err = {{0}};
    assert_int_equal(scenario_from_json("s.json", doc, &s, &err), -1);
    if (!strstr(err.message, want)) fail_msg("expected \"%s\" in: %s", want, err.message);
    json_decref(doc);
}

#endif

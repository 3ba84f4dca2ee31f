/* test_density.c: the density scenario with real instances: options (defaults, errors
 * naming the field), a small sweep (N = 1, 3, 5) on native and wasmrt (guard and
 * explicit bounds, each instance's mode recorded), and on runc and
 * Docker with N <= 3 when this machine has them (skipped with the reason otherwise),
 * checking the steps, the fit and that nothing is left running afterwards; and Ctrl-C
 * during a sweep of `wasmvs run`, after which no instance survives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../density.h"
#include "../meters/memory.h"
#include "../paths.h"
#include "../process.h"
#include "../scenario.h"
#include "target_test.h"

/* Children of this process (zombies reaped first); orphans come here too, as the test
 * is a child subreaper. */
static size_t count_children(void)
{
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    DIR *proc = opendir("/proc");
    size_t count = 0;
    struct dirent *entry;
    while (proc && (entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0])) continue;
        if (meter_memory_parent((pid_t)atol(entry->d_name)) == getpid()) count++;
    }
    if (proc) closedir(proc);
    return count;
}

static void options_defaults_and_errors(void **state)
{
    (void)state;
    density_options o;
    wasmvs_error err = {{0}};
    assert_int_equal(density_options_parse("s.json", NULL, &o, &err), 0);
    assert_true(o.budget_mib == 2048 && o.time_limit_s == 120);
    assert_int_equal(o.steps[0], 1);
    assert_int_equal(o.steps[o.step_count - 1], o.max_n);
    json_t *doc = json_loads("{\"steps\": [1, 10, 500], \"max_n\": 200}", 0, NULL);
    assert_int_equal(density_options_parse("s.json", doc, &o, &err), 0);
    assert_int_equal(o.step_count, 2); /* 500 is beyond max_n */
    json_decref(doc);
    const char *bad[] = {"{\"steps\": [5, 3]}", "{\"budget_mib\": -1}", "{\"sweep\": 1}",
                         "{\"steps\": []}"};
    const char *field[] = {"density.steps[1]", "density.budget_mib", "density.sweep",
                           "density.steps"};
    for (int i = 0; i < 4; i++) {
        doc = json_loads(bad[i], 0, NULL);
        assert_int_equal(density_options_parse("s.json", doc, &o, &err), -1);
        if (!strstr(err.message, field[i]) || !strstr(err.message, "s.json"))
            fail_msg("%s: expected %s in \"%s\"", bad[i], field[i], err.message);
        json_decref(doc);
    }
}

static void load_scenario(const char *targets, scenario *s)
{
    char text[600];
    snprintf(text, sizeof text,
             "{\"name\": \"density-test\", \"kind\": \"density\", \"workload\": \"idle\", "
             "\"targets\": [%s], \"density\": {\"steps\": [1, 3, 5], \"settle_s\": 0.2, "
             "\"time_limit_s\": 60, \"min_available_mib\": 256}}",
             targets);
    json_t *doc = json_loads(text, 0, NULL);
    wasmvs_error err = {{0}};
    if (scenario_from_json("density-test.json", doc, s, &err) != 0) fail_msg("%s", err.message);
    json_decref(doc);
}

/* Sweeps one target for real; skips when it cannot run here. mode: what every
 * instance's recorded mode must be (wasmrt's bounds checks), or NULL for none. */
static void sweep_one(const char *name, const char *mode)
{
    scenario s;
    char quoted[80];
    snprintf(quoted, sizeof quoted, "\"%s\"", name);
    load_scenario(quoted, &s);
    target *t = NULL;
    wasmvs_error err = {{0}};
    assert_int_equal(target_create(name, &t, &err), 0);
    if (t->ops->probe(t, &err) != 0 || t->ops->prepare(t, &s.invocation, &err) != 0) {
        printf("[  SKIP    ] %s unavailable: %s\n", name, err.message);
        target_free(t);
        scenario_free(&s);
        skip();
    }
    size_t children_before = count_children();
    json_t *entry = json_object();
    if (density_sweep(&s, t, entry, &err) != 0) fail_msg("%s: %s", name, err.message);
    json_t *steps = json_object_get(entry, "steps");
    assert_int_equal(json_array_size(steps), 3);
    const long expected_n[] = {1, 3, 5};
    for (size_t i = 0; i < 3; i++) {
        json_t *step = json_array_get(steps, i);
        assert_int_equal(json_integer_value(json_object_get(step, "n")), expected_n[i]);
        assert_true(json_integer_value(json_object_get(step, "pss_kib")) > 0);
        assert_true(json_is_integer(json_object_get(step, "memavailable_drop_kib")));
        assert_true(json_integer_value(json_object_get(step, "batch_start_ns")) > 0);
        assert_non_null(json_object_get(step, "cgroup_kib"));
    }
    /* more instances, more memory */
    assert_true(json_integer_value(json_object_get(json_array_get(steps, 2), "pss_kib")) >
                json_integer_value(json_object_get(json_array_get(steps, 0), "pss_kib")));
    json_t *fit = json_object_get(entry, "fit");
    assert_true(json_is_object(fit));
    double slope = json_real_value(json_object_get(fit, "slope_kib_per_instance"));
    assert_true(slope > 0);
    assert_true(fabs(json_real_value(json_object_get(fit, "instances_per_gib")) -
                     1048576.0 / slope) < 1e-6 * 1048576.0 / slope);
    assert_int_equal(json_integer_value(json_object_get(fit, "max_n")), 5);
    assert_string_equal(json_string_value(json_object_get(fit, "stop_reason")), "steps done");
    /* the slope's bootstrap interval holds it; R^2 says how straight the line is */
    double low = json_real_value(json_object_get(fit, "slope_ci_low"));
    double high = json_real_value(json_object_get(fit, "slope_ci_high"));
    assert_true(low <= slope && slope <= high);
    double r2 = json_real_value(json_object_get(fit, "r2"));
    assert_true(r2 >= 0 && r2 <= 1);
    printf("  %s: %.1f KiB per instance [%.1f, %.1f], R^2 %.4f\n", name, slope, low, high, r2);
    json_t *modes = json_object_get(entry, "instance_modes");
    if (mode) {
        /* one run holding all five, and each step's count of that mode */
        assert_int_equal(json_array_size(modes), 1);
        json_t *range = json_array_get(modes, 0);
        assert_string_equal(json_string_value(json_object_get(range, "mode")), mode);
        assert_int_equal(json_integer_value(json_object_get(range, "first")), 1);
        assert_int_equal(json_integer_value(json_object_get(range, "last")), 5);
        json_t *counts = json_object_get(json_array_get(steps, 1), "modes");
        assert_int_equal(json_integer_value(json_object_get(counts, mode)), 3);
    } else {
        assert_null(modes);
    }
    json_decref(entry);
    /* torn down: no instance process is left, and the target holds none */
    assert_int_equal(t->instance_count, 0);
    assert_int_equal(count_children(), children_before);
    target_free(t);
    scenario_free(&s);
}

static void sweep_native(void **state)
{
    (void)state;
    sweep_one("native", NULL);
}

static void sweep_wasmrt(void **state)
{
    (void)state;
    sweep_one("wasmrt", "guard"); /* far below the engine's guard limit */
}

/* wasmrt:explicit: every instance with explicit bounds checks, recorded as such */
static void sweep_wasmrt_explicit(void **state)
{
    (void)state;
    sweep_one("wasmrt:explicit", "explicit");
}

static void sweep_runc(void **state)
{
    (void)state;
    sweep_one("runc", NULL);
}

/* The Wasm module in a container: wasmrt-oci straight and through dockerd. */
static void sweep_runc_wasmrt(void **state)
{
    (void)state;
    sweep_one("runc:wasmrt", NULL);
}

static void sweep_docker_wasmrt(void **state)
{
    (void)state;
    sweep_one("docker:wasmrt", NULL);
}

static void sweep_docker(void **state)
{
    (void)state;
    sweep_one("docker", NULL);
    target_test_no_containers_left();
}

static void ctrl_c_removes_every_instance(void **state)
{
    (void)state;
    char path[] = "/tmp/wasmvs-density-XXXXXX.json", results[64];
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    const char *text = "{\"name\": \"density-cancel\", \"kind\": \"density\", \"workload\": "
                       "\"idle\", \"targets\": [\"native\", \"wasmrt\"], \"density\": "
                       "{\"steps\": [5, 10, 20, 40], \"settle_s\": 5}}";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    snprintf(results, sizeof results, "%s.out", path);
    char wasmvs[4096];
    snprintf(wasmvs, sizeof wasmvs, "%s/build/bin/wasmvs", paths_root());
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(wasmvs, wasmvs, "run", path, "--out", results, (char *)NULL);
        _exit(127);
    }
    /* wait until the first batch is up, then interrupt. The sweep settles for
       settle_s (5 s) before its first batch, and a fresh machine's first run may take
       seconds more to open its targets: allow 60 s, the loop ends as soon as it sees 5 */
    size_t instances = 0;
    for (int i = 0; i < 6000 && instances < 5; i++) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
        instances = 0;
        DIR *proc = opendir("/proc");
        struct dirent *entry;
        while (proc && (entry = readdir(proc)))
            if (isdigit((unsigned char)entry->d_name[0]) &&
                meter_memory_parent((pid_t)atol(entry->d_name)) == pid)
                instances++;
        if (proc) closedir(proc);
    }
    assert_true(instances >= 5);
    kill(pid, SIGINT);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGINT);
    /* orphans would have been reparented to this subreaper */
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_int_equal(count_children(), 0);
    json_t *doc = json_load_file(results, 0, NULL);
    assert_non_null(doc);
    assert_true(json_is_true(json_object_get(doc, "interrupted")));
    json_decref(doc);
    unlink(path);
    unlink(results);
}

static int become_subreaper(void **state)
{
    (void)state;
    return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_defaults_and_errors),
        cmocka_unit_test(sweep_native),
        cmocka_unit_test(sweep_wasmrt),
        cmocka_unit_test(sweep_wasmrt_explicit),
        cmocka_unit_test(sweep_runc),
        cmocka_unit_test(sweep_docker),
        cmocka_unit_test(sweep_runc_wasmrt),
        cmocka_unit_test(sweep_docker_wasmrt),
        cmocka_unit_test(ctrl_c_removes_every_instance),
    };
    return cmocka_run_group_tests(tests, become_subreaper, NULL);
}

/* registry.c: target names to implementations. One line per target name; a new
 * backend adds its constructor's declaration and a line here, and nothing else. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../meters/clock.h"
#include "../meters/memory.h"
#include "../process.h"
#include "../target.h"

/* Each constructor fills t->ops (and its state) for the given variant. */
int target_native_init(target *t, wasmvs_error *err);
int target_runc_init(target *t, wasmvs_error *err);
int target_docker_init(target *t, wasmvs_error *err);
int target_wasmrt_cli_init(target *t, wasmvs_error *err);
int target_wasm_cli_init(target *t, wasmvs_error *err);
int target_wasmrt_init(target *t, wasmvs_error *err);
int target_noop_init(target *t, wasmvs_error *err);
/* The wasm-cli:NAME names of the runtime templates file, comma-separated. */
void target_wasm_cli_names(char *out, size_t size);

typedef struct target_entry {
    const char *name;
    const char *variant;
    int (*init)(target *t, wasmvs_error *err);
} target_entry;

static const target_entry target_registry[] = {
    {"native", "gcc", target_native_init},
    {"native-clang", "clang", target_native_init},
    {"runc", "", target_runc_init},
    {"runc:wasmrt", "wasmrt", target_runc_init},
    {"docker", "none", target_docker_init},
    {"docker:host", "host", target_docker_init},
    {"docker:bridge", "bridge", target_docker_init},
    {"docker:wasmrt", "wasmrt", target_docker_init},
    {"wasmrt", "", target_wasmrt_init},
    {"wasmrt:eager", "eager", target_wasmrt_init},
    {"wasmrt:interp", "interp", target_wasmrt_init},
    {"wasmrt:aot", "aot", target_wasmrt_init},
    {"wasmrt:guard", "guard", target_wasmrt_init},
    {"wasmrt:explicit", "explicit", target_wasmrt_init},
    {"wasmrt:simd", "simd", target_wasmrt_init},
    {"wasmrt-cli", "", target_wasmrt_cli_init},
    {"wasmrt-cli:cached", "cached", target_wasmrt_cli_init},
    {"wasmrt-cli:interp", "interp", target_wasmrt_cli_init},
    {"wasmrt-cli:aot", "aot", target_wasmrt_cli_init},
    {"wasmrt-cli:simd", "simd", target_wasmrt_cli_init},
    {"noop", "", target_noop_init},
    /* a name ending in ':' is a prefix: the rest of the name is the variant */
    {"wasm-cli:", NULL, target_wasm_cli_init},
};
#define TARGET_REGISTRY_COUNT (sizeof target_registry / sizeof target_registry[0])

static const target_entry *target_lookup(const char *name)
{
    for (size_t i = 0; i < TARGET_REGISTRY_COUNT; i++) {
        const char *entry = target_registry[i].name;
        size_t length = strlen(entry);
        if (entry[length - 1] == ':' ? strncmp(entry, name, length) == 0 && name[length]
                                     : strcmp(entry, name) == 0)
            return &target_registry[i];
    }
    return NULL;
}

int target_exists(const char *name)
{
    return target_lookup(name) != NULL;
}

const char *target_names(void)
{
    static char names[2048];
    if (!names[0]) {
        size_t used = 0;
        for (size_t i = 0; i < TARGET_REGISTRY_COUNT && used < sizeof names; i++) {
            char runtimes[1024] = ""; /* a prefix entry lists the runtimes of its file */
            if (!target_registry[i].variant) target_wasm_cli_names(runtimes, sizeof runtimes);
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     runtimes[0] ? runtimes : target_registry[i].name);
        }
    }
    return names;
}

int target_create(const char *name, target **out, wasmvs_error *err)
{
    *out = NULL;
    const target_entry *entry = target_lookup(name);
    if (!entry)
        return wasmvs_fail(err, "unknown target \"%s\": expected one of %s", name, target_names());
    target *t = calloc(1, sizeof *t);
    if (!t) return wasmvs_fail(err, "%s: out of memory", name);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->variant, sizeof t->variant, "%s",
             entry->variant ? entry->variant : name + strlen(entry->name));
    t->details = json_object();
    t->runs_workload = true;
    if (entry->init(t, err) != 0) {
        json_decref(t->details);
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void target_free(target *t)
{
    if (!t) return;
    while (t->instance_count > 0)
        target_instance_stop(t, t->instances[t->instance_count - 1]);
    free(t->instances);
    if (t->ops->cleanup) t->ops->cleanup(t);
    if (t->ops->destroy) t->ops->destroy(t);
    json_decref(t->details);
    free(t);
}

void target_outcome_from_process(target_outcome *outcome, struct process_result *result)
{
    memset(outcome, 0, sizeof *outcome);
    outcome->exited = result->end == PROCESS_EXITED;
    outcome->exit_code = result->exit_code;
    outcome->cancelled = result->end == PROCESS_CANCELLED;
    process_describe_end(result, outcome->how, sizeof outcome->how);
    outcome->out = result->out;
    outcome->err = result->err;
    outcome->metrics = result->metrics;
    result->out = result->err = NULL; /* moved */
    result->metrics = NULL;
}

void target_record_artifact_bytes(target *t, const char *key, long long bytes)
{
    json_t *artifact = json_object_get(t->details, "artifact");
    if (!artifact) {
        artifact = json_object();
        json_object_set_new(t->details, "artifact", artifact);
    }
    json_object_set_new(artifact, key, json_integer(bytes));
}

void target_record_artifact(target *t, const char *key, const char *path)
{
    struct stat info;
    if (stat(path, &info) == 0) target_record_artifact_bytes(t, key, (long long)info.st_size);
}

static char target_output_directory[64]; /* tentative: defined with its helpers below */

int target_instance_start(target *t, const workload_invocation *w, double timeout_s,
                          target_instance **out, wasmvs_error *err)
{
    *out = NULL;
    if (!t->ops->start)
        return wasmvs_fail(err,
                           "%s: expected a target that keeps long-lived instances, found one "
                           "that only runs one-shot samples",
                           t->name);
    target_instance **grown = realloc(t->instances, (t->instance_count + 1) * sizeof *grown);
    target_instance *instance = calloc(1, sizeof *instance);
    if (!grown || !instance) {
        free(instance);
        if (grown) t->instances = grown;
        return wasmvs_fail(err, "%s: out of memory for an instance", t->name);
    }
    t->instances = grown;
    uint64_t started = meter_clock_ns();
    if (t->ops->start(t, w, timeout_s, instance, err) != 0) {
        if (instance->output[0]) unlink(instance->output); /* what it wrote is in err */
        if (target_output_directory[0] && rmdir(target_output_directory) == 0)
            target_output_directory[0] = '\0';
        free(instance);
        return -1;
    }
    instance->start_ns = (double)(meter_clock_ns() - started);
    t->instances[t->instance_count++] = instance;
    *out = instance;
    return 0;
}

int target_instance_measure(const target_instance *instance, json_t *metrics, wasmvs_error *err)
{
    meter_memory_tree tree;
    if (meter_memory_tree_read(instance->tree_root, &tree, err) != 0) return -1;
    json_object_set_new(metrics, "pss_kib", json_integer(tree.pss_kib));
    json_object_set_new(metrics, "rss_kib", json_integer(tree.rss_kib));
    json_object_set_new(metrics, "processes", json_integer((json_int_t)tree.processes));
    /* Only a cgroup of its own (a container's): a native process shares wasmvs's. */
    long long bytes, own_bytes;
    char path[1200], own_path[1200];
    wasmvs_error ignored;
    if (meter_memory_cgroup_bytes(instance->main_pid, &bytes, path, sizeof path, &ignored) == 0 &&
        (meter_memory_cgroup_bytes(getpid(), &own_bytes, own_path, sizeof own_path, &ignored) !=
             0 ||
         strcmp(path, own_path) != 0))
        json_object_set_new(metrics, "cgroup_memory_bytes", json_integer(bytes));
    return 0;
}

/* The directory holding instances' output files: one per wasmvs process. */
static char target_output_directory[64];
static unsigned long target_output_next;

int target_instance_output_file(target_instance *instance, wasmvs_error *err)
{
    if (!target_output_directory[0]) {
        snprintf(target_output_directory, sizeof target_output_directory,
                 "/tmp/wasmvs-instances-%ld", (long)getpid());
        if (mkdir(target_output_directory, 0700) != 0 && errno != EEXIST) {
            int saved = errno;
            target_output_directory[0] = '\0';
            return wasmvs_fail(err, "/tmp: cannot create a directory for instance output: %s",
                               strerror(saved));
        }
    }
    snprintf(instance->output, sizeof instance->output, "%s/%lu.out", target_output_directory,
             target_output_next++);
    return 0;
}

void target_instance_stop(target *t, target_instance *instance)
{
    if (!instance) return;
    for (size_t i = 0; i < t->instance_count; i++) {
        if (t->instances[i] != instance) continue;
        t->instances[i] = t->instances[--t->instance_count];
        break;
    }
    t->ops->stop(t, instance);
    if (instance->output[0]) unlink(instance->output);
    /* once it is empty: the next start creates it again */
    if (target_output_directory[0] && rmdir(target_output_directory) == 0)
        target_output_directory[0] = '\0';
    free(instance);
}

void target_outcome_free(target_outcome *outcome)
{
    free(outcome->out);
    free(outcome->err);
    json_decref(outcome->metrics);
    json_decref(outcome->phases);
    memset(outcome, 0, sizeof *outcome);
}

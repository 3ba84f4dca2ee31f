/* registry.c: target names to implementations. One line per target name; a new
 * backend adds its constructor's declaration and a line here, and nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../target.h"

/* Each constructor fills t->ops (and its state) for the given variant. */
int target_native_init(target *t, wasmvs_error *err);
int target_runc_init(target *t, wasmvs_error *err);
int target_docker_init(target *t, wasmvs_error *err);

typedef struct target_entry {
    const char *name;
    const char *variant;
    int (*init)(target *t, wasmvs_error *err);
} target_entry;

static const target_entry target_registry[] = {
    {"native", "gcc", target_native_init},
    {"native-clang", "clang", target_native_init},
    {"runc", "", target_runc_init},
    {"docker", "none", target_docker_init},
    {"docker:host", "host", target_docker_init},
    {"docker:bridge", "bridge", target_docker_init},
};
#define TARGET_REGISTRY_COUNT (sizeof target_registry / sizeof target_registry[0])

/* Live targets, so a cancelled run can clean up all of them from one place. */
static target *target_live[32];

static const target_entry *target_lookup(const char *name)
{
    for (size_t i = 0; i < TARGET_REGISTRY_COUNT; i++)
        if (strcmp(target_registry[i].name, name) == 0) return &target_registry[i];
    return NULL;
}

int target_exists(const char *name)
{
    return target_lookup(name) != NULL;
}

const char *target_names(void)
{
    static char names[512];
    if (!names[0]) {
        size_t used = 0;
        for (size_t i = 0; i < TARGET_REGISTRY_COUNT; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     target_registry[i].name);
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
    snprintf(t->variant, sizeof t->variant, "%s", entry->variant);
    t->details = json_object();
    if (entry->init(t, err) != 0) {
        json_decref(t->details);
        free(t);
        return -1;
    }
    for (size_t i = 0; i < sizeof target_live / sizeof target_live[0]; i++) {
        if (!target_live[i]) {
            target_live[i] = t;
            break;
        }
    }
    *out = t;
    return 0;
}

void target_free(target *t)
{
    if (!t) return;
    for (size_t i = 0; i < sizeof target_live / sizeof target_live[0]; i++)
        if (target_live[i] == t) target_live[i] = NULL;
    if (t->ops->cleanup) t->ops->cleanup(t);
    if (t->ops->destroy) t->ops->destroy(t);
    json_decref(t->details);
    free(t);
}

void target_cleanup_all(void)
{
    for (size_t i = 0; i < sizeof target_live / sizeof target_live[0]; i++)
        if (target_live[i] && target_live[i]->ops->cleanup)
            target_live[i]->ops->cleanup(target_live[i]);
}

void target_outcome_free(target_outcome *outcome)
{
    free(outcome->out);
    free(outcome->err);
    json_decref(outcome->metrics);
    json_decref(outcome->phases);
    memset(outcome, 0, sizeof *outcome);
}

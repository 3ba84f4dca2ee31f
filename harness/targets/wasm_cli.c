/* wasm_cli.c: the `wasm-cli:NAME` targets: external Wasm runtimes (wasmtime, wasmer,
 * wasmedge, wasm3, iwasm, node's V8 through harness/runtimes/node-wasi.mjs, ...) started
 * as processes from the command templates in harness/runtimes/wasm-runtimes.json, which
 * a user extends without recompiling. A runtime whose command is not on PATH, or whose
 * version command fails, is unavailable with that reason. Each runs the same
 * build/workloads/wasm/NAME.wasm as wasmrt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"
#include "../target.h"
#include "command.h"

#define WASM_CLI_MAX_WORDS 64

typedef struct target_wasm_cli {
    json_t *runtime; /* this runtime's entry of the templates file */
    char runtimes_dir[4096];
    char module[4096];
    char *argv[WASM_CLI_MAX_WORDS + 1]; /* the expanded run command, malloc'ed words */
} target_wasm_cli;

static void target_wasm_cli_free_argv(target_wasm_cli *state)
{
    for (size_t i = 0; state->argv[i]; i++)
        free(state->argv[i]);
    memset(state->argv, 0, sizeof state->argv);
}

/* Replaces every {placeholder} of word by its value; {args} is handled by the caller. */
static char *target_wasm_cli_substitute(const char *word, const target_wasm_cli *state)
{
    const char *names[] = {"{module}", "{runtimes_dir}"};
    const char *values[] = {state->module, state->runtimes_dir};
    size_t capacity = strlen(word) + 1;
    for (size_t k = 0; k < 2; k++)
        for (const char *p = strstr(word, names[k]); p; p = strstr(p + 1, names[k]))
            capacity += strlen(values[k]);
    char *out = malloc(capacity), *o = out;
    if (!out) return NULL;
    while (*word) {
        size_t k = 0;
        while (k < 2 && strncmp(word, names[k], strlen(names[k])) != 0)
            k++;
        if (k < 2) {
            o = stpcpy(o, values[k]);
            word += strlen(names[k]);
        } else {
            *o++ = *word++;
        }
    }
    *o = '\0';
    return out;
}

/* Expands the "run" template for workload w into state->argv. A server (httpd) gets
 * the "listen" words, {listen} = its ADDR:PORT, before the module's word, and not its
 * address among {args}: WASI cannot bind, the runtime hands in the socket. */
static int target_wasm_cli_expand(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_wasm_cli *state = t->state;
    target_wasm_cli_free_argv(state);
    json_t *run = json_object_get(state->runtime, "run");
    json_t *listen = json_object_get(state->runtime, "listen");
    if (w->serves_http && !listen)
        return wasmvs_fail(err,
                           "%s: expected a \"listen\" template to serve %s on a preopened "
                           "socket, found none: this runtime cannot serve it",
                           t->name, w->name);
    size_t n = 0, i, l;
    json_t *word, *listen_word;
    json_array_foreach(run, i, word)
    {
        const char *text = json_string_value(word);
        if (w->serves_http && strstr(text, "{module}"))
            json_array_foreach(listen, l, listen_word)
            {
                const char *part = json_string_value(listen_word);
                if (n < WASM_CLI_MAX_WORDS)
                    state->argv[n++] = strdup(strcmp(part, "{listen}") ? part : w->args[0]);
            }
        if (strcmp(text, "{args}") == 0) {
            size_t first = w->serves_http ? 1 : 0; /* not the server's address */
            for (size_t a = first; a < w->arg_count && n < WASM_CLI_MAX_WORDS; a++)
                state->argv[n++] = strdup(w->args[a]);
        } else if (n < WASM_CLI_MAX_WORDS) {
            state->argv[n++] = target_wasm_cli_substitute(text, state);
        }
        if (n > 0 && !state->argv[n - 1]) return wasmvs_fail(err, "%s: out of memory", t->name);
    }
    if (n >= WASM_CLI_MAX_WORDS)
        return wasmvs_fail(err, "%s: \"run\": expected at most %d words, found more", t->name,
                           WASM_CLI_MAX_WORDS);
    return 0;
}

/* 0 when command (a bare name searched on PATH, or a path) can be executed. */
static int target_wasm_cli_findable(const char *command)
{
    if (strchr(command, '/')) return access(command, X_OK);
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    char *copy = strdup(path), *save = NULL;
    int status = -1;
    for (char *dir = strtok_r(copy, ":", &save); dir && status != 0;
         dir = strtok_r(NULL, ":", &save)) {
        char candidate[4096];
        snprintf(candidate, sizeof candidate, "%s/%s", dir, command);
        status = access(candidate, X_OK);
    }
    free(copy);
    return status;
}

/* Checks one runtime entry of the templates file: version and run are arrays of
 * strings, listen (optional) too. */
static int target_wasm_cli_check_entry(const char *file, const char *name, json_t *entry,
                                       wasmvs_error *err)
{
    const char *fields[] = {"version", "run", "listen"};
    for (size_t k = 0; k < 3; k++) {
        json_t *words = json_object_get(entry, fields[k]);
        if (!words && k == 2) continue;
        bool ok = json_is_array(words) && json_array_size(words) > 0;
        size_t i;
        json_t *word;
        json_array_foreach(words, i, word) ok = ok && json_is_string(word);
        if (!ok)
            return wasmvs_fail(err,
                               "%s: field \"runtimes.%s.%s\": expected a non-empty array of "
                               "strings, found something else",
                               file, name, fields[k]);
    }
    return 0;
}

/* The templates file: $WASMVS_RUNTIMES, else harness/runtimes/wasm-runtimes.json. */
static void target_wasm_cli_templates(char *file, size_t size)
{
    const char *override = getenv("WASMVS_RUNTIMES");
    if (override && *override)
        snprintf(file, size, "%s", override);
    else
        snprintf(file, size, "%s/harness/runtimes/wasm-runtimes.json", paths_root());
}

void target_wasm_cli_names(char *out, size_t size)
{
    char file[4200];
    target_wasm_cli_templates(file, sizeof file);
    json_t *doc = json_load_file(file, 0, NULL);
    size_t used = 0;
    out[0] = '\0';
    const char *name;
    json_t *entry;
    json_object_foreach(json_object_get(doc, "runtimes"), name, entry)
    {
        (void)entry;
        if (used < size)
            used += (size_t)snprintf(out + used, size - used, "%swasm-cli:%s", used ? ", " : "",
                                     name);
    }
    if (!out[0]) snprintf(out, size, "wasm-cli:NAME");
    json_decref(doc);
}

static int target_wasm_cli_probe(target *t, wasmvs_error *why)
{
    target_wasm_cli *state = t->state;
    char file[4200];
    target_wasm_cli_templates(file, sizeof file);
    snprintf(state->runtimes_dir, sizeof state->runtimes_dir, "%s/harness/runtimes",
             paths_root());
    json_error_t parse_error;
    json_t *doc = json_load_file(file, JSON_REJECT_DUPLICATES, &parse_error);
    if (!doc)
        return wasmvs_fail(why, "%s:%d:%d: expected the runtime templates, found: %s", file,
                           parse_error.line, parse_error.column, parse_error.text);
    json_t *entry = json_object_get(json_object_get(doc, "runtimes"), t->variant);
    if (!entry) {
        json_decref(doc);
        return wasmvs_fail(why, "%s: expected a runtime \"%s\" under \"runtimes\", found none",
                           file, t->variant);
    }
    if (target_wasm_cli_check_entry(file, t->variant, entry, why) != 0) {
        json_decref(doc);
        return -1;
    }
    state->runtime = json_incref(entry);
    json_decref(doc);
    json_object_set_new(t->details, "templates", json_string(file));
    json_t *version = json_object_get(state->runtime, "version");
    char *argv[WASM_CLI_MAX_WORDS + 1] = {0};
    for (size_t i = 0; i < json_array_size(version) && i < WASM_CLI_MAX_WORDS; i++)
        argv[i] = (char *)json_string_value(json_array_get(version, i));
    const char *command = json_string_value(json_array_get(json_object_get(state->runtime, "run"), 0));
    if (target_wasm_cli_findable(command) != 0)
        return wasmvs_fail(why, "%s: not found on PATH", command);
    char *line = process_first_line(argv);
    if (!line)
        return wasmvs_fail(why, "%s: the version command failed or printed nothing", argv[0]);
    snprintf(t->version, sizeof t->version, "%s", line);
    free(line);
    return 0;
}

static int target_wasm_cli_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_wasm_cli *state = t->state;
    if (target_command_module(t, w, "", state->module, sizeof state->module, err) != 0)
        return -1;
    if (target_wasm_cli_expand(t, w, err) != 0) return -1;
    json_t *command = json_array();
    for (size_t i = 0; state->argv[i]; i++)
        json_array_append_new(command, json_string(state->argv[i]));
    json_object_set_new(t->details, "command", command);
    target_command_details(t, "the runtime's command started on the module file, with whatever "
                              "compiled cache the runtime keeps by itself; page cache warm unless "
                              "drop_caches");
    return 0;
}

static int target_wasm_cli_run_once(target *t, const workload_invocation *w, double timeout_s,
                                    target_outcome *outcome, wasmvs_error *err)
{
    target_wasm_cli *state = t->state;
    if (target_wasm_cli_expand(t, w, err) != 0) return -1;
    return target_command_run(t, state->argv, w, timeout_s, outcome, err);
}

static int target_wasm_cli_start(target *t, const workload_invocation *w, double timeout_s,
                                 target_instance *instance, wasmvs_error *err)
{
    target_wasm_cli *state = t->state;
    if (target_wasm_cli_expand(t, w, err) != 0) return -1;
    return target_command_start(state->argv, w, timeout_s, instance, err);
}

static void target_wasm_cli_stop(target *t, target_instance *instance)
{
    (void)t;
    target_command_stop(instance);
}

static void target_wasm_cli_destroy(target *t)
{
    target_wasm_cli *state = t->state;
    target_wasm_cli_free_argv(state);
    json_decref(state->runtime);
    free(state);
    t->state = NULL;
}

static const target_ops target_wasm_cli_ops = {
    .probe = target_wasm_cli_probe,
    .prepare = target_wasm_cli_prepare,
    .run_once = target_wasm_cli_run_once,
    .start = target_wasm_cli_start,
    .stop = target_wasm_cli_stop,
    .destroy = target_wasm_cli_destroy,
};

int target_wasm_cli_init(target *t, wasmvs_error *err)
{
    if (!t->variant[0])
        return wasmvs_fail(err, "%s: expected wasm-cli:NAME with a runtime NAME, found none",
                           t->name);
    t->state = calloc(1, sizeof(target_wasm_cli));
    if (!t->state) return wasmvs_fail(err, "%s: out of memory", t->name);
    t->ops = &target_wasm_cli_ops;
    t->counts_perf = true;
    return 0;
}

/* spec_script.c: runs the commands of one wast2json script against wasmrt.
 *
 * One engine and linker per script, with the spectest module defined in it; modules
 * are instantiated through that linker, `register` adds an instance's exports under a
 * name, and actions go to the named or the most recent instance. Every command counts
 * as passed, failed or skipped (text-format-only modules, which a binary engine cannot
 * read). Errors are compared by kind (status, trap kind), not by message wording. */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

enum { SPEC_MAX_RESULTS = 64, SPEC_MAX_PRINTED_FAILURES = 30 };

typedef struct spec_named {
    char *name;
    wasmrt_instance *instance;
} spec_named;

typedef struct spec_script {
    const char *name; /* "address.wast", for messages */
    char dir[PATH_MAX];
    const spec_options *options;
    spec_counts *counts;
    unsigned line;
    unsigned printed_failures;

    wasmrt_engine *engine;
    wasmrt_linker *linker;
    wasmrt_instance *current;
    spec_named *named;
    size_t named_count;
    /* Everything created, freed at the end in reverse order (instances first). */
    wasmrt_instance **instances;
    size_t instance_count;
    wasmrt_module **modules;
    size_t module_count;
} spec_script;

/* What became of an action. */
typedef enum spec_action_outcome {
    SPEC_ACTION_RAN,     /* the call happened; status says how it went */
    SPEC_ACTION_SKIPPED, /* cannot be expressed through wasmrt.h; reason in message */
    SPEC_ACTION_BROKEN,  /* the script or the instance is not usable; reason in message */
} spec_action_outcome;

typedef struct spec_action_result {
    spec_action_outcome outcome;
    wasmrt_status status;
    wasmrt_error error;
    wasmrt_value results[SPEC_MAX_RESULTS];
    uint32_t result_count;
    char message[512];
} spec_action_result;

/* Never NULL, so that it can go straight into printf. */
static const char *spec_status_name(wasmrt_status status)
{
    const char *name = wasmrt_status_name(status);
    return name ? name : "unknown status";
}

static const char *spec_trap_kind_name(wasmrt_trap_kind kind)
{
    const char *name = wasmrt_trap_name(kind);
    return name ? name : "no trap kind";
}

static void spec_pass(spec_script *s)
{
    s->counts->passed++;
}

static void spec_skip(spec_script *s, const char *command, const char *reason)
{
    s->counts->skipped++;
    if (s->options->verbose) printf("  %s:%u: %s skipped: %s\n", s->name, s->line, command, reason);
}

static void spec_fail(spec_script *s, const char *command, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void spec_fail(spec_script *s, const char *command, const char *fmt, ...)
{
    s->counts->failed++;
    if (!s->options->verbose && s->printed_failures >= SPEC_MAX_PRINTED_FAILURES) {
        if (s->printed_failures++ == SPEC_MAX_PRINTED_FAILURES)
            printf("  %s: more failures not shown (use -v)\n", s->name);
        return;
    }
    s->printed_failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("  %s:%u: %s failed: ", s->name, s->line, command);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

/* Keeps pointers to free at the end; allocation failure only leaks, never crashes. */
static void spec_keep(void ***array, size_t *count, void *item)
{
    void **grown = realloc(*array, (*count + 1) * sizeof **array);
    if (!grown) return;
    grown[(*count)++] = item;
    *array = grown;
}

static wasmrt_instance *spec_find_instance(spec_script *s, const char *name)
{
    if (!name) return s->current;
    for (size_t i = s->named_count; i-- > 0;) {
        if (strcmp(s->named[i].name, name) == 0) return s->named[i].instance;
    }
    return NULL;
}

static void spec_name_instance(spec_script *s, const char *name, wasmrt_instance *instance)
{
    spec_named *grown = realloc(s->named, (s->named_count + 1) * sizeof *grown);
    char *copy = strdup(name);
    if (!grown || !copy) {
        free(copy);
        if (grown) s->named = grown;
        return;
    }
    s->named = grown;
    s->named[s->named_count].name = copy;
    s->named[s->named_count].instance = instance;
    s->named_count++;
}

/* Loads the module file named by the command; the module is kept by the script. */
static wasmrt_status spec_load(spec_script *s, json_t *cmd, wasmrt_module **out,
                               wasmrt_error *error)
{
    const char *file = json_string_value(json_object_get(cmd, "filename"));
    char path[PATH_MAX + 256];
    *out = NULL;
    if (!file) {
        memset(error, 0, sizeof *error);
        error->status = WASMRT_ERR_ARGUMENT;
        snprintf(error->message, sizeof error->message, "command has no \"filename\"");
        return WASMRT_ERR_ARGUMENT;
    }
    snprintf(path, sizeof path, "%s/%s", s->dir, file);
    wasmrt_status st = wasmrt_module_load_file(s->engine, path, out, error);
    if (st == WASMRT_OK) spec_keep((void ***)&s->modules, &s->module_count, *out);
    return st;
}

static wasmrt_status spec_instantiate(spec_script *s, wasmrt_module *module, wasmrt_instance **out,
                                      wasmrt_error *error)
{
    *out = NULL;
    wasmrt_status st = wasmrt_instance_new(s->linker, module, out, error);
    if (st == WASMRT_OK) spec_keep((void ***)&s->instances, &s->instance_count, *out);
    return st;
}

static void spec_cmd_module(spec_script *s, json_t *cmd)
{
    wasmrt_error error = {0};
    wasmrt_module *module;
    wasmrt_instance *instance;
    const char *name = json_string_value(json_object_get(cmd, "name"));

    s->current = NULL; /* later actions must not reach an older module by accident */
    if (spec_load(s, cmd, &module, &error) != WASMRT_OK) {
        spec_fail(s, "module", "load: %s: %s", spec_status_name(error.status), error.message);
        return;
    }
    if (spec_instantiate(s, module, &instance, &error) != WASMRT_OK) {
        spec_fail(s, "module", "instantiate: %s: %s", spec_status_name(error.status),
                  error.message);
        return;
    }
    s->current = instance;
    if (name) spec_name_instance(s, name, instance);
    spec_pass(s);
}

static void spec_cmd_register(spec_script *s, json_t *cmd)
{
    const char *as = json_string_value(json_object_get(cmd, "as"));
    const char *name = json_string_value(json_object_get(cmd, "name"));
    wasmrt_instance *instance = spec_find_instance(s, name);
    wasmrt_error error = {0};

    if (!as || !instance) {
        spec_fail(s, "register", "expected \"as\" and a live instance %s, found %s",
                  name ? name : "(current)", instance ? "no \"as\"" : "none");
        return;
    }
    if (wasmrt_linker_define_instance(s->linker, as, instance, &error) != WASMRT_OK) {
        spec_fail(s, "register", "%s: %s", spec_status_name(error.status), error.message);
        return;
    }
    spec_pass(s);
}

static void spec_action_run(spec_script *s, json_t *action, spec_action_result *r)
{
    const char *type = json_string_value(json_object_get(action, "type"));
    const char *module = json_string_value(json_object_get(action, "module"));
    json_t *field_json = json_object_get(action, "field");
    const char *field = json_string_value(field_json);
    wasmrt_instance *instance = spec_find_instance(s, module);

    memset(&r->error, 0, sizeof r->error);
    r->result_count = 0;
    r->status = WASMRT_OK;
    r->outcome = SPEC_ACTION_BROKEN;
    if (!type || !field) {
        snprintf(r->message, sizeof r->message, "action: expected \"type\" and \"field\"");
        return;
    }
    if (!instance) {
        snprintf(r->message, sizeof r->message, "no instance %s to run '%s' on (module failed?)",
                 module ? module : "(current)", field);
        return;
    }
    /* Export names may hold NUL bytes (names.wast), so they go by length. */
    size_t field_length = json_string_length(field_json);

    if (strcmp(type, "get") == 0) {
        wasmrt_extern ext;
        r->outcome = SPEC_ACTION_RAN;
        r->status = wasmrt_instance_export_bytes(instance, field, field_length, &ext);
        if (r->status != WASMRT_OK) {
            r->error.status = r->status;
            snprintf(r->error.message, sizeof r->error.message, "no export '%s'", field);
            return;
        }
        if (ext.kind != WASMRT_EXTERN_GLOBAL) {
            r->outcome = SPEC_ACTION_BROKEN;
            snprintf(r->message, sizeof r->message, "export '%s' is not a global", field);
            return;
        }
        r->results[0] = wasmrt_global_get(ext.of.global);
        r->result_count = 1;
        return;
    }
    if (strcmp(type, "invoke") != 0) {
        snprintf(r->message, sizeof r->message, "action: unknown type '%s'", type);
        return;
    }

    wasmrt_extern export;
    wasmrt_func *func = NULL;
    if (wasmrt_instance_export_bytes(instance, field, field_length, &export) == WASMRT_OK &&
        export.kind == WASMRT_EXTERN_FUNC)
        func = export.of.func;
    if (!func) {
        snprintf(r->message, sizeof r->message, "no exported function '%s'", field);
        return;
    }
    wasmrt_functype ft;
    wasmrt_func_type(func, &ft);
    json_t *args_json = json_object_get(action, "args");
    size_t arg_count = json_array_size(args_json);
    if (arg_count > SPEC_MAX_RESULTS || ft.result_count > SPEC_MAX_RESULTS) {
        snprintf(r->message, sizeof r->message, "more than %d params or results", SPEC_MAX_RESULTS);
        return;
    }
    wasmrt_value args[SPEC_MAX_RESULTS];
    for (size_t i = 0; i < arg_count; i++) {
        char err[200];
        if (spec_value_parse(json_array_get(args_json, i), &args[i], err, sizeof err) != 0) {
            r->outcome = SPEC_ACTION_SKIPPED;
            snprintf(r->message, sizeof r->message, "argument %zu: %s", i, err);
            return;
        }
    }
    r->outcome = SPEC_ACTION_RAN;
    r->result_count = ft.result_count;
    r->status =
        wasmrt_func_call(func, args, (uint32_t)arg_count, r->results, ft.result_count, &r->error);
    if (r->status != WASMRT_OK) r->error.status = r->status;
}

/* The trap kinds that satisfy a spec message. The spec's wording differs per engine
 * only in detail, so the message is matched by its key phrase. */
static int spec_trap_matches(const char *text, wasmrt_trap_kind kind)
{
    static const struct {
        const char *phrase;
        wasmrt_trap_kind kind, also;
    } table[] = {
        {"call stack exhausted", WASMRT_TRAP_STACK_EXHAUSTED, WASMRT_TRAP_STACK_EXHAUSTED},
        {"divide by zero", WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO},
        {"integer overflow", WASMRT_TRAP_INTEGER_OVERFLOW, WASMRT_TRAP_INTEGER_OVERFLOW},
        {"invalid conversion", WASMRT_TRAP_INVALID_CONVERSION, WASMRT_TRAP_INVALID_CONVERSION},
        {"unreachable", WASMRT_TRAP_UNREACHABLE, WASMRT_TRAP_UNREACHABLE},
        {"out of bounds memory", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS,
         WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS},
        {"out of bounds table", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, WASMRT_TRAP_TABLE_OUT_OF_BOUNDS},
        {"undefined element", WASMRT_TRAP_TABLE_OUT_OF_BOUNDS, WASMRT_TRAP_TABLE_OUT_OF_BOUNDS},
        {"uninitialized element", WASMRT_TRAP_UNINITIALIZED_ELEMENT, WASMRT_TRAP_NULL_REFERENCE},
        {"indirect call type mismatch", WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
         WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH},
        {"null", WASMRT_TRAP_NULL_REFERENCE, WASMRT_TRAP_NULL_REFERENCE},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strstr(text, table[i].phrase)) return kind == table[i].kind || kind == table[i].also;
    }
    /* Unknown wording: fall back to the engine's own name for the kind. */
    const char *name = wasmrt_trap_name(kind);
    return name && strstr(text, name) != NULL;
}

static const char *spec_action_field(json_t *cmd)
{
    const char *field = json_string_value(json_object_get(json_object_get(cmd, "action"), "field"));
    return field ? field : "?";
}

/* Runs the command's action; 0 if it could not run (then already counted). */
static int spec_action_ran(spec_script *s, json_t *cmd, const char *command, spec_action_result *r)
{
    spec_action_run(s, json_object_get(cmd, "action"), r);
    if (r->outcome == SPEC_ACTION_SKIPPED) {
        spec_skip(s, command, r->message);
        return 0;
    }
    if (r->outcome == SPEC_ACTION_BROKEN) {
        spec_fail(s, command, "%s", r->message);
        return 0;
    }
    return 1;
}

static void spec_cmd_action(spec_script *s, json_t *cmd, const char *command)
{
    spec_action_result r;
    if (!spec_action_ran(s, cmd, command, &r)) return;
    if (r.status != WASMRT_OK) {
        spec_fail(s, command, "'%s': expected success, got %s (%s): %s", spec_action_field(cmd),
                  spec_status_name(r.status), spec_trap_kind_name(r.error.trap), r.error.message);
        return;
    }
    if (strcmp(command, "action") == 0) {
        spec_pass(s);
        return;
    }

    json_t *expected = json_object_get(cmd, "expected");
    size_t n = json_array_size(expected);
    if (n != r.result_count) {
        spec_fail(s, command, "'%s': expected %zu results, the function has %u",
                  spec_action_field(cmd), n, r.result_count);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        spec_expect e;
        char err[200], want[96], got[96];
        if (spec_expect_parse(json_array_get(expected, i), &e, err, sizeof err) != 0) {
            spec_skip(s, command, err);
            return;
        }
        if (!spec_expect_matches(&e, r.results[i])) {
            spec_expect_format(&e, want, sizeof want);
            spec_value_format(r.results[i], got, sizeof got);
            spec_fail(s, command, "'%s' result %zu: expected %s, got %s", spec_action_field(cmd), i,
                      want, got);
            return;
        }
    }
    spec_pass(s);
}

/* assert_trap and assert_exhaustion: the action must trap with the kind the text names. */
static void spec_cmd_assert_trap(spec_script *s, json_t *cmd, const char *command)
{
    const char *text = json_string_value(json_object_get(cmd, "text"));
    spec_action_result r;
    if (!spec_action_ran(s, cmd, command, &r)) return;
    if (!text) text = "";
    if (r.status != WASMRT_ERR_TRAP) {
        spec_fail(s, command, "'%s': expected trap \"%s\", got %s: %s", spec_action_field(cmd),
                  text, spec_status_name(r.status),
                  r.status == WASMRT_OK ? "returned normally" : r.error.message);
        return;
    }
    if (!spec_trap_matches(text, r.error.trap)) {
        spec_fail(s, command, "'%s': expected trap \"%s\", got trap %s: %s", spec_action_field(cmd),
                  text, spec_trap_kind_name(r.error.trap), r.error.message);
        return;
    }
    spec_pass(s);
}

/* assert_invalid / assert_malformed: loading must fail with this status. */
static void spec_cmd_assert_load(spec_script *s, json_t *cmd, const char *command,
                                 wasmrt_status want)
{
    const char *module_type = json_string_value(json_object_get(cmd, "module_type"));
    const char *text = json_string_value(json_object_get(cmd, "text"));
    wasmrt_error error = {0};
    wasmrt_module *module;

    if (module_type && strcmp(module_type, "binary") != 0) {
        spec_skip(s, command, "text-format module");
        return;
    }
    wasmrt_status st = spec_load(s, cmd, &module, &error);
    if (st != want) {
        spec_fail(s, command, "expected %s \"%s\", got %s%s%s", spec_status_name(want),
                  text ? text : "", spec_status_name(st), st == WASMRT_OK ? "" : ": ",
                  st == WASMRT_OK ? "" : error.message);
        return;
    }
    if (s->options->verbose && text && !strstr(error.message, text))
        printf("  %s:%u: %s message differs: expected \"%s\", engine said \"%s\"\n", s->name,
               s->line, command, text, error.message);
    spec_pass(s);
}

/* assert_unlinkable / assert_uninstantiable: loads, then instantiation fails. */
static void spec_cmd_assert_instantiate(spec_script *s, json_t *cmd, const char *command,
                                        wasmrt_status want)
{
    const char *text = json_string_value(json_object_get(cmd, "text"));
    wasmrt_error error = {0};
    wasmrt_module *module;
    wasmrt_instance *instance;

    if (!text) text = "";
    if (spec_load(s, cmd, &module, &error) != WASMRT_OK) {
        spec_fail(s, command, "expected the module to load, got %s: %s",
                  spec_status_name(error.status), error.message);
        return;
    }
    wasmrt_status st = spec_instantiate(s, module, &instance, &error);
    if (st != want) {
        spec_fail(s, command, "expected %s \"%s\", got %s%s%s", spec_status_name(want), text,
                  spec_status_name(st), st == WASMRT_OK ? "" : ": ",
                  st == WASMRT_OK ? "" : error.message);
        return;
    }
    if (want == WASMRT_ERR_TRAP && !spec_trap_matches(text, error.trap)) {
        spec_fail(s, command, "expected trap \"%s\", got trap %s: %s", text,
                  spec_trap_kind_name(error.trap), error.message);
        return;
    }
    if (s->options->verbose && !strstr(error.message, text))
        printf("  %s:%u: %s message differs: expected \"%s\", engine said \"%s\"\n", s->name,
               s->line, command, text, error.message);
    spec_pass(s);
}

static void spec_command_run(spec_script *s, json_t *cmd)
{
    const char *type = json_string_value(json_object_get(cmd, "type"));
    s->line = (unsigned)json_integer_value(json_object_get(cmd, "line"));
    if (!type) type = "";
    if (strcmp(type, "module") == 0)
        spec_cmd_module(s, cmd);
    else if (strcmp(type, "register") == 0)
        spec_cmd_register(s, cmd);
    else if (strcmp(type, "action") == 0 || strcmp(type, "assert_return") == 0)
        spec_cmd_action(s, cmd, type);
    else if (strcmp(type, "assert_trap") == 0 || strcmp(type, "assert_exhaustion") == 0)
        spec_cmd_assert_trap(s, cmd, type);
    else if (strcmp(type, "assert_invalid") == 0)
        spec_cmd_assert_load(s, cmd, type, WASMRT_ERR_INVALID);
    else if (strcmp(type, "assert_malformed") == 0)
        spec_cmd_assert_load(s, cmd, type, WASMRT_ERR_MALFORMED);
    else if (strcmp(type, "assert_unlinkable") == 0)
        spec_cmd_assert_instantiate(s, cmd, type, WASMRT_ERR_LINK);
    else if (strcmp(type, "assert_uninstantiable") == 0)
        spec_cmd_assert_instantiate(s, cmd, type, WASMRT_ERR_TRAP);
    else
        spec_fail(s, type, "unknown command type '%s'", type);
    fflush(stdout);
}

static void spec_script_free(spec_script *s)
{
    for (size_t i = s->instance_count; i-- > 0;)
        wasmrt_instance_free(s->instances[i]);
    for (size_t i = s->module_count; i-- > 0;)
        wasmrt_module_free(s->modules[i]);
    for (size_t i = 0; i < s->named_count; i++)
        free(s->named[i].name);
    free(s->instances);
    free(s->modules);
    free(s->named);
    if (s->linker) wasmrt_linker_free(s->linker);
    if (s->engine) wasmrt_engine_free(s->engine);
}

int spec_script_run(const char *json_path, const char *name, const spec_options *options,
                    spec_counts *counts)
{
    spec_script s = {.name = name, .options = options, .counts = counts};
    json_error_t jerr;
    wasmrt_config config;
    wasmrt_error error = {0};
    json_t *root = json_load_file(json_path, JSON_ALLOW_NUL, &jerr);

    const char *slash = strrchr(json_path, '/');
    snprintf(s.dir, sizeof s.dir, "%.*s", slash ? (int)(slash - json_path) : 1,
             slash ? json_path : ".");
    json_t *commands = json_object_get(root, "commands");
    if (!root || !json_is_array(commands)) {
        counts->failed++;
        printf("  %s: cannot read %s: %s\n", name, json_path,
               root ? "expected a \"commands\" array" : jerr.text);
        json_decref(root);
        return -1;
    }

    wasmrt_config_default(&config);
    config.bounds = options->bounds;
    if (options->mode >= 0)
        config.mode = (wasmrt_exec_mode)options->mode;
    if (wasmrt_engine_new(&config, &s.engine, &error) != WASMRT_OK ||
        wasmrt_linker_new(s.engine, &s.linker, &error) != WASMRT_OK ||
        spec_host_define(s.engine, s.linker, &error, options->verbose ? stdout : NULL) !=
            WASMRT_OK) {
        /* Without an engine no command can pass: count them all as failed. */
        counts->failed += (unsigned)json_array_size(commands);
        printf("  %s: engine setup failed: %s: %s\n", name, spec_status_name(error.status),
               error.message);
        spec_script_free(&s);
        json_decref(root);
        return 0;
    }

    size_t i;
    json_t *cmd;
    json_array_foreach(commands, i, cmd) spec_command_run(&s, cmd);
    spec_script_free(&s);
    json_decref(root);
    return 0;
}

/* main.c: the `wasmrt-oci` command line, runc's: global flags (--root, --log,
 * --log-format, --debug, --systemd-cgroup), then a command with its flags and
 * arguments, flags written --name VALUE, --name=VALUE or with one dash, as the Go
 * programs that call runc write them. Errors are printed, logged (for containerd-shim)
 * and exit 1; `run` exits with the container's status. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "container.h"
#include "log.h"
#include "state.h"
#include "wasmrt.h"

#define OCI_RUNTIME_VERSION "0.1.0"

static void oci_usage(FILE *out)
{
    fputs("usage: wasmrt-oci [GLOBAL OPTIONS] COMMAND [OPTIONS] ID ...\n"
          "\n"
          "An OCI runtime (runc's command line) whose containers run a WebAssembly module\n"
          "(process.args[0], recognised by its \\0asm magic) with the wasmrt engine inside\n"
          "the container's namespaces and cgroup; a native entrypoint is refused.\n"
          "\n"
          "global options:\n"
          "  --root DIR            state directory (default " OCI_STATE_DEFAULT_ROOT ")\n"
          "  --log FILE            log file (default: stderr)\n"
          "  --log-format FORMAT   text (default) or json\n"
          "  --debug               debug messages, with the timing of each create step\n"
          "  --systemd-cgroup      refused: cgroups are managed as cgroupfs paths\n"
          "\n"
          "commands:\n"
          "  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET]\n"
          "         [--preserve-fds N] [--no-pivot] [--no-new-keyring] ID\n"
          "  start ID\n"
          "  run [create's options] [--detach] ID   create + start (+ wait + delete)\n"
          "  state ID                               the OCI state JSON\n"
          "  kill [--all] ID [SIGNAL]               default TERM\n"
          "  delete [--force] ID\n"
          "  ps [--format table|json] ID\n"
          "  pause ID | resume ID\n"
          "  update --resources FILE|- ID\n"
          "  list [--format table|json] [--quiet]\n"
          "  features                               what this runtime implements (JSON)\n"
          "  exec, checkpoint, restore, events      refused: one module per container\n"
          "\n"
          "A guest that serves gets a listening socket with WASMRT_LISTEN=ADDR:PORT in\n"
          "process.env (bound in the container's network namespace).\n",
          out);
}

/* One command line being read: its words and where we are. */
typedef struct oci_words {
    int count;
    char **words;
    int next;
    const char *command;
    oci_error *err;
    bool failed;
} oci_words;

/* Whether word is the flag called by one of names ("bundle|b"), with one or two
 * dashes; *value points after a '=' when it has one. */
static bool oci_flag_is(const char *word, const char *names, const char **value)
{
    if (word[0] != '-') return false;
    word += word[1] == '-' ? 2 : 1;
    size_t length = strcspn(word, "=");
    *value = word[length] == '=' ? word + length + 1 : NULL;
    for (const char *name = names; *name;) {
        size_t name_length = strcspn(name, "|");
        if (name_length == length && strncmp(name, word, length) == 0) return true;
        name += name_length + (name[name_length] == '|');
    }
    return false;
}

/* The value of a flag that takes one: after '=', or the next word. */
static const char *oci_flag_value(oci_words *w, const char *inline_value)
{
    if (inline_value) return inline_value;
    if (w->next + 1 < w->count) return w->words[++w->next];
    oci_fail(w->err, "%s: %s: expected a value after it, found the end of the line", w->command,
             w->words[w->next]);
    w->failed = true;
    return NULL;
}

/* A boolean flag: present, or =true/=false. */
static bool oci_flag_bool(const char *inline_value)
{
    return !inline_value || strcmp(inline_value, "false") != 0;
}

typedef struct oci_command_line {
    oci_create_options create;
    bool detach, force, all, quiet;
    const char *format, *resources;
    const char *positional[4];
    int positional_count;
} oci_command_line;

/* Reads a command's flags (those in accepted) and positional arguments. */
static int oci_parse_command(oci_words *w, const char *accepted, oci_command_line *line)
{
    for (w->next++; w->next < w->count && !w->failed; w->next++) {
        const char *word = w->words[w->next], *v = NULL;
        if (word[0] != '-' || strcmp(word, "-") == 0) {
            if (line->positional_count == 4)
                return oci_fail(w->err, "%s: expected at most 4 arguments, found more", w->command);
            line->positional[line->positional_count++] = word;
            continue;
        }
        if (strcmp(word, "--") == 0) continue;
        char flag[96] = ""; /* the accepted group the word matched, by its first name */
        for (const char *a = accepted; *a && !flag[0];) {
            size_t n = strcspn(a, " ");
            char group[96];
            snprintf(group, sizeof group, "%.*s", (int)n, a);
            if (oci_flag_is(word, group, &v))
                snprintf(flag, sizeof flag, "%.*s", (int)strcspn(group, "|"), group);
            a += n + (a[n] == ' ');
        }
        if (!flag[0])
            return oci_fail(w->err, "%s: unknown option %s (see wasmrt-oci --help)", w->command,
                            word);
        if (strcmp(flag, "bundle") == 0)
            line->create.bundle = oci_flag_value(w, v);
        else if (strcmp(flag, "pid-file") == 0)
            line->create.pid_file = oci_flag_value(w, v);
        else if (strcmp(flag, "console-socket") == 0)
            line->create.console_socket = oci_flag_value(w, v);
        else if (strcmp(flag, "preserve-fds") == 0) {
            const char *text = oci_flag_value(w, v);
            char *end;
            long n = text ? strtol(text, &end, 10) : 0;
            if (text && (*end || n < 0 || n > 1024))
                return oci_fail(w->err, "%s: --preserve-fds: expected a count, found \"%s\"",
                                w->command, text);
            line->create.preserve_fds = (int)n;
        } else if (strcmp(flag, "no-pivot") == 0)
            line->create.no_pivot = oci_flag_bool(v);
        else if (strcmp(flag, "no-new-keyring") == 0)
            line->create.no_new_keyring = oci_flag_bool(v);
        else if (strcmp(flag, "detach") == 0)
            line->detach = oci_flag_bool(v);
        else if (strcmp(flag, "force") == 0)
            line->force = oci_flag_bool(v);
        else if (strcmp(flag, "all") == 0)
            line->all = oci_flag_bool(v);
        else if (strcmp(flag, "quiet") == 0)
            line->quiet = oci_flag_bool(v);
        else if (strcmp(flag, "format") == 0)
            line->format = oci_flag_value(w, v);
        else if (strcmp(flag, "resources") == 0)
            line->resources = oci_flag_value(w, v);
    }
    return w->failed ? -1 : 0;
}

/* The container id: the command's first argument. */
static const char *oci_require_id(const oci_command_line *line, const char *command, oci_error *err)
{
    if (line->positional_count < 1) {
        oci_fail(err, "%s: expected a container id, found none", command);
        return NULL;
    }
    return line->positional[0];
}

static int oci_dispatch(const char *root, oci_words *w, int *exit_status)
{
    const char *command = w->command;
    oci_error *err = w->err;
    oci_command_line line;
    memset(&line, 0, sizeof line);
    line.create.root = root;
    /* argv's strings lie end to end: the init writes process.args over them */
    line.create.cmdline = w->words[0];
    line.create.cmdline_size =
        (size_t)(w->words[w->count - 1] + strlen(w->words[w->count - 1]) + 1 - w->words[0]);
    const char *create_flags = "bundle|b pid-file console-socket preserve-fds no-pivot "
                               "no-new-keyring";
    if (strcmp(command, "features") == 0) {
        if (oci_parse_command(w, "", &line) != 0) return -1;
        return oci_command_features(err);
    }
    if (strcmp(command, "list") == 0 || strcmp(command, "ls") == 0) {
        if (oci_parse_command(w, "format|f quiet|q", &line) != 0) return -1;
        return oci_command_list(root, line.format, line.quiet, err);
    }
    if (strcmp(command, "exec") == 0 || strcmp(command, "checkpoint") == 0 ||
        strcmp(command, "restore") == 0 || strcmp(command, "events") == 0)
        return oci_fail(err,
                        "%s: not supported by wasmrt-oci: a container runs one WebAssembly "
                        "module in its init; there is no second process to start, and no "
                        "checkpoint or event stream",
                        command);
    const char *accepted = "";
    if (strcmp(command, "create") == 0)
        accepted = create_flags;
    else if (strcmp(command, "run") == 0)
        accepted = "bundle|b pid-file console-socket preserve-fds no-pivot no-new-keyring "
                   "detach|d";
    else if (strcmp(command, "delete") == 0)
        accepted = "force|f";
    else if (strcmp(command, "kill") == 0)
        accepted = "all|a";
    else if (strcmp(command, "ps") == 0)
        accepted = "format|f";
    else if (strcmp(command, "update") == 0)
        accepted = "resources|r";
    else if (strcmp(command, "start") != 0 && strcmp(command, "state") != 0 &&
             strcmp(command, "pause") != 0 && strcmp(command, "resume") != 0)
        return oci_fail(err,
                        "expected a command (create, start, run, state, kill, delete, ps, "
                        "pause, resume, update, list, features), found \"%s\"",
                        command);
    if (oci_parse_command(w, accepted, &line) != 0) return -1;
    const char *id = oci_require_id(&line, command, err);
    if (!id) return -1;
    line.create.id = id;
    if (strcmp(command, "create") == 0) {
        pid_t pid;
        return oci_container_create(&line.create, &pid, err);
    }
    if (strcmp(command, "run") == 0)
        return oci_container_run(&line.create, line.detach, exit_status, err);
    if (strcmp(command, "start") == 0) return oci_container_start(root, id, err);
    if (strcmp(command, "delete") == 0) return oci_container_delete(root, id, line.force, err);
    if (strcmp(command, "state") == 0) return oci_command_state(root, id, err);
    if (strcmp(command, "kill") == 0)
        return oci_command_kill(root, id, line.positional_count > 1 ? line.positional[1] : NULL,
                                line.all, err);
    if (strcmp(command, "ps") == 0) return oci_command_ps(root, id, line.format, err);
    if (strcmp(command, "pause") == 0 || strcmp(command, "resume") == 0)
        return oci_command_pause(root, id, strcmp(command, "pause") == 0, err);
    return oci_command_update(root, id, line.resources, err);
}

int main(int argc, char **argv)
{
    oci_error err = {{0}};
    oci_words w = {.count = argc, .words = argv, .next = 1, .err = &err};
    const char *root = OCI_STATE_DEFAULT_ROOT, *log_path = NULL, *log_format = NULL;
    bool debug = false;
    for (; w.next < argc && argv[w.next][0] == '-'; w.next++) {
        const char *word = argv[w.next], *v = NULL;
        w.command = "wasmrt-oci";
        if (oci_flag_is(word, "help|h", &v)) {
            oci_usage(stdout);
            return 0;
        }
        if (oci_flag_is(word, "version|v", &v)) {
            printf("wasmrt-oci version %s\nspec: %s\nwasmrt: %s\n", OCI_RUNTIME_VERSION,
                   OCI_VERSION, WASMRT_VERSION);
            return 0;
        }
        if (oci_flag_is(word, "root", &v))
            root = oci_flag_value(&w, v);
        else if (oci_flag_is(word, "log", &v))
            log_path = oci_flag_value(&w, v);
        else if (oci_flag_is(word, "log-format", &v))
            log_format = oci_flag_value(&w, v);
        else if (oci_flag_is(word, "debug", &v))
            debug = oci_flag_bool(v);
        else if (oci_flag_is(word, "systemd-cgroup", &v)) {
            if (oci_flag_bool(v)) {
                oci_fail(&err, "--systemd-cgroup: not supported by wasmrt-oci, which manages "
                               "cgroups as cgroupfs paths (configure the cgroupfs driver)");
                w.failed = true;
            }
        } else if (oci_flag_is(word, "criu", &v))
            oci_flag_value(&w, v); /* checkpoints: none */
        else if (oci_flag_is(word, "rootless", &v)) {
            const char *value = oci_flag_value(&w, v);
            if (value && strcmp(value, "false") != 0 && strcmp(value, "auto") != 0) {
                oci_fail(&err, "--rootless %s: not supported by wasmrt-oci (it runs as root)",
                         value);
                w.failed = true;
            }
        } else {
            oci_fail(&err, "unknown global option %s (see wasmrt-oci --help)", word);
            w.failed = true;
        }
        if (w.failed) break;
    }
    if (!w.failed && oci_log_open(log_path, log_format, debug, &err) != 0) w.failed = true;
    if (!w.failed && w.next >= argc) {
        oci_usage(stderr);
        return 2;
    }
    int exit_status = 0;
    if (!w.failed) {
        w.command = argv[w.next];
        if (strcmp(w.command, "help") == 0) {
            oci_usage(stdout);
            return 0;
        }
        if (oci_dispatch(root, &w, &exit_status) != 0) w.failed = true;
    }
    if (w.failed) {
        oci_log_error("%s", err.message);
        return 1;
    }
    return exit_status;
}

/* runc.c: the OCI runtime targets. prepare builds a bundle whose rootfs holds only the
 * workload's static binary, with config.json written by jansson; each sample is one
 * `runc run` (create, start, wait and delete in one command) with the harness's pipes
 * as the container's stdio. Containers get unique ids and their own runc state root;
 * a sample that times out or is interrupted is removed with `runc delete -f`.
 * Long-lived instances are detached containers (`runc run -d`), whose stdio runc passes
 * through to a file watched for the ready line; no helper process stays resident.
 * `runc:wasmrt` is the same with the OCI runtime wasmrt-oci (build/bin/wasmrt-oci, the
 * same command line) instead of runc, and the workload's Wasm module as the rootfs and
 * the entrypoint: only the runtime and the artifact differ. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../paths.h"
#include "../process.h"
#include "../target.h"

#include "command.h"

#define TARGET_RUNC_STATE_ROOT "/run/wasmvs-runc"
#define TARGET_RUNC_WASMRT_STATE_ROOT "/run/wasmvs-wasmrt-oci"

typedef struct target_runc {
    bool wasm;              /* runc:wasmrt: wasmrt-oci runs the workload's module */
    char runtime[4096];     /* "runc", or the path of build/bin/wasmrt-oci */
    const char *state_root; /* the runtime's --root */
    char bundle[256];       /* mkdtemp'ed directory: config.json and rootfs/ */
    char binary[64];        /* the workload's file name inside rootfs */
    char live_id[96];       /* a container that may still exist, or "" */
} target_runc;

/* A container id no other runc-family target of this process has used. Each runtime
 * puts a container without linux.cgroupsPath in the cgroup "/ID", so a runc and a
 * wasmrt-oci container of one id would share a cgroup, and `delete -f` of one kills
 * the other's processes (an HTTP run lost runc's server when runc:wasmrt's stopped). */
static void target_runc_new_id(char *id, size_t size)
{
    static _Atomic unsigned long next;
    snprintf(id, size, "wasmvs-%ld-%lu", (long)getpid(), atomic_fetch_add(&next, 1));
}

static int target_runc_probe(target *t, wasmvs_error *why)
{
    target_runc *state = t->state;
    if (geteuid() != 0) return wasmvs_fail(why, "%s: needs root to create containers", t->name);
    if (state->wasm && access(state->runtime, X_OK) != 0)
        return wasmvs_fail(why, "%s: the OCI runtime is not built (run make -C runtime)",
                           state->runtime);
    char *const argv[] = {state->runtime, "--version", NULL};
    char *line = process_first_line(argv);
    if (!line)
        return wasmvs_fail(why, "%s: not found on PATH or `%s --version` failed", state->runtime,
                           state->runtime);
    const char *version = strstr(line, "version ");
    snprintf(t->version, sizeof t->version, "%s %s", state->wasm ? "wasmrt-oci" : "runc",
             version ? version + 8 : line);
    free(line);
    return 0;
}

static int target_runc_copy(const char *from, const char *to, wasmvs_error *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return wasmvs_fail(err, "%s: cannot open workload binary: %s", from, strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (out < 0) {
        close(in);
        return wasmvs_fail(err, "%s: cannot create: %s", to, strerror(errno));
    }
    char buffer[65536];
    ssize_t n;
    int status = 0;
    while ((n = read(in, buffer, sizeof buffer)) > 0)
        if (write(out, buffer, (size_t)n) != n) {
            status = wasmvs_fail(err, "%s: cannot write: %s", to, strerror(errno));
            break;
        }
    if (n < 0) status = wasmvs_fail(err, "%s: cannot read: %s", from, strerror(errno));
    close(in);
    if (close(out) != 0 && status == 0)
        status = wasmvs_fail(err, "%s: cannot write: %s", to, strerror(errno));
    return status;
}

/* The OCI runtime spec's minimum for a static binary: its own namespaces (network
 * included, so "none" as with Docker; a server stays in the host's network namespace,
 * so that only the runtime differs from native), a read-only root, /proc and a /dev
 * tmpfs, no capabilities, no new privileges. A server's args (its port) are written
 * again at each start. */
static json_t *target_runc_config(const target_runc *state, const workload_invocation *w)
{
    json_t *args = json_array();
    char path[80];
    snprintf(path, sizeof path, "/%s", state->binary);
    json_array_append_new(args, json_string(path));
    char listen[128];
    size_t first = state->wasm ? target_command_wasm_listen(w, listen, sizeof listen) : 0;
    for (size_t i = first; i < w->arg_count; i++)
        json_array_append_new(args, json_string(w->args[i]));
    json_t *env = json_pack("[s]", "PATH=/");
    if (first) json_array_append_new(env, json_string(listen));
    json_t *namespaces = json_array();
    const char *kinds[] = {"pid", "network", "ipc", "uts", "mount"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!w->serves_http || strcmp(kinds[i], "network") != 0)
            json_array_append_new(namespaces, json_pack("{s:s}", "type", kinds[i]));
    return json_pack("{s:s, s:{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:b}, s:{s:s, s:b}, s:s,"
                     " s:[{s:s, s:s, s:s}, {s:s, s:s, s:s, s:[s, s, s, s]}],"
                     " s:{s:o, s:[s, s]}}",
                     "ociVersion", "1.0.2", "process", "terminal", 0, "user", "uid", 0, "gid", 0,
                     "args", args, "env", env, "cwd", "/", "noNewPrivileges", 1, "root", "path",
                     "rootfs", "readonly", 1, "hostname", "wasmvs", "mounts", "destination",
                     "/proc", "type", "proc", "source", "proc", "destination", "/dev", "type",
                     "tmpfs", "source", "tmpfs", "options", "nosuid", "strictatime", "mode=755",
                     "size=65536k", "linux", "namespaces", namespaces, "maskedPaths", "/proc/kcore",
                     "/proc/keys");
}

static int target_runc_write_config(const target_runc *state, const workload_invocation *w,
                                    wasmvs_error *err)
{
    char path[512];
    json_t *config = target_runc_config(state, w);
    snprintf(path, sizeof path, "%s/config.json", state->bundle);
    int status = json_dump_file(config, path, JSON_INDENT(2));
    json_decref(config);
    return status == 0 ? 0 : wasmvs_fail(err, "%s: cannot write the OCI config", path);
}

static int target_runc_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_runc *state = t->state;
    if (!state->bundle[0]) {
        snprintf(state->bundle, sizeof state->bundle, "/tmp/wasmvs-runc-XXXXXX");
        if (!mkdtemp(state->bundle)) {
            state->bundle[0] = '\0';
            return wasmvs_fail(err, "/tmp: cannot create a bundle directory: %s", strerror(errno));
        }
    }
    char path[512], binary[4096];
    snprintf(path, sizeof path, "%s/rootfs", state->bundle);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return wasmvs_fail(err, "%s: cannot create: %s", path, strerror(errno));
    if (state->binary[0]) { /* one workload per bundle: drop the previous one */
        snprintf(path, sizeof path, "%s/rootfs/%s", state->bundle, state->binary);
        unlink(path);
    }
    snprintf(state->binary, sizeof state->binary, "%s%s", w->name, state->wasm ? ".wasm" : "");
    if (state->wasm) {
        if (target_command_module(t, w, "", binary, sizeof binary, err) != 0) return -1;
    } else {
        paths_workload("native", w->name, binary, sizeof binary);
    }
    snprintf(path, sizeof path, "%s/rootfs/%s", state->bundle, state->binary);
    if (target_runc_copy(binary, path, err) != 0) return -1;
    if (target_runc_write_config(state, w, err) != 0) return -1;
    mkdir(state->state_root, 0700);
    json_object_set_new(t->details, "bundle", json_string(state->bundle));
    json_object_set_new(t->details, state->wasm ? "module" : "binary", json_string(binary));
    /* the rootfs holds only it */
    target_record_artifact(t, state->wasm ? "wasm_bytes" : "binary_bytes", binary);
    json_object_set_new(t->details, "runtime", json_string(state->runtime));
    json_object_set_new(t->details, "state_root", json_string(state->state_root));
    json_object_set_new(t->details, "network",
                        json_string(w->serves_http ? "host (the host's network namespace)"
                                                   : "none (own network namespace)"));
    json_object_set_new(t->details, "cold_start",
                        json_string(state->wasm ? "`wasmrt-oci run` of a bundle whose rootfs is "
                                                  "the Wasm module: create (namespaces, cgroups, "
                                                  "mounts, the module loaded), start, the module "
                                                  "run by the engine in the container's init, "
                                                  "wait, delete"
                                                : "`runc run` of a bundle whose rootfs is the "
                                                  "static binary: create, start, wait, delete"));
    if (state->wasm)
        json_object_set_new(t->details, "execution_model",
                            json_string("container per instance: the module run by the engine "
                                        "in the container's init process"));
    return 0;
}

static void target_runc_delete_id(const target_runc *state, const char *id);

static void target_runc_delete(target_runc *state)
{
    if (!state->live_id[0]) return;
    target_runc_delete_id(state, state->live_id);
    state->live_id[0] = '\0';
}

static int target_runc_run_once(target *t, const workload_invocation *w, double timeout_s,
                                target_outcome *outcome, wasmvs_error *err)
{
    target_runc *state = t->state;
    target_runc_new_id(state->live_id, sizeof state->live_id);
    char *const argv[] = {state->runtime, "--root",   (char *)state->state_root,
                          "run",          "--bundle", state->bundle,
                          state->live_id, NULL};
    process_spec spec = {.argv = argv,
                         .stdin_data = w->stdin_data,
                         .stdin_length = w->stdin_length,
                         .timeout_s = timeout_s,
                         .count_perf = t->counts_perf};
    process_result result;
    if (process_run(&spec, &result, err) != 0) {
        state->live_id[0] = '\0';
        return -1;
    }
    /* `runc run` deletes a container that ended by itself; one it did not see end (a
     * timeout, an interruption) may still exist. */
    if (result.end == PROCESS_EXITED)
        state->live_id[0] = '\0';
    else
        target_runc_delete(state);
    target_outcome_from_process(outcome, &result);
    return 0;
}

static void target_runc_delete_id(const target_runc *state, const char *id)
{
    char *const argv[] = {(char *)state->runtime,
                          "--root",
                          (char *)state->state_root,
                          "delete",
                          "-f",
                          (char *)id,
                          NULL};
    process_spec spec = {.argv = argv, .timeout_s = 10, .ignore_cancel = true};
    process_result result;
    wasmvs_error err;
    if (process_run(&spec, &result, &err) == 0) process_result_free(&result);
}

/* The pid of a running container's init, from `runc state ID`. */
static pid_t target_runc_container_pid(const target_runc *state, const char *id, wasmvs_error *err)
{
    char *const argv[] = {
        (char *)state->runtime, "--root", (char *)state->state_root, "state", (char *)id, NULL};
    process_spec spec = {.argv = argv, .timeout_s = 10};
    process_result result;
    if (process_run(&spec, &result, err) != 0) return -1;
    json_t *report = json_loads(result.out, 0, NULL);
    json_int_t pid = json_integer_value(json_object_get(report, "pid"));
    json_decref(report);
    if (pid <= 0)
        wasmvs_fail(err, "%s state %s: expected a JSON state with a \"pid\", found %.200s",
                    state->runtime, id, result.out);
    process_result_free(&result);
    return pid > 0 ? (pid_t)pid : -1;
}

static int target_runc_start(target *t, const workload_invocation *w, double timeout_s,
                             target_instance *instance, wasmvs_error *err)
{
    target_runc *state = t->state;
    if (w->listen_port > 0 && target_runc_write_config(state, w, err) != 0) return -1;
    target_runc_new_id(instance->id, sizeof instance->id);
    if (target_instance_output_file(instance, err) != 0) return -1;
    char *const argv[] = {state->runtime, "--root",     (char *)state->state_root,
                          "run",          "-d",         "--bundle",
                          state->bundle,  instance->id, NULL};
    process_spec spec = {.argv = argv,
                         .timeout_s = timeout_s,
                         .output_path = instance->output,
                         .keep_descendants = true};
    process_result result;
    if (process_run(&spec, &result, err) != 0) return -1;
    bool started = result.end == PROCESS_EXITED && result.exit_code == 0;
    char how[128];
    process_describe_end(&result, how, sizeof how);
    process_result_free(&result);
    if (!started) {
        target_runc_delete_id(state, instance->id);
        /* what the runtime said went to the instance's output file */
        char said[400] = "";
        FILE *output = fopen(instance->output, "re");
        if (output) {
            said[fread(said, 1, sizeof said - 1, output)] = '\0';
            fclose(output);
        }
        said[strcspn(said, "\n")] = '\0';
        return wasmvs_fail(err, "%s run -d %s: expected exit code 0, found %s%s%s", t->name,
                           instance->id, how, said[0] ? ": " : "", said);
    }
    if (process_wait_file_text(instance->output, w->expected_stdout, timeout_s, 0, err) != 0 ||
        (instance->main_pid = target_runc_container_pid(state, instance->id, err)) <= 0) {
        target_runc_delete_id(state, instance->id);
        return -1;
    }
    instance->tree_root = instance->main_pid;
    return 0;
}

static void target_runc_stop(target *t, target_instance *instance)
{
    target_runc_delete_id(t->state, instance->id);
}

static void target_runc_cleanup(target *t)
{
    target_runc *state = t->state;
    target_runc_delete(state);
    if (!state->bundle[0]) return;
    char path[512];
    snprintf(path, sizeof path, "%s/rootfs/%s", state->bundle, state->binary);
    if (state->binary[0]) unlink(path);
    /* runc creates the mount points of config.json's mounts inside the rootfs */
    const char *mount_points[] = {"proc", "dev"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/rootfs/%s", state->bundle, mount_points[i]);
        rmdir(path);
    }
    snprintf(path, sizeof path, "%s/rootfs", state->bundle);
    rmdir(path);
    snprintf(path, sizeof path, "%s/config.json", state->bundle);
    unlink(path);
    rmdir(state->bundle);
    state->bundle[0] = '\0';
}

static void target_runc_destroy(target *t)
{
    free(t->state);
    t->state = NULL;
}

static const target_ops target_runc_ops = {
    .probe = target_runc_probe,
    .prepare = target_runc_prepare,
    .run_once = target_runc_run_once,
    .start = target_runc_start,
    .stop = target_runc_stop,
    .cleanup = target_runc_cleanup,
    .destroy = target_runc_destroy,
};

int target_runc_init(target *t, wasmvs_error *err)
{
    target_runc *state = calloc(1, sizeof *state);
    if (!state) return wasmvs_fail(err, "%s: out of memory", t->name);
    state->wasm = strcmp(t->variant, "wasmrt") == 0;
    if (state->wasm)
        snprintf(state->runtime, sizeof state->runtime, "%s/build/bin/wasmrt-oci", paths_root());
    else
        snprintf(state->runtime, sizeof state->runtime, "runc");
    state->state_root = state->wasm ? TARGET_RUNC_WASMRT_STATE_ROOT : TARGET_RUNC_STATE_ROOT;
    t->state = state;
    t->ops = &target_runc_ops;
    t->counts_perf = true;
    return 0;
}

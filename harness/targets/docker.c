/* docker.c: the Docker target, through the Engine API only (no `docker` CLI). The
 * image is prepared once, untimed: a rootfs tar holding just the workload's static
 * binary, imported through POST /images/create?fromSrc=- under a tag made from the
 * binary's content hash, so an unchanged binary is imported once per machine (the
 * result records whether it was present before). Each sample: create (network none,
 * host or bridge), attach stdin when the workload reads it, start, write stdin, wait,
 * logs (the output), remove. wall_ns runs from create to the logs in hand; remove is
 * timed as a phase but is clean-up, not start-up. Long-lived instances: create, start,
 * poll the logs for the ready line; their memory is summed from the container's
 * containerd-shim down, as the shim is resident for each container. A server (httpd)
 * listens on 127.0.0.1:PORT with network host, and on 0.0.0.0:PORT inside the container
 * with bridge, published on the host's 127.0.0.1:PORT (through docker-proxy and NAT).
 * `docker:wasmrt` runs the workload's Wasm module instead, in a one-file image, with
 * HostConfig.Runtime "wasmrt": dockerd's registered OCI runtime wasmrt-oci (setup.sh
 * registers this checkout's build/bin/wasmrt-oci; the probe checks it is that one).
 * Network none, as `docker`; a server gets host networking, as `docker:host`. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../meters/clock.h"
#include "../meters/memory.h"
#include "../paths.h"
#include "../process.h"
#include "../target.h"
#include "command.h"
#include "docker_api.h"
#include "tar.h"

typedef struct target_docker {
    docker_api api;
    bool wasm;          /* docker:wasmrt: the module, run by the runtime "wasmrt" */
    char network[32];   /* none, host or bridge (docker:wasmrt: none; host for a server) */
    char image[128];    /* wasmvs-NAME:HASH */
    char binary[64];    /* the file name inside the image */
    char live_id[80];   /* a container not removed yet, or "" */
    unsigned long next; /* for unique container names */
    unsigned number;    /* this target among the process's Docker targets */
    pid_t owner;        /* the wasmvs process whose name prefix containers carry */
    bool prepared;      /* an image is ready: containers may have been made */
} target_docker;

/* docker:wasmrt needs dockerd to know the runtime "wasmrt" as this checkout's
 * build/bin/wasmrt-oci: another path would measure another build. */
static int target_docker_probe_runtime(target *t, wasmvs_error *why)
{
    target_docker *state = t->state;
    long status = 0;
    json_t *info = NULL;
    if (docker_api_json(&state->api, "GET", "/info", NULL, 10000, &status, &info, why) != 0)
        return wasmvs_wrap(why, "%s: GET /info", t->name);
    char expected[4096], resolved[PATH_MAX], registered[PATH_MAX];
    snprintf(expected, sizeof expected, "%s/build/bin/wasmrt-oci", paths_root());
    const char *path = json_string_value(
        json_object_get(json_object_get(json_object_get(info, "Runtimes"), "wasmrt"), "path"));
    /* the same file, however each path is spelled */
    if (realpath(expected, resolved)) snprintf(expected, sizeof expected, "%s", resolved);
    if (path && realpath(path, registered)) path = registered;
    int result = 0;
    if (!path)
        result = wasmvs_fail(why,
                             "%s: dockerd has no runtime \"wasmrt\" (scripts/setup.sh registers "
                             "%s in /etc/docker/daemon.json)",
                             t->name, expected);
    else if (strcmp(path, expected) != 0)
        result = wasmvs_fail(why,
                             "%s: dockerd's runtime \"wasmrt\" is %s, not this checkout's %s "
                             "(run scripts/setup.sh here to register it)",
                             t->name, path, expected);
    else if (access(expected, X_OK) != 0)
        result =
            wasmvs_fail(why, "%s: the OCI runtime is not built (run make -C runtime)", expected);
    else {
        json_object_set_new(t->details, "runtime",
                            json_pack("{s:s, s:s}", "name", "wasmrt", "path", path));
        char *argv[] = {expected, "--version", NULL};
        char *line = process_first_line(argv);
        size_t used = strlen(t->version);
        snprintf(t->version + used, sizeof t->version - used, ", runtime %s",
                 line ? line : "wasmrt-oci");
        free(line);
    }
    json_decref(info);
    return result;
}

static int target_docker_probe(target *t, wasmvs_error *why)
{
    target_docker *state = t->state;
    long status = 0;
    json_t *version = NULL;
    if (docker_api_json(&state->api, "GET", "/version", NULL, 5000, &status, &version, why) != 0)
        return wasmvs_wrap(why, "Docker daemon not reachable");
    snprintf(t->version, sizeof t->version, "Docker %s (API %s)",
             json_string_value(json_object_get(version, "Version")) ?: "?",
             json_string_value(json_object_get(version, "ApiVersion")) ?: "?");
    json_object_set(t->details, "server", version);
    json_decref(version);
    return state->wasm ? target_docker_probe_runtime(t, why) : 0;
}

static int target_docker_read_file(const char *path, char **data, size_t *length, wasmvs_error *err)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return wasmvs_fail(err, "%s: cannot open workload binary: %s", path, strerror(errno));
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !(*data = malloc((size_t)info.st_size + 1))) {
        fclose(file);
        return wasmvs_fail(err, "%s: cannot read workload binary", path);
    }
    *length = fread(*data, 1, (size_t)info.st_size, file);
    fclose(file);
    if (*length != (size_t)info.st_size) {
        free(*data);
        return wasmvs_fail(err, "%s: short read of workload binary", path);
    }
    return 0;
}

/* FNV-1a 64: names the image by the binary's content, so a rebuilt binary gets a new
 * image and an unchanged one is reused. */
static uint64_t target_docker_hash(const char *data, size_t length)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ (unsigned char)data[i]) * 0x100000001b3ull;
    return hash;
}

static int target_docker_import(target_docker *state, const char *repository, const char *tag,
                                const char *content, size_t length, wasmvs_error *err)
{
    tar_archive archive = {0};
    if (tar_add_file(&archive, state->binary, 0755, content, length, err) != 0 ||
        tar_finish(&archive, err) != 0) {
        tar_free(&archive);
        return -1;
    }
    char path[256];
    snprintf(path, sizeof path, "/images/create?fromSrc=-&repo=%s&tag=%s", repository, tag);
    docker_response response;
    int status = docker_api_call(&state->api, "POST", path, "application/x-tar", archive.data,
                                 archive.length, 120000, &response, err);
    tar_free(&archive);
    if (status != 0) return -1;
    /* The answer is a stream of JSON progress messages; a failure is one with "error". */
    if (response.status != 200 || strstr(response.body, "\"error\"")) {
        status = wasmvs_fail(err, "docker: importing image %s:%s: HTTP %ld: %.300s", repository,
                             tag, response.status, response.body);
    }
    docker_response_free(&response);
    return status;
}

/* The image's size as the daemon reports it (image inspect: Size), into the artifacts. */
static void target_docker_image_size(target *t, target_docker *state)
{
    char path[256];
    snprintf(path, sizeof path, "/images/%s/json", state->image);
    long status = 0;
    json_t *inspect = NULL;
    wasmvs_error ignored;
    if (docker_api_json(&state->api, "GET", path, NULL, 10000, &status, &inspect, &ignored) == 0 &&
        json_is_integer(json_object_get(inspect, "Size")))
        target_record_artifact_bytes(
            t, "image_bytes", (long long)json_integer_value(json_object_get(inspect, "Size")));
    json_decref(inspect);
}

static int target_docker_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_docker *state = t->state;
    char path[4096];
    if (state->wasm) /* as docker, or as docker:host for a server */
        snprintf(state->network, sizeof state->network, "%s", w->serves_http ? "host" : "none");
    if (w->serves_http && strcmp(state->network, "none") == 0)
        return wasmvs_fail(err,
                           "docker (network none): expected a workload that needs no network, "
                           "found the server %s; use docker:host or docker:bridge",
                           w->name);
    if (state->wasm) {
        if (target_command_module(t, w, "", path, sizeof path, err) != 0) return -1;
    } else {
        paths_workload("native", w->name, path, sizeof path);
    }
    char *content = NULL;
    size_t length = 0;
    if (target_docker_read_file(path, &content, &length, err) != 0) return -1;
    snprintf(state->binary, sizeof state->binary, "%s%s", w->name, state->wasm ? ".wasm" : "");
    char repository[64], tag[32];
    snprintf(repository, sizeof repository, "wasmvs-%s%s", w->name, state->wasm ? "-wasm" : "");
    snprintf(tag, sizeof tag, "%016" PRIx64, target_docker_hash(content, length));
    snprintf(state->image, sizeof state->image, "%s:%s", repository, tag);

    char inspect[256];
    snprintf(inspect, sizeof inspect, "/images/%s/json", state->image);
    docker_response response;
    if (docker_api_call(&state->api, "GET", inspect, NULL, NULL, 0, 10000, &response, err) != 0) {
        free(content);
        return -1;
    }
    bool present = response.status == 200;
    docker_response_free(&response);
    uint64_t started = meter_clock_ns();
    int status = present ? 0 : target_docker_import(state, repository, tag, content, length, err);
    free(content);
    if (status != 0) return -1;
    state->prepared = true;
    target_record_artifact(t, "binary_bytes", path);
    target_docker_image_size(t, state);
    json_object_set_new(t->details, "image", json_string(state->image));
    json_object_set_new(t->details, "image_present_before", json_boolean(present));
    if (!present)
        json_object_set_new(t->details, "image_import_ns",
                            json_integer((json_int_t)(meter_clock_ns() - started)));
    json_object_set_new(t->details, state->wasm ? "module" : "binary", json_string(path));
    json_object_set_new(t->details, "network", json_string(state->network));
    json_object_set_new(t->details, "container_prefix",
                        json_sprintf("wasmvs-%ld-%u-", (long)state->owner, state->number));
    json_object_set_new(t->details, "cold_start",
                        json_string(state->wasm ? "Engine API with HostConfig.Runtime wasmrt "
                                                  "(wasmrt-oci runs the module in the "
                                                  "container's init): create, attach stdin, "
                                                  "start, wait, logs; remove timed separately"
                                                : "Engine API: create, attach stdin, start, "
                                                  "wait, logs; remove timed separately"));
    json_object_set_new(t->details, "metrics",
                        json_string("wall time and API phases; no rusage or perf counters: the "
                                    "container's process is a child of containerd-shim"));
    return 0;
}

/* Removes container id (force: also a running one). 0 when it is gone. */
static int target_docker_remove_id(target_docker *state, const char *id, json_t *phases)
{
    bool abortable = state->api.abortable;
    state->api.abortable = false; /* clean-up must finish even after Ctrl-C */
    char path[160];
    snprintf(path, sizeof path, "/containers/%s?force=1", id);
    uint64_t started = meter_clock_ns();
    docker_response response;
    wasmvs_error err;
    int status = -1;
    if (docker_api_call(&state->api, "DELETE", path, NULL, NULL, 0, 30000, &response, &err) == 0 &&
        (response.status < 300 || response.status == 404))
        status = 0;
    docker_response_free(&response);
    if (phases)
        json_object_set_new(phases, "remove_ns",
                            json_integer((json_int_t)(meter_clock_ns() - started)));
    state->api.abortable = abortable;
    return status;
}

/* Removes the one-shot sample's container, if one is left. */
static void target_docker_remove(target_docker *state, json_t *phases)
{
    if (state->live_id[0] && target_docker_remove_id(state, state->live_id, phases) == 0)
        state->live_id[0] = '\0';
}

static void target_docker_phase(json_t *phases, const char *name, uint64_t *since)
{
    uint64_t now = meter_clock_ns();
    json_object_set_new(phases, name, json_integer((json_int_t)(now - *since)));
    *since = now;
}

static json_t *target_docker_create_body(const target_docker *state, const workload_invocation *w)
{
    json_t *command = json_array();
    char path[80];
    snprintf(path, sizeof path, "/%s", state->binary);
    json_array_append_new(command, json_string(path));
    bool publish = w->listen_port > 0 && strcmp(state->network, "bridge") == 0;
    char listen[128] = "";
    size_t first = state->wasm ? target_command_wasm_listen(w, listen, sizeof listen) : 0;
    for (size_t i = first; i < w->arg_count; i++)
        json_array_append_new(command, publish && i == 0
                                           ? json_sprintf("0.0.0.0:%d", w->listen_port)
                                           : json_string(w->args[i]));
    bool input = w->stdin_data && w->stdin_length;
    json_t *body = json_pack("{s:s, s:o, s:b, s:b, s:b, s:b, s:b, s:b, s:{s:s, s:b}}", "Image",
                             state->image, "Cmd", command, "AttachStdin", input, "AttachStdout", 0,
                             "AttachStderr", 0, "OpenStdin", input, "StdinOnce", input, "Tty", 0,
                             "HostConfig", "NetworkMode", state->network, "AutoRemove", 0);
    if (state->wasm) {
        json_object_set_new(json_object_get(body, "HostConfig"), "Runtime", json_string("wasmrt"));
        if (listen[0]) json_object_set_new(body, "Env", json_pack("[s]", listen));
    }
    if (publish) {
        char port[32], host_port[16];
        snprintf(port, sizeof port, "%d/tcp", w->listen_port);
        snprintf(host_port, sizeof host_port, "%d", w->listen_port);
        json_object_set_new(body, "ExposedPorts", json_pack("{s:{}}", port));
        json_object_set_new(
            json_object_get(body, "HostConfig"), "PortBindings",
            json_pack("{s:[{s:s, s:s}]}", port, "HostIp", "127.0.0.1", "HostPort", host_port));
    }
    return body;
}

/* Creates a container for w and copies its id into id. */
static int target_docker_create(target *t, const workload_invocation *w, char *id, size_t size,
                                wasmvs_error *err)
{
    target_docker *state = t->state;
    char path[256];
    snprintf(path, sizeof path, "/containers/create?name=wasmvs-%ld-%u-%lu", (long)state->owner,
             state->number, state->next++);
    json_t *body = target_docker_create_body(state, w);
    long status = 0;
    json_t *created = NULL;
    /* Not abortable: a create cut short by Ctrl-C may still make the container, and
     * only its id lets clean-up remove it. It takes milliseconds. */
    bool abortable = state->api.abortable;
    state->api.abortable = false;
    int result = docker_api_json(&state->api, "POST", path, body, 30000, &status, &created, err);
    state->api.abortable = abortable;
    json_decref(body);
    const char *created_id = json_string_value(json_object_get(created, "Id"));
    if (result == 0 && !created_id)
        result = wasmvs_fail(err, "docker: create: expected an \"Id\" in the answer");
    if (result == 0) snprintf(id, size, "%s", created_id);
    json_decref(created);
    return result;
}

/* Fills outcome for a sample that could not run to its end. */
static void target_docker_unfinished(target_outcome *outcome, const docker_response *response,
                                     const char *what)
{
    outcome->cancelled = response->cancelled;
    snprintf(outcome->how, sizeof outcome->how, "%s", response->cancelled ? "cancelled" : what);
}

static int target_docker_run_once(target *t, const workload_invocation *w, double timeout_s,
                                  target_outcome *outcome, wasmvs_error *err)
{
    target_docker *state = t->state;
    memset(outcome, 0, sizeof *outcome);
    json_t *phases = json_object();
    outcome->phases = phases;
    char path[256];
    uint64_t started = meter_clock_ns(), since = started;
    long status = 0;
    if (target_docker_create(t, w, state->live_id, sizeof state->live_id, err) != 0) {
        state->live_id[0] = '\0';
        return -1;
    }
    target_docker_phase(phases, "create_ns", &since);

    void *attach = NULL;
    int attach_fd = -1;
    bool input = w->stdin_data && w->stdin_length;
    if (input) {
        if (docker_api_attach_stdin(&state->api, state->live_id, &attach, &attach_fd, err) != 0)
            goto failed;
        target_docker_phase(phases, "attach_ns", &since);
    }
    snprintf(path, sizeof path, "/containers/%s/start", state->live_id);
    if (docker_api_json(&state->api, "POST", path, NULL, 60000, &status, NULL, err) != 0)
        goto failed;
    target_docker_phase(phases, "start_ns", &since);
    if (input) {
        if (docker_api_attach_send(attach_fd, w->stdin_data, w->stdin_length, err) != 0)
            goto failed;
        target_docker_phase(phases, "stdin_ns", &since);
    }

    snprintf(path, sizeof path, "/containers/%s/wait", state->live_id);
    long remaining_ms = (long)(timeout_s * 1000) - (long)((meter_clock_ns() - started) / 1000000);
    docker_response response;
    if (docker_api_call(&state->api, "POST", path, NULL, NULL, 0,
                        remaining_ms > 1 ? remaining_ms : 1, &response, err) != 0) {
        target_docker_unfinished(outcome, &response, "timed out waiting for the container");
        docker_response_free(&response);
        goto unfinished;
    }
    json_t *waited = json_loads(response.body, 0, NULL);
    docker_response_free(&response);
    json_t *code = json_object_get(waited, "StatusCode");
    if (!json_is_integer(code)) {
        wasmvs_fail(err, "docker: wait: expected a \"StatusCode\" in the answer");
        json_decref(waited);
        goto failed;
    }
    outcome->exited = true;
    outcome->exit_code = (int)json_integer_value(code);
    json_decref(waited);
    target_docker_phase(phases, "wait_ns", &since);

    snprintf(path, sizeof path, "/containers/%s/logs?stdout=1&stderr=1", state->live_id);
    if (docker_api_call(&state->api, "GET", path, NULL, NULL, 0, 30000, &response, err) != 0) {
        docker_response_free(&response);
        goto failed;
    }
    docker_api_demultiplex(response.body, response.length, &outcome->out, &outcome->err);
    docker_response_free(&response);
    target_docker_phase(phases, "logs_ns", &since);
    outcome->metrics = json_pack("{s:I}", "wall_ns", (json_int_t)(since - started));
    docker_api_attach_close(attach);
    target_docker_remove(state, phases);
    return 0;

unfinished:
    docker_api_attach_close(attach);
    outcome->metrics = json_pack("{s:I}", "wall_ns", (json_int_t)(meter_clock_ns() - started));
    target_docker_remove(state, phases);
    outcome->out = calloc(1, 1);
    return 0;
failed:
    docker_api_attach_close(attach);
    target_docker_remove(state, NULL);
    json_decref(phases);
    outcome->phases = NULL;
    return -1;
}

/* The logs of a container so far, stdout only; NULL on failure. */
static char *target_docker_stdout(target_docker *state, const char *id, wasmvs_error *err)
{
    char path[200];
    snprintf(path, sizeof path, "/containers/%s/logs?stdout=1", id);
    docker_response response;
    if (docker_api_call(&state->api, "GET", path, NULL, NULL, 0, 10000, &response, err) != 0) {
        docker_response_free(&response);
        return NULL;
    }
    char *out = NULL, *errors = NULL;
    docker_api_demultiplex(response.body, response.length, &out, &errors);
    free(errors);
    docker_response_free(&response);
    return out;
}

/* Adds what the container wrote (both streams) to err: why a server did not start. */
static void target_docker_append_logs(target_docker *state, const char *id, wasmvs_error *err)
{
    char path[200];
    snprintf(path, sizeof path, "/containers/%s/logs?stdout=1&stderr=1", id);
    docker_response response;
    wasmvs_error ignored;
    if (docker_api_call(&state->api, "GET", path, NULL, NULL, 0, 10000, &response, &ignored) == 0) {
        char *out = NULL, *errors = NULL;
        docker_api_demultiplex(response.body, response.length, &out, &errors);
        size_t used = strlen(err->message);
        snprintf(err->message + used, sizeof err->message - used,
                 "; container stdout: \"%.300s\", stderr: \"%.300s\"", out ? out : "",
                 errors ? errors : "");
        free(out);
        free(errors);
    }
    docker_response_free(&response);
}

static int target_docker_start(target *t, const workload_invocation *w, double timeout_s,
                               target_instance *instance, wasmvs_error *err)
{
    target_docker *state = t->state;
    char path[256];
    long status = 0;
    if (target_docker_create(t, w, instance->id, sizeof instance->id, err) != 0) return -1;
    uint64_t deadline = meter_clock_ns() + (uint64_t)(timeout_s * 1e9);
    snprintf(path, sizeof path, "/containers/%s/start", instance->id);
    if (docker_api_json(&state->api, "POST", path, NULL, 60000, &status, NULL, err) != 0)
        goto failed;
    for (;;) { /* the ready line, polled from the logs */
        char *out = target_docker_stdout(state, instance->id, err);
        int ready = out && strstr(out, w->expected_stdout) != NULL;
        free(out);
        if (ready) break;
        if (!out) goto failed;
        if (meter_clock_ns() >= deadline) {
            wasmvs_fail(err, "docker: %.12s: expected \"%s\" in its output within %.1f s",
                        instance->id, w->expected_stdout, timeout_s);
            target_docker_append_logs(state, instance->id, err);
            goto failed;
        }
        usleep(2000);
    }
    snprintf(path, sizeof path, "/containers/%s/json", instance->id);
    json_t *inspect = NULL;
    if (docker_api_json(&state->api, "GET", path, NULL, 10000, &status, &inspect, err) != 0)
        goto failed;
    instance->main_pid =
        (pid_t)json_integer_value(json_object_get(json_object_get(inspect, "State"), "Pid"));
    json_decref(inspect);
    if (instance->main_pid <= 0) {
        wasmvs_fail(err, "docker: %.12s: expected State.Pid of a running container", instance->id);
        goto failed;
    }
    instance->tree_root = meter_memory_parent(instance->main_pid); /* containerd-shim */
    if (instance->tree_root <= 0) instance->tree_root = instance->main_pid;
    return 0;
failed:
    target_docker_remove_id(state, instance->id, NULL);
    return -1;
}

static void target_docker_stop(target *t, target_instance *instance)
{
    target_docker_remove_id(t->state, instance->id, NULL);
}

/* Removes every container named wasmvs-PID-NUMBER-* of this target, whatever happened to
 * the calls that made them: the last line of defence of clean-up. */
static void target_docker_sweep(target_docker *state)
{
    char path[256];
    /* filters={"name":["wasmvs-PID-"]}, URL-encoded */
    snprintf(
        path, sizeof path,
        "/containers/json?all=1&filters=%%7B%%22name%%22%%3A%%5B%%22wasmvs-%ld-%u-%%22%%5D%%7D",
        (long)state->owner, state->number);
    bool abortable = state->api.abortable;
    state->api.abortable = false;
    long status = 0;
    json_t *list = NULL;
    wasmvs_error err;
    if (docker_api_json(&state->api, "GET", path, NULL, 10000, &status, &list, &err) == 0) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "/wasmvs-%ld-%u-", (long)state->owner, state->number);
        size_t i;
        json_t *container;
        json_array_foreach(list, i, container)
        {
            /* the filter matches substrings: keep exactly our prefix */
            const char *name =
                json_string_value(json_array_get(json_object_get(container, "Names"), 0));
            const char *id = json_string_value(json_object_get(container, "Id"));
            if (name && id && strncmp(name, prefix, strlen(prefix)) == 0)
                target_docker_remove_id(state, id, NULL);
        }
    }
    json_decref(list);
    state->api.abortable = abortable;
}

/* In the serverless front end (a fork): a connection of its own to the daemon, since the
 * one inherited is the parent's, which goes on using it afterwards. */
static int target_docker_serve_open(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_docker *state = t->state;
    (void)w;
    char socket_path[sizeof state->api.socket];
    snprintf(socket_path, sizeof socket_path, "%s", state->api.socket);
    docker_api_close(&state->api);
    return docker_api_open(&state->api, socket_path, err);
}

static void target_docker_cleanup(target *t)
{
    target_docker *state = t->state;
    target_docker_remove(state, NULL);
    /* once something was created, here or in a serverless front end (a fork, whose
       count this process does not see) */
    if (state->next > 0 || state->prepared) target_docker_sweep(state);
}

static void target_docker_destroy(target *t)
{
    target_docker *state = t->state;
    docker_api_close(&state->api);
    free(state);
    t->state = NULL;
}

static const target_ops target_docker_ops = {
    .probe = target_docker_probe,
    .prepare = target_docker_prepare,
    .run_once = target_docker_run_once,
    .start = target_docker_start,
    .stop = target_docker_stop,
    .serve_open = target_docker_serve_open,
    .cleanup = target_docker_cleanup,
    .destroy = target_docker_destroy,
};

int target_docker_init(target *t, wasmvs_error *err)
{
    target_docker *state = calloc(1, sizeof *state);
    if (!state) return wasmvs_fail(err, "docker: out of memory");
    const char *socket_path = getenv("WASMVS_DOCKER_SOCKET"); /* tests point it elsewhere */
    if (docker_api_open(&state->api, socket_path, err) != 0) {
        free(state);
        return -1;
    }
    static unsigned targets_made;
    state->number = targets_made++;
    state->owner = getpid();
    state->wasm = strcmp(t->variant, "wasmrt") == 0;
    snprintf(state->network, sizeof state->network, "%s", state->wasm ? "none" : t->variant);
    t->state = state;
    t->ops = &target_docker_ops;
    t->counts_perf = false;
    return 0;
}

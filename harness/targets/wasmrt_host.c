/* wasmrt_host.c: the density host process (see wasmrt_host.h), a helper (helper.h). The
 * harness sends one byte per request ('a' add an instance, 'r' remove the newest); the
 * host answers each, and its start-up, with one fixed-size reply. */
#include "wasmrt_host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasmrt.h>

typedef struct wasmrt_host_reply {
    int ok;
    int bounds; /* an added instance's wasmrt_bounds_mode */
    char message[240];
} wasmrt_host_reply;

/* The host's loaded module and its live instances. */
typedef struct wasmrt_host_side {
    wasmrt_engine *engine;
    wasmrt_module *module;
    wasmrt_linker *linker;
    wasmrt_instance **instances;
    wasmrt_wasi **contexts;
    size_t count, capacity;
} wasmrt_host_side;

static void wasmrt_host_fail(wasmrt_host_reply *reply, const char *what, const wasmrt_error *e)
{
    reply->ok = 0;
    snprintf(reply->message, sizeof reply->message, "%.60s: %s: %.160s", what,
             wasmrt_status_name(e->status), e->message);
}

static void wasmrt_host_side_add(wasmrt_host_side *side, wasmrt_host_reply *reply)
{
    wasmrt_error error = {0};
    if (side->count == side->capacity) {
        size_t capacity = side->capacity ? side->capacity * 2 : 64;
        wasmrt_instance **instances = realloc(side->instances, capacity * sizeof *instances);
        if (instances) side->instances = instances;
        wasmrt_wasi **contexts = realloc(side->contexts, capacity * sizeof *contexts);
        if (contexts) side->contexts = contexts;
        if (!instances || !contexts) {
            snprintf(reply->message, sizeof reply->message, "host: out of memory");
            return;
        }
        side->capacity = capacity;
    }
    static const char *const argv[] = {"idle"};
    wasmrt_wasi_config config;
    wasmrt_wasi_config_default(&config);
    config.argc = 1;
    config.argv = argv;
    config.stdin_fd = config.stdout_fd = config.stderr_fd = -1; /* an idle reactor needs none */
    wasmrt_wasi *wasi = NULL;
    wasmrt_instance *instance = NULL;
    if (wasmrt_wasi_new(&config, &wasi, &error) != WASMRT_OK) {
        wasmrt_host_fail(reply, "WASI context", &error);
        return;
    }
    if (wasmrt_instance_new(side->linker, side->module, &instance, &error) != WASMRT_OK) {
        wasmrt_host_fail(reply, "instantiate", &error);
        wasmrt_wasi_free(wasi);
        return;
    }
    wasmrt_instance_set_user(instance, wasi);
    wasmrt_value argument = wasmrt_i32(0), result = wasmrt_i32(0);
    if (wasmrt_wasi_initialize_reactor(instance, &error) != WASMRT_OK ||
        wasmrt_instance_call(instance, "handle", &argument, 1, &result, 1, &error) != WASMRT_OK) {
        wasmrt_host_fail(reply, "initialise and call handle", &error);
    } else if (result.of.i32 != 1) {
        snprintf(reply->message, sizeof reply->message,
                 "handle(0): expected 1 (first request served), found %d", result.of.i32);
    } else {
        side->instances[side->count] = instance;
        side->contexts[side->count++] = wasi;
        reply->ok = 1;
        reply->bounds = (int)wasmrt_instance_bounds(instance);
        return;
    }
    wasmrt_instance_free(instance);
    wasmrt_wasi_free(wasi);
}

/* The host's whole life; never returns. */
static void wasmrt_host_main(const char *module_path, const wasmrt_config *config, int commands,
                             int replies)
{
    wasmrt_host_side side = {0};
    wasmrt_host_reply reply = {0};
    wasmrt_error error = {0};
    if (wasmrt_engine_new(config, &side.engine, &error) != WASMRT_OK ||
        wasmrt_module_load_file(side.engine, module_path, &side.module, &error) != WASMRT_OK ||
        wasmrt_linker_new(side.engine, &side.linker, &error) != WASMRT_OK ||
        wasmrt_wasi_define(side.linker, NULL, &error) != WASMRT_OK) {
        wasmrt_host_fail(&reply, module_path, &error);
        (void)!write(replies, &reply, sizeof reply);
        _exit(1);
    }
    reply.ok = 1;
    if (write(replies, &reply, sizeof reply) != (ssize_t)sizeof reply) _exit(1);
    char command;
    while (read(commands, &command, 1) == 1) {
        memset(&reply, 0, sizeof reply);
        if (command == 'a') {
            wasmrt_host_side_add(&side, &reply);
        } else if (command == 'r' && side.count > 0) {
            side.count--;
            wasmrt_instance_free(side.instances[side.count]);
            wasmrt_wasi_free(side.contexts[side.count]);
            reply.ok = 1;
        }
        if (write(replies, &reply, sizeof reply) != (ssize_t)sizeof reply) break;
    }
    _exit(0); /* the harness closed the pipe: the kernel frees everything at once */
}

void wasmrt_host_init(wasmrt_host *host)
{
    helper_init(&host->process);
    host->instances = 0;
    wasmrt_config_default(&host->config);
}

/* What the helper needs to start: the module and the engine's configuration. */
typedef struct wasmrt_host_start {
    const char *module_path;
    const wasmrt_config *config;
} wasmrt_host_start;

static void wasmrt_host_run(void *context, int commands, int replies)
{
    const wasmrt_host_start *start = context;
    wasmrt_host_main(start->module_path, start->config, commands, replies);
}

static int wasmrt_host_launch(wasmrt_host *host, const char *module_path, double timeout_s,
                              wasmvs_error *err)
{
    wasmrt_host_start start = {module_path, &host->config};
    if (helper_start(&host->process, wasmrt_host_run, &start, err) != 0) return -1;
    wasmrt_host_reply reply;
    if (helper_read(&host->process, &reply, sizeof reply, timeout_s, "wasmrt host", err) != 0) {
        wasmrt_host_end(host);
        return -1;
    }
    if (!reply.ok) {
        wasmrt_host_end(host);
        return wasmvs_fail(err, "wasmrt host: %s", reply.message);
    }
    return 0;
}

int wasmrt_host_add(wasmrt_host *host, const char *module_path, double timeout_s,
                    wasmrt_bounds_mode *bounds, wasmvs_error *err)
{
    if (host->process.pid < 0 && wasmrt_host_launch(host, module_path, timeout_s, err) != 0)
        return -1;
    wasmrt_host_reply reply;
    if (write(host->process.command_fd, "a", 1) != 1)
        return wasmvs_fail(err, "wasmrt host: cannot send a request: %s", strerror(errno));
    if (helper_read(&host->process, &reply, sizeof reply, timeout_s, "wasmrt host", err) != 0)
        return -1;
    if (!reply.ok) return wasmvs_fail(err, "wasmrt host: %s", reply.message);
    host->instances++;
    *bounds = (wasmrt_bounds_mode)reply.bounds;
    return 0;
}

void wasmrt_host_remove(wasmrt_host *host)
{
    if (host->instances == 0) return;
    host->instances--;
    if (host->instances == 0) {
        wasmrt_host_end(host);
        return;
    }
    wasmrt_host_reply reply;
    wasmvs_error ignored;
    if (write(host->process.command_fd, "r", 1) != 1 ||
        helper_read(&host->process, &reply, sizeof reply, 10.0, "wasmrt host", &ignored) != 0)
        wasmrt_host_end(host); /* a host that does not answer is ended with everything */
}

void wasmrt_host_end(wasmrt_host *host)
{
    helper_end(&host->process);
    host->instances = 0; /* the configuration stays: the next host is made the same way */
}

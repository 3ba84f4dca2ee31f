/* cli_run.c: `wasmrt run`: parses the options, builds the engine, the WASI context
 * (arguments, environment, preopened directories, a listening socket) and the
 * instance, runs `_start`, and turns the outcome into an exit status: the guest's exit
 * code, or a message and CLI_EXIT_* when loading, linking or running fails. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

extern char **environ;

#define CLI_MAX_DIRS 64
#define CLI_MAX_ENVS 256

typedef struct cli_run_options {
    wasmrt_wasi_preopen dirs[CLI_MAX_DIRS];
    uint32_t dir_count;
    const char *envs[CLI_MAX_ENVS];
    int env_count;
    const char *listen; /* ADDR:PORT or NULL */
    uint64_t max_memory_bytes;
    double timeout_seconds;
    const char *cache_dir; /* --cache-dir, or NULL for the default */
    int no_cache;
    int interp; /* --interp: no compiling tier */
    const char *module;
    int guest_argc;
    char **guest_argv; /* module path first, then its arguments */
} cli_run_options;

/* "64m" -> 67108864; 0 on a malformed or zero value. */
static uint64_t cli_parse_bytes(const char *text)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || end == text) return 0;
    unsigned shift = 0;
    switch (*end) {
    case '\0':
        break;
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    default:
        return 0;
    }
    if (*end != '\0' || value > (UINT64_MAX >> shift)) return 0;
    return (uint64_t)value << shift;
}

static int cli_parse_run(int argc, char **argv, cli_run_options *o)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if ((v = cli_option_value("run", argc, argv, &i, "--dir"))) {
            if (!*v) return -1;
            if (o->dir_count == CLI_MAX_DIRS) {
                fprintf(stderr, "wasmrt run: at most %d --dir options\n", CLI_MAX_DIRS);
                return -1;
            }
            char *sep = strstr(v, "::");
            wasmrt_wasi_preopen *d = &o->dirs[o->dir_count++];
            d->host_path = v;
            d->guest_path = v;
            if (sep) { /* the option text is ours to cut: it lives in argv */
                *sep = '\0';
                d->guest_path = sep + 2;
            }
        } else if ((v = cli_option_value("run", argc, argv, &i, "--env"))) {
            if (!*v) return -1;
            if (o->env_count == CLI_MAX_ENVS) {
                fprintf(stderr, "wasmrt run: at most %d --env options\n", CLI_MAX_ENVS);
                return -1;
            }
            if (!strchr(v, '=')) { /* --env KEY passes the host's "KEY=VALUE", if any */
                size_t n = strlen(v);
                const char *found = NULL;
                for (char **e = environ; *e && !found; e++)
                    if (strncmp(*e, v, n) == 0 && (*e)[n] == '=') found = *e;
                if (!found) continue;
                v = found;
            }
            o->envs[o->env_count++] = v;
        } else if ((v = cli_option_value("run", argc, argv, &i, "--listen"))) {
            if (!*v) return -1;
            o->listen = v;
        } else if ((v = cli_option_value("run", argc, argv, &i, "--max-memory"))) {
            if (!*v) return -1;
            o->max_memory_bytes = cli_parse_bytes(v);
            if (o->max_memory_bytes < 65536) {
                fprintf(stderr,
                        "wasmrt run: --max-memory: expected a byte count of at least "
                        "one 64 KiB page (e.g. 64m), found '%s'\n",
                        v);
                return -1;
            }
        } else if ((v = cli_option_value("run", argc, argv, &i, "--timeout"))) {
            if (!*v) return -1;
            char *end;
            o->timeout_seconds = strtod(v, &end);
            if (*end != '\0' || !(o->timeout_seconds > 0)) {
                fprintf(stderr, "wasmrt run: --timeout: expected seconds > 0, found '%s'\n", v);
                return -1;
            }
        } else if ((v = cli_option_value("run", argc, argv, &i, "--cache-dir"))) {
            if (!*v) return -1;
            o->cache_dir = v;
        } else if (strcmp(argv[i], "--no-cache") == 0) {
            o->no_cache = 1;
        } else if (strcmp(argv[i], "--interp") == 0) {
            o->interp = 1;
        } else {
            fprintf(stderr, "wasmrt run: unknown option '%s' (see wasmrt --help)\n", argv[i]);
            return -1;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "wasmrt run: expected MODULE.wasm, found nothing\n");
        return -1;
    }
    o->module = argv[i];
    o->guest_argc = argc - i;
    o->guest_argv = argv + i;
    return 0;
}

/* The engine's deadline stops running code; this stops a guest blocked in the host
 * (sleeping, waiting for a connection) too. */
static void cli_on_timeout(int sig)
{
    (void)sig;
    static const char message[] = "wasmrt: timeout: the guest ran past --timeout\n";
    ssize_t ignored = write(2, message, sizeof message - 1);
    (void)ignored;
    _exit(CLI_EXIT_TIMEOUT);
}

static void cli_start_watchdog(double seconds)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cli_on_timeout;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    timer.it_value.tv_sec = (time_t)seconds;
    timer.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
    if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0) timer.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &timer, NULL);
}

/* Maps the final status to an exit status, printing what went wrong. */
static int cli_outcome(wasmrt_status status, int exit_code, const wasmrt_error *error,
                       const char *module, const wasmrt_module *loaded)
{
    if (status == WASMRT_OK) return exit_code;
    if (status == WASMRT_ERR_EXIT) return error->exit_code;
    if (status == WASMRT_ERR_TRAP) {
        if (error->trap == WASMRT_TRAP_DEADLINE) {
            fprintf(stderr, "wasmrt: timeout: the guest ran past --timeout\n");
            return CLI_EXIT_TIMEOUT;
        }
        fprintf(stderr, "wasmrt: %s: trap: %s", module, wasmrt_trap_name(error->trap));
        if (error->func_index != WASMRT_NO_FUNC) {
            const char *name = loaded ? wasmrt_module_func_name(loaded, error->func_index) : NULL;
            fprintf(stderr, " in function %u", error->func_index);
            if (name) fprintf(stderr, " (%s)", name);
        }
        if (error->message[0] && strcmp(error->message, wasmrt_trap_name(error->trap)) != 0)
            fprintf(stderr, ": %s", error->message);
        fputc('\n', stderr);
        return CLI_EXIT_TRAP;
    }
    cli_print_error(module, error);
    return CLI_EXIT_ERROR;
}

/* The validation cache: --cache-dir, else $WASMRT_CACHE_DIR (empty: none), else
 * $XDG_CACHE_HOME/wasmrt, else $HOME/.cache/wasmrt; NULL with --no-cache. */
static const char *cli_cache_dir(const cli_run_options *o, char *buf, size_t cap)
{
    if (o->no_cache) return NULL;
    if (o->cache_dir) return o->cache_dir;
    const char *env = getenv("WASMRT_CACHE_DIR");
    if (env) return *env ? env : NULL;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && *xdg == '/') n = snprintf(buf, cap, "%s/wasmrt", xdg);
    else if (home && *home == '/') n = snprintf(buf, cap, "%s/.cache/wasmrt", home);
    else return NULL;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}

/* Sanitizer builds tear everything down before exiting, so the leak checker keeps
 * the engine's free paths honest; release builds leave it to the process exit. */
#if defined(__SANITIZE_ADDRESS__)
#define CLI_TEARDOWN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_TEARDOWN 1
#endif
#endif
#ifndef CLI_TEARDOWN
#define CLI_TEARDOWN 0
#endif

int cli_run(int argc, char **argv)
{
    static cli_run_options options; /* zeroed; static keeps 3 KiB off the stack */
    cli_run_options *o = &options;
    if (cli_parse_run(argc, argv, o) != 0) return CLI_EXIT_USAGE;
    int listen_fd = -1;
    if (o->listen) {
        char why[256];
        int port = 0;
        if ((listen_fd = cli_listen(o->listen, &port, why, sizeof why)) < 0) {
            fprintf(stderr, "wasmrt run: --listen: %s\n", why);
            return CLI_EXIT_ERROR;
        }
        if (port) /* port 0 asked for: say which one, for scripts and tests */
            fprintf(stderr, "wasmrt: listening on %.*s:%d\n",
                    (int)(strrchr(o->listen, ':') - o->listen), o->listen, port);
    }

    wasmrt_config config;
    wasmrt_config_default(&config);
    if (o->max_memory_bytes) {
        uint64_t pages = o->max_memory_bytes / 65536;
        config.max_memory_pages = pages > 65536 ? 65536 : (uint32_t)pages;
    }
    if (o->timeout_seconds > 0) config.deadline_ns = (uint64_t)(o->timeout_seconds * 1e9);
    char cache_buf[4096];
    config.cache_dir = cli_cache_dir(o, cache_buf, sizeof cache_buf);
    if (o->interp) config.mode = WASMRT_MODE_INTERP;

    wasmrt_error error;
    memset(&error, 0, sizeof error);
    wasmrt_engine *engine = NULL;
    wasmrt_module *module = NULL;
    wasmrt_wasi *wasi = NULL;
    wasmrt_linker *linker = NULL;
    wasmrt_instance *instance = NULL;
    int exit_code = 0;
    wasmrt_status status = wasmrt_engine_new(&config, &engine, &error);
    if (status == WASMRT_OK) {
        status = cli_module_load(engine, o->module, &module);
        if (status != WASMRT_OK) {
            wasmrt_engine_free(engine);
            if (listen_fd >= 0) close(listen_fd);
            return CLI_EXIT_ERROR; /* already printed */
        }
    }
    if (status == WASMRT_OK) {
        wasmrt_wasi_config wc;
        wasmrt_wasi_config_default(&wc);
        wc.argc = o->guest_argc;
        wc.argv = (const char *const *)o->guest_argv;
        wc.envc = o->env_count;
        wc.envp = o->envs;
        wc.preopen_count = o->dir_count;
        wc.preopens = o->dirs;
        wc.listen_fd_count = listen_fd >= 0 ? 1 : 0;
        wc.listen_fds = &listen_fd;
        status = wasmrt_wasi_new(&wc, &wasi, &error);
    }
    if (status == WASMRT_OK) status = wasmrt_linker_new(engine, &linker, &error);
    if (status == WASMRT_OK) status = wasmrt_wasi_define(linker, wasi, &error);
    if (o->timeout_seconds > 0) cli_start_watchdog(o->timeout_seconds);
    if (status == WASMRT_OK) status = wasmrt_instance_new(linker, module, &instance, &error);
    if (status == WASMRT_OK) status = wasmrt_wasi_run_command(instance, &exit_code, &error);
    /* what this run translated, for the next start (a trap keeps it too: the code
       that ran is sound, only the guest failed) */
    if (module && config.cache_dir) wasmrt_module_cache_code(module);
    int result = cli_outcome(status, exit_code, &error, o->module, module);
    /* The process ends here, and the kernel takes the guest's memory, the code and the
       descriptors back faster than tearing them down one by one would (unmapping the
       reservation, returning pages, a free per function): a tenth of a cold start's
       own time. */
    if (CLI_TEARDOWN) {
        if (instance) wasmrt_instance_free(instance);
        if (linker) wasmrt_linker_free(linker);
        wasmrt_wasi_free(wasi);
        if (module) wasmrt_module_free(module);
        if (engine) wasmrt_engine_free(engine);
        if (listen_fd >= 0) close(listen_fd);
    }
    return result;
}

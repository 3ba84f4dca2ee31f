/* wasmrt.c: the `wasmrt` target: the engine embedded in the harness through wasmrt.h.
 *
 * A one-shot sample is one cold cycle in a forked child, so that a trap, a crash or a
 * runaway guest cannot take the harness down and no sample inherits another's state:
 * the child creates an engine, loads the module file anew (decode + validate + compile,
 * eagerly), instantiates it with a WASI context whose stdin/stdout/stderr are memory
 * files of the harness, and runs _start. Each phase is timed inside the child, as
 * sightglass does; the sample's wall_ns is their sum (the whole cold cycle), and the
 * fork that isolates it is recorded apart (isolation_wall_ns), because an embedder
 * does not pay it. The process itself is warm: the engine's code is already mapped.
 *
 * `wasmrt:simd` runs the workload's -msimd128 build (build/workloads/wasm/NAME-simd.wasm,
 * compute workloads only) instead of the scalar one, otherwise as `wasmrt`.
 *
 * Long-lived instances (density) are reactors inside one density host process
 * (wasmrt_host.c). Serverless requests each get a fresh instance of a module the front
 * end's process loaded once (serve_open, serve).
 *
 * `wasmrt:aot` compiles the module ahead of time, once, in prepare (outside every
 * sample: `wasmrt compile` done through wasmrt.h), and each sample loads the compiled
 * module (.cwasm) instead: its load phase maps the machine code, nothing is compiled.
 * The compile time and the file's size are in details.aot, the file's size also as
 * details.artifact.cache_bytes. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wasmrt.h>

#include "../cancel.h"
#include "../meters/clock.h"
#include "../paths.h"
#include "../target.h"
#include "command.h"
#include "wasmrt_host.h"

/* Serverless: what the front end's process loads once; every request then gets a fresh
 * WASI context and instance of the loaded module, as `wasmtime serve` gives each request
 * a fresh instance of a pre-compiled component. */
typedef struct target_wasmrt_serving {
    wasmrt_engine *engine;
    wasmrt_module *module;
    wasmrt_linker *linker;
    const char *argv[WORKLOAD_MAX_ARGS + 2];
    int argc;
    int in, out; /* memory files, the instances' stdin and stdout, reused by every request */
    char *input; /* a copy of what `in` holds: the last request's input, or NULL */
    size_t input_length;
    char *output; /* the last instance's stdout, NUL-terminated */
    size_t output_capacity;
} target_wasmrt_serving;

typedef struct target_wasmrt {
    char module[4096];  /* the .wasm, or for :aot the .cwasm compiled from it */
    char aot_dir[4096]; /* :aot: this run's folder of compiled modules */
    wasmrt_host host;
    target_wasmrt_serving *serving; /* in the serverless front end's process only */
} target_wasmrt;

/* What the child reports back through shared memory. */
typedef struct wasmrt_sample_report {
    int reached;   /* 0 nothing, 1 loaded, 2 instantiated, 3 executed */
    int exit_code; /* the guest's, when reached == 3 and ok */
    int ok;        /* the cycle ended with an exit code (no trap, no host error) */
    int deadline;  /* the engine stopped the guest at timeout_s */
    uint64_t load_ns, instantiate_ns, execute_ns;
    uint32_t compiled_at_load, compiled_functions; /* functions translated by then */
    char message[300];
} wasmrt_sample_report;

/* What a bounds mode means, for details.bounds_checks. */
static const char *target_wasmrt_bounds_text(wasmrt_bounds_mode bounds)
{
    switch (bounds) {
    case WASMRT_BOUNDS_GUARD:
        return "guard pages for every memory (8 GiB of address space each; x86-64 holds about "
               "16,380)";
    case WASMRT_BOUNDS_EXPLICIT:
        return "explicit checks for every memory (a mapping of its size)";
    case WASMRT_BOUNDS_DEFAULT:
        break;
    }
    return "engine default: guard pages while fewer than 4096 memories of the process hold "
           "them, explicit checks beyond (per instance: instances' mode)";
}

static int target_wasmrt_probe(target *t, wasmvs_error *why)
{
    (void)why;
    wasmrt_config config;
    wasmrt_config_default(&config);
    bool compiled = config.mode == WASMRT_MODE_JIT && strcmp(t->variant, "interp") != 0;
    snprintf(t->version, sizeof t->version, "wasmrt %s (embedded, %s)", WASMRT_VERSION,
             compiled ? "compiled to machine code" : "interpreter");
    return 0;
}

/* :aot: compiles state->module into this run's folder and points state->module at the
 * compiled module; details.aot records the compile time and the sizes. */
static int target_wasmrt_compile(target *t, target_wasmrt *state, wasmvs_error *err)
{
    if (!state->aot_dir[0]) {
        snprintf(state->aot_dir, sizeof state->aot_dir, "%s/build/harness/wasmrt-aot/%d",
                 paths_root(), (int)getpid());
        if (paths_make_directories(state->aot_dir, err) != 0)
            return wasmvs_wrap(err, "%s: the folder of compiled modules", t->name);
    }
    char out[4096];
    paths_in_folder_with_extension(state->aot_dir, state->module, "cwasm", out, sizeof out);
    wasmrt_config config = state->host.config; /* the samples' tier, bounds and metering */
    wasmrt_engine *engine = NULL;
    wasmrt_module *module = NULL;
    wasmrt_error error = {0};
    uint64_t start = meter_clock_ns(), done = 0;
    wasmrt_status s = wasmrt_engine_new(&config, &engine, &error);
    if (s == WASMRT_OK) s = wasmrt_module_load_file(engine, state->module, &module, &error);
    if (s == WASMRT_OK) s = wasmrt_module_write_compiled(module, out, &error);
    done = meter_clock_ns();
    wasmrt_module_stats stats = {0};
    if (module) wasmrt_module_get_stats(module, &stats);
    if (module) wasmrt_module_free(module);
    if (engine) wasmrt_engine_free(engine);
    if (s != WASMRT_OK)
        return wasmvs_fail(err, "%s: compiling %s ahead of time: %s", t->name, state->module,
                           error.message);
    struct stat st;
    json_object_set_new(t->details, "aot",
                        json_pack("{s:s, s:f, s:I, s:I, s:I}", "file", out, "compile_ms",
                                  (double)(done - start) / 1e6, "file_bytes",
                                  (json_int_t)(stat(out, &st) == 0 ? st.st_size : -1),
                                  "module_bytes", (json_int_t)stats.binary_size,
                                  "code_section_bytes", (json_int_t)stats.code_size));
    target_record_artifact(t, "cache_bytes", out);
    memcpy(state->module, out, sizeof out);
    return 0;
}

static int target_wasmrt_prepare(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_wasmrt *state = t->state;
    /* a long-lived instance is a reactor kept by the host, not a blocked command */
    bool simd = strcmp(t->variant, "simd") == 0;
    if (target_command_module(t, w, w->long_lived ? "-reactor" : simd ? "-simd" : "",
                              state->module, sizeof state->module, err) != 0)
        return -1;
    json_object_set_new(t->details, "build",
                        json_string(simd ? "the workload's -msimd128 build (128-bit SIMD)"
                                         : "the workload's scalar build"));
    json_object_set_new(t->details, "execution_model", json_string("in-process"));
    json_object_set_new(t->details, "bounds_checks",
                        json_string(target_wasmrt_bounds_text(state->host.config.bounds)));
    json_object_set_new(
        t->details, "idle_definition",
        json_string("reactor instance in one host process (_initialize run, handle called once)"));
    bool eager = strcmp(t->variant, "eager") == 0;
    if (strcmp(t->variant, "aot") == 0 && target_wasmrt_compile(t, state, err) != 0) return -1;
    json_object_set_new(t->details, "tier",
                        json_string(strcmp(t->variant, "interp") == 0
                                        ? "interpreter (WASMRT_MODE_INTERP)"
                                        : "the engine's default (machine code where the "
                                          "compiling tier exists, x86-64)"));
    json_object_set_new(t->details, "compile",
                        json_string(state->aot_dir[0]
                                        ? "ahead of time, once, before the first sample: each "
                                          "sample maps the compiled module's machine code "
                                          "(details.aot)"
                                    : eager ? "eager: every function in the load phase"
                                            : "lazy (the engine's default, as `wasmrt run`): "
                                              "each function on its first call, inside "
                                              "execute"));
    json_object_set_new(t->details, "cold_start",
                        json_string("module file loaded anew every sample (decode + validate, "
                                    "+ compile when eager), instantiated and run in a forked "
                                    "child of the warm harness process (engine code already "
                                    "mapped); wall_ns = load + instantiate + execute, the fork "
                                    "excluded; page cache warm unless drop_caches"));
    return 0;
}

/* A memory file holding data (may be empty), positioned at its start. */
static int target_wasmrt_memfile(const char *name, const char *data, size_t length)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, data + done, length - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* Reads a memory file back, NUL-terminated. */
static char *target_wasmrt_slurp(int fd)
{
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0) size = 0;
    if (size > (off_t)(1u << 20)) size = (off_t)(1u << 20);
    char *text = malloc((size_t)size + 1);
    if (!text) return NULL;
    ssize_t got = pread(fd, text, (size_t)size, 0);
    text[got > 0 ? got : 0] = '\0';
    return text;
}

/* The child's whole life: one timed cold cycle, reported through report. */
static void target_wasmrt_child(const char *module_path, const wasmrt_config *config,
                                const workload_invocation *w, int in, int out, int errfd,
                                wasmrt_sample_report *report)
{
    wasmrt_error error = {0};
    wasmrt_engine *engine = NULL;
    wasmrt_module *module = NULL;
    wasmrt_linker *linker = NULL;
    wasmrt_wasi *wasi = NULL;
    wasmrt_instance *instance = NULL;
    uint64_t start = meter_clock_ns();
    /* no engine deadline: its checks slow call-heavy guests down (fib(40): 5.4 s with one
     * against 4.1 s for `wasmrt run` in the same run); the harness kills the child at
     * timeout_s instead */
    if (wasmrt_engine_new(config, &engine, &error) != WASMRT_OK ||
        wasmrt_module_load_file(engine, module_path, &module, &error) != WASMRT_OK)
        goto done;
    uint64_t loaded = meter_clock_ns();
    report->load_ns = loaded - start;
    report->reached = 1;
    wasmrt_module_stats stats;
    wasmrt_module_get_stats(module, &stats);
    report->compiled_at_load = stats.compiled_function_count;
    const char *argv[WORKLOAD_MAX_ARGS + 2];
    argv[0] = w->name;
    for (size_t i = 0; i < w->arg_count; i++)
        argv[i + 1] = w->args[i];
    wasmrt_wasi_config wasi_config;
    wasmrt_wasi_config_default(&wasi_config);
    wasi_config.argc = (int)w->arg_count + 1;
    wasi_config.argv = argv;
    wasi_config.stdin_fd = in;
    wasi_config.stdout_fd = out;
    wasi_config.stderr_fd = errfd;
    if (wasmrt_wasi_new(&wasi_config, &wasi, &error) != WASMRT_OK ||
        wasmrt_linker_new(engine, &linker, &error) != WASMRT_OK ||
        wasmrt_wasi_define(linker, wasi, &error) != WASMRT_OK ||
        wasmrt_instance_new(linker, module, &instance, &error) != WASMRT_OK)
        goto done;
    uint64_t instantiated = meter_clock_ns();
    report->instantiate_ns = instantiated - loaded;
    report->reached = 2;
    int exit_code = 0;
    wasmrt_status status = wasmrt_wasi_run_command(instance, &exit_code, &error);
    report->execute_ns = meter_clock_ns() - instantiated;
    report->reached = 3;
    wasmrt_module_get_stats(module, &stats);
    report->compiled_functions = stats.compiled_function_count;
    if (status == WASMRT_OK) {
        report->ok = 1;
        report->exit_code = exit_code;
    }
done:
    report->deadline = error.status == WASMRT_ERR_TRAP && error.trap == WASMRT_TRAP_DEADLINE;
    if (!report->ok)
        snprintf(report->message, sizeof report->message, "%s: %.256s",
                 wasmrt_status_name(error.status),
                 error.message);
    /* no freeing: the child exits and the kernel takes everything back at once */
    (void)instance;
}

/* Waits for the child within timeout_s, watching for cancellation. 0 when it ended
 * by itself (status filled), 1 on timeout, 2 on cancellation (it is killed either way). */
static int target_wasmrt_wait(pid_t pid, double timeout_s, int *status, struct rusage *usage)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    uint64_t deadline = meter_clock_ns() + (uint64_t)(timeout_s * 1e9);
    int verdict = 0;
    for (;;) {
        if (wait4(pid, status, WNOHANG, usage) == pid) break;
        if (cancel_requested()) verdict = 2;
        else if (meter_clock_ns() >= deadline) verdict = 1;
        if (verdict) {
            kill(pid, SIGKILL);
            while (wait4(pid, status, 0, usage) < 0 && errno == EINTR) {}
            break;
        }
        if (pidfd >= 0) {
            struct pollfd fd = {pidfd, POLLIN, 0};
            poll(&fd, 1, 100);
        } else {
            usleep(1000);
        }
    }
    if (pidfd >= 0) close(pidfd);
    return verdict;
}

static int target_wasmrt_run_once(target *t, const workload_invocation *w, double timeout_s,
                                  target_outcome *outcome, wasmvs_error *err)
{
    target_wasmrt *state = t->state;
    memset(outcome, 0, sizeof *outcome);
    wasmrt_sample_report *report = mmap(NULL, sizeof *report, PROT_READ | PROT_WRITE,
                                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (report == MAP_FAILED)
        return wasmvs_fail(err, "%s: mmap of the report page failed: %s", t->name,
                           strerror(errno));
    memset(report, 0, sizeof *report);
    int in = target_wasmrt_memfile("stdin", w->stdin_data, w->stdin_length);
    int out = target_wasmrt_memfile("stdout", NULL, 0);
    int errfd = target_wasmrt_memfile("stderr", NULL, 0);
    int status = -1;
    if (in < 0 || out < 0 || errfd < 0) {
        wasmvs_fail(err, "%s: memfd_create failed: %s", t->name, strerror(errno));
        goto done;
    }
    fflush(NULL);
    uint64_t forked = meter_clock_ns();
    pid_t pid = fork();
    if (pid < 0) {
        wasmvs_fail(err, "%s: fork failed: %s", t->name, strerror(errno));
        goto done;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_IGN); /* the harness decides; it kills the child on Ctrl-C */
        signal(SIGTERM, SIG_DFL);
        target_wasmrt_child(state->module, &state->host.config, w, in, out, errfd, report);
        _exit(0);
    }
    int wait_status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    int verdict = target_wasmrt_wait(pid, timeout_s, &wait_status, &usage);
    uint64_t isolation_ns = meter_clock_ns() - forked;
    outcome->out = target_wasmrt_slurp(out);
    outcome->err = target_wasmrt_slurp(errfd);
    outcome->cancelled = verdict == 2;
    if (verdict == 1 || report->deadline)
        snprintf(outcome->how, sizeof outcome->how, "timed out after %.1f s", timeout_s);
    else if (verdict == 2)
        snprintf(outcome->how, sizeof outcome->how, "cancelled");
    else if (WIFSIGNALED(wait_status))
        snprintf(outcome->how, sizeof outcome->how, "the sample's child was killed by signal %d",
                 WTERMSIG(wait_status));
    else if (!report->ok)
        snprintf(outcome->how, sizeof outcome->how, "%.120s", report->message);
    else {
        outcome->exited = true;
        outcome->exit_code = report->exit_code;
        snprintf(outcome->how, sizeof outcome->how, "exit code %d", report->exit_code);
    }
    uint64_t total = report->load_ns + report->instantiate_ns + report->execute_ns;
    outcome->metrics = json_pack(
        "{s:I, s:I, s:I, s:I, s:I}", "wall_ns", (json_int_t)total, "isolation_wall_ns",
        (json_int_t)isolation_ns, "user_ns",
        (json_int_t)(usage.ru_utime.tv_sec * 1000000000LL + usage.ru_utime.tv_usec * 1000LL),
        "sys_ns",
        (json_int_t)(usage.ru_stime.tv_sec * 1000000000LL + usage.ru_stime.tv_usec * 1000LL),
        "max_rss_kib", (json_int_t)usage.ru_maxrss);
    if (report->reached >= 1) {
        outcome->phases = json_pack("{s:I}", "load_ns", (json_int_t)report->load_ns);
        if (report->reached >= 2)
            json_object_set_new(outcome->phases, "instantiate_ns",
                                json_integer((json_int_t)report->instantiate_ns));
        if (report->reached >= 3) /* their sum is the sample's wall_ns */
            json_object_set_new(outcome->phases, "execute_ns",
                                json_integer((json_int_t)report->execute_ns));
        json_object_set_new(outcome->metrics, "compiled_at_load",
                            json_integer(report->compiled_at_load));
        if (report->reached >= 3)
            json_object_set_new(outcome->metrics, "compiled_functions",
                                json_integer(report->compiled_functions));
    }
    status = 0;
done:
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    if (errfd >= 0) close(errfd);
    munmap(report, sizeof *report);
    return status;
}

static int target_wasmrt_serve_open(target *t, const workload_invocation *w, wasmvs_error *err)
{
    target_wasmrt *state = t->state;
    target_wasmrt_serving *s = calloc(1, sizeof *s);
    if (!s) return wasmvs_fail(err, "%s: out of memory", t->name);
    state->serving = s;
    s->argv[s->argc++] = w->name;
    for (size_t i = 0; i < w->arg_count; i++)
        s->argv[s->argc++] = w->args[i];
    wasmrt_error error = {0};
    if (wasmrt_engine_new(&state->host.config, &s->engine, &error) != WASMRT_OK ||
        wasmrt_module_load_file(s->engine, state->module, &s->module, &error) != WASMRT_OK ||
        wasmrt_linker_new(s->engine, &s->linker, &error) != WASMRT_OK ||
        wasmrt_wasi_define(s->linker, NULL, &error) != WASMRT_OK)
        return wasmvs_fail(err, "%s: %s: %s", t->name, wasmrt_status_name(error.status),
                           error.message);
    s->in = target_wasmrt_memfile("stdin", NULL, 0);
    s->out = target_wasmrt_memfile("stdout", NULL, 0);
    if (s->in < 0 || s->out < 0)
        return wasmvs_fail(err, "%s: memfd_create: %s", t->name, strerror(errno));
    return 0; /* nothing is freed: the front end's process ends with its last request */
}

/* Makes `in` hold input from its start and `out` take writes from its start: two system
 * calls when the input is the last one's (the workload's), where truncating and rewriting
 * both would take six. What `out` holds past its position afterwards is never read. */
static int target_wasmrt_stdio(target_wasmrt_serving *s, const char *input, size_t length)
{
    if (!(s->input && length == s->input_length && memcmp(input, s->input, length) == 0)) {
        free(s->input);
        s->input = NULL;
        if (pwrite(s->in, input, length, 0) != (ssize_t)length ||
            ftruncate(s->in, (off_t)length) != 0)
            return -1;
        if (length <= 65536 && (s->input = malloc(length + 1))) {
            memcpy(s->input, input, length);
            s->input_length = length;
        }
    }
    return lseek(s->in, 0, SEEK_SET) == 0 && lseek(s->out, 0, SEEK_SET) == 0 ? 0 : -1;
}

/* Copies the instance's stdout (the memory file up to its position) into s->output. */
static int target_wasmrt_collect(target_wasmrt_serving *s, size_t *length)
{
    off_t size = lseek(s->out, 0, SEEK_CUR);
    if (size < 0) return -1;
    if ((size_t)size + 1 > s->output_capacity) {
        char *grown = realloc(s->output, (size_t)size + 1);
        if (!grown) return -1;
        s->output = grown;
        s->output_capacity = (size_t)size + 1;
    }
    ssize_t got = size ? pread(s->out, s->output, (size_t)size, 0) : 0;
    if (got != size) return -1;
    s->output[size] = '\0';
    *length = (size_t)size;
    return 0;
}

/* One request on a fresh instance: WASI context and instance made from the loaded module,
 * _start run with the request as stdin, both freed; the memory goes back to the engine's
 * pool for the next request. */
static int target_wasmrt_serve(target *t, target_request *r, wasmvs_error *err)
{
    target_wasmrt_serving *s = ((target_wasmrt *)t->state)->serving;
    if (target_wasmrt_stdio(s, r->input, r->input_length) != 0)
        return wasmvs_fail(err, "%s: preparing the instance's stdio: %s", t->name, strerror(errno));
    uint64_t started = meter_clock_ns();
    wasmrt_wasi_config config;
    wasmrt_wasi_config_default(&config);
    config.argc = s->argc;
    config.argv = s->argv;
    config.stdin_fd = s->in;
    config.stdout_fd = s->out;
    config.stderr_fd = -1; /* the answer is stdout; a trap's message comes back as an error */
    wasmrt_error error = {0};
    wasmrt_wasi *wasi = NULL;
    wasmrt_instance *instance = NULL;
    if (wasmrt_wasi_new(&config, &wasi, &error) != WASMRT_OK ||
        wasmrt_instance_new(s->linker, s->module, &instance, &error) != WASMRT_OK) {
        wasmrt_wasi_free(wasi);
        return wasmvs_fail(err, "%s: instantiate: %s", t->name, error.message);
    }
    wasmrt_instance_set_user(instance, wasi);
    r->instantiate_ns = meter_clock_ns() - started;
    int exit_code = 0;
    wasmrt_status status = wasmrt_wasi_run_command(instance, &exit_code, &error);
    wasmrt_instance_free(instance);
    wasmrt_wasi_free(wasi);
    r->exited = status == WASMRT_OK;
    r->exit_code = exit_code;
    if (!r->exited)
        snprintf(r->how, sizeof r->how, "%s: %.100s", wasmrt_status_name(error.status),
                 error.message);
    if (target_wasmrt_collect(s, &r->out_length) != 0)
        return wasmvs_fail(err, "%s: reading the instance's stdout: %s", t->name, strerror(errno));
    r->out = s->output;
    return 0;
}

static int target_wasmrt_start(target *t, const workload_invocation *w, double timeout_s,
                               target_instance *instance, wasmvs_error *err)
{
    target_wasmrt *state = t->state;
    (void)w;
    wasmrt_bounds_mode bounds;
    if (wasmrt_host_add(&state->host, state->module, timeout_s, &bounds, err) != 0) return -1;
    instance->main_pid = instance->tree_root = state->host.process.pid;
    snprintf(instance->mode, sizeof instance->mode, "%s",
             bounds == WASMRT_BOUNDS_EXPLICIT ? "explicit" : "guard");
    return 0;
}

static void target_wasmrt_stop(target *t, target_instance *instance)
{
    target_wasmrt *state = t->state;
    (void)instance;
    wasmrt_host_remove(&state->host);
}

static void target_wasmrt_cleanup(target *t)
{
    target_wasmrt *state = t->state;
    wasmrt_host_end(&state->host);
}

static void target_wasmrt_destroy(target *t)
{
    target_wasmrt *state = t->state;
    if (state && state->aot_dir[0]) paths_remove_flat_directory(state->aot_dir);
    free(t->state);
    t->state = NULL;
}

static const target_ops target_wasmrt_ops = {
    .probe = target_wasmrt_probe,
    .prepare = target_wasmrt_prepare,
    .run_once = target_wasmrt_run_once,
    .start = target_wasmrt_start,
    .stop = target_wasmrt_stop,
    .serve_open = target_wasmrt_serve_open,
    .serve = target_wasmrt_serve,
    .cleanup = target_wasmrt_cleanup,
    .destroy = target_wasmrt_destroy,
};

int target_wasmrt_init(target *t, wasmvs_error *err)
{
    t->state = calloc(1, sizeof(target_wasmrt));
    if (!t->state) return wasmvs_fail(err, "%s: out of memory", t->name);
    wasmrt_host *host = &((target_wasmrt *)t->state)->host;
    wasmrt_host_init(host);
    /* the engine of every sample and of the density host: the variant's tier (eager: the
       load phase compiles every function) and bounds mode */
    if (strcmp(t->variant, "interp") == 0) host->config.mode = WASMRT_MODE_INTERP;
    if (strcmp(t->variant, "eager") == 0) host->config.lazy_compile = 0;
    if (strcmp(t->variant, "guard") == 0) host->config.bounds = WASMRT_BOUNDS_GUARD;
    if (strcmp(t->variant, "explicit") == 0) host->config.bounds = WASMRT_BOUNDS_EXPLICIT;
    t->ops = &target_wasmrt_ops;
    t->counts_perf = false; /* the sample runs in a forked child, not a launched tree */
    return 0;
}

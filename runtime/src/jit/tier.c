/* tier.c: the register-allocating compiler in the engine: a module's functions start
 * at a lazy entry and are compiled on their first call, from C (the jit_fn entry) or
 * from compiled code (the `lazy` stub, runtime.c); a function the compiler refuses
 * (WASMRT_ERR_UNSUPPORTED) runs in the interpreter from then on, for both kinds of
 * caller. An instance's table (layout.h) is filled here; calls through a slot still
 * pointing at a stub are redirected to the body on their first pass. */
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "interp.h"
#include "jit.h"
#include "jit/jitc.h"
#include "jit/tier.h"
#include "simd_x64.h"

int jit_cpu_features(void)
{
#if !defined(__x86_64__)
    return 0;
#else
    static int features = -1;
    int f = __atomic_load_n(&features, __ATOMIC_RELAXED);
    if (f >= 0) return f;
    unsigned a, b, c, d;
    f = 0;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & (1u << 23)) f |= JIT_CPU_POPCNT;
        if (c & (1u << 19)) f |= JIT_CPU_SSE41;
        if (c & (1u << 9)) f |= JIT_CPU_SSSE3;
        if (c & (1u << 20)) f |= JIT_CPU_SSE42;
        /* AVX, and OSXSAVE with the OS saving the xmm and ymm state (XCR0 bits 1, 2) */
        if ((c & (1u << 28)) && (c & (1u << 27))) {
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            const char *off = getenv("WASMRT_JIT_NO_AVX");
            if ((lo & 6) == 6 && !(off && *off && *off != '0')) f |= JIT_CPU_AVX;
            (void)hi;
        }
    }
    if (__get_cpuid(0x80000001u, &a, &b, &c, &d) && (c & (1u << 5))) f |= JIT_CPU_LZCNT;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 3))) f |= JIT_CPU_BMI1;
    __atomic_store_n(&features, f, __ATOMIC_RELAXED);
    return f;
#endif
}

unsigned jit_simd_features(int features)
{
    return (features & JIT_CPU_SSSE3 ? SIMD_X64_SSSE3 : 0u) |
           (features & JIT_CPU_SSE41 ? SIMD_X64_SSE41 : 0u) |
           (features & JIT_CPU_SSE42 ? SIMD_X64_SSE42 : 0u);
}

wasmrt_status jit_call_func(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f, uint64_t *nfp)
{
    if (f->host) {
        t->sp = nfp + f->type->param_count + f->type->result_count;
        t->in_wasm = 0;
        wasmrt_status s = exec_call_host(t, inst, f, nfp);
        t->in_wasm = 1;
        return s;
    }
    jit_fn fn = (jit_fn)atomic_load_explicit(&f->entry->native, memory_order_acquire);
    if (f->inst == inst) return fn(nfp, t, inst, f->entry);
    exec_watch_memory(t, f->inst->memory);
    wasmrt_status s = fn(nfp, t, f->inst, f->entry);
    exec_watch_memory(t, inst->memory);
    return s;
}

/* A function the compiler left to the interpreter, called from C. */
static wasmrt_status tier_interp_entry(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                                       const func_entry *fe)
{
    if ((char *)__builtin_frame_address(0) < t->cstack_limit) {
        t->trap = WASMRT_TRAP_STACK_EXHAUSTED;
        return WASMRT_ERR_TRAP;
    }
    return interp_run(t, inst->funcs[fe->index], fp);
}

/* Debugging aid: WASMRT_DUMP_JIT=DIR writes each function's record to DIR/fN.bin
 * (objdump -D -b binary -m i386:x86-64 DIR/f12.bin; the code starts at the record's
 * `body`) and tells on stderr which functions are left to the interpreter, and why. */
static const char *tier_dump_value, *tier_only;
static pthread_once_t tier_dump_once = PTHREAD_ONCE_INIT;

static const char *tier_perf_map;

static void tier_dump_read(void)
{
    tier_dump_value = getenv("WASMRT_DUMP_JIT");
    tier_only = getenv("WASMRT_JIT_ONLY");
    tier_perf_map = getenv("WASMRT_PERF_MAP");
}

/* Debugging aid: WASMRT_PERF_MAP=1 appends each compiled function to
 * /tmp/perf-PID.map, so `perf report` names the functions of compiled code. */
static void tier_perf_note(const wasmrt_module *m, const func_entry *fe, const uint8_t *rec)
{
    if (!tier_perf_map || !*tier_perf_map || tier_perf_map[0] == '0') return;
    const jit_record *r = (const jit_record *)rec;
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
    FILE *f = fopen(path, "a");
    if (!f) return;
    const char *name = m->func_names ? m->func_names[fe->index] : NULL;
    fprintf(f, "%lx %x wasm[%u]%s%s\n", (unsigned long)(uintptr_t)rec, r->code_end, fe->index,
            name ? " " : "", name ? name : "");
    fclose(f);
}

/* Debugging aid: WASMRT_JIT_ONLY=LIST (function indices and ranges, "3,10-20")
 * compiles only those; the others run in the interpreter. Halving the list finds the
 * function whose compiled code differs. */
static int tier_wanted(uint32_t index)
{
    pthread_once(&tier_dump_once, tier_dump_read);
    if (!tier_only) return 1;
    for (const char *p = tier_only; *p;) {
        char *end;
        unsigned long lo = strtoul(p, &end, 10), hi = lo;
        if (*end == '-') hi = strtoul(end + 1, &end, 10);
        if (index >= lo && index <= hi) return 1;
        p = *end == ',' ? end + 1 : end + (*end != 0);
    }
    return 0;
}

static void tier_dump(const func_entry *fe, const uint8_t *code, size_t size,
                      const wasmrt_error *error)
{
    pthread_once(&tier_dump_once, tier_dump_read);
    if (!tier_dump_value) return;
    if (!code) {
        fprintf(stderr, "wasmrt: function %u runs in the interpreter: %s\n", fe->index,
                error->message);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/f%u.bin", tier_dump_value, fe->index);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(code, 1, size, f);
        fclose(f);
    }
}

int tier_compile(wasmrt_module *m, func_entry *fe, wasmrt_error *error)
{
    if (atomic_load_explicit(&fe->body, memory_order_relaxed)) return 1;
    void *const *helpers = tier_helpers();
    jit_fn enter = tier_enter();
    const uint8_t *code = NULL;
    size_t size = 0;
    wasmrt_status s = WASMRT_ERR_UNSUPPORTED;
    if (!enter)
        error_set(error, s, WASMRT_NO_OFFSET, "no executable memory for the stubs");
    else if (!tier_wanted(fe->index))
        error_set(error, s, WASMRT_NO_OFFSET, "not in WASMRT_JIT_ONLY");
    else
        s = jit_compile_function(m, fe, &code, &size, error);
    void *body, *entry = NULL;
    jit_fn native;
    tier_dump(fe, s == WASMRT_OK ? code : NULL, size, error);
    if (s == WASMRT_OK) {
        const uint8_t *rec = tier_arena_put(m, code, size);
        if (!rec) {
            error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                      "out of memory for the machine code of function %u", fe->index);
            return 0;
        }
        const jit_record *r = (const jit_record *)rec;
        tier_perf_note(m, fe, rec);
        body = (void *)(rec + r->body);
        entry = (void *)(rec + r->entry);
        native = enter;
    } else if (s == WASMRT_ERR_UNSUPPORTED) {
        body = helpers[JH_INTERP];
        native = tier_interp_entry;
    } else {
        return 0;
    }
    /* the C entry reads `internal`, callers through tables read `body` */
    atomic_store_explicit(&fe->internal, entry, memory_order_release);
    atomic_store_explicit(&fe->body, body, memory_order_release);
    atomic_store_explicit(&fe->native, (void *)native, memory_order_release);
    return 1;
}

int jit_interpreted(const func_entry *fe)
{
    void *body = atomic_load_explicit(&((func_entry *)fe)->body, memory_order_acquire);
    return body && body == tier_helpers()[JH_INTERP];
}

int jit_compile(func_entry *fe, wasmrt_error *error)
{
    wasmrt_module *m = fe->module;
    pthread_mutex_lock(&m->lock);
    int ok = tier_compile(m, fe, error);
    pthread_mutex_unlock(&m->lock);
    return ok;
}

/* The C entry of a function not compiled yet. */
static wasmrt_status tier_lazy(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                               const func_entry *cfe)
{
    func_entry *fe = (func_entry *)cfe;
    wasmrt_error err;
    memset(&err, 0, sizeof err);
    if (!jit_compile(fe, &err)) {
        memcpy(t->message, err.message, sizeof t->message - 1);
        t->message[sizeof t->message - 1] = 0;
        return err.status != WASMRT_OK ? err.status : WASMRT_ERR_RESOURCE;
    }
    jit_fn native = (jit_fn)atomic_load_explicit(&fe->native, memory_order_acquire);
    return native(fp, t, inst, fe);
}

void jit_module_init(wasmrt_module *m)
{
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++)
        atomic_store_explicit(&m->funcs[i].native, (void *)tier_lazy, memory_order_relaxed);
}

void jit_module_free(wasmrt_module *m)
{
    tier_arena_free(m);
}

size_t jit_instance_table_bytes(const wasmrt_module *m)
{
    return (size_t)(m->func_count + m->global_count) * sizeof(void *);
}

void jit_instance_init(wasmrt_instance *inst)
{
    const wasmrt_module *m = inst->module;
    void *const *helpers = tier_helpers();
    void **table = jit_table(inst);
    inst->jit_helpers = helpers;
    inst->jit_types = (const functype *const *)m->types;
    for (uint32_t i = 0; i < m->func_count; i++) {
        void *body = i < m->imported_funcs
                         ? NULL
                         : atomic_load_explicit(&m->funcs[i].body, memory_order_acquire);
        table[i] = body ? body : i < m->imported_funcs ? NULL : helpers[JH_LAZY];
    }
    for (uint32_t g = 0; g < m->global_count; g++)
        table[m->func_count + g] = inst->globals[g];
}

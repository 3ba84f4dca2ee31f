/* jit.c: the compiling tier for x86-64. It walks a function's translated code (ops.h:
 * handler address + operand words, slots at fp) once and writes, for each instruction,
 * the machine instructions doing the same on the same slots. What goes away is what
 * the interpreter pays per instruction: the indirect jump, the operand words loaded
 * from memory, the pc arithmetic. Slots stay in memory (no register allocation): the
 * tiers share one frame layout, so they call each other freely and a trap, a memory
 * fault or a host call finds the same frames and slots whichever tier ran.
 *
 * Registers in compiled code: rbx = fp (slots), r12 = the exec_thread, r13 = memory
 * base, r14 = memory size (explicit bounds), r15 = the instance. rax, rcx, rdx are
 * scratch. Wasm calls are native calls (the jit_fn convention, jit.h), each pushing a
 * frame record on the thread's frame stack as the interpreter does, so a memory fault
 * or a trap names its function and the call depth limit holds. The C stack is checked
 * on entry against a per-thread limit.
 *
 * Rare or large instructions call C: the table and bulk-memory ops (exec_ops.c), the
 * float ops (helpers built from ops.h's expression lists), host calls. Machine code
 * lives in a memfd mapped twice, writable and executable, never both at one address
 * (jit_arena). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include "code.h"
#include "interp.h"
#include "jit.h"
#include "memory.h"
#include "numeric.h"
#include "ops.h"
#include "simd.h"
#include "simd_x64.h"

#if defined(__x86_64__) && defined(__linux__)
#define JIT_X64 1
#else
#define JIT_X64 0
#endif

/* C stack compiled code may use when entered on a stack that is not the thread's */
#define JIT_FOREIGN_STACK_BUDGET ((size_t)96 << 10)

int jit_supported(void)
{
    return JIT_X64;
}

/* ---- calls between tiers -------------------------------------------------------- */

static wasmrt_status jit_lazy(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                              const func_entry *fe);

void jit_thread_limits(exec_thread *t)
{
    /* The thread's stack [lo, hi). The main thread's grows down from near the string
       AT_EXECFN points at (the kernel puts it at the top) up to RLIMIT_STACK; asking
       the C library instead reads /proc, which a cold start does not want. Another
       thread's bounds are known to its C library. */
    char *here = __builtin_frame_address(0);
    char *lo = NULL, *hi = NULL;
    if (gettid() == getpid()) {
        struct rlimit rl;
        size_t size = (size_t)8 << 20;
        if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            size = (size_t)rl.rlim_cur;
        if (size > ((size_t)256 << 20))
            size = (size_t)256 << 20;
        char *top = (char *)getauxval(AT_EXECFN);
        if (top > here && (size_t)(top - here) < size)
            hi = (char *)(((uintptr_t)top + 4095) & ~(uintptr_t)4095);
        else
            hi = here; /* unknown: count the budget from here */
        lo = hi - size;
    } else {
        pthread_attr_t attr;
        void *addr;
        size_t size;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            if (pthread_attr_getstack(&attr, &addr, &size) == 0 && (char *)addr < here &&
                here < (char *)addr + size) {
                lo = addr;
                hi = lo + size;
            }
            pthread_attr_destroy(&attr);
        }
        if (!lo) {
            hi = here;
            lo = here - ((size_t)1 << 20);
        }
    }
    t->cstack_lo = lo;
    t->cstack_hi = hi;
    t->cstack_limit = jit_stack_limit(t, here);
}

char *jit_stack_limit(const exec_thread *t, char *here)
{
    if (here > t->cstack_lo && here <= t->cstack_hi) {
        /* room below the deepest compiled frame for host functions and the C library */
        size_t size = (size_t)(t->cstack_hi - t->cstack_lo);
        size_t reserve = size / 4 < ((size_t)256 << 10) ? size / 4 : (size_t)256 << 10;
        return t->cstack_lo + reserve;
    }
    /* another stack (a coroutine's, say) of unknown size: a modest budget from here */
    return here - JIT_FOREIGN_STACK_BUDGET;
}

/* A function the compiler could not take runs in the interpreter. */
static wasmrt_status jit_interp_entry(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                                      const func_entry *fe)
{
    if ((char *)__builtin_frame_address(0) < t->cstack_limit) {
        t->trap = WASMRT_TRAP_STACK_EXHAUSTED;
        return WASMRT_ERR_TRAP;
    }
    return interp_run(t, inst->funcs[fe->index], fp);
}

wasmrt_status jit_call_func(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                            uint64_t *nfp)
{
    if (f->host) {
        t->sp = nfp + f->type->param_count + f->type->result_count;
        t->in_wasm = 0;
        wasmrt_status s = exec_call_host(t, inst, f, nfp);
        t->in_wasm = 1;
        return s;
    }
    jit_fn fn = (jit_fn)atomic_load_explicit(&f->entry->native, memory_order_acquire);
    if (f->inst == inst)
        return fn(nfp, t, inst, f->entry);
    exec_watch_memory(t, f->inst->memory);
    wasmrt_status s = fn(nfp, t, f->inst, f->entry);
    exec_watch_memory(t, inst->memory);
    return s;
}

#if JIT_X64

/* ---- helpers called from compiled code ---------------------------------------- */

static wasmrt_status jit_host_call(uint64_t *nfp, exec_thread *t, wasmrt_instance *inst,
                                   uint32_t index)
{
    return jit_call_func(t, inst, inst->funcs[index], nfp);
}

/* [op, functype *, table, element slot, arg base] */
static wasmrt_status jit_call_indirect(exec_thread *t, wasmrt_instance *inst,
                                       const uint64_t *pc, uint64_t *fp)
{
    const wasmrt_table *tab = inst->tables[pc[2]];
    uint32_t i = (uint32_t)fp[pc[3]];
    wasmrt_func *f;
    if (i >= tab->size)
        t->trap = WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
    else if (!(f = tab->items[i]))
        t->trap = WASMRT_TRAP_UNINITIALIZED_ELEMENT;
    else if (f->type != (const functype *)(uintptr_t)pc[1])
        t->trap = WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH;
    else
        return jit_call_func(t, inst, f, fp + pc[4]);
    return WASMRT_ERR_TRAP;
}

static uint64_t jit_memory_grow(wasmrt_instance *inst, uint64_t delta)
{
    return (uint32_t)memory_grow(inst->memory, (uint32_t)delta);
}

static wasmrt_trap_kind jit_check(exec_thread *t)
{
    if (t->fuel && --t->fuel == 0)
        return WASMRT_TRAP_OUT_OF_FUEL;
    if (t->deadline && (++t->checks & 1023) == 0 && exec_now_ns() > t->deadline)
        return WASMRT_TRAP_DEADLINE;
    return WASMRT_TRAP_NONE;
}

#define JIT_PURE_UN(name, code, expr)                                                    \
    static uint64_t jh_##name(uint64_t a) { return (uint64_t)(expr); }
#define JIT_PURE_BIN(name, code, expr)                                                   \
    static uint64_t jh_##name(uint64_t a, uint64_t b) { return (uint64_t)(expr); }
#define JIT_TRUNC(name, code, rd, fits, conv)                                            \
    static wasmrt_trap_kind jh_##name(uint64_t a, uint64_t *out)                         \
    {                                                                                    \
        double x = rd(a);                                                                \
        if (isnan(x))                                                                    \
            return WASMRT_TRAP_INVALID_CONVERSION;                                       \
        if (!fits(x))                                                                    \
            return WASMRT_TRAP_INTEGER_OVERFLOW;                                         \
        *out = conv x;                                                                   \
        return WASMRT_TRAP_NONE;                                                         \
    }
OPS_PURE_UN(JIT_PURE_UN)
OPS_PURE_BIN(JIT_PURE_BIN)
OPS_TRUNC(JIT_TRUNC)

/* ---- executable memory ---------------------------------------------------------- */

/* One memfd mapped twice: written through rw, run through rx. A forked child gets
 * the parent's chunks shared: it never writes into a chunk another process made. */
typedef struct jit_chunk {
    struct jit_chunk *next;
    uint8_t *rw, *rx;
    size_t size, used;
    pid_t owner;
} jit_chunk;

struct jit_arena {
    jit_chunk *chunks;
};

#define JIT_CHUNK_BYTES ((size_t)128 << 10)

static jit_chunk *jit_chunk_new(size_t need)
{
    size_t size = need > JIT_CHUNK_BYTES ? (need + 4095) & ~(size_t)4095 : JIT_CHUNK_BYTES;
    jit_chunk *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    int fd = memfd_create("wasmrt-jit", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
        if (fd >= 0)
            close(fd);
        free(c);
        return NULL;
    }
    c->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    c->rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    close(fd);
    if (c->rw == MAP_FAILED || c->rx == MAP_FAILED) {
        if (c->rw != MAP_FAILED)
            munmap(c->rw, size);
        if (c->rx != MAP_FAILED)
            munmap(c->rx, size);
        free(c);
        return NULL;
    }
    c->size = size;
    c->owner = getpid();
    return c;
}

/* Copies n bytes of code in; returns where they run, NULL when out of memory.
 * Called with the module lock held. */
static void *jit_arena_put(wasmrt_module *m, const uint8_t *bytes, size_t n)
{
    if (!m->jit && !(m->jit = calloc(1, sizeof *m->jit)))
        return NULL;
    jit_chunk *c = m->jit->chunks;
    if (!c || c->owner != getpid() || c->size - c->used < n) {
        if (!(c = jit_chunk_new(n)))
            return NULL;
        c->next = m->jit->chunks;
        m->jit->chunks = c;
    }
    memcpy(c->rw + c->used, bytes, n);
    void *at = c->rx + c->used;
    c->used += (n + 15) & ~(size_t)15;
    if (c->used > c->size)
        c->used = c->size;
    return at;
}

void jit_module_free(wasmrt_module *m)
{
    if (!m->jit)
        return;
    for (jit_chunk *c = m->jit->chunks, *next; c; c = next) {
        next = c->next;
        munmap(c->rw, c->size);
        munmap(c->rx, c->size);
        free(c);
    }
    free(m->jit);
    m->jit = NULL;
}

/* ---- the two entries every compiled function shares ----------------------------- */

static void *jit_enter;  /* C convention -> a body (fe->native of compiled functions) */
static void *jit_thunk;  /* a body's call -> the C convention (fe->internal until then) */
static pthread_once_t jit_stubs_once = PTHREAD_ONCE_INIT;
static void jit_stubs_build(void);

/* ---- handler address -> internal opcode ------------------------------------------ */

/* Open addressing over the handlers' offsets from the lowest one (they all lie in
 * interp_run): 24 KiB, built in microseconds (sorting the 1700 handlers with musl's
 * qsort took a quarter of a millisecond, and a binary search per instruction, its
 * branches unpredictable, was most of a compile). */
#define JIT_OPMAP_BITS 12
#define JIT_OPMAP_MASK ((1u << JIT_OPMAP_BITS) - 1)
static uint32_t jit_opmap_key[1u << JIT_OPMAP_BITS]; /* offset + 1; 0 = empty */
static uint16_t jit_opmap_op[1u << JIT_OPMAP_BITS];
static uint64_t jit_opmap_base;
static pthread_once_t jit_opmap_once = PTHREAD_ONCE_INIT;

static uint32_t jit_opmap_hash(uint32_t key)
{
    return (key * 0x9e3779b1u) >> (32 - JIT_OPMAP_BITS);
}

static void jit_opmap_build(void)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int op = 0; op < OP_COUNT; op++) {
        uint64_t a = (uint64_t)(uintptr_t)interp_labels[op];
        if (a && a < lo)
            lo = a;
        if (a > hi)
            hi = a;
    }
    if (hi - lo >= UINT32_MAX)
        return; /* not one function's code: jit_op_of finds nothing, nothing compiles */
    jit_opmap_base = lo;
    for (int op = 0; op < OP_COUNT; op++) {
        uint64_t a = (uint64_t)(uintptr_t)interp_labels[op];
        if (!a)
            continue;
        uint32_t key = (uint32_t)(a - lo) + 1;
        uint32_t h = jit_opmap_hash(key);
        while (jit_opmap_key[h])
            h = (h + 1) & JIT_OPMAP_MASK;
        jit_opmap_key[h] = key;
        jit_opmap_op[h] = (uint16_t)op;
    }
}

static int jit_op_of(uint64_t word)
{
    uint64_t off = word - jit_opmap_base;
    if (off >= UINT32_MAX)
        return -1;
    uint32_t key = (uint32_t)off + 1;
    for (uint32_t h = jit_opmap_hash(key);; h = (h + 1) & JIT_OPMAP_MASK) {
        if (jit_opmap_key[h] == key)
            return jit_opmap_op[h];
        if (!jit_opmap_key[h])
            return -1;
    }
}

/* ---- the assembler ------------------------------------------------------------------ */

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
enum { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A, CC_S, CC_NS, CC_P, CC_NP,
       CC_L, CC_GE, CC_LE, CC_G };
/* instruction flags: REX.W, the 0x66 prefix, a REX prefix even with no bit set */
#define W 1
#define P16 2
/* branch targets: a word index of the function's code (>= 0), or one of these */
#define T_ERR (-1)               /* eax holds a status: leave with it */
#define T_TRAP_EAX (-2)          /* eax holds a trap kind */
#define T_STACK (-3)             /* out of stack on entry: no frame record pushed */
#define T_TRAP(kind) (-4 - (int)(kind))
#define T_KINDS 16

typedef struct jit_fix {
    uint32_t pos;   /* where the 32-bit value goes */
    uint32_t base;  /* the value is target - base */
    int32_t target;
} jit_fix;

typedef struct jit {
    uint8_t *b;
    size_t len, cap;
    int failed;
    const code *cd;
    uint32_t *at; /* native offset of each instruction, by word index */
    jit_fix *fix;
    uint32_t nfix, fix_cap;
    uint32_t stub[T_KINDS + 4]; /* offsets of the special targets, 0 = not placed */
    int used[T_KINDS + 4];
} jit;

static int jit_grow_slow(jit *j, size_t n)
{
    if (j->failed)
        return 0;
    size_t cap = j->cap ? j->cap * 2 : 4096;
    while (cap < j->len + n)
        cap *= 2;
    uint8_t *b = realloc(j->b, cap);
    if (!b) {
        j->failed = 1;
        return 0;
    }
    j->b = b;
    j->cap = cap;
    return 1;
}

static inline int jit_grow(jit *j, size_t n)
{
    return j->len + n <= j->cap ? !j->failed : jit_grow_slow(j, n);
}

static inline void b1(jit *j, unsigned v)
{
    if (jit_grow(j, 1))
        j->b[j->len++] = (uint8_t)v;
}

static inline void b4(jit *j, uint32_t v)
{
    if (jit_grow(j, 4)) {
        memcpy(j->b + j->len, &v, 4);
        j->len += 4;
    }
}

static inline void b8(jit *j, uint64_t v)
{
    if (jit_grow(j, 8)) {
        memcpy(j->b + j->len, &v, 8);
        j->len += 8;
    }
}

/* prefixes and opcode (1-3 bytes, first byte in the low bits; n bytes) */
static void op_head(jit *j, int flags, uint32_t opc, int n, int reg, int index, int base)
{
    if (flags & P16)
        b1(j, 0x66);
    unsigned rex = (flags & W ? 8 : 0) | (reg >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) |
                   (base >= 8 ? 1 : 0);
    if (rex)
        b1(j, 0x40 | rex);
    for (int i = 0; i < n; i++)
        b1(j, (opc >> (8 * i)) & 0xff);
}

/* op reg, [base + index * scale + disp] (index < 0: none) */
static void op_mem(jit *j, int flags, uint32_t opc, int n, int reg, int base, int index,
                   int scale_log2, int32_t disp)
{
    op_head(j, flags, opc, n, reg, index < 0 ? 0 : index, base);
    int mod = disp == 0 && (base & 7) != 5 ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;
    if (index < 0 && (base & 7) != 4) {
        b1(j, (unsigned)(mod << 6 | (reg & 7) << 3 | (base & 7)));
    } else {
        b1(j, (unsigned)(mod << 6 | (reg & 7) << 3 | 4));
        b1(j, (unsigned)(scale_log2 << 6 | (index < 0 ? 4 : index & 7) << 3 | (base & 7)));
    }
    if (mod == 1)
        b1(j, (uint8_t)disp);
    else if (mod == 2)
        b4(j, (uint32_t)disp);
}

/* op reg, rm (both registers) */
static void op_rr(jit *j, int flags, uint32_t opc, int n, int reg, int rm)
{
    op_head(j, flags, opc, n, reg, 0, rm);
    b1(j, (unsigned)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

static int32_t slot_disp(uint64_t slot)
{
    return (int32_t)(slot * 8);
}

/* mov reg, slot (32 or 64 bits) / mov slot, reg (64 bits) */
static void ld(jit *j, int flags, int reg, uint64_t slot)
{
    op_mem(j, flags, 0x8b, 1, reg, RBX, -1, 0, slot_disp(slot));
}
static void st(jit *j, int reg, uint64_t slot)
{
    op_mem(j, W, 0x89, 1, reg, RBX, -1, 0, slot_disp(slot));
}

static int fits_i32(int64_t v)
{
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* mov reg, imm (zero-extended 32 bits, or the whole 64) */
static void mov_imm(jit *j, int reg, uint64_t v)
{
    if (v <= UINT32_MAX) {
        op_head(j, 0, 0xb8 + (reg & 7), 1, 0, 0, reg);
        b4(j, (uint32_t)v);
    } else {
        op_head(j, W, 0xb8 + (reg & 7), 1, 0, 0, reg);
        b8(j, v);
    }
}

/* ALU group 1 (/n of 0x81): add 0, or 1, and 4, sub 5, xor 6, cmp 7; reg, imm32 */
static void alu_imm(jit *j, int flags, int n, int reg, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        op_rr(j, flags, 0x83, 1, n, reg);
        b1(j, (uint8_t)imm);
    } else {
        op_rr(j, flags, 0x81, 1, n, reg);
        b4(j, (uint32_t)imm);
    }
}

static void call_abs(jit *j, const void *fn)
{
    mov_imm(j, RAX, (uint64_t)(uintptr_t)fn);
    op_rr(j, 0, 0xff, 1, 2, RAX); /* call rax */
}

/* a 32-bit value to fill in later: target - base, base = end of the value */
static void fixup(jit *j, int32_t target, uint32_t base_adjust)
{
    if (j->nfix == j->fix_cap) {
        uint32_t cap = j->fix_cap ? j->fix_cap * 2 : 64;
        jit_fix *f = realloc(j->fix, cap * sizeof *f);
        if (!f) {
            j->failed = 1;
            return;
        }
        j->fix = f;
        j->fix_cap = cap;
    }
    j->fix[j->nfix++] = (jit_fix){(uint32_t)j->len, (uint32_t)j->len + base_adjust, target};
    if (target < 0)
        j->used[-1 - target] = 1;
    b4(j, 0);
}

static void jmp_to(jit *j, int32_t target)
{
    b1(j, 0xe9);
    fixup(j, target, 4);
}

static void jcc_to(jit *j, int cc, int32_t target)
{
    b1(j, 0x0f);
    b1(j, 0x80 + cc);
    fixup(j, target, 4);
}

/* short forward jumps inside one instruction's code */
static size_t jcc8(jit *j, int cc)
{
    b1(j, 0x70 + cc);
    b1(j, 0);
    return j->len;
}
static size_t jmp8(jit *j)
{
    b1(j, 0xeb);
    b1(j, 0);
    return j->len;
}
static void land8(jit *j, size_t from)
{
    if (j->len - from > 127)
        j->failed = 1;
    if (!j->failed)
        j->b[from - 1] = (uint8_t)(j->len - from);
}

/* test eax, eax; jnz target */
static void check_eax(jit *j, int32_t target)
{
    op_rr(j, 0, 0x85, 1, RAX, RAX);
    jcc_to(j, CC_NE, target);
}

static void reload_memory(jit *j)
{
    op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, memory));
    op_mem(j, W, 0x8b, 1, R13, RAX, -1, 0, (int32_t)offsetof(wasmrt_memory, base));
    op_mem(j, W, 0x8b, 1, R14, RAX, -1, 0, (int32_t)offsetof(wasmrt_memory, size));
}

static void epilogue(jit *j)
{
    alu_imm(j, W, 0, RSP, 8); /* add rsp, 8 */
    b1(j, 0xc3);
}

/* pops this function's frame record and returns eax */
static void leave(jit *j)
{
    op_mem(j, W, 0x81, 1, 5, R12, -1, 0, (int32_t)offsetof(exec_thread, ft));
    b4(j, (uint32_t)sizeof(exec_frame)); /* sub qword [r12 + ft], sizeof */
    epilogue(j);
}

/* ---- instructions ---------------------------------------------------------------- */

/* condition codes of the ten integer compares, in Wasm's order (eq .. ge_u) */
static const uint8_t cmp_cc[10] = {CC_E, CC_NE, CC_L, CC_B, CC_G, CC_A, CC_LE, CC_BE, CC_GE, CC_AE};

static int cmp_index(int wasm_op)
{
    return wasm_op >= 0x51 ? wasm_op - 0x51 : wasm_op - 0x46;
}

/* rax (eax) op= slot b or constant k; Wasm opcode of the i32 / i64 binary op */
static void int_bin(jit *j, int flags, int wasm_op, int si, uint64_t b)
{
    int base = flags & W ? wasm_op - 0x7c + 0x6a : wasm_op; /* as i32 opcodes */
    int alu = -1, shift = -1;
    switch (base) {
    case 0x6a: alu = 0; break; /* add */
    case 0x6b: alu = 5; break; /* sub */
    case 0x71: alu = 4; break; /* and */
    case 0x72: alu = 1; break; /* or */
    case 0x73: alu = 6; break; /* xor */
    case 0x74: shift = 4; break; /* shl */
    case 0x75: shift = 7; break; /* shr_s: sar */
    case 0x76: shift = 5; break; /* shr_u */
    case 0x77: shift = 0; break; /* rotl */
    case 0x78: shift = 1; break; /* rotr */
    case 0x6c: break;            /* mul */
    default: j->failed = 1; return;
    }
    if (shift >= 0) {
        if (si) {
            op_rr(j, flags, 0xc1, 1, shift, RAX);
            b1(j, (uint8_t)(b & (flags & W ? 63 : 31)));
        } else {
            ld(j, 0, RCX, b);
            op_rr(j, flags, 0xd3, 1, shift, RAX);
        }
        return;
    }
    int wide_imm = si && (flags & W) && !fits_i32((int64_t)b);
    if (wide_imm) {
        mov_imm(j, RCX, b);
        if (alu >= 0)
            op_rr(j, W, (uint32_t)(alu << 3 | 1), 1, RCX, RAX); /* op rax, rcx */
        else
            op_rr(j, W, 0xaf0f, 2, RAX, RCX); /* imul rax, rcx */
        return;
    }
    if (si) {
        int32_t k = flags & W ? (int32_t)(int64_t)b : (int32_t)(uint32_t)b;
        if (alu >= 0) {
            alu_imm(j, flags, alu, RAX, k);
        } else {
            op_rr(j, flags, 0x69, 1, RAX, RAX); /* imul eax, eax, imm32 */
            b4(j, (uint32_t)k);
        }
    } else if (alu >= 0) {
        op_mem(j, flags, (uint32_t)(alu << 3 | 3), 1, RAX, RBX, -1, 0, slot_disp(b));
    } else {
        op_mem(j, flags, 0xaf0f, 2, RAX, RBX, -1, 0, slot_disp(b));
    }
}

/* cmp rax (eax), slot b or constant k */
static void int_cmp(jit *j, int flags, int si, uint64_t b)
{
    if (!si) {
        op_mem(j, flags, 0x3b, 1, RAX, RBX, -1, 0, slot_disp(b));
    } else if ((flags & W) && !fits_i32((int64_t)b)) {
        mov_imm(j, RCX, b);
        op_rr(j, W, 0x39, 1, RCX, RAX);
    } else {
        alu_imm(j, flags, 7, RAX, flags & W ? (int32_t)(int64_t)b : (int32_t)(uint32_t)b);
    }
}

static void setcc_store(jit *j, int cc, uint64_t dst)
{
    op_rr(j, 0, 0x900f | (uint32_t)cc << 8, 2, 0, RAX); /* setcc al */
    op_rr(j, 0, 0xb60f, 2, RAX, RAX);                   /* movzx eax, al */
    st(j, RAX, dst);
}

/* The effective address of a memory access into rax: (u32)(slot + add) + offset. The
 * offset is returned as the displacement to use, or folded into rax when too large.
 * Explicit bounds: a trap unless ea + size <= r14. */
static int32_t mem_address(jit *j, uint64_t slot, uint64_t add, uint64_t offset,
                           unsigned size, int checked, int reg)
{
    ld(j, 0, reg, slot);
    if ((uint32_t)add)
        alu_imm(j, 0, 0, reg, (int32_t)(uint32_t)add);
    int32_t disp = 0;
    if (offset <= INT32_MAX - 8) {
        disp = (int32_t)offset;
    } else {
        mov_imm(j, RDX == reg ? RCX : RDX, offset);
        op_rr(j, W, 0x01, 1, RDX == reg ? RCX : RDX, reg); /* add reg, rdx */
    }
    if (checked) {
        int tmp = reg == RDX ? RCX : RDX;
        op_mem(j, W, 0x8d, 1, tmp, reg, -1, 0, disp + (int32_t)size); /* lea */
        op_rr(j, W, 0x3b, 1, tmp, R14);                               /* cmp tmp, r14 */
        jcc_to(j, CC_A, T_TRAP(WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS));
    }
    return disp;
}

/* load of Wasm opcode op (0x28..0x35) from [r13 + rax + disp] into rax */
static void load_op(jit *j, int op, int32_t disp)
{
    static const struct {
        int flags;
        uint32_t opc;
        int n;
    } f[14] = {
        {0, 0x8b, 1},      /* i32.load */
        {W, 0x8b, 1},      /* i64.load */
        {0, 0x8b, 1},      /* f32.load */
        {W, 0x8b, 1},      /* f64.load */
        {0, 0xbe0f, 2},    /* i32.load8_s: movsx eax, byte */
        {0, 0xb60f, 2},    /* i32.load8_u */
        {0, 0xbf0f, 2},    /* i32.load16_s */
        {0, 0xb70f, 2},    /* i32.load16_u */
        {W, 0xbe0f, 2},    /* i64.load8_s */
        {0, 0xb60f, 2},    /* i64.load8_u */
        {W, 0xbf0f, 2},    /* i64.load16_s */
        {0, 0xb70f, 2},    /* i64.load16_u */
        {W, 0x63, 1},      /* i64.load32_s: movsxd */
        {0, 0x8b, 1},      /* i64.load32_u */
    };
    int k = op - 0x28;
    op_mem(j, f[k].flags, f[k].opc, f[k].n, RAX, R13, RAX, 0, disp);
}

static unsigned load_size(int op)
{
    static const uint8_t s[14] = {4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4};
    return s[op - 0x28];
}

static unsigned store_size(int op)
{
    static const uint8_t s[9] = {4, 8, 4, 8, 1, 2, 1, 2, 4};
    return s[op - 0x36];
}

/* store of n bytes of rcx at [r13 + index + disp] */
static void store_rcx(jit *j, unsigned n, int index, int32_t disp)
{
    switch (n) {
    case 1: op_mem(j, 0, 0x88, 1, RCX, R13, index, 0, disp); break;
    case 2: op_mem(j, P16, 0x89, 1, RCX, R13, index, 0, disp); break;
    case 4: op_mem(j, 0, 0x89, 1, RCX, R13, index, 0, disp); break;
    default: op_mem(j, W, 0x89, 1, RCX, R13, index, 0, disp); break;
    }
}

/* load of n bytes at [r13 + rax + disp] into rcx, zero-extended */
static void load_rcx(jit *j, unsigned n, int32_t disp)
{
    switch (n) {
    case 1: op_mem(j, 0, 0xb60f, 2, RCX, R13, RAX, 0, disp); break;
    case 2: op_mem(j, 0, 0xb70f, 2, RCX, R13, RAX, 0, disp); break;
    case 4: op_mem(j, 0, 0x8b, 1, RCX, R13, RAX, 0, disp); break;
    default: op_mem(j, W, 0x8b, 1, RCX, R13, RAX, 0, disp); break;
    }
}

/* the arguments of a C helper: rdi = slot a's bits, rsi = slot b's */
static void call_pure(jit *j, const void *fn, const uint64_t *pc, int binary)
{
    ld(j, W, RDI, pc[2]);
    if (binary)
        ld(j, W, RSI, pc[3]);
    call_abs(j, fn);
    st(j, RAX, pc[1]);
}

/* A shared instruction (exec_ops.c): fn(inst, fp, pc), trap kind in eax. */
static void call_shared(jit *j, const void *fn, const uint64_t *pc)
{
    op_rr(j, W, 0x89, 1, R15, RDI); /* mov rdi, r15 */
    op_rr(j, W, 0x89, 1, RBX, RSI);
    mov_imm(j, RDX, (uint64_t)(uintptr_t)pc);
    call_abs(j, fn);
    check_eax(j, T_TRAP_EAX);
}

static void div_op(jit *j, int op, const uint64_t *pc)
{
    int wide = op >= 0x7f;
    int flags = wide ? W : 0;
    int kind = wide ? op - 0x7f : op - 0x6d; /* div_s, div_u, rem_s, rem_u */
    ld(j, flags, RCX, pc[3]);
    op_rr(j, flags, 0x85, 1, RCX, RCX);
    jcc_to(j, CC_E, T_TRAP(WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO));
    ld(j, flags, RAX, pc[2]);
    size_t skip = 0, done = 0;
    if (kind == 0 || kind == 2) {
        alu_imm(j, flags, 7, RCX, -1); /* cmp rcx, -1 */
        skip = jcc8(j, CC_NE);
        if (kind == 0) {
            /* INT_MIN / -1 overflows; anything else / -1 is the negation */
            op_rr(j, flags, 0xf7, 1, 3, RAX); /* neg eax: OF when it was INT_MIN */
            jcc_to(j, CC_O, T_TRAP(WASMRT_TRAP_INTEGER_OVERFLOW));
        } else {
            op_rr(j, 0, 0x31, 1, RAX, RAX); /* x % -1 = 0 */
        }
        done = jmp8(j);
        land8(j, skip);
    }
    if (kind == 0 || kind == 2) {
        if (wide)
            b1(j, 0x48);
        b1(j, 0x99); /* cdq / cqo */
        op_rr(j, flags, 0xf7, 1, 7, RCX); /* idiv */
    } else {
        op_rr(j, 0, 0x31, 1, RDX, RDX);
        op_rr(j, flags, 0xf7, 1, 6, RCX); /* div */
    }
    if (kind >= 2)
        op_rr(j, W, 0x89, 1, RDX, RAX); /* the remainder */
    if (done)
        land8(j, done);
    if (!wide)
        op_rr(j, 0, 0x89, 1, RAX, RAX); /* mov eax, eax: zero the upper half */
    st(j, RAX, pc[1]);
}

/* Number of words of the instruction op at pc, 0 when unknown. */
static uint32_t op_words(int op, const uint64_t *pc)
{
    if (op < 0x100) {
        switch (op) {
#define CASE3(name, code, ...) case code:
        OPS_PURE_UN(CASE3)
        OPS_TRUNC(CASE3)
            return 3;
        default:
            return 4; /* binary ops, compares, division */
        }
    }
    if (op < OP_MEM_STEP_GUARD)
        return 5;
    if (op < OP_SI)
        return 6;
    if (op < OP_ADD_BR_CMP)
        return 4;
    if (op < OP_UNREACHABLE)
        return 6;
    switch (op) {
    case OP_UNREACHABLE: case OP_RETURN0: case OP_CHECK: return 1;
    case OP_BR: case OP_RETURN1: case OP_MEMORY_SIZE: case OP_DATA_DROP: case OP_ELEM_DROP:
        return 2;
    case OP_BR_IF: case OP_BR_UNLESS: case OP_RETURN: case OP_CALL_FUNC: case OP_COPY:
    case OP_CONST: case OP_GLOBAL_GET: case OP_GLOBAL_SET: case OP_MEMORY_GROW:
    case OP_TABLE_SIZE_OP: case OP_REF_FUNC:
        return 3;
    case OP_CALL: case OP_MEMORY_COPY: case OP_MEMORY_FILL: case OP_TABLE_GET:
    case OP_TABLE_SET:
        return 4;
    case OP_CALL_INDIRECT: case OP_COPY2: case OP_SELECT: case OP_MEMORY_INIT:
    case OP_TABLE_GROW: case OP_TABLE_FILL: case OP_BR_AND_SI: case OP_BR_AND_ZERO_SI:
        return 5;
    case OP_TABLE_COPY: case OP_TABLE_INIT: case OP_I32_FUNNEL:
        return 6;
    case OP_ADD2_SI: case OP_MOVE_GUARD1: case OP_MOVE_GUARD2: case OP_MOVE_GUARD4:
    case OP_MOVE_GUARD8: case OP_MOVE_CHECKED1: case OP_MOVE_CHECKED2: case OP_MOVE_CHECKED4:
    case OP_MOVE_CHECKED8:
        return 7;
    case OP_FUNNEL_STORE_GUARD: case OP_FUNNEL_STORE_CHECKED: case OP_V128_OP:
        return 8;
    case OP_V128_COPY: case OP_V128_RETURN: case OP_V128_GLOBAL_GET: case OP_V128_GLOBAL_SET:
        return 3;
    case OP_V128_CONST:
        return 4;
    case OP_V128_SELECT:
        return 5;
    case OP_V128_STORE_GUARD: case OP_V128_STORE_CHECKED:
        return 6;
    case OP_V128_LOAD_GUARD: case OP_V128_LOAD_CHECKED:
        return 7;
    case OP_BR_TABLE:
        return pc[2] < UINT32_MAX ? 4 + (uint32_t)pc[2] : 0;
    default:
        return 0;
    }
}

/* The unary ops worth a few instructions instead of a call; 0 for the others. */
static int emit_inline_unary(jit *j, int op, const uint64_t *pc)
{
    switch (op) {
        case 0x45: /* i32.eqz */
        case 0x50: /* i64.eqz */
            op_rr(j, 0, 0x31, 1, RCX, RCX);
            op_mem(j, op == 0x50 ? W : 0, 0x83, 1, 7, RBX, -1, 0, slot_disp(pc[2]));
            b1(j, 0); /* cmp slot, 0 */
            op_rr(j, 0, 0x940f, 2, 0, RCX); /* sete cl */
            st(j, RCX, pc[1]);
            return 1;
        case 0xac: /* i64.extend_i32_s */
            op_mem(j, W, 0x63, 1, RAX, RBX, -1, 0, slot_disp(pc[2]));
            st(j, RAX, pc[1]);
            return 1;
        case 0xad: /* i64.extend_i32_u */
            ld(j, 0, RAX, pc[2]);
            st(j, RAX, pc[1]);
            return 1;
        case 0xc0: case 0xc1: case 0xc2: case 0xc3: /* extend8/16_s */
            op_mem(j, op >= 0xc2 ? W : 0, op & 1 ? 0xbf0f : 0xbe0f, 2, RAX, RBX, -1, 0,
                   slot_disp(pc[2]));
            st(j, RAX, pc[1]);
            return 1;
        case 0xc4: /* i64.extend32_s */
            op_mem(j, W, 0x63, 1, RAX, RBX, -1, 0, slot_disp(pc[2]));
            st(j, RAX, pc[1]);
            return 1;
    default:
        return 0;
    }
}

/* ---- 128-bit SIMD: a v128 slot's halves to and from an xmm register ---- */

/* [pfx] 0F opc with xmm (0-7) and [rbx + disp32] */
static void sse_slot(jit *j, int pfx, unsigned opc, int xmm, int32_t disp)
{
    if (pfx)
        b1(j, (unsigned)pfx);
    b1(j, 0x0f);
    b1(j, opc);
    b1(j, 0x80 | (unsigned)(xmm & 7) << 3 | (RBX & 7));
    b4(j, (uint32_t)disp);
}

static void xmm_load(jit *j, int xmm, uint64_t slot)
{
    sse_slot(j, 0xf3, 0x7e, xmm, slot_disp(slot));              /* movq xmm, [lo] */
    sse_slot(j, 0, 0x16, xmm, slot_disp(slot + EXEC_V128_HI)); /* movhps xmm, [hi] */
}

static void xmm_store(jit *j, int xmm, uint64_t slot)
{
    sse_slot(j, 0x66, 0xd6, xmm, slot_disp(slot));             /* movq [lo], xmm */
    sse_slot(j, 0, 0x17, xmm, slot_disp(slot + EXEC_V128_HI)); /* movhps [hi], xmm */
}

/* OP_V128_OP ([op, dst, sub, a, b, c, imm, imm]) as SSE code (simd_x64.c): the
 * operands into xmm0-2 (a scalar one into rax), the result from xmm0 or rax; 0 when
 * the operation has no SSE form on this CPU. */
static int v128_inline(jit *j, const uint64_t *pc)
{
    static const simd_x64_regs regs = {0, 1, 2, {3, 4, 5}, RAX, RCX};
    uint8_t code[SIMD_X64_MAX];
    uint32_t sub = (uint32_t)pc[2];
    size_t n = simd_x64_lower(code, sub, (const uint8_t *)&pc[6], &regs, simd_x64_features());
    if (!n || sub > 0xff)
        return 0;
    uint8_t sig = simd_table[sub].sig;
    if (sig == SIMD_SPLAT)
        ld(j, W, RAX, pc[3]);
    else
        xmm_load(j, 0, pc[3]);
    if (sig == SIMD_VV_V || sig == SIMD_VVV_V || sig == SIMD_SHUFFLE)
        xmm_load(j, 1, pc[4]);
    else if (sig == SIMD_VI_V || sig == SIMD_REPLACE)
        ld(j, W, RAX, pc[4]);
    if (sig == SIMD_VVV_V)
        xmm_load(j, 2, pc[5]);
    if (!jit_grow(j, n))
        return 1;
    memcpy(j->b + j->len, code, n);
    j->len += n;
    if (sig == SIMD_V_I32 || sig == SIMD_EXTRACT)
        st(j, RAX, pc[1]);
    else
        xmm_store(j, 0, pc[1]);
    return 1;
}

/* The lane operation that finishes a SIMD memory access once its bytes are in rax (a
 * load) or that takes them out of xmm0 into rax (a lane store), or -1 for none. */
static int v128_memory_step(uint32_t sub)
{
    switch ((enum simd_op)sub) {
    case SIMD_v128_load8x8_s: return SIMD_i16x8_extend_low_i8x16_s;
    case SIMD_v128_load8x8_u: return SIMD_i16x8_extend_low_i8x16_u;
    case SIMD_v128_load16x4_s: return SIMD_i32x4_extend_low_i16x8_s;
    case SIMD_v128_load16x4_u: return SIMD_i32x4_extend_low_i16x8_u;
    case SIMD_v128_load32x2_s: return SIMD_i64x2_extend_low_i32x4_s;
    case SIMD_v128_load32x2_u: return SIMD_i64x2_extend_low_i32x4_u;
    case SIMD_v128_load8_splat: return SIMD_i8x16_splat;
    case SIMD_v128_load16_splat: return SIMD_i16x8_splat;
    case SIMD_v128_load32_splat: return SIMD_i32x4_splat;
    case SIMD_v128_load64_splat: return SIMD_i64x2_splat;
    case SIMD_v128_load8_lane: return SIMD_i8x16_replace_lane;
    case SIMD_v128_load16_lane: return SIMD_i16x8_replace_lane;
    case SIMD_v128_load32_lane: return SIMD_i32x4_replace_lane;
    case SIMD_v128_load64_lane: return SIMD_i64x2_replace_lane;
    case SIMD_v128_store8_lane: return SIMD_i8x16_extract_lane_u;
    case SIMD_v128_store16_lane: return SIMD_i16x8_extract_lane_u;
    case SIMD_v128_store32_lane: return SIMD_i32x4_extract_lane;
    case SIMD_v128_store64_lane: return SIMD_i64x2_extract_lane;
    default: return -1; /* load32_zero, load64_zero: the bytes as they are */
    }
}

/* The SIMD loads other than v128.load ([op, dst, addr, offset, sub, vector, lane]) and
 * the lane stores ([op, addr, vector, offset, sub, lane]) as machine code: the address
 * into rdx, the bytes through rax, the lane work by simd_x64.c; 0 when it has none. */
static int v128_memory_inline(jit *j, int op, const uint64_t *pc)
{
    static const simd_x64_regs regs = {0, 1, 2, {3, 4, 5}, RAX, RCX};
    int store = op == OP_V128_STORE_GUARD || op == OP_V128_STORE_CHECKED;
    int checked = op == OP_V128_LOAD_CHECKED || op == OP_V128_STORE_CHECKED;
    uint32_t sub = (uint32_t)pc[4] & 0xff, lane = (uint32_t)pc[store ? 5 : 6];
    unsigned n = 1u << simd_table[sub].arg;
    int step = v128_memory_step(sub);
    uint8_t code[SIMD_X64_MAX], lane_imm[16] = {(uint8_t)lane};
    size_t len = 0;
    if (step >= 0 && !(len = simd_x64_lower(code, (uint32_t)step, lane_imm, &regs,
                                            simd_x64_features())))
        return 0;
    int sig = simd_table[sub].sig;
    int32_t disp = mem_address(j, pc[store ? 1 : 2], 0, pc[3], n, checked, RDX);
    if (store) {
        xmm_load(j, 0, pc[2]);
    } else {
        static const uint32_t load_opc[4] = {0xb60f, 0xb70f, 0x8b, 0x8b};
        op_mem(j, n == 8 ? W : 0, load_opc[simd_table[sub].arg], n <= 2 ? 2 : 1, RAX, R13, RDX,
               0, disp);
        if (sig == SIMD_LOAD_LANE)
            xmm_load(j, 0, pc[5]);
        else if (step < 0 || step < SIMD_i8x16_splat || step > SIMD_f64x2_splat)
            op_rr(j, W | P16, 0x6e0f, 2, 0, RAX); /* movq xmm0, rax: extended next, or as is */
    }
    if (len && jit_grow(j, len)) {
        memcpy(j->b + j->len, code, len);
        j->len += len;
    }
    if (store) {
        op_rr(j, W, 0x89, 1, RAX, RCX); /* mov rcx, rax */
        store_rcx(j, n, RDX, disp);
    } else {
        xmm_store(j, 0, pc[1]);
    }
    return 1;
}

/* Writes the machine code of the instruction at word k; 0 if it cannot. */
static int emit_instruction(jit *j, int op, uint32_t k)
{
    const uint64_t *pc = j->cd->words + k;
    if (op < 0x100 && emit_inline_unary(j, op, pc))
        return 1;
    if (op < 0x100) {
        switch (op) {
#define CASE_UN(name, code, expr)                                                        \
    case code:                                                                           \
        call_pure(j, (const void *)jh_##name, pc, 0);                                    \
        return 1;
#define CASE_BIN(name, code, expr)                                                       \
    case code:                                                                           \
        call_pure(j, (const void *)jh_##name, pc, 1);                                    \
        return 1;
#define CASE_TRUNC(name, code, rd, fits, conv)                                           \
    case code:                                                                           \
        ld(j, W, RDI, pc[2]);                                                            \
        op_mem(j, W, 0x8d, 1, RSI, RBX, -1, 0, slot_disp(pc[1]));                        \
        call_abs(j, (const void *)jh_##name);                                            \
        check_eax(j, T_TRAP_EAX);                                                        \
        return 1;
            OPS_PURE_UN(CASE_UN)
            OPS_PURE_BIN(CASE_BIN)
            OPS_TRUNC(CASE_TRUNC)
#define CASE_DIV(name, code) case code:
            OPS_DIV(CASE_DIV)
            div_op(j, op, pc);
            return 1;
        default:
            break;
        }
        int wide = (op >= 0x51 && op <= 0x5a) || (op >= 0x7c && op <= 0x8a);
        ld(j, wide ? W : 0, RAX, pc[2]);
        if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x5a)) {
            int_cmp(j, wide ? W : 0, 0, pc[3]);
            setcc_store(j, cmp_cc[cmp_index(op)], pc[1]);
        } else {
            int_bin(j, wide ? W : 0, op, 0, pc[3]);
            st(j, RAX, pc[1]);
        }
        return !j->failed;
    }
    if (op < OP_SI) {
        /* loads and stores */
        int checked = (op >= OP_MEM_CHECKED && op < OP_MEM_STEP_GUARD) || op >= OP_MEM_STEP_CHECKED;
        int wop = op & 0x3f;
        if (op >= OP_MEM_STEP_GUARD) {
            /* [op, dst, addr, offset, x, k] */
            ld(j, 0, RAX, pc[4]);
            if ((uint32_t)pc[5])
                alu_imm(j, 0, 0, RAX, (int32_t)(uint32_t)pc[5]);
            st(j, RAX, pc[2]);
            int32_t disp = mem_address(j, pc[2], 0, pc[3], load_size(wop), checked, RAX);
            load_op(j, wop, disp);
            st(j, RAX, pc[1]);
        } else if (wop <= 0x35) {
            /* [op, dst, addr, offset, add] */
            int32_t disp = mem_address(j, pc[2], pc[4], pc[3], load_size(wop), checked, RAX);
            load_op(j, wop, disp);
            st(j, RAX, pc[1]);
        } else {
            /* [op, addr, value, offset, add] */
            int32_t disp = mem_address(j, pc[1], pc[4], pc[3], store_size(wop), checked, RAX);
            ld(j, W, RCX, pc[2]);
            store_rcx(j, store_size(wop), RAX, disp);
        }
        return 1;
    }
    if (op < OP_UNREACHABLE) {
        int fused = op >= OP_ADD_BR_CMP;
        int si = fused ? op >= OP_ADD_BR_CMP_SI : (op & 0xff00) == OP_SI ||
                                                      (op & 0xff00) == OP_BR_CMP_SI;
        int wop = fused ? op - (si ? OP_ADD_BR_CMP_SI : OP_ADD_BR_CMP) : op & 0xff;
        int wide = (wop >= 0x51 && wop <= 0x5a) || (wop >= 0x7c && wop <= 0x8a);
        int flags = wide ? W : 0;
        if (fused) {
            /* [op, dst, x, k, b, rel] */
            ld(j, 0, RAX, pc[2]);
            alu_imm(j, 0, 0, RAX, (int32_t)(uint32_t)pc[3]);
            st(j, RAX, pc[1]);
            int_cmp(j, 0, si, pc[4]);
            jcc_to(j, cmp_cc[cmp_index(wop)], (int32_t)(k + 5 + (int64_t)pc[5]));
        } else if ((op & 0xff00) == OP_SI) {
            ld(j, flags, RAX, pc[2]);
            if ((wop >= 0x46 && wop <= 0x4f) || (wop >= 0x51 && wop <= 0x5a)) {
                int_cmp(j, flags, 1, pc[3]);
                setcc_store(j, cmp_cc[cmp_index(wop)], pc[1]);
            } else {
                int_bin(j, flags, wop, 1, pc[3]);
                st(j, RAX, pc[1]);
            }
        } else {
            /* [op, a, b, rel] */
            ld(j, flags, RAX, pc[1]);
            int_cmp(j, flags, si, pc[2]);
            jcc_to(j, cmp_cc[cmp_index(wop)], (int32_t)(k + 3 + (int64_t)pc[3]));
        }
        return !j->failed;
    }
    switch (op) {
    case OP_UNREACHABLE:
        jmp_to(j, T_TRAP(WASMRT_TRAP_UNREACHABLE));
        return 1;
    case OP_BR:
        jmp_to(j, (int32_t)(k + 1 + (int64_t)pc[1]));
        return 1;
    case OP_BR_IF:
    case OP_BR_UNLESS:
        op_mem(j, 0, 0x83, 1, 7, RBX, -1, 0, slot_disp(pc[1]));
        b1(j, 0);
        jcc_to(j, op == OP_BR_IF ? CC_NE : CC_E, (int32_t)(k + 2 + (int64_t)pc[2]));
        return 1;
    case OP_BR_AND_SI:
    case OP_BR_AND_ZERO_SI:
        ld(j, 0, RAX, pc[2]);
        alu_imm(j, 0, 4, RAX, (int32_t)(uint32_t)pc[3]);
        st(j, RAX, pc[1]);
        op_rr(j, 0, 0x85, 1, RAX, RAX);
        jcc_to(j, op == OP_BR_AND_SI ? CC_NE : CC_E, (int32_t)(k + 4 + (int64_t)pc[4]));
        return 1;
    case OP_BR_TABLE: {
        uint32_t n = (uint32_t)pc[2];
        ld(j, 0, RAX, pc[1]);
        mov_imm(j, RCX, n);
        op_rr(j, 0, 0x39, 1, RCX, RAX);       /* cmp eax, ecx */
        op_rr(j, 0, 0x470f, 2, RAX, RCX);     /* cmova eax, ecx */
        op_head(j, W, 0x8d, 1, RCX, 0, 0);    /* lea rcx, [rip + table] */
        b1(j, 0x0d);
        size_t lea_end = j->len + 4;
        b4(j, 0);
        op_mem(j, W, 0x63, 1, RAX, RCX, RAX, 2, 0); /* movsxd rax, [rcx + rax * 4] */
        op_rr(j, W, 0x01, 1, RCX, RAX);             /* add rax, rcx */
        op_rr(j, 0, 0xff, 1, 4, RAX);               /* jmp rax */
        while (!j->failed && j->len % 4)
            b1(j, 0xcc);
        if (j->failed)
            return 0;
        uint32_t table = (uint32_t)j->len;
        uint32_t rel = (uint32_t)(table - lea_end);
        memcpy(j->b + lea_end - 4, &rel, 4);
        for (uint32_t i = 0; i <= n; i++) {
            fixup(j, (int32_t)(k + 3 + i + (int64_t)pc[3 + i]), 0);
            if (!j->failed)
                j->fix[j->nfix - 1].base = table;
        }
        return 1;
    }
    case OP_RETURN:
        for (uint64_t i = 0; i < pc[1]; i++) {
            ld(j, W, RAX, pc[2] + i);
            st(j, RAX, i);
        }
        leave_ok:
        op_rr(j, 0, 0x31, 1, RAX, RAX);
        leave(j);
        return 1;
    case OP_RETURN1:
        ld(j, W, RAX, pc[1]);
        st(j, RAX, 0);
        goto leave_ok;
    case OP_V128_RETURN:
        for (uint64_t i = 0; i < pc[1]; i++)
            for (uint64_t half = 0; half <= EXEC_V128_HI; half += EXEC_V128_HI) {
                ld(j, W, RAX, pc[2] + i + half);
                st(j, RAX, i + half);
            }
        goto leave_ok;
    case OP_RETURN0:
        goto leave_ok;
    case OP_CALL:
        /* [op, func_entry *, arg base, (interpreter's cache)]: the callee's frame
           starts at the arguments; rcx = the entry, for the lazy entry's sake */
        if (pc[2])
            alu_imm(j, W, 0, RBX, slot_disp(pc[2]));
        mov_imm(j, RCX, pc[1]);
        op_mem(j, 0, 0xff, 1, 2, RCX, -1, 0, (int32_t)offsetof(func_entry, internal));
        if (pc[2])
            alu_imm(j, W, 5, RBX, slot_disp(pc[2]));
        check_eax(j, T_ERR);
        return 1;
    case OP_CALL_FUNC:
        op_mem(j, W, 0x8d, 1, RDI, RBX, -1, 0, slot_disp(pc[2]));
        op_rr(j, W, 0x89, 1, R12, RSI);
        op_rr(j, W, 0x89, 1, R15, RDX);
        mov_imm(j, RCX, pc[1]);
        call_abs(j, (const void *)jit_host_call);
        check_eax(j, T_ERR);
        reload_memory(j);
        return 1;
    case OP_CALL_INDIRECT:
        op_rr(j, W, 0x89, 1, R12, RDI);
        op_rr(j, W, 0x89, 1, R15, RSI);
        mov_imm(j, RDX, (uint64_t)(uintptr_t)pc);
        op_rr(j, W, 0x89, 1, RBX, RCX);
        call_abs(j, (const void *)jit_call_indirect);
        check_eax(j, T_ERR);
        reload_memory(j);
        return 1;
    case OP_COPY:
        ld(j, W, RAX, pc[2]);
        st(j, RAX, pc[1]);
        return 1;
    case OP_COPY2:
        ld(j, W, RAX, pc[2]);
        st(j, RAX, pc[1]);
        ld(j, W, RAX, pc[4]);
        st(j, RAX, pc[3]);
        return 1;
    case OP_ADD2_SI:
        for (int h = 0; h < 2; h++) {
            ld(j, 0, RAX, pc[2 + 3 * h]);
            alu_imm(j, 0, 0, RAX, (int32_t)(uint32_t)pc[3 + 3 * h]);
            st(j, RAX, pc[1 + 3 * h]);
        }
        return 1;
    case OP_CONST:
        if (fits_i32((int64_t)pc[2])) {
            op_mem(j, W, 0xc7, 1, 0, RBX, -1, 0, slot_disp(pc[1]));
            b4(j, (uint32_t)pc[2]);
        } else {
            mov_imm(j, RAX, pc[2]);
            st(j, RAX, pc[1]);
        }
        return 1;
    case OP_SELECT:
        /* [op, dst, a, b, cond] */
        ld(j, W, RAX, pc[3]);
        op_mem(j, 0, 0x83, 1, 7, RBX, -1, 0, slot_disp(pc[4]));
        b1(j, 0);
        op_mem(j, W, 0x450f, 2, RAX, RBX, -1, 0, slot_disp(pc[2])); /* cmovne */
        st(j, RAX, pc[1]);
        return 1;
    case OP_GLOBAL_GET:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, globals));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)(pc[2] * 8));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)offsetof(wasmrt_global, value));
        st(j, RAX, pc[1]);
        return 1;
    case OP_GLOBAL_SET:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, globals));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)(pc[1] * 8));
        ld(j, W, RCX, pc[2]);
        op_mem(j, W, 0x89, 1, RCX, RAX, -1, 0, (int32_t)offsetof(wasmrt_global, value));
        return 1;
    case OP_REF_FUNC:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, funcs));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)(pc[2] * 8));
        st(j, RAX, pc[1]);
        return 1;
    case OP_CHECK:
        op_rr(j, W, 0x89, 1, R12, RDI);
        call_abs(j, (const void *)jit_check);
        check_eax(j, T_TRAP_EAX);
        return 1;
    case OP_I32_FUNNEL:
        /* [op, dst, x, k1, y, k2] */
        ld(j, 0, RAX, pc[2]);
        op_rr(j, 0, 0xc1, 1, 4, RAX);
        b1(j, (uint8_t)(pc[3] & 31));
        ld(j, 0, RCX, pc[4]);
        op_rr(j, 0, 0xc1, 1, 5, RCX);
        b1(j, (uint8_t)(pc[5] & 31));
        op_rr(j, 0, 0x09, 1, RCX, RAX); /* or eax, ecx */
        st(j, RAX, pc[1]);
        return 1;
    case OP_FUNNEL_STORE_GUARD:
    case OP_FUNNEL_STORE_CHECKED: {
        /* [op, addr, offset, add, x, k1, y, k2]: the address into rdx */
        int32_t disp = mem_address(j, pc[1], pc[3], pc[2], 4, op == OP_FUNNEL_STORE_CHECKED,
                                   RDX);
        ld(j, 0, RCX, pc[4]);
        op_rr(j, 0, 0xc1, 1, 4, RCX);
        b1(j, (uint8_t)(pc[5] & 31));
        ld(j, 0, RAX, pc[6]);
        op_rr(j, 0, 0xc1, 1, 5, RAX);
        b1(j, (uint8_t)(pc[7] & 31));
        op_rr(j, 0, 0x09, 1, RAX, RCX); /* or ecx, eax */
        store_rcx(j, 4, RDX, disp);
        return 1;
    }
    case OP_MOVE_GUARD1: case OP_MOVE_GUARD2: case OP_MOVE_GUARD4: case OP_MOVE_GUARD8:
    case OP_MOVE_CHECKED1: case OP_MOVE_CHECKED2: case OP_MOVE_CHECKED4:
    case OP_MOVE_CHECKED8: {
        /* [op, dst addr, offset, add, src addr, offset, add]: the source address in
           rax, the destination's in rdx, both checked before either access */
        int checked = op >= OP_MOVE_CHECKED1;
        unsigned n = 1u << (op - (checked ? OP_MOVE_CHECKED1 : OP_MOVE_GUARD1));
        int32_t sdisp = mem_address(j, pc[4], pc[6], pc[5], n, checked, RAX);
        int32_t ddisp = mem_address(j, pc[1], pc[3], pc[2], n, checked, RDX);
        load_rcx(j, n, sdisp);
        store_rcx(j, n, RDX, ddisp);
        return 1;
    }
    case OP_MEMORY_SIZE:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, memory));
        op_mem(j, 0, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)offsetof(wasmrt_memory, pages));
        st(j, RAX, pc[1]);
        return 1;
    case OP_MEMORY_GROW:
        op_rr(j, W, 0x89, 1, R15, RDI);
        ld(j, 0, RSI, pc[2]);
        call_abs(j, (const void *)jit_memory_grow);
        st(j, RAX, pc[1]);
        reload_memory(j);
        return 1;
    case OP_DATA_DROP:
    case OP_ELEM_DROP:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0,
               op == OP_DATA_DROP ? (int32_t)offsetof(wasmrt_instance, data_dropped)
                                  : (int32_t)offsetof(wasmrt_instance, elem_dropped));
        op_mem(j, 0, 0xc6, 1, 0, RAX, -1, 0, (int32_t)pc[1]); /* mov byte [rax + i], 1 */
        b1(j, 1);
        return 1;
    case OP_TABLE_SIZE_OP:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, tables));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)(pc[2] * 8));
        op_mem(j, 0, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)offsetof(wasmrt_table, size));
        st(j, RAX, pc[1]);
        return 1;
    /* 128-bit SIMD: the moves here (both halves, the high one EXEC_V128_HI slots up),
       the lane work and memory access in exec_ops.c's shared C */
    case OP_V128_CONST:
        for (int h = 0; h < 2; h++) {
            mov_imm(j, RAX, pc[2 + h]);
            st(j, RAX, pc[1] + (h ? EXEC_V128_HI : 0));
        }
        return 1;
    case OP_V128_COPY:
        ld(j, W, RAX, pc[2]);
        ld(j, W, RCX, pc[2] + EXEC_V128_HI);
        st(j, RAX, pc[1]);
        st(j, RCX, pc[1] + EXEC_V128_HI);
        return 1;
    case OP_V128_SELECT:
        /* [op, dst, a, b, cond]: both halves chosen before either is written */
        ld(j, W, RAX, pc[3]);
        ld(j, W, RCX, pc[3] + EXEC_V128_HI);
        op_mem(j, 0, 0x83, 1, 7, RBX, -1, 0, slot_disp(pc[4]));
        b1(j, 0);
        op_mem(j, W, 0x450f, 2, RAX, RBX, -1, 0, slot_disp(pc[2]));
        op_mem(j, W, 0x450f, 2, RCX, RBX, -1, 0, slot_disp(pc[2] + EXEC_V128_HI));
        st(j, RAX, pc[1]);
        st(j, RCX, pc[1] + EXEC_V128_HI);
        return 1;
    case OP_V128_GLOBAL_GET:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, globals));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)(pc[2] * 8));
        op_mem(j, W, 0x8b, 1, RCX, RAX, -1, 0, (int32_t)offsetof(wasmrt_global, value));
        op_mem(j, W, 0x8b, 1, RDX, RAX, -1, 0, (int32_t)offsetof(wasmrt_global, value_hi));
        st(j, RCX, pc[1]);
        st(j, RDX, pc[1] + EXEC_V128_HI);
        return 1;
    case OP_V128_GLOBAL_SET:
        op_mem(j, W, 0x8b, 1, RAX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, globals));
        op_mem(j, W, 0x8b, 1, RAX, RAX, -1, 0, (int32_t)(pc[1] * 8));
        ld(j, W, RCX, pc[2]);
        ld(j, W, RDX, pc[2] + EXEC_V128_HI);
        op_mem(j, W, 0x89, 1, RCX, RAX, -1, 0, (int32_t)offsetof(wasmrt_global, value));
        op_mem(j, W, 0x89, 1, RDX, RAX, -1, 0, (int32_t)offsetof(wasmrt_global, value_hi));
        return 1;
    case OP_V128_OP:
        if (v128_inline(j, pc))
            return 1;
        break; /* exec_ops.c */
    case OP_V128_LOAD_GUARD:
    case OP_V128_LOAD_CHECKED:
        if (pc[4] != SIMD_v128_load) {
            if (v128_memory_inline(j, op, pc))
                return 1;
            break; /* exec_ops.c */
        }
        /* [op, dst, addr, offset, sub, vector, lane]: 16 bytes as two 8-byte halves */
        {
            int32_t disp = mem_address(j, pc[2], 0, pc[3], 16, op == OP_V128_LOAD_CHECKED, RAX);
            load_rcx(j, 8, disp);
            op_mem(j, W, 0x8b, 1, RDX, R13, RAX, 0, disp + 8);
            st(j, RCX, pc[1]);
            st(j, RDX, pc[1] + EXEC_V128_HI);
        }
        return 1;
    case OP_V128_STORE_GUARD:
    case OP_V128_STORE_CHECKED:
        if (pc[4] != SIMD_v128_store) {
            if (v128_memory_inline(j, op, pc))
                return 1;
            break; /* exec_ops.c */
        }
        /* [op, addr, vector, offset, sub, lane] */
        {
            int32_t disp = mem_address(j, pc[1], 0, pc[3], 16, op == OP_V128_STORE_CHECKED, RDX);
            ld(j, W, RCX, pc[2]);
            store_rcx(j, 8, RDX, disp);
            ld(j, W, RCX, pc[2] + EXEC_V128_HI);
            store_rcx(j, 8, RDX, disp + 8);
        }
        return 1;
    default:
        break;
    }
    switch (op) {
#define CASE_SHARED(name, op)                                                            \
    case op:                                                                             \
        call_shared(j, (const void *)exec_op_##name, pc);                                \
        return 1;
        EXEC_SHARED_OPS(CASE_SHARED)
    default:
        return 0;
    }
}

/* ---- a function ------------------------------------------------------------------ */

/* The body's entry (the internal convention: rbx = fp, r12 = thread, r13/r14 =
 * memory, r15 = instance, all kept; status in eax). */
static void prologue(jit *j, const code *cd)
{
    alu_imm(j, W, 5, RSP, 8); /* sub rsp, 8: calls from here see rsp 16-aligned */
    /* the C stack, the frame records, the slot stack */
    op_mem(j, W, 0x3b, 1, RSP, R12, -1, 0, (int32_t)offsetof(exec_thread, cstack_limit));
    jcc_to(j, CC_B, T_STACK);
    op_mem(j, W, 0x8b, 1, RAX, R12, -1, 0, (int32_t)offsetof(exec_thread, ft));
    op_mem(j, W, 0x3b, 1, RAX, R12, -1, 0, (int32_t)offsetof(exec_thread, frames_limit));
    jcc_to(j, CC_AE, T_STACK);
    op_mem(j, W, 0x8d, 1, RCX, RBX, -1, 0, slot_disp(cd->frame_slots));
    op_mem(j, W, 0x3b, 1, RCX, R12, -1, 0, (int32_t)offsetof(exec_thread, stack_end));
    jcc_to(j, CC_A, T_STACK);
    /* push the frame record: the code entered names a trap or a fault (the other
       fields are the interpreter's, for the records it pushes itself) */
    mov_imm(j, RCX, (uint64_t)(uintptr_t)cd);
    op_mem(j, W, 0x89, 1, RCX, RAX, -1, 0, (int32_t)offsetof(exec_frame, callee));
    alu_imm(j, W, 0, RAX, (int32_t)sizeof(exec_frame));
    op_mem(j, W, 0x89, 1, RAX, R12, -1, 0, (int32_t)offsetof(exec_thread, ft));
    /* zero the locals */
    if (cd->local_slots) {
        op_rr(j, 0, 0x31, 1, RAX, RAX);
        if (cd->local_slots <= 16) {
            for (uint32_t i = 0; i < cd->local_slots; i++)
                st(j, RAX, cd->param_slots + i);
        } else {
            op_mem(j, W, 0x8d, 1, RDI, RBX, -1, 0, slot_disp(cd->param_slots));
            mov_imm(j, RCX, cd->local_slots);
            b1(j, 0xf3), b1(j, 0x48), b1(j, 0xab); /* rep stosq */
        }
    }
}

/* The special targets, after the body. */
static void place_stubs(jit *j, const code *cd)
{
    for (int kind = 0; kind < T_KINDS; kind++) {
        if (!j->used[-1 - T_TRAP(kind)])
            continue;
        j->stub[-1 - T_TRAP(kind)] = (uint32_t)j->len;
        mov_imm(j, RAX, (uint64_t)kind);
        jmp_to(j, T_TRAP_EAX);
    }
    if (j->used[-1 - T_STACK]) {
        /* out of stack: no record pushed, the caller names the trap */
        j->stub[-1 - T_STACK] = (uint32_t)j->len;
        op_mem(j, 0, 0xc7, 1, 0, R12, -1, 0, (int32_t)offsetof(exec_thread, trap));
        b4(j, WASMRT_TRAP_STACK_EXHAUSTED);
        mov_imm(j, RAX, WASMRT_ERR_TRAP);
        epilogue(j);
    }
    if (j->used[-1 - T_TRAP_EAX]) {
        j->stub[-1 - T_TRAP_EAX] = (uint32_t)j->len;
        op_mem(j, 0, 0x89, 1, RAX, R12, -1, 0, (int32_t)offsetof(exec_thread, trap));
        mov_imm(j, RAX, WASMRT_ERR_TRAP);
        jmp_to(j, T_ERR);
    }
    if (j->used[-1 - T_ERR]) {
        /* leave with the status in eax; the innermost function names a trap */
        j->stub[-1 - T_ERR] = (uint32_t)j->len;
        alu_imm(j, 0, 7, RAX, WASMRT_ERR_TRAP);
        size_t not_trap = jcc8(j, CC_NE);
        op_mem(j, 0, 0x81, 1, 7, R12, -1, 0, (int32_t)offsetof(exec_thread, trap_func));
        b4(j, WASMRT_NO_FUNC);
        size_t named = jcc8(j, CC_NE);
        op_mem(j, 0, 0xc7, 1, 0, R12, -1, 0, (int32_t)offsetof(exec_thread, trap_func));
        b4(j, cd->func_index);
        land8(j, not_trap);
        land8(j, named);
        leave(j);
    }
}

static int resolve(jit *j)
{
    for (uint32_t i = 0; i < j->nfix; i++) {
        const jit_fix *f = &j->fix[i];
        uint32_t to;
        if (f->target >= 0) {
            if ((uint32_t)f->target >= j->cd->word_count || j->at[f->target] == UINT32_MAX)
                return 0;
            to = j->at[f->target];
        } else {
            to = j->stub[-1 - f->target];
            if (!to)
                return 0;
        }
        int32_t v = (int32_t)(to - f->base);
        memcpy(j->b + f->pos, &v, 4);
    }
    return 1;
}

/* Debugging aid (WASMRT_DUMP_JIT=DIR): each function's machine code in DIR/fN.bin,
 * for objdump -D -b binary -m i386:x86-64. */
/* WASMRT_DUMP_JIT, read once (getenv scans the environment) */
static const char *jit_dump_value;
static pthread_once_t jit_dump_once = PTHREAD_ONCE_INIT;

static void jit_dump_read(void)
{
    jit_dump_value = getenv("WASMRT_DUMP_JIT");
}

static const char *jit_dump_dir(void)
{
    pthread_once(&jit_dump_once, jit_dump_read);
    return jit_dump_value;
}

static void jit_dump(const code *cd, const uint8_t *b, size_t n)
{
    const char *dir = jit_dump_dir();
    if (!dir)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/f%u.bin", dir, cd->func_index);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(b, 1, n, f);
        fclose(f);
    }
}

/* Machine code for the function's body, NULL when it cannot be compiled. Lock held. */
#define JIT_SCRATCH_KEEP ((size_t)4 << 20)

/* Each thread's buffers, kept between functions: musl's allocator (the command's libc)
 * answers the growth of fresh ones with mmap and munmap, function after function. */
static _Thread_local struct jit_scratch {
    uint8_t *b;
    size_t cap;
    jit_fix *fix;
    uint32_t fix_cap;
    uint32_t *at;
    size_t at_cap;
} jit_tls;
static pthread_key_t jit_key; /* frees a thread's buffers when it exits */
static pthread_once_t jit_key_once = PTHREAD_ONCE_INIT;

static void jit_scratch_release(void *p)
{
    struct jit_scratch *s = p;
    free(s->b);
    free(s->fix);
    free(s->at);
    memset(s, 0, sizeof *s);
}

static void jit_key_create(void)
{
    pthread_key_create(&jit_key, jit_scratch_release);
}

static void *jit_compile(wasmrt_module *m, const code *cd)
{
    struct jit_scratch *s = &jit_tls;
    pthread_once(&jit_key_once, jit_key_create);
    if (!pthread_getspecific(jit_key))
        pthread_setspecific(jit_key, s);
    if (s->at_cap < (size_t)cd->word_count + 1) {
        free(s->at);
        s->at_cap = (size_t)cd->word_count + 1 > 2 * s->at_cap ? (size_t)cd->word_count + 1
                                                                : 2 * s->at_cap;
        if (!(s->at = malloc(s->at_cap * sizeof *s->at))) {
            s->at_cap = 0;
            return NULL;
        }
    }
    jit j;
    memset(&j, 0, sizeof j);
    j.cd = cd;
    j.b = s->b;
    j.cap = s->cap;
    j.fix = s->fix;
    j.fix_cap = s->fix_cap;
    j.at = s->at;
    for (uint32_t i = 0; i <= cd->word_count; i++)
        j.at[i] = UINT32_MAX;
    prologue(&j, cd);
    int ok = 1;
    for (uint32_t k = 0; k < cd->word_count && ok && !j.failed;) {
        int op = jit_op_of(cd->words[k]);
        uint32_t n = op < 0 ? 0 : op_words(op, cd->words + k);
        if (!n || k + n > cd->word_count) {
            ok = 0;
            break;
        }
        j.at[k] = (uint32_t)j.len;
        ok = emit_instruction(&j, op, k);
        if ((!ok || j.failed) && jit_dump_dir())
            fprintf(stderr, "jit: func %u: op %#x at word %u not compiled\n", cd->func_index, op, k);
        k += n;
    }
    /* translated code always ends in a return; falling off would be a bug */
    b1(&j, 0x0f), b1(&j, 0x0b); /* ud2 */
    place_stubs(&j, cd);
    void *fn = NULL;
    if (ok && !j.failed && resolve(&j)) {
        fn = jit_arena_put(m, j.b, j.len);
        jit_dump(cd, j.b, j.len);
    }
    /* kept for the next function, unless a huge one grew them */
    if (j.cap > JIT_SCRATCH_KEEP) {
        free(j.b);
        j.b = NULL, j.cap = 0;
    }
    s->b = j.b, s->cap = j.cap;
    s->fix = j.fix, s->fix_cap = j.fix_cap;
    return fn;
}

/* jit_enter(fp, t, inst, fe): saves the registers the C convention keeps, sets up
 * the body's and calls fe->internal. jit_thunk, called as a body with rcx = fe (a
 * callee not compiled yet, or that could not be): calls fe->native the C way and
 * reloads the memory registers, which the callee may have grown. */
static void jit_stubs_build(void)
{
    jit j;
    memset(&j, 0, sizeof j);
    /* jit_enter */
    b1(&j, 0x53), b1(&j, 0x55);                               /* push rbx, rbp */
    b1(&j, 0x41), b1(&j, 0x54), b1(&j, 0x41), b1(&j, 0x55);   /* push r12, r13 */
    b1(&j, 0x41), b1(&j, 0x56), b1(&j, 0x41), b1(&j, 0x57);   /* push r14, r15 */
    alu_imm(&j, W, 5, RSP, 8);
    op_rr(&j, W, 0x89, 1, RDI, RBX);
    op_rr(&j, W, 0x89, 1, RSI, R12);
    op_rr(&j, W, 0x89, 1, RDX, R15);
    reload_memory(&j);
    op_mem(&j, 0, 0xff, 1, 2, RCX, -1, 0, (int32_t)offsetof(func_entry, internal));
    alu_imm(&j, W, 0, RSP, 8);
    b1(&j, 0x41), b1(&j, 0x5f), b1(&j, 0x41), b1(&j, 0x5e);   /* pop r15, r14 */
    b1(&j, 0x41), b1(&j, 0x5d), b1(&j, 0x41), b1(&j, 0x5c);   /* pop r13, r12 */
    b1(&j, 0x5d), b1(&j, 0x5b), b1(&j, 0xc3);                 /* pop rbp, rbx; ret */
    size_t thunk = (j.len + 15) & ~(size_t)15;
    while (j.len < thunk)
        b1(&j, 0xcc);
    /* jit_thunk */
    alu_imm(&j, W, 5, RSP, 8);
    op_rr(&j, W, 0x89, 1, RBX, RDI);
    op_rr(&j, W, 0x89, 1, R12, RSI);
    op_rr(&j, W, 0x89, 1, R15, RDX);
    op_mem(&j, 0, 0xff, 1, 2, RCX, -1, 0, (int32_t)offsetof(func_entry, native));
    op_mem(&j, W, 0x8b, 1, RCX, R15, -1, 0, (int32_t)offsetof(wasmrt_instance, memory));
    op_mem(&j, W, 0x8b, 1, R13, RCX, -1, 0, (int32_t)offsetof(wasmrt_memory, base));
    op_mem(&j, W, 0x8b, 1, R14, RCX, -1, 0, (int32_t)offsetof(wasmrt_memory, size));
    alu_imm(&j, W, 0, RSP, 8);
    b1(&j, 0xc3);
    if (j.failed)
        return;
    /* written once: a private page made executable, never writable again */
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || j.len > 4096) {
        free(j.b);
        return;
    }
    memcpy(p, j.b, j.len);
    free(j.b);
    if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0) {
        munmap(p, 4096);
        return;
    }
    jit_thunk = (uint8_t *)p + thunk;
    jit_enter = p;
}

static wasmrt_status jit_lazy(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                              const func_entry *cfe)
{
    func_entry *fe = (func_entry *)cfe;
    wasmrt_error err;
    code *cd = compile_get(fe, &err);
    if (!cd) {
        memcpy(t->message, err.message, sizeof t->message - 1);
        t->message[sizeof t->message - 1] = 0;
        return WASMRT_ERR_RESOURCE;
    }
    wasmrt_module *m = fe->module;
    pthread_once(&jit_opmap_once, jit_opmap_build);
    pthread_mutex_lock(&m->lock);
    jit_fn fn = (jit_fn)atomic_load_explicit(&fe->native, memory_order_relaxed);
    if (fn == jit_lazy) {
        void *body = jit_enter ? jit_compile(m, cd) : NULL;
        if (body) {
            /* the body first: jit_enter reads it */
            atomic_store_explicit(&fe->internal, body, memory_order_release);
            fn = (jit_fn)jit_enter;
        } else {
            fn = jit_interp_entry;
        }
        atomic_store_explicit(&fe->native, (void *)fn, memory_order_release);
    }
    pthread_mutex_unlock(&m->lock);
    return fn(fp, t, inst, fe);
}

void jit_module_init(wasmrt_module *m)
{
    pthread_once(&jit_stubs_once, jit_stubs_build);
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++) {
        atomic_store_explicit(&m->funcs[i].native, (void *)jit_lazy, memory_order_relaxed);
        atomic_store_explicit(&m->funcs[i].internal, jit_thunk, memory_order_relaxed);
    }
}

#else /* !JIT_X64 */

static wasmrt_status jit_lazy(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                              const func_entry *fe)
{
    return jit_interp_entry(fp, t, inst, fe);
}

void jit_module_free(wasmrt_module *m)
{
    (void)m;
}

void jit_module_init(wasmrt_module *m)
{
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++)
        atomic_store_explicit(&m->funcs[i].native, (void *)jit_lazy, memory_order_relaxed);
}

#endif

/* stubs.c: the machine code every module shares, written once per process into a
 * page made executable and never writable again, and the helper table compiled code
 * calls through (layout.h):
 *   enter   the jit_fn entry (jit.h): saves the C convention's registers, sets the
 *           pinned ones (r12 calls left, r13 thread, r14 instance, r15 memory, r9
 *           size), marks where a trap unwinds to, and calls the function's C entry
 *   trap, status
 *           leave compiled code from any depth: record the trap (the innermost
 *           function names it), reset rsp to the unwind point, return the status
 *   lazy    a call whose target is not compiled yet: compiles it (runtime.c) and
 *           goes on into it with the caller's arguments
 *   interp  a call whose target runs in the interpreter
 * The last two save every register a call may carry arguments in, or the caller
 * keeps, and hand them to C. */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "exec.h"
#include "jit/asm.h"
#include "jit/tier.h"

static void *tier_helper_table[JH_COUNT];
static jit_fn tier_enter_fn;
static pthread_once_t tier_stubs_once = PTHREAD_ONCE_INIT;

#define T(field) x64_base(R13, (int32_t)offsetof(exec_thread, field))

/* push / pop of a qword in memory */
static void stub_push_m(x64 *a, x64_mem m)
{
    x64_rm(a, 0, OP1(0xff), 6, m);
}

static void stub_pop_m(x64 *a, x64_mem m)
{
    x64_rm(a, 0, OP1(0x8f), 0, m);
}

static const int stub_saved[9] = {RAX, RCX, RDX, RSI, RDI, R8, R9, R10, R11};

/* Every register a call's arguments or the caller's values may be in, as tier_regs. */
static void stub_save_all(x64 *a)
{
    for (int i = 0; i < 9; i++)
        x64_push(a, stub_saved[i]);
    x64_alu_ri(a, X64_W, ALU_SUB, RSP, 256);
    for (int x = 0; x < 16; x++)
        x64_movs_store(a, 16, x, x64_base(RSP, 16 * x));
}

static void stub_restore_all(x64 *a)
{
    for (int x = 0; x < 16; x++)
        x64_movs_load(a, 16, x, x64_base(RSP, 16 * x));
    x64_alu_ri(a, X64_W, ALU_ADD, RSP, 256);
    for (int i = 8; i >= 0; i--)
        x64_pop(a, stub_saved[i]);
}

static void stub_call_c(x64 *a, const void *fn)
{
    x64_mov_ri(a, RAX, (uint64_t)(uintptr_t)fn);
    x64_rr(a, 0, OP1(0xff), 2, RAX); /* call rax */
}

static void tier_stubs_build(void)
{
    x64 a;
    memset(&a, 0, sizeof a);
    uint32_t resume = x64_label(&a), unwind = x64_label(&a), status = x64_label(&a);
    _Static_assert((sizeof(exec_frame) & (sizeof(exec_frame) - 1)) == 0,
                   "exec_frame's size is a power of two");
    /* enter(fp = rdi, t = rsi, inst = rdx, fe = rcx) */
    uint32_t enter = (uint32_t)a.len;
    static const int c_saved[6] = {RBX, RBP, R12, R13, R14, R15};
    for (int i = 0; i < 6; i++)
        x64_push(&a, c_saved[i]);
    x64_mov_rr(&a, X64_W, RBX, RDI);
    x64_mov_rr(&a, X64_W, R13, RSI);
    x64_mov_rr(&a, X64_W, R14, RDX);
    stub_push_m(&a, T(jit_unwind_sp));
    stub_push_m(&a, T(sp));
    x64_alu_ri(&a, X64_W, ALU_SUB, RSP, 8);
    x64_store(&a, 8, RSP, T(jit_unwind_sp));
    x64_load(&a, X64_W, 8, 0, R12, T(frames_limit));
    x64_alu_rm(&a, X64_W, ALU_SUB, R12, T(ft));
    x64_shift_ri(&a, X64_W, SH_SAR, R12, (uint8_t)__builtin_ctz(sizeof(exec_frame)));
    x64_load(&a, X64_W, 8, 0, RAX, x64_base(R14, offsetof(wasmrt_instance, memory)));
    x64_load(&a, X64_W, 8, 0, R15, x64_base(RAX, offsetof(wasmrt_memory, base)));
    x64_load(&a, X64_W, 8, 0, R9, x64_base(RAX, offsetof(wasmrt_memory, size)));
    x64_call_m(&a, x64_base(RCX, offsetof(func_entry, internal)));
    x64_bind(&a, resume);
    x64_alu_ri(&a, X64_W, ALU_ADD, RSP, 8);
    stub_pop_m(&a, T(sp));
    stub_pop_m(&a, T(jit_unwind_sp));
    for (int i = 5; i >= 0; i--)
        x64_pop(&a, c_saved[i]);
    x64_ret(&a);

    /* trap(esi = kind, edx = function) */
    while (a.len % 16)
        x64_u8(&a, 0xcc);
    uint32_t trap = (uint32_t)a.len, named = x64_label(&a);
    x64_store(&a, 4, RSI, T(trap));
    x64_alu_mi(&a, 0, ALU_CMP, T(trap_func), (int32_t)WASMRT_NO_FUNC);
    x64_jcc(&a, CC_NE, named);
    x64_store(&a, 4, RDX, T(trap_func));
    x64_bind(&a, named);
    x64_mov_ri(&a, RAX, WASMRT_ERR_TRAP);
    x64_jmp(&a, unwind);

    /* status(eax = status, edx = function): a trap not named yet is this function's */
    while (a.len % 16)
        x64_u8(&a, 0xcc);
    x64_bind(&a, status);
    uint32_t status_at = (uint32_t)a.len;
    x64_alu_ri(&a, 0, ALU_CMP, RAX, WASMRT_ERR_TRAP);
    x64_jcc(&a, CC_NE, unwind);
    x64_alu_mi(&a, 0, ALU_CMP, T(trap_func), (int32_t)WASMRT_NO_FUNC);
    x64_jcc(&a, CC_NE, unwind);
    x64_store(&a, 4, RDX, T(trap_func));
    x64_bind(&a, unwind);
    x64_load(&a, X64_W, 8, 0, RSP, T(jit_unwind_sp));
    x64_jmp(&a, resume);

    /* lazy(r11 = the table slot called through) */
    while (a.len % 16)
        x64_u8(&a, 0xcc);
    uint32_t lazy = (uint32_t)a.len, lazy_failed = x64_label(&a);
    stub_save_all(&a);
    x64_mov_rr(&a, X64_W, RDI, R14);
    x64_mov_rr(&a, X64_W, RSI, R11);
    x64_mov_rr(&a, X64_W, RDX, R13);
    stub_call_c(&a, (const void *)tier_rt_resolve);
    x64_test_rr(&a, 0, RAX, RAX);
    x64_jcc(&a, CC_NE, lazy_failed);
    stub_restore_all(&a);
    x64_jmp_m(&a, x64_base(R11, 0));
    x64_bind(&a, lazy_failed);
    x64_mov_ri(&a, RDX, WASMRT_NO_FUNC);
    x64_jmp(&a, status);

    /* interp(r11 = the table slot called through) */
    while (a.len % 16)
        x64_u8(&a, 0xcc);
    uint32_t interp = (uint32_t)a.len, interp_failed = x64_label(&a);
    stub_save_all(&a);
    x64_mov_rr(&a, X64_W, RDI, R14);
    x64_mov_rr(&a, X64_W, RSI, RSP);
    x64_mov_rr(&a, X64_W, RDX, R13);
    x64_mov_rr(&a, X64_W, RCX, R12);
    stub_call_c(&a, (const void *)tier_rt_interp);
    x64_test_rr(&a, 0, RAX, RAX);
    x64_jcc(&a, CC_NE, interp_failed);
    stub_restore_all(&a);
    /* the callee may have grown the memory (and moved it, in checked mode, where r9
       holds its size; with guard pages r9 may be a local's) */
    uint32_t guarded = x64_label(&a);
    x64_load(&a, X64_W, 8, 0, R11, x64_base(R14, offsetof(wasmrt_instance, memory)));
    x64_load(&a, X64_W, 8, 0, R15, x64_base(R11, offsetof(wasmrt_memory, base)));
    x64_alu_mi(&a, 0, ALU_CMP, x64_base(R11, offsetof(wasmrt_memory, guard)), 0);
    x64_jcc(&a, CC_NE, guarded);
    x64_load(&a, X64_W, 8, 0, R9, x64_base(R11, offsetof(wasmrt_memory, size)));
    x64_bind(&a, guarded);
    x64_ret(&a);
    x64_bind(&a, interp_failed);
    x64_mov_ri(&a, RDX, WASMRT_NO_FUNC);
    x64_jmp(&a, status);

    if (!x64_resolve(&a) || a.len > 4096) {
        x64_free(&a);
        return;
    }
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        x64_free(&a);
        return;
    }
    memcpy(p, a.b, a.len);
    x64_free(&a);
    if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0) {
        munmap(p, 4096);
        return;
    }
    uint8_t *page = p;
    tier_helper_table[JH_TRAP] = page + trap;
    tier_helper_table[JH_STATUS] = page + status_at;
    tier_helper_table[JH_LAZY] = page + lazy;
    tier_helper_table[JH_INTERP] = page + interp;
    tier_helper_table[JH_MEMORY_GROW] = (void *)tier_rt_memory_grow;
    tier_helper_table[JH_CALL_IMPORT] = (void *)tier_rt_call_import;
    tier_helper_table[JH_CALL_INDIRECT] = (void *)tier_rt_call_indirect;
    tier_helper_table[JH_DEADLINE] = (void *)tier_rt_deadline;
    tier_helper_table[JH_MEMORY_COPY] = (void *)exec_op_memory_copy;
    tier_helper_table[JH_MEMORY_FILL] = (void *)exec_op_memory_fill;
    tier_helper_table[JH_MEMORY_INIT] = (void *)exec_op_memory_init;
    tier_helper_table[JH_TABLE_GET] = (void *)exec_op_table_get;
    tier_helper_table[JH_TABLE_SET] = (void *)exec_op_table_set;
    tier_helper_table[JH_TABLE_GROW] = (void *)exec_op_table_grow;
    tier_helper_table[JH_TABLE_FILL] = (void *)exec_op_table_fill;
    tier_helper_table[JH_TABLE_COPY] = (void *)exec_op_table_copy;
    tier_helper_table[JH_TABLE_INIT] = (void *)exec_op_table_init;
    /* last: tier_enter() answering means everything above is there */
    __atomic_store_n(&tier_enter_fn, (jit_fn)(void *)(page + enter), __ATOMIC_RELEASE);
}

void *const *tier_helpers(void)
{
    pthread_once(&tier_stubs_once, tier_stubs_build);
    return tier_helper_table;
}

jit_fn tier_enter(void)
{
    pthread_once(&tier_stubs_once, tier_stubs_build);
    return __atomic_load_n(&tier_enter_fn, __ATOMIC_ACQUIRE);
}

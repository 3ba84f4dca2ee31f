/* interp.c: the interpreter loop over the internal code of ops.h. One function,
 * computed-goto dispatch, hot state (pc, frame pointer, memory base and size) in
 * locals. Wasm calls do not recurse on the C stack: a frame record goes on the
 * thread's frame stack and the callee's slots start at the caller's arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "instance.h"
#include "interp.h"
#include "jit.h"
#include "memory.h"
#include "numeric.h"
#include "ops.h"
#include "simd.h"

/* Keep one indirect jump per handler: merging them (GCSE, cross-jumping) makes the
 * dispatch branch unpredictable. And zero a callee's few locals inline rather than
 * through a memset call that spills the hot registers. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-gcse", "no-crossjumping", "no-tree-loop-distribute-patterns")
#endif

const void **interp_labels;

#define NEXT() goto *(const void *)(uintptr_t)pc[0]
#define SLOT(i) fp[pc[i]]
#define R32(i) ((uint32_t)fp[pc[i]])
#define R64(i) (fp[pc[i]])
#define W32(v) (fp[pc[1]] = (uint32_t)(v))
#define W64(v) (fp[pc[1]] = (uint64_t)(v))
#define TRAP(kind)                                                                       \
    do {                                                                                 \
        trap = WASMRT_TRAP_##kind;                                                       \
        goto trap;                                                                       \
    } while (0)
/* binary: [op, dst, a, b] */
#define BIN(name, ...)                                                                  \
    L_##name : {                                                                         \
        __VA_ARGS__;                                                                     \
        pc += 4;                                                                         \
        NEXT();                                                                          \
    }
/* An instruction whose work is in exec_ops.c (shared with the compiler), n words long. */
#define OP_SHARED(name, n)                                                               \
    do {                                                                                 \
        if ((trap = exec_op_##name(inst, fp, pc)) != WASMRT_TRAP_NONE)                   \
            goto trap;                                                                   \
        pc += n;                                                                         \
        NEXT();                                                                          \
    } while (0)
#define LOAD_MEMORY()                                                                    \
    do {                                                                                 \
        mb = inst->memory->base;                                                         \
        msz = inst->memory->size;                                                        \
    } while (0)

/* Integer ops with a slot or an inline-constant right operand, and compares fused
 * with br_if ([op, a, b, rel]). */
#define H_INT(T, name, code, expr)                                                       \
    L_##name : {                                                                         \
        T a = (T)fp[pc[2]], b = (T)fp[pc[3]];                                            \
        fp[pc[1]] = (T)(expr);                                                           \
        pc += 4;                                                                         \
        NEXT();                                                                          \
    }                                                                                    \
    L_si_##name : {                                                                      \
        T a = (T)fp[pc[2]], b = (T)pc[3];                                                \
        fp[pc[1]] = (T)(expr);                                                           \
        pc += 4;                                                                         \
        NEXT();                                                                          \
    }
#define H_CMP(T, name, code, expr)                                                       \
    H_INT(T, name, code, expr)                                                           \
    L_br_##name : {                                                                      \
        T a = (T)fp[pc[1]], b = (T)fp[pc[2]];                                            \
        pc = (expr) ? pc + 3 + (int64_t)pc[3] : pc + 4;                                  \
        NEXT();                                                                          \
    }                                                                                    \
    L_br_si_##name : {                                                                   \
        T a = (T)fp[pc[1]], b = (T)pc[2];                                                \
        pc = (expr) ? pc + 3 + (int64_t)pc[3] : pc + 4;                                  \
        NEXT();                                                                          \
    }
/* [op, dst, x, k, b, rel]: the compare reads b after the add wrote dst, as the two
   instructions did */
#define H_ADD_BR_CMP(name, code, expr)                                                   \
    L_add_br_##name : {                                                                  \
        uint32_t a = (uint32_t)fp[pc[2]] + (uint32_t)pc[3];                              \
        fp[pc[1]] = a;                                                                   \
        uint32_t b = (uint32_t)fp[pc[4]];                                                \
        pc = (expr) ? pc + 5 + (int64_t)pc[5] : pc + 6;                                  \
        NEXT();                                                                          \
    }                                                                                    \
    L_add_br_si_##name : {                                                               \
        uint32_t a = (uint32_t)fp[pc[2]] + (uint32_t)pc[3];                              \
        fp[pc[1]] = a;                                                                   \
        uint32_t b = (uint32_t)pc[4];                                                    \
        pc = (expr) ? pc + 5 + (int64_t)pc[5] : pc + 6;                                  \
        NEXT();                                                                          \
    }
#define H_I32_CMP(name, code, expr)                                                      \
    H_CMP(uint32_t, name, code, expr)                                                    \
    H_ADD_BR_CMP(name, code, expr)
#define H_I64_CMP(name, code, expr) H_CMP(uint64_t, name, code, expr)
#define H_I32_BIN(name, code, expr) H_INT(uint32_t, name, code, expr)
#define H_I64_BIN(name, code, expr) H_INT(uint64_t, name, code, expr)

/* Loads [op, dst, addr, offset, add] and stores [op, addr, value, offset, add]: the
 * address is (u32)(addr + add) + offset, add being a fused `i32.add` of a constant
 * (0 otherwise). The guard form relies on the reservation, the checked form
 * compares with the size. */
#define H_LOAD(name, code, T, conv)                                                      \
    L_g_##name : {                                                                       \
        uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[2]] + (uint32_t)pc[4]) + pc[3];                             \
        T v;                                                                             \
        memcpy(&v, mb + ea, sizeof v);                                                   \
        fp[pc[1]] = conv v;                                                              \
        pc += 5;                                                                         \
        NEXT();                                                                          \
    }                                                                                    \
    L_c_##name : {                                                                       \
        uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[2]] + (uint32_t)pc[4]) + pc[3];                             \
        T v;                                                                             \
        if (ea + sizeof v > msz)                                                         \
            TRAP(MEMORY_OUT_OF_BOUNDS);                                                  \
        memcpy(&v, mb + ea, sizeof v);                                                   \
        fp[pc[1]] = conv v;                                                              \
        pc += 5;                                                                         \
        NEXT();                                                                          \
    }
/* [op, dst, addr, offset, x, k]: addr = x + k (written, as the add did), then the load
   at addr + offset */
#define H_STEP_LOAD(name, code, T, conv)                                                 \
    L_gs_##name : {                                                                      \
        uint32_t p = (uint32_t)fp[pc[4]] + (uint32_t)pc[5];                              \
        fp[pc[2]] = p;                                                                   \
        T v;                                                                             \
        memcpy(&v, mb + (uint64_t)p + pc[3], sizeof v);                                  \
        fp[pc[1]] = conv v;                                                              \
        pc += 6;                                                                         \
        NEXT();                                                                          \
    }                                                                                    \
    L_cs_##name : {                                                                      \
        uint32_t p = (uint32_t)fp[pc[4]] + (uint32_t)pc[5];                              \
        fp[pc[2]] = p;                                                                   \
        uint64_t ea = (uint64_t)p + pc[3];                                               \
        T v;                                                                             \
        if (ea + sizeof v > msz)                                                         \
            TRAP(MEMORY_OUT_OF_BOUNDS);                                                  \
        memcpy(&v, mb + ea, sizeof v);                                                   \
        fp[pc[1]] = conv v;                                                              \
        pc += 6;                                                                         \
        NEXT();                                                                          \
    }
#define H_STORE(name, code, T)                                                           \
    L_g_##name : {                                                                       \
        uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)pc[4]) + pc[3];                             \
        T v = (T)fp[pc[2]];                                                              \
        memcpy(mb + ea, &v, sizeof v);                                                   \
        pc += 5;                                                                         \
        NEXT();                                                                          \
    }                                                                                    \
    L_c_##name : {                                                                       \
        uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)pc[4]) + pc[3];                             \
        T v = (T)fp[pc[2]];                                                              \
        if (ea + sizeof v > msz)                                                         \
            TRAP(MEMORY_OUT_OF_BOUNDS);                                                  \
        memcpy(mb + ea, &v, sizeof v);                                                   \
        pc += 5;                                                                         \
        NEXT();                                                                          \
    }

/* A load stored at once ([op, dst addr, offset, add, src addr, offset, add]): the
 * source is read first, so a fault on it leaves the destination untouched. */
#define H_MOVE(n, T)                                                                     \
    L_move_guard##n : {                                                                  \
        uint64_t src = (uint64_t)(uint32_t)((uint32_t)fp[pc[4]] + (uint32_t)pc[6]) + pc[5]; \
        uint64_t dst = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)pc[3]) + pc[2]; \
        T v;                                                                             \
        memcpy(&v, mb + src, sizeof v);                                                  \
        memcpy(mb + dst, &v, sizeof v);                                                  \
        pc += 7;                                                                         \
        NEXT();                                                                          \
    }                                                                                    \
    L_move_checked##n : {                                                                \
        uint64_t src = (uint64_t)(uint32_t)((uint32_t)fp[pc[4]] + (uint32_t)pc[6]) + pc[5]; \
        uint64_t dst = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)pc[3]) + pc[2]; \
        T v;                                                                             \
        if (src + sizeof v > msz || dst + sizeof v > msz)                                \
            TRAP(MEMORY_OUT_OF_BOUNDS);                                                  \
        memcpy(&v, mb + src, sizeof v);                                                  \
        memcpy(mb + dst, &v, sizeof v);                                                  \
        pc += 7;                                                                         \
        NEXT();                                                                          \
    }

#define LABEL_INT(name, code, expr) [code] = &&L_##name, [OP_SI + code] = &&L_si_##name,
#define LABEL_CMP(name, code, expr)                                                      \
    LABEL_INT(name, code, expr)[OP_BR_CMP + code] = &&L_br_##name,                       \
                                [OP_BR_CMP_SI + code] = &&L_br_si_##name,
#define LABEL_I32_CMP(name, code, expr)                                                  \
    LABEL_CMP(name, code, expr)[OP_ADD_BR_CMP + code] = &&L_add_br_##name,               \
                               [OP_ADD_BR_CMP_SI + code] = &&L_add_br_si_##name,
#define LABEL_PLAIN(name, code) [code] = &&L_##name,
#define LABEL_PLAIN3(name, code, expr) [code] = &&L_##name,
#define LABEL_TRUNC(name, code, rd, fits, conv) [code] = &&L_##name,
#define LABEL_LOAD(name, code, T, conv)                                                  \
    [OP_MEM_GUARD + code] = &&L_g_##name, [OP_MEM_CHECKED + code] = &&L_c_##name,
#define LABEL_STORE(name, code, T) LABEL_LOAD(name, code, T, )
#define LABEL_STEP_LOAD(name, code, T, conv)                                             \
    [OP_MEM_STEP_GUARD + code] = &&L_gs_##name, [OP_MEM_STEP_CHECKED + code] = &&L_cs_##name,

/* A v128 operand (instruction word i names its slot) and a v128 result (word 1). */
#define V128_GET(v, i)                                                                   \
    do {                                                                                 \
        (v).u64[0] = fp[pc[i]];                                                          \
        (v).u64[1] = fp[pc[i] + EXEC_V128_HI];                                           \
    } while (0)
#define V128_PUT(i, v)                                                                   \
    do {                                                                                 \
        fp[pc[i]] = (v).u64[0];                                                          \
        fp[pc[i] + EXEC_V128_HI] = (v).u64[1];                                           \
    } while (0)

/* 1 << log2 bytes (up to 8) between guest memory and a buffer, as one access each, so
 * that a fault lands on the guest address. */
static inline void interp_read(uint8_t *to, const uint8_t *at, unsigned log2)
{
    switch (log2) {
    case 0: memcpy(to, at, 1); break;
    case 1: memcpy(to, at, 2); break;
    case 2: memcpy(to, at, 4); break;
    default: memcpy(to, at, 8); break;
    }
}
static inline void interp_write(uint8_t *at, const uint8_t *from, unsigned log2)
{
    switch (log2) {
    case 0: memcpy(at, from, 1); break;
    case 1: memcpy(at, from, 2); break;
    case 2: memcpy(at, from, 4); break;
    default: memcpy(at, from, 8); break;
    }
}

/* The code of a function, translating it now if this is its first call; on failure
 * the message is left in the thread for the caller's error. */
static code *interp_code(exec_thread *t, const func_entry *fe)
{
    code *cd = atomic_load_explicit(&((func_entry *)fe)->compiled, memory_order_acquire);
    if (cd)
        return cd;
    wasmrt_error err;
    cd = compile_get((func_entry *)fe, &err);
    if (!cd) {
        memcpy(t->message, err.message, sizeof t->message - 1);
        t->message[sizeof t->message - 1] = 0;
    }
    return cd;
}

wasmrt_status interp_run(exec_thread *t, wasmrt_func *f, uint64_t *fp)
{
    static const void *labels[OP_COUNT] = {
        OPS_I32_CMP(LABEL_I32_CMP) OPS_I64_CMP(LABEL_CMP) OPS_I32_BIN(LABEL_INT)
        OPS_I64_BIN(LABEL_INT) OPS_DIV(LABEL_PLAIN) OPS_PURE_UN(LABEL_PLAIN3) OPS_PURE_BIN(LABEL_PLAIN3)
        OPS_TRUNC(LABEL_TRUNC)
        OPS_LOAD(LABEL_LOAD) OPS_LOAD(LABEL_STEP_LOAD) OPS_STORE(LABEL_STORE)
        [OP_UNREACHABLE] = &&L_unreachable, [OP_BR] = &&L_br, [OP_BR_IF] = &&L_br_if,
        [OP_BR_UNLESS] = &&L_br_unless, [OP_BR_TABLE] = &&L_br_table,
        [OP_RETURN] = &&L_return, [OP_RETURN0] = &&L_return0, [OP_RETURN1] = &&L_return1,
        [OP_CALL] = &&L_call, [OP_CALL_FUNC] = &&L_call_func,
        [OP_CALL_INDIRECT] = &&L_call_indirect, [OP_COPY] = &&L_copy, [OP_COPY2] = &&L_copy2, [OP_ADD2_SI] = &&L_add2_si, [OP_CONST] = &&L_const,
        [OP_SELECT] = &&L_select, [OP_GLOBAL_GET] = &&L_global_get,
        [OP_GLOBAL_SET] = &&L_global_set, [OP_MEMORY_SIZE] = &&L_memory_size,
        [OP_MEMORY_GROW] = &&L_memory_grow, [OP_MEMORY_COPY] = &&L_memory_copy,
        [OP_MEMORY_FILL] = &&L_memory_fill, [OP_MEMORY_INIT] = &&L_memory_init,
        [OP_DATA_DROP] = &&L_data_drop, [OP_TABLE_GET] = &&L_table_get,
        [OP_TABLE_SET] = &&L_table_set, [OP_TABLE_SIZE_OP] = &&L_table_size,
        [OP_TABLE_GROW] = &&L_table_grow, [OP_TABLE_FILL] = &&L_table_fill,
        [OP_TABLE_COPY] = &&L_table_copy, [OP_TABLE_INIT] = &&L_table_init,
        [OP_ELEM_DROP] = &&L_elem_drop, [OP_REF_FUNC] = &&L_ref_func, [OP_CHECK] = &&L_check,
        [OP_I32_FUNNEL] = &&L_i32_funnel,
        [OP_MOVE_GUARD1] = &&L_move_guard1, [OP_MOVE_GUARD2] = &&L_move_guard2,
        [OP_MOVE_GUARD4] = &&L_move_guard4, [OP_MOVE_GUARD8] = &&L_move_guard8,
        [OP_MOVE_CHECKED1] = &&L_move_checked1, [OP_MOVE_CHECKED2] = &&L_move_checked2,
        [OP_MOVE_CHECKED4] = &&L_move_checked4, [OP_MOVE_CHECKED8] = &&L_move_checked8,
        [OP_BR_AND_SI] = &&L_br_and_si, [OP_BR_AND_ZERO_SI] = &&L_br_and_zero_si,
        [OP_FUNNEL_STORE_GUARD] = &&L_funnel_store_guard,
        [OP_FUNNEL_STORE_CHECKED] = &&L_funnel_store_checked,
        [OP_V128_OP] = &&L_v128_op, [OP_V128_CONST] = &&L_v128_const,
        [OP_V128_COPY] = &&L_v128_copy, [OP_V128_SELECT] = &&L_v128_select,
        [OP_V128_RETURN] = &&L_v128_return, [OP_V128_GLOBAL_GET] = &&L_v128_global_get,
        [OP_V128_GLOBAL_SET] = &&L_v128_global_set,
        [OP_V128_LOAD_GUARD] = &&L_v128_load_guard, [OP_V128_LOAD_CHECKED] = &&L_v128_load_checked,
        [OP_V128_STORE_GUARD] = &&L_v128_store_guard,
        [OP_V128_STORE_CHECKED] = &&L_v128_store_checked,
    };
    /* where the outermost frame returns to: an instruction that leaves the loop */
    static uint64_t exit_code[1];
    if (!t) {
        interp_labels = labels;
        exit_code[0] = (uint64_t)(uintptr_t)&&L_exit;
        return WASMRT_OK;
    }

    wasmrt_trap_kind trap = WASMRT_TRAP_NONE;
    wasmrt_status status = WASMRT_OK;
    exec_frame *ft = t->ft;
    exec_frame *const ft0 = ft; /* records below are the host's callers' */
    const uint64_t *pc = exit_code; /* return address of the pending call */
    code *cd;
    wasmrt_instance *inst = f->inst;
    uint8_t *mb;
    uint64_t msz;
    uint64_t *nfp = fp;
    const func_entry *fe;
    wasmrt_instance *ninst;
    exec_frame *const frames_limit = t->frames_limit;
    uint64_t *const stack_end = t->stack_end;
    /* explicit bounds: the size (and base) must be reloaded after every call */
    const int checked = !inst->memory->guard;
    /* compiled mode: this function could not be compiled, its callees may have been */
    const int jit = inst->engine->config.mode == WASMRT_MODE_JIT;
    LOAD_MEMORY();
    fp = NULL;
    goto call_function;

    /* ---- control ---- */
L_unreachable:
    TRAP(UNREACHABLE);
L_br:
    pc += 1 + (int64_t)pc[1];
    NEXT();
L_br_if:
    pc = (uint32_t)SLOT(1) ? pc + 2 + (int64_t)pc[2] : pc + 3;
    NEXT();
L_br_unless:
    pc = (uint32_t)SLOT(1) ? pc + 3 : pc + 2 + (int64_t)pc[2];
    NEXT();
L_br_and_si: {
    uint32_t v = R32(2) & (uint32_t)pc[3];
    SLOT(1) = v;
    pc = v ? pc + 4 + (int64_t)pc[4] : pc + 5;
    NEXT();
}
L_br_and_zero_si: {
    uint32_t v = R32(2) & (uint32_t)pc[3];
    SLOT(1) = v;
    pc = v ? pc + 5 : pc + 4 + (int64_t)pc[4];
    NEXT();
}
L_br_table: {
    uint32_t i = R32(1), n = (uint32_t)pc[2];
    if (i > n)
        i = n;
    pc += 3 + i + (int64_t)pc[3 + i];
    NEXT();
}
L_return:
    memmove(fp, fp + pc[2], pc[1] * sizeof *fp);
    goto do_return;
L_return1:
    fp[0] = SLOT(1);
    goto do_return;
L_return0:
do_return:
    --ft;
    t->ft = ft; /* kept current so that a memory fault can name its function */
    pc = ft->pc;
    fp = ft->fp;
    if (ft->inst != inst) {
        inst = ft->inst;
        exec_watch_memory(t, inst->memory);
        LOAD_MEMORY();
    } else if (checked) {
        LOAD_MEMORY(); /* the callee may have grown (and moved) the memory */
    }
    NEXT();

L_call:
    /* [op, func_entry, arg base, code cache]: the callee's code is remembered in the
       instruction once translated, saving the lookup on every later call */
    if (__builtin_expect(jit, 0)) {
        f = inst->funcs[((const func_entry *)(uintptr_t)pc[1])->index];
        nfp = fp + pc[2];
        pc += 4;
        goto call_native;
    }
    cd = (code *)(uintptr_t)__atomic_load_n((uint64_t *)&pc[3], __ATOMIC_RELAXED);
    nfp = fp + pc[2];
    if (__builtin_expect(cd == NULL, 0)) {
        fe = (const func_entry *)(uintptr_t)pc[1];
        if (!(cd = interp_code(t, fe)))
            goto compile_failed;
        __atomic_store_n((uint64_t *)&pc[3], (uint64_t)(uintptr_t)cd, __ATOMIC_RELAXED);
    }
    pc += 4;
    goto enter_same_instance;
L_call_func:
    f = inst->funcs[pc[1]];
    nfp = fp + pc[2];
    pc += 3;
    goto call_function;
L_call_indirect: {
    wasmrt_table *tab = inst->tables[pc[2]];
    uint32_t i = R32(3);
    if (i >= tab->size)
        TRAP(TABLE_OUT_OF_BOUNDS);
    f = tab->items[i];
    if (!f)
        TRAP(UNINITIALIZED_ELEMENT);
    if (f->type != (const functype *)(uintptr_t)pc[1])
        TRAP(INDIRECT_CALL_TYPE_MISMATCH);
    nfp = fp + pc[4];
    pc += 5;
    goto call_function;
}
call_function:
    if (f->host) {
        t->ft = ft;
        t->sp = nfp + f->type->param_count + f->type->result_count;
        t->in_wasm = 0;
        status = exec_call_host(t, inst, f, nfp);
        t->in_wasm = 1;
        if (status != WASMRT_OK)
            goto out;
        LOAD_MEMORY();
        NEXT();
    }
    if (jit && fp) /* fp is NULL only on entry: the function this run is for */
        goto call_native;
    fe = f->entry;
    ninst = f->inst;
    if (!(cd = interp_code(t, fe)))
        goto compile_failed;
    if (ninst != inst) {
        /* entering another instance: its memory, and a frame that restores ours */
        if (ft >= frames_limit || nfp + cd->frame_slots > stack_end)
            TRAP(STACK_EXHAUSTED);
        ft->pc = pc;
        ft->fp = fp;
        ft->inst = inst;
        ft->callee = cd;
        t->ft = ++ft;
        inst = ninst;
        exec_watch_memory(t, inst->memory);
        LOAD_MEMORY();
        goto enter_frame;
    }
enter_same_instance:
    if (ft >= frames_limit || nfp + cd->frame_slots > stack_end)
        TRAP(STACK_EXHAUSTED);
    ft->pc = pc;
    ft->fp = fp;
    ft->inst = inst;
    ft->callee = cd;
    t->ft = ++ft;
enter_frame:
    for (uint64_t *z = nfp + cd->param_slots, *end = z + cd->local_slots; z < end; z++)
        *z = 0;
    fp = nfp;
    pc = cd->words;
    NEXT();
compile_failed:
    status = WASMRT_ERR_RESOURCE;
    goto out;
call_native:
    /* the callee runs compiled (or in a nested interpreter when it could not be) */
    t->ft = ft;
    status = jit_call_func(t, inst, f, nfp);
    if (status != WASMRT_OK)
        goto out;
    LOAD_MEMORY();
    NEXT();

    /* ---- values, locals, globals ---- */
L_copy:
    SLOT(1) = SLOT(2);
    pc += 3;
    NEXT();
L_copy2:
    SLOT(1) = SLOT(2);
    SLOT(3) = SLOT(4);
    pc += 5;
    NEXT();
L_add2_si:
    SLOT(1) = (uint32_t)(R32(2) + (uint32_t)pc[3]);
    SLOT(4) = (uint32_t)(R32(5) + (uint32_t)pc[6]);
    pc += 7;
    NEXT();
L_const:
    SLOT(1) = pc[2];
    pc += 3;
    NEXT();
L_select:
    SLOT(1) = (uint32_t)SLOT(4) ? SLOT(2) : SLOT(3);
    pc += 5;
    NEXT();
L_global_get:
    SLOT(1) = inst->globals[pc[2]]->value;
    pc += 3;
    NEXT();
L_global_set:
    inst->globals[pc[1]]->value = SLOT(2);
    pc += 3;
    NEXT();
L_ref_func:
    SLOT(1) = (uint64_t)(uintptr_t)inst->funcs[pc[2]];
    pc += 3;
    NEXT();
L_check:
    if (t->fuel && --t->fuel == 0)
        TRAP(OUT_OF_FUEL);
    if (t->deadline && (++t->checks & 1023) == 0 && exec_now_ns() > t->deadline)
        TRAP(DEADLINE);
    pc += 1;
    NEXT();

    /* ---- numeric ---- */
L_i32_funnel:
    SLOT(1) = (uint32_t)(R32(2) << pc[3]) | (R32(4) >> pc[5]);
    pc += 6;
    NEXT();
    OPS_I32_CMP(H_I32_CMP)
    OPS_I64_CMP(H_I64_CMP)
    OPS_I32_BIN(H_I32_BIN)
    OPS_I64_BIN(H_I64_BIN)

    BIN(i32_div_s, {
        int32_t a = (int32_t)R32(2), b = (int32_t)R32(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        if (a == INT32_MIN && b == -1) TRAP(INTEGER_OVERFLOW);
        W32(a / b);
    })
    BIN(i32_div_u, {
        uint32_t b = R32(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        W32(R32(2) / b);
    })
    BIN(i32_rem_s, {
        int32_t a = (int32_t)R32(2), b = (int32_t)R32(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        W32(b == -1 ? 0 : a % b);
    })
    BIN(i32_rem_u, {
        uint32_t b = R32(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        W32(R32(2) % b);
    })
    BIN(i64_div_s, {
        int64_t a = (int64_t)R64(2), b = (int64_t)R64(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        if (a == INT64_MIN && b == -1) TRAP(INTEGER_OVERFLOW);
        W64(a / b);
    })
    BIN(i64_div_u, {
        uint64_t b = R64(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        W64(R64(2) / b);
    })
    BIN(i64_rem_s, {
        int64_t a = (int64_t)R64(2), b = (int64_t)R64(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        W64(b == -1 ? 0 : a % b);
    })
    BIN(i64_rem_u, {
        uint64_t b = R64(3);
        if (b == 0) TRAP(INTEGER_DIVIDE_BY_ZERO);
        W64(R64(2) % b);
    })

    /* a, b: the operands' bits */
#define H_PURE_UN(name, code, expr)                                                      \
    L_##name : {                                                                         \
        uint64_t a = fp[pc[2]];                                                          \
        fp[pc[1]] = (uint64_t)(expr);                                                    \
        pc += 3;                                                                         \
        NEXT();                                                                          \
    }
#define H_PURE_BIN(name, code, expr)                                                     \
    L_##name : {                                                                         \
        uint64_t a = fp[pc[2]], b = fp[pc[3]];                                           \
        fp[pc[1]] = (uint64_t)(expr);                                                    \
        pc += 4;                                                                         \
        NEXT();                                                                          \
    }
#define H_TRUNC(name, code, rd, fits, conv)                                              \
    L_##name : {                                                                         \
        double x = rd(fp[pc[2]]);                                                        \
        if (isnan(x))                                                                    \
            TRAP(INVALID_CONVERSION);                                                    \
        if (!fits(x))                                                                    \
            TRAP(INTEGER_OVERFLOW);                                                      \
        fp[pc[1]] = conv x;                                                              \
        pc += 3;                                                                         \
        NEXT();                                                                          \
    }
    OPS_PURE_UN(H_PURE_UN)
    OPS_PURE_BIN(H_PURE_BIN)
    OPS_TRUNC(H_TRUNC)

    /* ---- memory ---- */
    OPS_LOAD(H_LOAD)
    OPS_LOAD(H_STEP_LOAD)
    OPS_STORE(H_STORE)
    H_MOVE(1, uint8_t)
    H_MOVE(2, uint16_t)
    H_MOVE(4, uint32_t)
    H_MOVE(8, uint64_t)
L_funnel_store_guard: {
    uint32_t v = (uint32_t)(R32(4) << pc[5]) | (R32(6) >> pc[7]);
    uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)pc[3]) + pc[2];
    memcpy(mb + ea, &v, sizeof v);
    pc += 8;
    NEXT();
}
L_funnel_store_checked: {
    uint32_t v = (uint32_t)(R32(4) << pc[5]) | (R32(6) >> pc[7]);
    uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)pc[3]) + pc[2];
    if (ea + sizeof v > msz)
        TRAP(MEMORY_OUT_OF_BOUNDS);
    memcpy(mb + ea, &v, sizeof v);
    pc += 8;
    NEXT();
}
    /* ---- 128-bit SIMD: the lane work is exec_simd.c's ---- */
L_v128_op: {
    v128 a, b, c, r;
    V128_GET(a, 3);
    V128_GET(b, 4);
    V128_GET(c, 5);
    simd_apply((uint32_t)pc[2], &r, &a, &b, &c, (const uint8_t *)&pc[6]);
    V128_PUT(1, r);
    pc += 8;
    NEXT();
}
L_v128_const:
    fp[pc[1]] = pc[2];
    fp[pc[1] + EXEC_V128_HI] = pc[3];
    pc += 4;
    NEXT();
L_v128_copy:
    fp[pc[1]] = fp[pc[2]];
    fp[pc[1] + EXEC_V128_HI] = fp[pc[2] + EXEC_V128_HI];
    pc += 3;
    NEXT();
L_v128_select: {
    uint64_t from = (uint32_t)SLOT(4) ? pc[2] : pc[3];
    fp[pc[1]] = fp[from];
    fp[pc[1] + EXEC_V128_HI] = fp[from + EXEC_V128_HI];
    pc += 5;
    NEXT();
}
L_v128_global_get: {
    const wasmrt_global *g = inst->globals[pc[2]];
    fp[pc[1]] = g->value;
    fp[pc[1] + EXEC_V128_HI] = g->value_hi;
    pc += 3;
    NEXT();
}
L_v128_global_set: {
    wasmrt_global *g = inst->globals[pc[1]];
    g->value = fp[pc[2]];
    g->value_hi = fp[pc[2] + EXEC_V128_HI];
    pc += 3;
    NEXT();
}
L_v128_load_checked:
    if ((uint64_t)R32(2) + pc[3] + (1u << simd_table[pc[4] & 0xff].arg) > msz)
        TRAP(MEMORY_OUT_OF_BOUNDS);
    /* fall through */
L_v128_load_guard: {
    const uint8_t *at = mb + (uint64_t)R32(2) + pc[3];
    v128 r;
    if (pc[4] == SIMD_v128_load) {
        memcpy(&r, at, 16);
    } else {
        uint8_t bytes[8];
        v128 vec;
        interp_read(bytes, at, simd_table[pc[4] & 0xff].arg);
        V128_GET(vec, 5);
        simd_load((uint32_t)pc[4], &r, bytes, &vec, (uint32_t)pc[6]);
    }
    V128_PUT(1, r);
    pc += 7;
    NEXT();
}
L_v128_store_checked:
    if ((uint64_t)R32(1) + pc[3] + (1u << simd_table[pc[4] & 0xff].arg) > msz)
        TRAP(MEMORY_OUT_OF_BOUNDS);
    /* fall through */
L_v128_store_guard: {
    uint8_t *at = mb + (uint64_t)R32(1) + pc[3];
    v128 vec;
    V128_GET(vec, 2);
    if (pc[4] == SIMD_v128_store) {
        memcpy(at, &vec, 16);
    } else {
        uint8_t bytes[8];
        simd_store_bytes((uint32_t)pc[4], bytes, &vec, (uint32_t)pc[5]);
        interp_write(at, bytes, simd_table[pc[4] & 0xff].arg);
    }
    pc += 6;
    NEXT();
}
L_v128_return: {
    uint64_t n = pc[1], from = pc[2];
    memmove(fp, fp + from, n * sizeof *fp);
    memmove(fp + EXEC_V128_HI, fp + from + EXEC_V128_HI, n * sizeof *fp);
    goto do_return;
}

L_memory_size:
    SLOT(1) = inst->memory->pages;
    pc += 2;
    NEXT();
L_memory_grow:
    SLOT(1) = (uint32_t)memory_grow(inst->memory, R32(2));
    LOAD_MEMORY();
    pc += 3;
    NEXT();
L_memory_copy:
    OP_SHARED(memory_copy, 4);
L_memory_fill:
    OP_SHARED(memory_fill, 4);
L_memory_init:
    OP_SHARED(memory_init, 5);
L_data_drop:
    inst->data_dropped[pc[1]] = 1;
    pc += 2;
    NEXT();

    /* ---- tables ---- */
L_table_get:
    OP_SHARED(table_get, 4);
L_table_set:
    OP_SHARED(table_set, 4);
L_table_size:
    SLOT(1) = inst->tables[pc[2]]->size;
    pc += 3;
    NEXT();
L_table_grow:
    OP_SHARED(table_grow, 5);
L_table_fill:
    OP_SHARED(table_fill, 5);
L_table_copy:
    OP_SHARED(table_copy, 6);
L_table_init:
    OP_SHARED(table_init, 6);
L_elem_drop:
    inst->elem_dropped[pc[1]] = 1;
    pc += 2;
    NEXT();

L_exit:
    goto done;
trap:
    t->trap = trap;
    status = WASMRT_ERR_TRAP;
    goto out;
done:
    status = WASMRT_OK;
out:
    /* the innermost trap is the one named: a host function may pass on a trap from
       a nested call */
    if (status == WASMRT_ERR_TRAP && t->trap_func == WASMRT_NO_FUNC && ft > ft0)
        t->trap_func = ft[-1].callee->func_index;
    t->ft = ft;
    return status;
}

void interp_init(void)
{
    interp_run(NULL, NULL, NULL);
}

/* function.c: compiling one function (jitc.h): the walk over its body that weighs its
 * locals (a use in a loop counts 8 times, nested loops more) to give the heaviest
 * callee-saved registers as homes, the entry (parameters to their homes, other
 * locals zeroed), the return, and after the body: the epilogue, the trap and status
 * stubs, the C-convention entry, constants, jump tables and the fault table, and
 * last the prologue, once it is known which registers it saves and how large the
 * frame is. The result is one record (layout.h) ready to be copied to where it runs. */
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "jit/jitc.h"
#include "load.h"
#include "thread_exit.h"

/* the record and the room the prologue is written into, right-aligned. The body
 * starts 48 bytes into a 64-byte line (records are JIT_RECORD_ALIGN-aligned). Measured
 * on this machine class (bench-engine, interleaved): at the line's start fib(40) ran
 * 20% slower, at 32 bytes printf 6% slower; at 48 both as fast as the best placement
 * 16-byte records happened to give them. */
#define JC_RECORD_BYTES 32
#define JC_PROLOGUE_ROOM 144
#define JC_BODY_START (JC_RECORD_BYTES + JC_PROLOGUE_ROOM)
/* frame-relative displacements written before the frame size is known carry this
   bias, which forces a 32-bit field; jc_finish replaces it with the frame size */
#define JC_FIX_BIAS 0x40000000

/* General registers for locals, in order, and the ones the prologue saves. A function
 * that calls nothing also has r12 (the callers' call depth, saved here, untouched
 * without calls) and, with more locals, r10 (no call needs it as an argument; C
 * helpers' calls keep it); rax, rcx and rdx stay temporaries. */
static const uint8_t jc_gpr_homes[] = {RBX, RBP, RSI, RDI, R8, R9, R12};
#define JC_PROLOGUE_SAVES (JR_CALLEE_SAVED | JR_BIT(R12))
#define JC_XMM_HOMES 7 /* xmm8..xmm14 (xmm15 is scratch) */

void jc_frame_fix_here(jc *j, unsigned back)
{
    if (j->nframe_fixes == j->frame_fix_cap) {
        uint32_t cap = j->frame_fix_cap ? j->frame_fix_cap * 2 : 16;
        jc_frame_fix *grown = realloc(j->frame_fixes, cap * sizeof *grown);
        if (!grown) {
            compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
            return;
        }
        j->frame_fixes = grown;
        j->frame_fix_cap = cap;
    }
    j->frame_fixes[j->nframe_fixes++].at = (uint32_t)(j->a.len - back);
}

/* [rsp + 8 + 8k] as the function found it on entry (its k-th stack argument, or the
 * caller's area for several results), as a frame-fixed operand. */
static x64_mem jc_caller_area(const jc *j, uint32_t k)
{
    return x64_base(RSP, JC_FIX_BIAS + 8 + 8 * (int32_t)k + j->rsp_delta);
}

/* ---- weighing the locals ------------------------------------------------------------ */

typedef struct jc_scan {
    jc *j;
    uint32_t depth, loops;
    uint64_t loop_bits; /* which of the first 64 open blocks are loops */
    int straight;       /* no control instruction yet: locals set here need no zeroing */
    int v128;           /* a 128-bit SIMD instruction, or a global, call or block of v128 */
} jc_scan;

static int jc_has_v128(const wasmrt_valtype *types, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (types[i] == WASMRT_V128) return 1;
    return 0;
}

static int jc_type_has_v128(const functype *t)
{
    return jc_has_v128(t->params, t->param_count) || jc_has_v128(t->results, t->result_count);
}

static void jc_scan_visit(void *ctx, uint8_t op, uint32_t index)
{
    jc_scan *s = ctx;
    if (op >= 0x02 && op <= 0x0f) s->straight = 0;
    if (s->straight && op >= 0x20 && op <= 0x22 && index < s->j->nlocals &&
        !s->j->locals[index].weight)
        s->j->locals[index].set_first = op != 0x20; /* its first access */
    switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
        /* the block type: v128 (-5), or a type index whose type has one */
        if ((int32_t)index == -5 || ((int32_t)index >= 0 && index < s->j->m->type_count &&
                                     jc_type_has_v128(s->j->m->types[index])))
            s->v128 = 1;
        if (s->depth < 64 && op == 0x03) {
            s->loop_bits |= 1ull << s->depth;
            s->loops++;
        }
        s->depth++;
        break;
    case 0x0b:
        if (s->depth > 0 && --s->depth < 64 && (s->loop_bits >> s->depth & 1)) {
            s->loop_bits &= ~(1ull << s->depth);
            s->loops--;
        }
        break;
    case 0x10:
    case 0x11:
        s->j->has_calls = 1;
        if (op == 0x10 ? index < s->j->m->func_count && jc_type_has_v128(s->j->m->funcs[index].type)
                       : index < s->j->m->type_count && jc_type_has_v128(s->j->m->types[index]))
            s->v128 = 1;
        break;
    case 0x23:
    case 0x24:
        if (index < s->j->m->global_count && s->j->m->globals[index].type == WASMRT_V128)
            s->v128 = 1;
        break;
    case 0x1c:
        if (index == WASMRT_V128) s->v128 = 1;
        break;
    case 0xfd:
        s->v128 = 1;
        break;
    case 0x20:
    case 0x21:
    case 0x22:
        if (index < s->j->nlocals) {
            uint32_t w = 1u << (3 * (s->loops < 3 ? s->loops : 3));
            uint32_t *weight = &s->j->locals[index].weight;
            *weight = *weight > UINT32_MAX - w ? UINT32_MAX : *weight + w;
        }
        break;
    }
}

/* Homes: the heaviest locals get registers (callee-saved ones, so calls keep them),
 * the rest frame slots. */
static void jc_choose_homes(jc *j)
{
    uint32_t n = j->nlocals, *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) {
        compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    /* insertion sort by weight, heaviest first, ties by index */
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = order[i], k = i;
        while (k > 0 && j->locals[order[k - 1]].weight < j->locals[x].weight) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = x;
    }
    uint8_t gpr_homes[8];
    unsigned ngpr = 0, gprs = 0, xmms = 0;
    for (unsigned i = 0; i < sizeof jc_gpr_homes; i++)
        if (!(j->checked && jc_gpr_homes[i] == R9) && (!j->has_calls || jc_gpr_homes[i] != R12))
            gpr_homes[ngpr++] = jc_gpr_homes[i];
    if (!j->has_calls) gpr_homes[ngpr++] = R10;
    for (uint32_t i = 0; i < n; i++) {
        jc_local *l = &j->locals[order[i]];
        l->reg = -1;
        if (!l->weight) continue;
        int r = -1;
        if (jc_is_xmm(l->type) && xmms < JC_XMM_HOMES)
            r = JR_XMM + 8 + (int)xmms++;
        else if (!jc_is_xmm(l->type) && gprs < ngpr)
            r = gpr_homes[gprs++];
        if (r >= 0) {
            l->reg = (int8_t)r;
            j->homes |= JR_BIT(r);
            j->saved |= JR_BIT(r);
        }
    }
    free(order);
    j->nmem = 0;
    int32_t at = 0;
    for (uint32_t i = 0; i < n; i++)
        if (j->locals[i].reg < 0) {
            j->locals[i].disp = at;
            at += j->locals[i].type == WASMRT_V128 ? 16 : 8;
            j->nmem++;
        }
    j->spill_base = at;
}

/* ---- entry and return ---------------------------------------------------------------- */

/* The function's entry, after the prologue: parameters from the argument registers
 * and the caller's stack area to their homes, the other locals zeroed. */
static void jc_entry(jc *j)
{
    const functype *t = j->fn->type;
    uint32_t ints = 0, floats = 0, k = 0;
    for (uint32_t i = 0; i < t->param_count; i++) {
        jc_local *l = &j->locals[i];
        int f = jc_is_xmm(l->type), src = -1;
        if (f && floats < JC_FLOAT_ARGS)
            src = JR_XMM + (int)floats++;
        else if (!f && ints < JC_INT_ARGS)
            src = jc_int_arg_regs[ints++];
        if (src < 0) {
            /* on the stack: read into the home, or through r11 into a frame home */
            int to = l->reg >= 0 ? l->reg : f ? JR_XMM + 15 : JR_SCRATCH;
            if (to >= JR_XMM)
                x64_movs_load(&j->a, jc_xmm_bytes(l->type), to - JR_XMM, jc_caller_area(j, k));
            else
                x64_load(&j->a, X64_W, 8, 0, to, jc_caller_area(j, k));
            jc_frame_fix_here(j, 4);
            k += jc_words(l->type);
            src = to;
            if (l->reg >= 0) continue;
        }
        if (l->reg >= 0)
            jc_move_reg(j, l->type, l->reg, src);
        else if (src >= JR_XMM)
            x64_movs_store(&j->a, l->type == WASMRT_V128 ? 16 : 8, src - JR_XMM,
                           jc_local_mem(j, i));
        else
            x64_store(&j->a, 8, src, jc_local_mem(j, i));
    }
    for (uint32_t i = t->param_count; i < j->nlocals; i++) {
        const jc_local *l = &j->locals[i];
        if (!l->weight || l->set_first) continue; /* never read, or set before any read */
        if (l->reg >= JR_XMM)
            x64_sse_rr(&j->a, 0, OP2(0x0f, 0x57), l->reg - JR_XMM, l->reg - JR_XMM);
        else if (l->reg >= 0)
            x64_zero(&j->a, l->reg);
        else
            for (int32_t half = 0; half < (l->type == WASMRT_V128 ? 16 : 8); half += 8) {
                x64_mem m = jc_local_mem(j, i);
                m.disp += half;
                x64_store_imm(&j->a, 8, 0, m);
            }
    }
    if (j->metered) jc_meter(j);
}

/* The results to where the caller finds them (the epilogue follows). */
void jc_return_values(jc *j)
{
    const functype *t = j->fn->type;
    uint32_t n = t->result_count, first = j->height - n;
    if (n == 1) {
        jc_value_to(j, first, jc_is_xmm(t->results[0]) ? JR_XMM : RAX);
    } else {
        /* several: into the caller's area above the return address, in words */
        for (uint32_t k = 0, word = 0; k < n; word += jc_words(t->results[k]), k++) {
            int f = jc_is_xmm(t->results[k]);
            int r = f ? JR_XMM + 15 : JR_SCRATCH;
            jc_value_to(j, first + k, r);
            if (f)
                x64_movs_store(&j->a, t->results[k] == WASMRT_V128 ? 16 : 8, r - JR_XMM,
                               jc_caller_area(j, word));
            else
                x64_store(&j->a, 8, r, jc_caller_area(j, word));
            jc_frame_fix_here(j, 4);
        }
    }
}

void jc_return(void *s)
{
    jc *j = s;
    jc_return_values(j);
    x64_jmp(&j->a, j->epilogue);
}

/* ---- the backend --------------------------------------------------------------------- */

static void jc_begin_pass(void *s, compiler *c)
{
    jc *j = s;
    j->c = c;
}

static void jc_function_block(void *s, uint32_t frame)
{
    jc *j = s;
    if (frame == 0 && j->c->ctrls[0].kind == CTRL_FUNC) {
        jc_block(s, frame);
        jc_entry(j);
        return;
    }
    jc_block(s, frame);
}

static const compile_backend jc_backend = {
    .begin = jc_begin_pass,
    .constant = jc_constant,
    .local_get = jc_local_get,
    .local_set = jc_local_set,
    .global_get = jc_global_get,
    .global_set = jc_global_set,
    .drop = jc_drop,
    .select = jc_select,
    .unary = jc_unary,
    .binary = jc_binary,
    .load = jc_load,
    .store = jc_store,
    .memory_size = jc_memory_size,
    .memory_grow = jc_memory_grow,
    .ref_func = jc_ref_func,
    .table_get = jc_table_get,
    .table_set = jc_table_set,
    .bulk = jc_bulk,
    .unreachable = jc_unreachable,
    .block = jc_function_block,
    .else_ = jc_else,
    .end = jc_end,
    .br = jc_br,
    .br_if = jc_br_if,
    .br_table = jc_br_table,
    .return_ = jc_return,
    .call = jc_call,
    .call_indirect = jc_call_indirect,
    .simd = jc_simd,
};

/* ---- after the body ---------------------------------------------------------------- */

static void jc_align(jc *j, unsigned to, unsigned fill)
{
    while (j->a.len % to)
        x64_u8(&j->a, fill);
}

/* The stubs every trap of the function goes through: the kind in esi, the function's
 * index in edx, then the engine's trap stub (layout.h, JH_TRAP). */
static void jc_stubs(jc *j)
{
    uint32_t tail = x64_label(&j->a);
    int any = 0;
    for (int kind = 0; kind < 32; kind++) {
        if (!j->trap_labels[kind]) continue;
        any = 1;
        x64_bind(&j->a, j->trap_labels[kind] - 1);
        if (kind == JC_TRAP_EAX)
            x64_mov_rr(&j->a, 0, RSI, RAX);
        else if (kind == JC_TRAP_R11)
            x64_mov_rr(&j->a, 0, RSI, JR_SCRATCH);
        else
            x64_mov_ri(&j->a, RSI, (uint64_t)kind);
        x64_jmp(&j->a, tail);
    }
    if (any) {
        x64_bind(&j->a, tail);
        x64_mov_ri(&j->a, RDX, j->fn->index);
        x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH,
                 x64_base(R14, offsetof(wasmrt_instance, jit_helpers)));
        x64_jmp_m(&j->a, x64_base(JR_SCRATCH, 8 * JH_TRAP));
    }
    /* a C helper's status in eax */
    x64_bind(&j->a, j->status_label);
    x64_mov_ri(&j->a, RDX, j->fn->index);
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, offsetof(wasmrt_instance, jit_helpers)));
    x64_jmp_m(&j->a, x64_base(JR_SCRATCH, 8 * JH_STATUS));
}

/* The C-convention entry's body: jit_enter calls it with rbx = the slots holding the
 * arguments (and receiving the results), the pinned registers set (tier.c). It checks
 * the stack and the call depth as a caller would (a trap then names no function: the
 * caller outside does), marks the slots in use, calls the body and stores the results;
 * eax = WASMRT_OK. */
static void jc_adapter(jc *j)
{
    const functype *t = j->fn->type;
    uint32_t host_stack = x64_label(&j->a);
    x64_alu_rm(&j->a, X64_W, ALU_CMP, RSP, x64_base(R13, offsetof(exec_thread, cstack_limit)));
    x64_jcc(&j->a, CC_B, host_stack);
    x64_alu_ri(&j->a, X64_W, ALU_SUB, R12, 1);
    x64_jcc(&j->a, CC_B, host_stack);
    uint32_t width = t->param_count > t->result_count ? t->param_count : t->result_count;
    x64_lea(&j->a, X64_W, RAX, x64_base(RBX, 8 * (int32_t)width));
    x64_store(&j->a, 8, RAX, x64_base(R13, offsetof(exec_thread, sp)));
    /* stack arguments (or room for several results), in words, then 8 to align the
       call; a v128's halves are in its slot and the shadow slot EXEC_V128_HI further */
    uint32_t ints = 0, floats = 0, k = 0, result_words = 0;
    for (uint32_t i = 0; i < t->param_count; i++)
        if (jc_is_xmm(t->params[i]) ? floats++ >= JC_FLOAT_ARGS : ints++ >= JC_INT_ARGS)
            k += jc_words(t->params[i]);
    for (uint32_t r = 0; r < t->result_count; r++)
        result_words += jc_words(t->results[r]);
    uint32_t area = k > result_words || t->result_count < 2 ? k : result_words;
    int32_t room = (int32_t)((area * 8 + 15) & ~15u) + 8;
    const int32_t hi = 8 * (int32_t)EXEC_V128_HI;
    x64_alu_ri(&j->a, X64_W, ALU_SUB, RSP, room);
    ints = floats = k = 0;
    for (uint32_t i = 0; i < t->param_count; i++) {
        int type = t->params[i];
        x64_mem slot = x64_base(RBX, 8 * (int32_t)i), slot_hi = x64_base(RBX, 8 * (int32_t)i + hi);
        if (jc_is_xmm(type) && floats < JC_FLOAT_ARGS) {
            int x = (int)floats++;
            if (type == WASMRT_V128) {
                x64_sse_rm(&j->a, X64_F3, OP2(0x0f, 0x7e), x, slot); /* movq */
                x64_sse_rm(&j->a, 0, OP2(0x0f, 0x16), x, slot_hi);   /* movhps */
            } else {
                x64_movs_load(&j->a, type == WASMRT_F32 ? 4 : 8, x, slot);
            }
        } else if (!jc_is_xmm(type) && ints < JC_INT_ARGS) {
            x64_load(&j->a, jc_w(type), type == WASMRT_I32 ? 4 : 8, 0, jc_int_arg_regs[ints++],
                     slot);
        } else {
            x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, slot);
            x64_store(&j->a, 8, JR_SCRATCH, x64_base(RSP, 8 * (int32_t)k++));
            if (type == WASMRT_V128) {
                x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, slot_hi);
                x64_store(&j->a, 8, JR_SCRATCH, x64_base(RSP, 8 * (int32_t)k++));
            }
        }
    }
    x64_call(&j->a, j->body_label);
    if (t->result_count == 1) {
        int type = t->results[0];
        if (type == WASMRT_F32) {
            x64_movq_rx(&j->a, 0, RAX, 0);
        } else if (type == WASMRT_F64) {
            x64_movs_store(&j->a, 8, 0, x64_base(RBX, 0));
        } else if (type == WASMRT_V128) {
            x64_sse_rm(&j->a, X64_66, OP2(0x0f, 0xd6), 0, x64_base(RBX, 0)); /* movq */
            x64_sse_rm(&j->a, 0, OP2(0x0f, 0x17), 0, x64_base(RBX, hi));     /* movhps */
        }
        if (type != WASMRT_F64 && type != WASMRT_V128) x64_store(&j->a, 8, RAX, x64_base(RBX, 0));
    } else {
        for (uint32_t r = 0, word = 0; r < t->result_count; r++) {
            for (uint32_t half = 0; half < jc_words(t->results[r]); half++, word++) {
                x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(RSP, 8 * (int32_t)word));
                x64_store(&j->a, 8, JR_SCRATCH, x64_base(RBX, 8 * (int32_t)r + (half ? hi : 0)));
            }
        }
    }
    x64_alu_ri(&j->a, X64_W, ALU_ADD, RSP, room);
    x64_zero(&j->a, RAX);
    x64_ret(&j->a);
    x64_bind(&j->a, host_stack);
    x64_store_imm(&j->a, 4, WASMRT_TRAP_STACK_EXHAUSTED,
                  x64_base(R13, offsetof(exec_thread, trap)));
    x64_mov_ri(&j->a, RAX, WASMRT_ERR_TRAP);
    x64_ret(&j->a);
}

/* Everything after the body, then the prologue; fills the record. */
static int jc_finish(jc *j)
{
    x64 *a = &j->a;
    uint32_t saved_gprs = j->saved & JR_GPRS & JC_PROLOGUE_SAVES;
    uint32_t saved_xmms = j->saved & JR_XMMS & JR_CALLEE_SAVED;
    int32_t pushes = __builtin_popcount(saved_gprs), nx = __builtin_popcount(saved_xmms);
    /* xmm8-15 are saved whole: a caller may keep a v128 there */
    int32_t xmm_base = j->spill_base + (int32_t)(j->slot_bytes * j->spill_used);
    int32_t frame = xmm_base + 16 * nx;
    if ((8 + 8 * pushes + frame) % 16) frame += 8;
    /* the epilogue */
    x64_bind(a, j->epilogue);
    int k = 0;
    for (int r = JR_XMM; r < 32; r++)
        if (saved_xmms & JR_BIT(r))
            x64_movs_load(a, 16, r - JR_XMM, x64_base(RSP, xmm_base + 16 * k++));
    if (frame) x64_alu_ri(a, X64_W, ALU_ADD, RSP, frame);
    for (int i = (int)sizeof jc_gpr_homes - 1; i >= 0; i--)
        if (saved_gprs & JR_BIT(jc_gpr_homes[i])) x64_pop(a, jc_gpr_homes[i]);
    x64_ret(a);
    jc_stubs(j);
    jc_align(j, 16, 0xcc);
    uint32_t entry = (uint32_t)a->len;
    jc_adapter(j);
    /* data: constants, words for C, jump tables */
    jc_align(j, 8, 0xcc);
    for (uint32_t i = 0; i < j->nconsts; i++) {
        if (j->consts[i].size == 16) jc_align(j, 16, 0);
        x64_bind(a, j->consts[i].label);
        if (j->consts[i].size == 4)
            x64_u32(a, (uint32_t)j->consts[i].bits);
        else
            x64_u64(a, j->consts[i].bits);
        if (j->consts[i].size == 16) x64_u64(a, j->consts[i].hi);
        jc_align(j, 8, 0);
    }
    for (uint32_t i = 0; i < j->nrodata;) {
        x64_bind(a, (uint32_t)j->rodata[i]);
        uint32_t n = (uint32_t)j->rodata[i + 1];
        for (uint32_t w = 0; w < n; w++)
            x64_u64(a, j->rodata[i + 2 + w]);
        i += 2 + n;
    }
    for (uint32_t i = 0; i < j->ntables;) {
        uint32_t table = j->tables[i], n = j->tables[i + 1];
        x64_bind(a, table);
        for (uint32_t e = 0; e < n; e++)
            x64_ref32(a, j->tables[i + 2 + e], (int32_t)a->labels[table]);
        i += 2 + n;
    }
    jc_align(j, 4, 0);
    uint32_t code_end = (uint32_t)a->len;
    for (uint32_t i = 0; i < j->nfaults; i++)
        x64_u32(a, j->faults[i]);
    jc_align(j, JIT_RECORD_ALIGN, 0);
    if (a->failed) return 0;
    /* the prologue, right-aligned to the body (its writer's buffer is kept, as a's: a
       buffer allocated and freed per function costs musl an mmap and a munmap) */
    x64 *p = &j->prologue;
    x64_reset(p);
    for (unsigned i = 0; i < sizeof jc_gpr_homes; i++)
        if (saved_gprs & JR_BIT(jc_gpr_homes[i])) x64_push(p, jc_gpr_homes[i]);
    if (frame) x64_alu_ri(p, X64_W, ALU_SUB, RSP, frame);
    k = 0;
    for (int r = JR_XMM; r < 32; r++)
        if (saved_xmms & JR_BIT(r))
            x64_movs_store(p, 16, r - JR_XMM, x64_base(RSP, xmm_base + 16 * k++));
    if (p->failed || p->len > JC_PROLOGUE_ROOM) return jc_fail(j, "a prologue too large");
    memcpy(a->b + JC_BODY_START - p->len, p->b, p->len);
    a->labels[j->body_label] = (uint32_t)(JC_BODY_START - p->len);
    /* the caller's area is above the saved registers and the frame */
    for (uint32_t i = 0; i < j->nframe_fixes; i++) {
        int32_t v;
        memcpy(&v, a->b + j->frame_fixes[i].at, 4);
        v = v - JC_FIX_BIAS + frame + 8 * pushes;
        memcpy(a->b + j->frame_fixes[i].at, &v, 4);
    }
    if (!x64_resolve(a)) return 0;
    jit_record rec = {j->fn->index, (uint32_t)a->len, a->labels[j->body_label],
                      entry,        code_end,         j->nfaults};
    memcpy(a->b, &rec, sizeof rec);
    return 1;
}

/* ---- the entry point ------------------------------------------------------------------ */

/* Each thread's compiler, its buffers kept between functions (they grow to the
 * largest function compiled and are freed with the thread). */
static _Thread_local jc jc_tls;

static void jc_release_state(void *p)
{
    jc *j = p;
    x64_free(&j->a);
    x64_free(&j->prologue);
    free(j->locals);
    free(j->stack);
    free(j->frames);
    free(j->faults);
    free(j->frame_fixes);
    free(j->tables);
    free(j->rodata);
    free(j->consts);
    memset(j, 0, sizeof *j);
}

wasmrt_status jit_compile_function(const wasmrt_module *m, const func_entry *fn,
                                   const uint8_t **code, size_t *size, wasmrt_error *error)
{
    jc *j = &jc_tls;
    thread_exit_register(j, jc_release_state);
    /* keep the buffers, reset the rest */
    jc keep = *j;
    memset(j, 0, sizeof *j);
    j->a = keep.a;
    x64_reset(&j->a);
    j->prologue = keep.prologue;
    j->stack = keep.stack, j->stack_cap = keep.stack_cap;
    j->frames = keep.frames, j->frame_cap = keep.frame_cap;
    j->faults = keep.faults, j->fault_cap = keep.fault_cap;
    j->frame_fixes = keep.frame_fixes, j->frame_fix_cap = keep.frame_fix_cap;
    j->tables = keep.tables, j->table_cap = keep.table_cap;
    j->rodata = keep.rodata, j->rodata_cap = keep.rodata_cap;
    j->consts = keep.consts, j->const_cap = keep.const_cap;
    j->m = m;
    j->fn = fn;
    j->checked = m->bounds_checked; /* the checked twin's code, or an explicit engine's */
    j->metered = m->engine->config.fuel || m->engine->config.deadline_ns;
    j->features = jit_cpu_features();
    const functype *t = fn->type;
    j->nlocals = t->param_count + fn->local_count;
    j->locals = realloc(keep.locals, (j->nlocals + 1) * sizeof *j->locals);
    if (!j->locals) return error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset, "out of memory");
    memset(j->locals, 0, (j->nlocals + 1) * sizeof *j->locals);
    for (uint32_t i = 0; i < t->param_count; i++)
        j->locals[i].type = (uint8_t)t->params[i];
    uint32_t k = t->param_count;
    for (uint32_t i = 0; i < fn->local_run_count; i++)
        for (uint32_t r = 0; r < fn->local_run_counts[i]; r++)
            j->locals[k++].type = (uint8_t)fn->local_run_types[i];
    for (int r = 0; r < 32; r++)
        j->owner[r] = -1;
    j->free_regs = 0xffffffffu;
    /* the record and the prologue's room; the body follows */
    while (j->a.len < JC_RECORD_BYTES)
        x64_u8(&j->a, 0);
    while (j->a.len < JC_BODY_START)
        x64_u8(&j->a, 0xcc);
    j->epilogue = x64_label(&j->a);
    j->status_label = x64_label(&j->a);
    j->body_label = x64_label(&j->a);
    jc_scan scan = {j, 0, 0, 0, 1, 0};
    for (uint32_t i = 0; i < t->param_count; i++)
        j->locals[i].weight = 1; /* a parameter is written on entry */
    decode_body_walk(m, fn, jc_scan_visit, &scan);
    int v128 =
        scan.v128 || jc_type_has_v128(t) || jc_has_v128(fn->local_run_types, fn->local_run_count);
    /* a v128 takes 16 bytes in a spill slot; other functions keep 8-byte slots */
    j->slot_bytes = v128 ? 16 : 8;
    if (v128 && (j->features & (JIT_CPU_SSSE3 | JIT_CPU_SSE41)) != (JIT_CPU_SSSE3 | JIT_CPU_SSE41))
        return error_set(error, WASMRT_ERR_UNSUPPORTED, fn->body_offset,
                         "not compiled: 128-bit SIMD needs SSSE3 and SSE4.1 (the interpreter "
                         "runs it)");
    jc_choose_homes(j);
    wasmrt_status s = compile_pass(m, fn, &jc_backend, j, error);
    if (s == WASMRT_OK && !jc_finish(j)) {
        s = j->a.failed ? error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset,
                                    "out of memory compiling function %u", fn->index)
                        : WASMRT_ERR_UNSUPPORTED;
    }
    if (s != WASMRT_OK) return s;
    *code = j->a.b;
    *size = j->a.len;
    return WASMRT_OK;
}

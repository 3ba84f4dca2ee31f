/* compile.c: the validator's loop over a function body and its control instructions.
 * compile_pass reads each opcode and calls its handler from compile_ops (the table in
 * compile_ops.c); a handler reads the immediates, checks the operand types with the
 * spec's algorithm (a type stack and control frames) and, for reachable code while
 * translating, tells the backend (compile.h). Used for every function at load
 * (validate only) and by each backend when it translates a function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "engine.h"
#include "thread_exit.h"

int compile_fail(compiler *c, wasmrt_status status, const char *fmt, ...)
{
    if (!c->failed) {
        char msg[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        c->failed = 1;
        c->r.status = error_set(c->error, status, reader_offset(&c->r), "%s", msg);
        if (c->error) c->error->func_index = c->fn->index;
    }
    return 0;
}

int compile_grow_types(compiler *c)
{
    uint32_t cap = c->stack_cap ? c->stack_cap * 2 : 64;
    wasmrt_valtype *grown = realloc(c->types, cap * sizeof *grown);
    if (!grown)
        return compile_fail(c, WASMRT_ERR_RESOURCE, "out of memory validating the function");
    c->types = grown;
    c->stack_cap = cap;
    return 1;
}

static const char *compile_type_name(wasmrt_valtype t)
{
    switch (t) {
    case WASMRT_I32:
        return "i32";
    case WASMRT_I64:
        return "i64";
    case WASMRT_F32:
        return "f32";
    case WASMRT_F64:
        return "f64";
    case WASMRT_FUNCREF:
        return "funcref";
    case WASMRT_EXTERNREF:
        return "externref";
    case WASMRT_V128:
        return "v128";
    default:
        return "nothing";
    }
}

int compile_pop(compiler *c, wasmrt_valtype expect, wasmrt_valtype *found)
{
    const ctrl *f = &c->ctrls[c->depth - 1];
    if (c->height == f->height) {
        if (f->unreachable) {
            *found = TYPE_UNKNOWN;
            return 1;
        }
        return compile_fail(c, WASMRT_ERR_INVALID,
                            "type mismatch: expected %s, found an empty stack",
                            compile_type_name(expect));
    }
    wasmrt_valtype t = c->types[--c->height];
    if (expect != TYPE_UNKNOWN && t != TYPE_UNKNOWN && t != expect)
        return compile_fail(c, WASMRT_ERR_INVALID, "type mismatch: expected %s, found %s",
                            compile_type_name(expect), compile_type_name(t));
    *found = t;
    return 1;
}

const wasmrt_valtype *compile_ctrl_results(const ctrl *f)
{
    return f->results ? f->results : &f->single;
}

const wasmrt_valtype *compile_label_types(const ctrl *f, uint32_t *n)
{
    if (f->kind == CTRL_LOOP) {
        *n = f->nparams;
        return f->params;
    }
    *n = f->nresults;
    return compile_ctrl_results(f);
}

ctrl *compile_label(compiler *c, uint32_t label)
{
    if (label >= c->depth) {
        compile_fail(c, WASMRT_ERR_INVALID, "unknown label %u", label);
        return NULL;
    }
    return &c->ctrls[c->depth - 1 - label];
}

void compile_set_unreachable(compiler *c)
{
    ctrl *f = &c->ctrls[c->depth - 1];
    c->height = f->height;
    f->unreachable = 1;
}

static ctrl *compile_ctrl_push(compiler *c, int kind, const wasmrt_valtype *params, uint32_t np,
                               const wasmrt_valtype *results, uint32_t nr, wasmrt_valtype single)
{
    if (c->depth == c->ctrl_cap) {
        uint32_t cap = c->ctrl_cap ? c->ctrl_cap * 2 : 16;
        ctrl *grown = realloc(c->ctrls, cap * sizeof *grown);
        if (!grown) {
            compile_fail(c, WASMRT_ERR_RESOURCE, "out of memory validating the function");
            return NULL;
        }
        c->ctrls = grown;
        c->ctrl_cap = cap;
    }
    ctrl *f = &c->ctrls[c->depth++];
    f->kind = (uint8_t)kind;
    f->unreachable = 0;
    f->dead = c->depth > 1 && (c->ctrls[c->depth - 2].unreachable || c->ctrls[c->depth - 2].dead);
    f->height = c->height - np;
    f->nparams = np;
    f->nresults = nr;
    f->params = params;
    f->results = results;
    f->single = single;
    return f;
}

/* At the end of a block (or before else): the results must be exactly on the stack. */
static int compile_check_results(compiler *c, ctrl *f)
{
    const wasmrt_valtype *res = compile_ctrl_results(f);
    wasmrt_valtype t;
    for (uint32_t i = f->nresults; i-- > 0;)
        if (!compile_pop(c, res[i], &t)) return 0;
    if (c->height != f->height)
        return compile_fail(c, WASMRT_ERR_INVALID,
                            "type mismatch: %u values left on the stack at the end of a block",
                            c->height - f->height);
    return 1;
}

/* Type-checks the label's values on the stack, leaving them there: with the label's
 * types (br, br_if) or with what was found (br_table, whose labels may differ where
 * the stack is polymorphic). */
static int compile_check_label(compiler *c, const ctrl *f, int keep_types)
{
    uint32_t n;
    const wasmrt_valtype *types = compile_label_types(f, &n);
    wasmrt_valtype tmp[16], *vals = n <= 16 ? tmp : malloc(n * sizeof *vals);
    if (!vals) return compile_fail(c, WASMRT_ERR_RESOURCE, "out of memory");
    int ok = 1;
    for (uint32_t i = n; i-- > 0;)
        if (!compile_pop(c, types[i], &vals[i])) {
            ok = 0;
            break;
        }
    if (ok)
        for (uint32_t i = 0; i < n; i++)
            compile_push(c, keep_types ? vals[i] : types[i]);
    if (vals != tmp) free(vals);
    return ok;
}

static int compile_blocktype(compiler *c, const wasmrt_valtype **params, uint32_t *np,
                             const wasmrt_valtype **results, uint32_t *nr, wasmrt_valtype *single)
{
    reader *r = &c->r;
    *params = *results = NULL;
    *np = *nr = 0;
    if (r->p >= r->end) {
        c->failed = 1;
        return reader_eof(r);
    }
    uint8_t b = *r->p;
    if (b == 0x40) {
        r->p++;
        return 1;
    }
    if (b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 ||
        b == 0x6f) {
        r->p++;
        *single = (wasmrt_valtype)b;
        *nr = 1;
        return 1;
    }
    int64_t idx;
    if (!reader_sleb(r, 33, &idx)) {
        c->failed = 1;
        return 0;
    }
    if (idx < 0 || idx >= c->m->type_count)
        return compile_fail(c, WASMRT_ERR_INVALID, "unknown type %lld", (long long)idx);
    const functype *t = c->m->types[idx];
    *params = t->params;
    *np = t->param_count;
    *results = t->results;
    *nr = t->result_count;
    return 1;
}

/* ---- control instructions ---------------------------------------------------------- */

int compile_op_unreachable(compiler *c, uint32_t op)
{
    (void)op;
    if (compile_live(c)) c->be->unreachable(c->bs);
    compile_set_unreachable(c);
    return 1;
}

int compile_op_nop(compiler *c, uint32_t op)
{
    (void)c;
    (void)op;
    return 1;
}

/* block 0x02, loop 0x03, if 0x04 */
int compile_op_block(compiler *c, uint32_t op)
{
    const wasmrt_valtype *params, *results;
    uint32_t np, nr;
    wasmrt_valtype single = TYPE_UNKNOWN, t;
    if (!compile_blocktype(c, &params, &np, &results, &nr, &single)) return 0;
    if (op == 0x04 && !compile_pop(c, WASMRT_I32, &t)) return 0;
    if (np > 64) return compile_fail(c, WASMRT_ERR_RESOURCE, "block with %u parameters", np);
    for (uint32_t i = np; i-- > 0;)
        if (!compile_pop(c, params[i], &t)) return 0;
    for (uint32_t i = 0; i < np; i++)
        compile_push(c, params[i]);
    ctrl *f = compile_ctrl_push(c,
                                op == 0x02   ? CTRL_BLOCK
                                : op == 0x03 ? CTRL_LOOP
                                             : CTRL_IF,
                                params, np, results, nr, single);
    if (!f) return 0;
    if (c->be && !f->dead && !c->failed) c->be->block(c->bs, c->depth - 1);
    return 1;
}

int compile_op_else(compiler *c, uint32_t op)
{
    (void)op;
    ctrl *f = &c->ctrls[c->depth - 1];
    if (f->kind != CTRL_IF)
        return compile_fail(c, WASMRT_ERR_INVALID, "else without a matching if");
    if (!compile_check_results(c, f)) return 0;
    if (c->be && !f->dead) c->be->else_(c->bs, c->depth - 1, !f->unreachable);
    f->kind = CTRL_ELSE;
    f->unreachable = 0;
    for (uint32_t i = 0; i < f->nparams; i++)
        compile_push(c, f->params[i]);
    return 1;
}

int compile_op_end(compiler *c, uint32_t op)
{
    (void)op;
    ctrl *f = &c->ctrls[c->depth - 1];
    if (!compile_check_results(c, f)) return 0;
    if (f->kind == CTRL_IF &&
        (f->nparams != f->nresults || (f->nparams && memcmp(f->params, compile_ctrl_results(f),
                                                            f->nparams * sizeof *f->params))))
        /* no else: the false path must turn the parameters into the results */
        return compile_fail(c, WASMRT_ERR_INVALID,
                            "type mismatch: if without else must not change the stack");
    if (c->be && !f->dead) c->be->end(c->bs, c->depth - 1, !f->unreachable);
    c->depth--;
    if (f->kind != CTRL_FUNC)
        for (uint32_t i = 0; i < f->nresults; i++)
            compile_push(c, compile_ctrl_results(f)[i]);
    return 1;
}

int compile_op_br(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t label;
    ctrl *f;
    if (!compile_index(c, &label) || !(f = compile_label(c, label)) ||
        !compile_check_label(c, f, 0))
        return 0;
    if (compile_live(c)) c->be->br(c->bs, c->depth - 1 - label);
    compile_set_unreachable(c);
    return 1;
}

int compile_op_br_if(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t label;
    wasmrt_valtype t;
    ctrl *f;
    if (!compile_index(c, &label) || !compile_pop(c, WASMRT_I32, &t) ||
        !(f = compile_label(c, label)) || !compile_check_label(c, f, 0))
        return 0;
    if (compile_live(c)) c->be->br_if(c->bs, c->depth - 1 - label);
    return 1;
}

int compile_op_br_table(compiler *c, uint32_t op)
{
    (void)op;
    reader *r = &c->r;
    uint32_t n;
    wasmrt_valtype t;
    if (!compile_index(c, &n)) return 0;
    if (n > (size_t)(r->end - r->p))
        return compile_fail(c, WASMRT_ERR_MALFORMED, "unexpected end of section or function");
    uint32_t *labels = malloc(((size_t)n + 1) * sizeof *labels);
    if (!labels) return compile_fail(c, WASMRT_ERR_RESOURCE, "out of memory");
    int ok = 1;
    for (uint32_t i = 0; i <= n && ok; i++)
        ok = compile_index(c, &labels[i]);
    const ctrl *def = NULL;
    ok = ok && compile_pop(c, WASMRT_I32, &t) && (def = compile_label(c, labels[n]));
    uint32_t arity = 0;
    if (ok) compile_label_types(def, &arity);
    for (uint32_t i = 0; i <= n && ok; i++) {
        const ctrl *f = compile_label(c, labels[i]);
        uint32_t k;
        if (!f) {
            ok = 0;
            break;
        }
        compile_label_types(f, &k);
        if (k != arity)
            ok = compile_fail(c, WASMRT_ERR_INVALID,
                              "type mismatch: br_table labels have different arities (%u and %u)",
                              k, arity);
        else
            ok = compile_check_label(c, f, 1);
    }
    if (ok && compile_live(c)) c->be->br_table(c->bs, labels, n);
    free(labels);
    if (!ok) return 0;
    compile_set_unreachable(c);
    return 1;
}

int compile_op_return(compiler *c, uint32_t op)
{
    (void)op;
    const functype *t = c->fn->type;
    wasmrt_valtype found;
    for (uint32_t i = t->result_count; i-- > 0;)
        if (!compile_pop(c, t->results[i], &found)) return 0;
    if (compile_live(c)) c->be->return_(c->bs);
    compile_set_unreachable(c);
    return 1;
}

/* A call's arguments (and call_indirect's element index) are popped, its results
 * pushed. */
static int compile_call_types(compiler *c, const functype *t, int indirect)
{
    wasmrt_valtype found;
    if (indirect && !compile_pop(c, WASMRT_I32, &found)) return 0;
    for (uint32_t i = t->param_count; i-- > 0;)
        if (!compile_pop(c, t->params[i], &found)) return 0;
    return 1;
}

int compile_op_call(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t a;
    if (!compile_index(c, &a)) return 0;
    if (a >= c->m->func_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown function %u", a);
    const functype *t = c->m->funcs[a].type;
    if (!compile_call_types(c, t, 0)) return 0;
    if (compile_live(c)) c->be->call(c->bs, a);
    for (uint32_t i = 0; i < t->result_count; i++)
        compile_push(c, t->results[i]);
    return 1;
}

int compile_op_call_indirect(compiler *c, uint32_t op)
{
    (void)op;
    const wasmrt_module *m = c->m;
    uint32_t a, b;
    if (!compile_index(c, &a) || !compile_index(c, &b)) return 0;
    if (b >= m->table_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown table %u", b);
    if (a >= m->type_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown type %u", a);
    if (m->tables[b].elem != WASMRT_FUNCREF)
        return compile_fail(c, WASMRT_ERR_INVALID,
                            "type mismatch: call_indirect on a table of externref");
    const functype *t = m->types[a];
    if (!compile_call_types(c, t, 1)) return 0;
    if (compile_live(c)) c->be->call_indirect(c->bs, a, b);
    for (uint32_t i = 0; i < t->result_count; i++)
        compile_push(c, t->results[i]);
    return 1;
}

/* ---- the pass ------------------------------------------------------------------------ */

static int compile_body(compiler *c)
{
    reader *r = &c->r;
    const wasmrt_module *m = c->m;
    while (!c->failed) {
        if (c->depth == 0) {
            if (r->p != r->end)
                return compile_fail(c, WASMRT_ERR_MALFORMED,
                                    "section size mismatch: the function's END is not at its end");
            return 1;
        }
        if (r->p >= r->end) {
            /* the reference decoder reads on into the next section, so a missing END
               is a size mismatch unless the file ends here */
            if (r->end == m->bytes + m->size)
                return compile_fail(c, WASMRT_ERR_MALFORMED,
                                    "unexpected end of section or function: END opcode expected");
            if (r->end < m->bytes + m->code_end)
                return compile_fail(c, WASMRT_ERR_MALFORMED, "END opcode expected");
            return compile_fail(c, WASMRT_ERR_MALFORMED,
                                "section size mismatch: function body ends without END");
        }
        uint8_t op = *r->p++;
        compile_op_fn handler = compile_ops[op];
        if (!handler) {
            r->p--;
            return compile_fail(c, WASMRT_ERR_MALFORMED, "illegal opcode 0x%02x", op);
        }
        if (!handler(c, op)) return 0;
    }
    return 0;
}

/* The validator's growable buffers, kept between functions on each thread. Validating
 * or translating a module's functions one after another would otherwise allocate and
 * free the same few buffers hundreds of times, and musl's allocator (the command's
 * libc) answers each with an mmap and a munmap: most of a cold start without caches.
 * Buffers past COMPILE_SCRATCH_KEEP bytes are freed, not kept. */
typedef struct compile_scratch {
    wasmrt_valtype *local_types;
    size_t locals_cap;
    wasmrt_valtype *types;
    uint32_t stack_cap;
    ctrl *ctrls;
    uint32_t ctrl_cap;
} compile_scratch;

#define COMPILE_SCRATCH_KEEP ((size_t)1 << 20)

static _Thread_local compile_scratch compile_tls; /* released when its thread exits */

static void compile_scratch_release(void *p)
{
    compile_scratch *s = p;
    free(s->local_types);
    free(s->types);
    free(s->ctrls);
    memset(s, 0, sizeof *s);
}

/* This thread's buffers, with room for `locals` locals; NULL when out of memory. A
 * pass may run inside another on the same thread (a backend compiling a callee
 * first), so the buffers are taken, and given back by compiler_free. */
static compile_scratch *compile_scratch_take(compile_scratch *own, size_t locals)
{
    compile_scratch *s = &compile_tls;
    thread_exit_register(s, compile_scratch_release);
    *own = *s;
    memset(s, 0, sizeof *s);
    if (own->locals_cap < locals) {
        size_t cap = locals > 2 * own->locals_cap ? locals : 2 * own->locals_cap;
        wasmrt_valtype *types = realloc(own->local_types, cap * sizeof *types);
        if (!types) {
            compile_scratch_release(own);
            return NULL;
        }
        own->local_types = types;
        own->locals_cap = cap;
    }
    return own;
}

/* Hands the buffers back for the next function (the pass may have grown them). */
static void compiler_free(compiler *c, compile_scratch *own)
{
    own->local_types = c->local_types;
    own->types = c->types;
    own->stack_cap = c->stack_cap;
    own->ctrls = c->ctrls;
    own->ctrl_cap = c->ctrl_cap;
    compile_scratch *s = &compile_tls;
    if (own->locals_cap * sizeof *own->local_types > COMPILE_SCRATCH_KEEP ||
        own->stack_cap * sizeof *own->types > COMPILE_SCRATCH_KEEP ||
        own->ctrl_cap * sizeof *own->ctrls > COMPILE_SCRATCH_KEEP || s->local_types) {
        /* one huge function, or a nested pass gave its buffers back already */
        compile_scratch_release(own);
        return;
    }
    *s = *own;
}

wasmrt_status compile_pass(const wasmrt_module *m, const func_entry *fn, const compile_backend *be,
                           void *bs, wasmrt_error *error)
{
    compiler c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.fn = fn;
    c.error = error;
    c.be = be;
    c.bs = bs;
    c.r.base = m->bytes;
    c.r.p = m->bytes + fn->body_offset;
    c.r.end = c.r.p + fn->body_size;
    c.r.error = error;
    const functype *t = fn->type;
    c.nlocals = t->param_count + fn->local_count;
    compile_scratch own;
    if (!compile_scratch_take(&own, (size_t)c.nlocals + 1))
        return error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset, "out of memory");
    c.local_types = own.local_types;
    c.types = own.types;
    c.stack_cap = own.stack_cap;
    c.ctrls = own.ctrls;
    c.ctrl_cap = own.ctrl_cap;
    memcpy(c.local_types, t->params, t->param_count * sizeof *t->params);
    uint32_t k = t->param_count;
    for (uint32_t i = 0; i < fn->local_run_count; i++)
        for (uint32_t j = 0; j < fn->local_run_counts[i]; j++)
            c.local_types[k++] = fn->local_run_types[i];
    if (be) be->begin(bs, &c);
    if (compile_ctrl_push(&c, CTRL_FUNC, NULL, 0, t->results, t->result_count, TYPE_UNKNOWN) &&
        be && !c.failed)
        be->block(bs, 0);
    compile_body(&c);
    wasmrt_status s = WASMRT_OK;
    if (c.failed || c.r.status != WASMRT_OK) {
        s = c.r.status != WASMRT_OK ? c.r.status : WASMRT_ERR_INVALID;
        if (error) error->func_index = fn->index;
    }
    compiler_free(&c, &own);
    return s;
}

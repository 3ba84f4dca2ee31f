/* test_memory.c: linear memory: the same boundary behaviour with guard pages and
 * with explicit checks (also mixed in one engine past its guard limit), growing, the copy-on-write
 * initial image shared by instances (writes in one are not seen by another), many small idle
 * instances, and a fault outside Wasm memory still crashing the process as it would without us. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

/* The spec's boundary behaviour on a fresh instance of test_memory. */
static void boundary_of(wasmrt_instance *in)
{
    assert_int_equal(test_i32(in, "load8", 1, 16, 0), 'h');
    assert_int_equal(test_i32(in, "load8", 1, 65535, 0), 0);
    test_expect_trap(in, "load8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 65536, 0);
    assert_int_equal(test_i32(in, "load32", 1, 65532, 0), 0);
    test_expect_trap(in, "load32", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 65533, 0);
    test_expect_trap(in, "load64_offset", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 65521, 0);
    test_expect_trap(in, "load64_offset", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, -8, 0);
    test_expect_trap(in, "store8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 2, 65536, 1);

    /* a failed fill writes nothing */
    wasmrt_error err;
    assert_int_equal(test_call_i32(in, "fill", NULL, &err, 3, 65530, 0x55, 7), WASMRT_ERR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
    assert_int_equal(test_i32(in, "load8", 1, 65530, 0), 0);

    assert_int_equal(test_i32(in, "size", 0, 0, 0), 1);
    assert_int_equal(test_i32(in, "grow", 1, 2, 0), 1);
    assert_int_equal(test_i32(in, "grow", 1, 2, 0), -1); /* max is 4 */
    assert_int_equal(test_i32(in, "size", 0, 0, 0), 3);
    test_i32(in, "store8", 2, 3 * 65536 - 1, 9);
    assert_int_equal(test_i32(in, "load8", 1, 3 * 65536 - 1, 0), 9);
    test_expect_trap(in, "load8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 3 * 65536, 0);

    uint64_t size;
    uint8_t *base = wasmrt_instance_memory(in, &size);
    assert_non_null(base);
    assert_true(size == 3 * 65536);
    assert_memory_equal(base + 16, "hello", 5);
}

static void boundary_in_mode(wasmrt_bounds_mode bounds)
{
    test_env env;
    test_env_init(&env, bounds, 1);
    test_env_instantiate(&env, "test_memory");
    assert_int_equal(wasmrt_instance_bounds(env.instance), bounds == WASMRT_BOUNDS_EXPLICIT
                                                               ? WASMRT_BOUNDS_EXPLICIT
                                                               : WASMRT_BOUNDS_GUARD);
    boundary_of(env.instance);
    test_env_free(&env);
}

static void fused_in_mode(wasmrt_bounds_mode bounds)
{
    test_env env;
    test_env_init(&env, bounds, 1);
    test_env_instantiate(&env, "test_memory");
    wasmrt_instance *in = env.instance;
    assert_int_equal(test_i32(in, "load_plus8", 1, 8, 0), 'h');
    /* -8 + 8 wraps to address 0 in 32 bits: not 4 GiB, so no trap */
    assert_int_equal(test_i32(in, "load_plus8", 1, -8, 0), 0);
    test_expect_trap(in, "load_plus8", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 65528, 0);
    test_i32(in, "move32", 2, 100, 16);
    assert_int_equal(test_i32(in, "load32", 1, 100, 0), test_i32(in, "load32", 1, 16, 0));
    /* source out of bounds: trap, destination untouched */
    test_expect_trap(in, "move32", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 2, 200, 65533);
    assert_int_equal(test_i32(in, "load32", 1, 200, 0), 0);
    test_expect_trap(in, "move32", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 2, 65533, 16);
    test_i32(in, "move8", 2, 300, 16); /* byte 18 ('l') to byte 301 */
    assert_int_equal(test_i32(in, "load8", 1, 301, 0), 'l');
    assert_int_equal(test_i32(in, "funnel", 2, 0x12, 0xaabbccdd), 0x12aabbcc);
    test_env_free(&env);
}

static void test_fused_instructions_keep_semantics(void **state)
{
    (void)state;
    fused_in_mode(WASMRT_BOUNDS_GUARD);
    fused_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

static void test_boundary_guard_pages(void **state)
{
    (void)state;
    boundary_in_mode(WASMRT_BOUNDS_GUARD);
}

static void test_boundary_explicit_checks(void **state)
{
    (void)state;
    boundary_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

/* The default mode: guard reservations up to the engine's limit, explicit checks beyond
 * it, both behaving alike; a freed guard memory makes room for the next one. */
static void test_default_mode_goes_explicit_beyond_the_guard_limit(void **state)
{
    (void)state;
    enum { LIMIT = 3, N = 5 };
    wasmrt_config config;
    wasmrt_config_default(&config);
    config.guard_memory_limit = LIMIT;
    test_env env;
    memset(&env, 0, sizeof env);
    assert_int_equal(wasmrt_engine_new(&config, &env.engine, &env.error), WASMRT_OK);
    assert_int_equal(wasmrt_linker_new(env.engine, &env.linker, &env.error), WASMRT_OK);
    env.module = test_load(env.engine, "test_memory");
    wasmrt_instance *many[N];
    for (int i = 0; i < N; i++) {
        assert_int_equal(wasmrt_instance_new(env.linker, env.module, &many[i], &env.error),
                         WASMRT_OK);
        assert_int_equal(wasmrt_instance_bounds(many[i]),
                         i < LIMIT ? WASMRT_BOUNDS_GUARD : WASMRT_BOUNDS_EXPLICIT);
    }
    boundary_of(many[0]);
    boundary_of(many[N - 1]);
    assert_int_equal(test_i32(many[1], "fib", 1, 20, 0), 6765);
    assert_int_equal(test_i32(many[3], "fib", 1, 20, 0), 6765);
    wasmrt_instance_free(many[1]);
    assert_int_equal(wasmrt_instance_new(env.linker, env.module, &many[1], &env.error), WASMRT_OK);
    assert_int_equal(wasmrt_instance_bounds(many[1]), WASMRT_BOUNDS_GUARD);
    boundary_of(many[1]);
    for (int i = 0; i < N; i++)
        wasmrt_instance_free(many[i]);
    test_env_free(&env);
}

static void cow_in_mode(wasmrt_bounds_mode bounds)
{
    test_env env;
    wasmrt_instance *second;
    test_env_init(&env, bounds, 1);
    test_env_instantiate(&env, "test_memory");
    assert_int_equal(wasmrt_instance_new(env.linker, env.module, &second, &env.error), WASMRT_OK);
    test_i32(env.instance, "store8", 2, 16, 'J');
    assert_int_equal(test_i32(env.instance, "load8", 1, 16, 0), 'J');
    assert_int_equal(test_i32(second, "load8", 1, 16, 0), 'h');
    assert_int_equal(test_i32(env.instance, "bump", 0, 0, 0), 1);
    assert_int_equal(test_i32(env.instance, "bump", 0, 0, 0), 2);
    assert_int_equal(test_i32(second, "bump", 0, 0, 0), 1);
    /* a third instance made after the writes still sees the module's data */
    wasmrt_instance *third;
    assert_int_equal(wasmrt_instance_new(env.linker, env.module, &third, &env.error), WASMRT_OK);
    assert_int_equal(test_i32(third, "load8", 1, 16, 0), 'h');
    wasmrt_instance_free(third);
    wasmrt_instance_free(second);
    test_env_free(&env);
}

static void test_instances_do_not_share_writes(void **state)
{
    (void)state;
    cow_in_mode(WASMRT_BOUNDS_GUARD);
    cow_in_mode(WASMRT_BOUNDS_EXPLICIT);
}

static void test_many_idle_instances(void **state)
{
    (void)state;
    enum { N = 300 };
    test_env env;
    wasmrt_instance *many[N];
    test_env_init(&env, WASMRT_BOUNDS_GUARD, 1);
    test_env_instantiate(&env, "test_memory");
    for (int i = 0; i < N; i++) {
        assert_int_equal(wasmrt_instance_new(env.linker, env.module, &many[i], &env.error),
                         WASMRT_OK);
        test_i32(many[i], "store8", 2, 100, i & 0x7f);
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(test_i32(many[i], "load8", 1, 100, 0), i & 0x7f);
        assert_int_equal(test_i32(many[i], "fib", 1, 10, 0), 55);
    }
    for (int i = 0; i < N; i++)
        wasmrt_instance_free(many[i]);
    test_env_free(&env);
}

typedef struct thread_job {
    wasmrt_linker *linker;
    const wasmrt_module *module;
    int ok;
} thread_job;

/* Each thread: its own instance of the shared module, lazy translation racing with
 * the others, and guard-page traps caught on its own signal stack. */
static void *thread_run(void *arg)
{
    thread_job *job = arg;
    wasmrt_instance *inst;
    wasmrt_error err;
    job->ok = 0;
    if (wasmrt_instance_new(job->linker, job->module, &inst, &err) != WASMRT_OK)
        return NULL;
    int ok = 1;
    for (int i = 0; i < 200 && ok; i++) {
        int32_t r = 0;
        ok = test_call_i32(inst, "fib", &r, &err, 1, 20) == WASMRT_OK && r == 6765;
        ok = ok && test_call_i32(inst, "load32", NULL, &err, 1, 70000) == WASMRT_ERR_TRAP &&
             err.trap == WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
    }
    wasmrt_instance_free(inst);
    job->ok = ok;
    return NULL;
}

static void test_threads_share_a_module(void **state)
{
    (void)state;
    enum { THREADS = 4 };
    test_env env;
    pthread_t tid[THREADS];
    thread_job jobs[THREADS];
    test_env_init(&env, WASMRT_BOUNDS_GUARD, 1);
    env.module = test_load(env.engine, "test_memory");
    for (int i = 0; i < THREADS; i++) {
        jobs[i].linker = env.linker;
        jobs[i].module = env.module;
        assert_int_equal(pthread_create(&tid[i], NULL, thread_run, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        assert_true(jobs[i].ok);
    }
    test_env_free(&env);
}

static void test_fault_outside_wasm_still_crashes(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* as in a plain program (cmocka has its own handler): default action, then
           the engine's handler, installed by running Wasm once */
        signal(SIGSEGV, SIG_DFL);
        test_env env;
        test_env_init(&env, WASMRT_BOUNDS_GUARD, 1);
        test_env_instantiate(&env, "test_memory");
        test_i32(env.instance, "load8", 1, 16, 0);
        volatile int *volatile nowhere = (int *)16;
        *nowhere = 1;
        _exit(0); /* reaching this means the fault was swallowed */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSEGV);
}

/* local + constant kept unmaterialized (tests/wat/test_local_add.wat) */
static void local_add_in_mode(wasmrt_bounds_mode bounds, int lazy)
{
    test_env env;
    test_env_init(&env, bounds, lazy);
    test_env_instantiate(&env, "test_local_add");
    wasmrt_instance *in = env.instance;
    assert_int_equal(test_i32(in, "store_after_set", 1, 1000, 0), 1100);
    assert_int_equal(test_i32(in, "peek", 1, 1008, 0), 77);
    assert_int_equal(test_i32(in, "peek", 1, 1108, 0), 0);
    test_i32(in, "store_after_tee", 1, 2000, 0);
    assert_int_equal(test_i32(in, "peek", 1, 2008, 0), 2001);
    assert_int_equal(test_i32(in, "as_value", 1, 37, 0), 42);
    assert_int_equal(test_i32(in, "as_value", 1, -1, 0), 4);
    assert_int_equal(test_i32(in, "across_block", 1, 30, 0), 42);
    assert_int_equal(test_i32(in, "wrapping_store", 1, 3000, 0), 1234);
    /* -16 + 8 wraps to 0xfffffff8; with offset 16 that is past 4 GiB: out of bounds */
    test_expect_trap(in, "wrapping_store", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 1, 8, 0);
    assert_int_equal(test_i32(in, "as_call_arg", 1, 35, 0), 42);
    assert_int_equal(test_i32(in, "as_branch_condition", 1, -1, 0), 10);
    assert_int_equal(test_i32(in, "as_branch_condition", 1, 5, 0), 20);
    assert_int_equal(test_i32(in, "loop_fill", 2, 4000, 3), 4003);
    assert_int_equal(test_i32(in, "peek", 1, 4003, 0), 0x010203);
    test_expect_trap(in, "loop_fill", WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, 2, 65533, 1);
    test_env_free(&env);
}

static void test_local_add_operands(void **state)
{
    (void)state;
    local_add_in_mode(WASMRT_BOUNDS_GUARD, 1);
    local_add_in_mode(WASMRT_BOUNDS_GUARD, 0);
    local_add_in_mode(WASMRT_BOUNDS_EXPLICIT, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_add_operands),
        cmocka_unit_test(test_boundary_guard_pages),
        cmocka_unit_test(test_boundary_explicit_checks),
        cmocka_unit_test(test_default_mode_goes_explicit_beyond_the_guard_limit),
        cmocka_unit_test(test_fused_instructions_keep_semantics),
        cmocka_unit_test(test_instances_do_not_share_writes),
        cmocka_unit_test(test_many_idle_instances),
        cmocka_unit_test(test_threads_share_a_module),
        cmocka_unit_test(test_fault_outside_wasm_still_crashes),
    };
    return cmocka_run_group_tests_name("engine memory", tests, NULL, NULL);
}

/* test_memory.c: the memory meters on live processes: PSS summed over a tree grows with
 * the children it holds; the cgroup counter of this process is read when a memory
 * cgroup exists (skipped, with the reason, when not). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../meters/memory.h"

static void parent_of_child_is_us(void **state)
{
    (void)state;
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    assert_int_equal(meter_memory_parent(child), getpid());
    assert_int_equal(meter_memory_parent(-5), -1);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

static void tree_includes_children_and_grandchildren(void **state)
{
    (void)state;
    meter_memory_tree alone, with_children;
    wasmvs_error err = {{0}};
    assert_int_equal(meter_memory_tree_read(getpid(), &alone, &err), 0);
    assert_true(alone.processes >= 1);
    assert_true(alone.pss_kib > 0);
    /* the child says when its pages are touched and its own child started (a fixed
       sleep was too short on a loaded machine) */
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    if (child == 0) {
        /* a child holding 8 MiB of its own pages, with a grandchild; one process group
         * so the test can end both */
        setpgid(0, 0);
        size_t size = 8u << 20;
        volatile char *block = malloc(size);
        for (size_t i = 0; i < size; i += 4096)
            block[i] = 1;
        if (fork() == 0) pause();
        if (write(ready[1], "r", 1) != 1) _exit(1);
        pause();
        _exit(0);
    }
    char byte;
    close(ready[1]);
    ssize_t got = read(ready[0], &byte, 1);
    close(ready[0]);
    int ok = got == 1 && meter_memory_tree_read(getpid(), &with_children, &err) == 0;
    /* the processes go before any assertion can end the test with them alive */
    kill(-child, SIGKILL);
    waitpid(child, NULL, 0);
    assert_true(ok);
    assert_true(with_children.processes >= alone.processes + 2);
    assert_true(with_children.pss_kib >= alone.pss_kib + 7 * 1024);
    assert_true(with_children.rss_kib >= with_children.pss_kib);
}

static void tree_of_a_dead_process_fails_naming_it(void **state)
{
    (void)state;
    pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, NULL, 0);
    meter_memory_tree tree;
    wasmvs_error err = {{0}};
    assert_int_equal(meter_memory_tree_read(child, &tree, &err), -1);
    char expected[64];
    snprintf(expected, sizeof expected, "/proc/%ld/smaps_rollup", (long)child);
    assert_non_null(strstr(err.message, expected));
}

static void cgroup_memory_of_this_process(void **state)
{
    (void)state;
    long long bytes = -1;
    char path[1200];
    wasmvs_error err = {{0}};
    if (meter_memory_cgroup_bytes(getpid(), &bytes, path, sizeof path, &err) != 0) {
        printf("[  SKIP    ] no memory cgroup: %s\n", err.message);
        skip();
    }
    assert_true(bytes > 0);
    assert_non_null(strstr(path, "/sys/fs/cgroup"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parent_of_child_is_us),
        cmocka_unit_test(tree_includes_children_and_grandchildren),
        cmocka_unit_test(tree_of_a_dead_process_fails_naming_it),
        cmocka_unit_test(cgroup_memory_of_this_process),
    };
    return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}

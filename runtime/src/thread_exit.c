/* thread_exit.c: the per-thread states released at thread exit (see thread_exit.h).
 * Each thread holds its registrations in a small list of its own; one pthread key,
 * created once, runs them when the thread ends. */
#include "thread_exit.h"

#include <pthread.h>

#define THREAD_EXIT_MAX 8

typedef struct thread_exit_entry {
    void *state;
    thread_exit_release release;
} thread_exit_entry;

typedef struct thread_exit_list {
    thread_exit_entry entries[THREAD_EXIT_MAX];
    unsigned count;
} thread_exit_list;

static _Thread_local thread_exit_list thread_exit_own;
static pthread_key_t thread_exit_key;
static pthread_once_t thread_exit_once = PTHREAD_ONCE_INIT;

static void thread_exit_run(void *p)
{
    thread_exit_list *list = p;
    while (list->count) {
        thread_exit_entry e = list->entries[--list->count];
        e.release(e.state);
    }
}

static void thread_exit_create_key(void)
{
    pthread_key_create(&thread_exit_key, thread_exit_run);
}

int thread_exit_register(void *state, thread_exit_release release)
{
    thread_exit_list *list = &thread_exit_own;
    for (unsigned i = 0; i < list->count; i++)
        if (list->entries[i].state == state) return 1;
    if (list->count == THREAD_EXIT_MAX) return 0;
    pthread_once(&thread_exit_once, thread_exit_create_key);
    list->entries[list->count++] = (thread_exit_entry){state, release};
    pthread_setspecific(thread_exit_key, list);
    return 1;
}

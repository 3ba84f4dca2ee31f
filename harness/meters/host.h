/* host.h: facts about the machine a result was measured on: the CPU (libcpuid: vendor,
 * brand, family/model, cores, caches, flags), the kernel, memory, CPU count, cgroup
 * mode, perf counters, the versions of the tools involved, and the project's git
 * commit. `wasmvs env` prints them; every results file embeds them. */
#ifndef WASMVS_METER_HOST_H
#define WASMVS_METER_HOST_H

#include <jansson.h>

/* A new object with every fact this machine gives; facts that cannot be read are null
 * (with a note under "unavailable"), never an error. */
json_t *meter_host_facts(void);

/* The project's git commit (short hash, "-dirty" suffix when the tree has changes),
 * or NULL; the caller frees. */
char *meter_host_git_commit(void);

#endif

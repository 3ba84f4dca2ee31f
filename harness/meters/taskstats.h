/* taskstats.h: the peak resident set of one launched process, from the kernel's
 * per-task exit statistics (taskstats over generic netlink). wait4's ru_maxrss cannot
 * give it: Linux carries the peak of the address space a process had before exec into
 * it, and the launcher's (a fork's copy, or the harness itself for a process cloned
 * into its address space) is far larger than a small static program. taskstats reports
 * the high-water mark of the process's own memory at its exit. Needs CAP_NET_ADMIN and
 * a kernel with CONFIG_TASKSTATS; without them the caller keeps rusage. */
#ifndef WASMVS_METER_TASKSTATS_H
#define WASMVS_METER_TASKSTATS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Starts listening for exits (once per process; later calls return the same answer).
 * false when taskstats is not available here. */
bool meter_taskstats_ready(void);

/* Drops exit reports queued so far, so a later search finds recent ones only. */
void meter_taskstats_drain(void);

/* After pid has been reaped: its peak RSS in KiB from its exit report. false when no
 * report for pid is queued (not available, or the report was lost to a full buffer). */
bool meter_taskstats_peak_rss(pid_t pid, uint64_t *kib);

/* In a fork that launches processes of its own (the serverless front end): stops using
 * the socket shared with the parent, whose exit reports are the parent's to read; this
 * process's launches then keep rusage. */
void meter_taskstats_detach(void);

/* The calling process's own peak RSS in KiB (VmHWM), 0 when unknown. */
uint64_t meter_taskstats_self_peak_rss(void);

#endif

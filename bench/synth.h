// SPDX-License-Identifier: MIT
/* Synthetic DTBs for the benchmarks (place-bench, plan-bench): see synth.c. */
#ifndef CARVEOUT_BENCH_SYNTH_H
#define CARVEOUT_BENCH_SYNTH_H

#include <stdbool.h>
#include <stddef.h>

/* The consumers the benchmarks give every tree. */
#define CONSUMERS 500

/*
 * A DTB made in memory with n /reserved-memory regions and `consumers` nodes with
 * memory-region phandles (synth.c says which). With problems, it also has findings the
 * planner fixes: dynamic regions whose alloc-ranges lie above 4 GiB used by devices on
 * a bus whose dma-ranges reach 4 GiB, and reusable pools written over static regions.
 * The same n gives the same tree on every run. Returns a malloc()ed blob and its size in
 * *len, or NULL.
 */
void *synth_dtb(int n, int consumers, bool problems, size_t *len);

#endif

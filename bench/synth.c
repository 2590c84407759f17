// SPDX-License-Identifier: MIT
/*
 * Synthetic DTBs for the benchmarks: n /reserved-memory regions (half static, a quarter of
 * those no-map, in slots that cut RAM into n/2 pieces; half dynamic, a third with
 * alloc-ranges, an eighth reusable shared-dma-pool, some no-map pools and alignments) and
 * the consumers with memory-region. place-bench times placement on them, plan-bench the
 * planner on the same trees with problems added (synth.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <libfdt.h>

#include "synth.h"

/* A fixed xorshift so that every run and every build places the same trees. */
static uint64_t rnd_state;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int prop_reg(void *fdt, const char *name, const uint64_t *v, int n)
{
	fdt32_t cells[8];
	for (int i = 0; i < n; i++) {
		cells[2 * i] = cpu_to_fdt32((uint32_t)(v[i] >> 32));
		cells[2 * i + 1] = cpu_to_fdt32((uint32_t)v[i]);
	}
	return fdt_property(fdt, name, cells, n * 8);
}

/*
 * RAM: 2 GiB at 0x40000000 and 6 GiB at 0x100000000. Statics lie in slots across
 * [0x48000000, 0xb8000000), so they cut the free list into about n/2 pieces.
 *
 * Problems: every 16th dynamic region has no alloc-ranges (the kernel puts it at the top
 * of RAM, above 4 GiB) and a consumer on /dma32-bus (dma-ranges: the first 4 GiB), which
 * cannot reach it; every 32nd static slot also holds a 2 MiB reusable shared-dma-pool over
 * its static region (rmem_overlap), which the planner moves. The
 * regions and consumers without problems are the same as without them.
 */
void *synth_dtb(int n, int consumers, bool problems, size_t *len)
{
	size_t cap = (size_t)n * 640 + (size_t)consumers * 160 + 65536;
	void *fdt = malloc(cap);
	if (!fdt)
		return NULL;
	rnd_state = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
	int err = fdt_create(fdt, (int)cap);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_string(fdt, "compatible", "carveout,place-bench");
	err |= fdt_begin_node(fdt, "memory@40000000");
	err |= fdt_property_string(fdt, "device_type", "memory");
	const uint64_t mem[] = { 0x40000000, 0x80000000, 0x100000000, 0x180000000 };
	err |= prop_reg(fdt, "reg", mem, 4);
	err |= fdt_end_node(fdt);

	err |= fdt_begin_node(fdt, "reserved-memory");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property(fdt, "ranges", NULL, 0);
	int n_static = n / 2;
	const uint64_t lo = 0x48000000, hi = 0xb8000000;
	uint64_t slot = ((hi - lo) / (uint64_t)(n_static ? n_static : 1)) & ~UINT64_C(0xfff);
	char name[64];
	for (int i = 0; i < n; i++) {
		uint64_t r = rnd();
		if (i % 2 == 0 && i / 2 < n_static) {
			/* a static region in its slot, a quarter to a half of it */
			uint64_t base = lo + (uint64_t)(i / 2) * slot + ((r & 3) << 12);
			uint64_t size = ((slot / 4 + (r >> 8) % (slot / 4)) & ~UINT64_C(0xfff)) +
					0x1000;
			snprintf(name, sizeof(name), "static@%llx", (unsigned long long)base);
			err |= fdt_begin_node(fdt, name);
			const uint64_t reg[] = { base, size };
			err |= prop_reg(fdt, "reg", reg, 2);
			if (r % 4 == 1)
				err |= fdt_property(fdt, "no-map", NULL, 0);
			if (problems && (i / 2) % 32 == 7) {
				/* a reusable pool written over the static region */
				err |= fdt_property_u32(fdt, "phandle", (uint32_t)i + 1);
				err |= fdt_end_node(fdt);
				uint64_t pbase = base & ~UINT64_C(0x1fffff);
				snprintf(name, sizeof(name), "pool@%llx", (unsigned long long)pbase);
				err |= fdt_begin_node(fdt, name);
				const uint64_t preg[] = { pbase, 0x200000 };
				err |= prop_reg(fdt, "reg", preg, 2);
				err |= fdt_property_string(fdt, "compatible", "shared-dma-pool");
				err |= fdt_property(fdt, "reusable", NULL, 0);
				err |= fdt_property_u32(fdt, "phandle", (uint32_t)(n + 1 + i));
				err |= fdt_end_node(fdt);
				continue;
			}
		} else {
			snprintf(name, sizeof(name), "dynamic-%d", i);
			err |= fdt_begin_node(fdt, name);
			bool cma = r % 8 == 3;
			uint64_t size = cma ? (UINT64_C(4) << 20) * (1 + (r >> 8) % 4)
					    : (UINT64_C(64) << 10) * (1 + (r >> 8) % 64);
			const uint64_t sz[] = { size };
			err |= prop_reg(fdt, "size", sz, 1);
			if (cma) {
				err |= fdt_property_string(fdt, "compatible", "shared-dma-pool");
				err |= fdt_property(fdt, "reusable", NULL, 0);
			} else if (r % 8 == 5) {
				err |= fdt_property_string(fdt, "compatible", "shared-dma-pool");
				err |= fdt_property(fdt, "no-map", NULL, 0);
			}
			if (r % 4 == 0) {
				const uint64_t al[] = { UINT64_C(1) << (16 + (r >> 16) % 6) };
				err |= prop_reg(fdt, "alignment", al, 1);
			}
			if (problems && (i / 2) % 16 == 5) {
				/* no alloc-ranges: the kernel allocates it top-down, above 4 GiB,
				 * and a device that reaches 4 GiB uses it */
			} else if (r % 3 == 0) {
				/* a 256 MiB window below 4 GiB, or one in the high bank */
				uint64_t w = (r >> 24) % 2 ? 0x40000000 + ((r >> 32) % 6) * 0x10000000
							   : 0x100000000 + ((r >> 32) % 20) * 0x10000000;
				const uint64_t ar[] = { w, 0x10000000 };
				err |= prop_reg(fdt, "alloc-ranges", ar, 2);
			}
		}
		err |= fdt_property_u32(fdt, "phandle", (uint32_t)i + 1);
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);

	for (int i = 0; i < consumers; i++) {
		snprintf(name, sizeof(name), "dev@%x", 0x10000000 + i * 0x1000);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "compatible", "carveout,bench-device");
		err |= fdt_property_u32(fdt, "memory-region", (uint32_t)(rnd() % (uint64_t)n) + 1);
		err |= fdt_end_node(fdt);
	}
	if (problems) {
		err |= fdt_begin_node(fdt, "dma32-bus");
		err |= fdt_property_string(fdt, "compatible", "simple-bus");
		err |= fdt_property_u32(fdt, "#address-cells", 2);
		err |= fdt_property_u32(fdt, "#size-cells", 2);
		err |= fdt_property(fdt, "ranges", NULL, 0);
		const uint64_t dr[] = { 0, 0, 0x100000000 };
		err |= prop_reg(fdt, "dma-ranges", dr, 3);
		for (int i = 1; i < n; i += 2) {
			if ((i / 2) % 16 != 5)
				continue;
			snprintf(name, sizeof(name), "dev32@%x", 0x20000000 + i * 0x1000);
			err |= fdt_begin_node(fdt, name);
			err |= fdt_property_string(fdt, "compatible", "carveout,bench-device");
			const uint64_t reg[] = { 0x20000000 + (uint64_t)i * 0x1000, 0x1000 };
			err |= prop_reg(fdt, "reg", reg, 2);
			err |= fdt_property_u32(fdt, "memory-region", (uint32_t)i + 1);
			err |= fdt_end_node(fdt);
		}
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err) {
		free(fdt);
		return NULL;
	}
	*len = fdt_totalsize(fdt);
	return fdt;
}


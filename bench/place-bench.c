// SPDX-License-Identifier: MIT
/*
 * The placement benchmark: cvo_place() alone (the model built once), on synthetic DTBs
 * made in memory with n /reserved-memory regions (statics, some no-map; dynamics
 * with and without alloc-ranges, some reusable shared-dma-pool) and 500 consumer
 * nodes with memory-region phandles. Prints the best CPU time per n for each profile
 * (one thread: CPU time moves less than wall time on a loaded machine) and the fitted
 * exponent (least squares of log t against log n); the target is n log n, an exponent
 * of about 1.1.
 *
 * usage: place-bench [-q] [N...]   (default n: 125 250 500 1000 2000 4000)
 *   -q   one line per profile: "PROFILE exponent E t(nmax) MS"
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libfdt.h>

#include "carveout.h"

#define CONSUMERS 500
#define MIN_RUNS 3
#define MAX_RUNS 50
#define MIN_SECONDS 0.3

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
 */
static void *make_dtb(int n, size_t *len)
{
	size_t cap = (size_t)n * 512 + CONSUMERS * 128 + 65536;
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
			if (r % 3 == 0) {
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

	for (int i = 0; i < CONSUMERS; i++) {
		snprintf(name, sizeof(name), "dev@%x", 0x10000000 + i * 0x1000);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "compatible", "carveout,bench-device");
		err |= fdt_property_u32(fdt, "memory-region", (uint32_t)(rnd() % (uint64_t)n) + 1);
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

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The best time of placement alone (cvo_place() of the DT's layout, the model built once)
 * over at least MIN_RUNS runs and MIN_SECONDS; -1 on an error. *placed gets the regions
 * placed, as a sanity figure. */
static double best_time(const struct cvo_blob *blob, const struct cvo_platform *p, int *placed)
{
	double best = -1, spent = 0;
	struct cvo_error err;
	struct cvo_model *m = NULL;
	struct cvo_layout l;
	if (cvo_model_build(blob, p, &m, &err))
		return -1;
	if (cvo_layout_init(m, &l)) {
		cvo_model_free(m);
		return -1;
	}
	for (int run = 0; run < MAX_RUNS && (run < MIN_RUNS || spent < MIN_SECONDS); run++) {
		struct cvo_placement pl;
		double t0 = now();
		if (cvo_place(m, &l, &pl)) {
			best = -1;
			break;
		}
		double t = now() - t0;
		*placed = 0;
		for (size_t i = 0; i < m->n_regions; i++)
			*placed += cvo_outcome(&pl, &m->regions[i])->status == CVO_STATUS_PLACED;
		cvo_placement_fini(&pl);
		spent += t;
		if (best < 0 || t < best)
			best = t;
	}
	cvo_layout_fini(&l);
	cvo_model_free(m);
	return best;
}

int main(int argc, char **argv)
{
	static const int defaults[] = { 125, 250, 500, 1000, 2000, 4000 };
	static const char *const profiles[] = { "debian13-arm64", "debian12-arm64" };
	int ns[32], n_ns = 0;
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (n_ns < 32 && atoi(argv[i]) > 0)
			ns[n_ns++] = atoi(argv[i]);
		else {
			fprintf(stderr, "usage: place-bench [-q] [N...]\n");
			return 2;
		}
	}
	if (!n_ns)
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			ns[n_ns++] = defaults[i];
	int rc = 0;
	for (size_t k = 0; k < sizeof(profiles) / sizeof(profiles[0]); k++) {
		struct cvo_platform *p = NULL;
		struct cvo_error err;
		if (cvo_platform_profile(profiles[k], &p, &err)) {
			fprintf(stderr, "place-bench: %s: %s\n", profiles[k], err.text);
			return 1;
		}
		double sx = 0, sy = 0, sxx = 0, sxy = 0, last = 0;
		int fitted = 0;
		if (!quiet)
			printf("%s: placement alone (cvo_place()), %d consumers\n", profiles[k],
			       CONSUMERS);
		for (int i = 0; i < n_ns; i++) {
			size_t len = 0;
			void *fdt = make_dtb(ns[i], &len);
			struct cvo_blob *blob = NULL;
			if (!fdt || cvo_blob_from_buffer(fdt, len, "place-bench.dtb", &blob, &err)) {
				fprintf(stderr, "place-bench: n=%d: no DTB\n", ns[i]);
				free(fdt);
				rc = 1;
				continue;
			}
			free(fdt);
			int placed = 0;
			double t = best_time(blob, p, &placed);
			cvo_blob_free(blob);
			if (t <= 0) {
				fprintf(stderr, "place-bench: n=%d: placement failed\n", ns[i]);
				rc = 1;
				continue;
			}
			if (!quiet)
				printf("  n=%5d  %10.3f ms  (%d placed)\n", ns[i], t * 1e3, placed);
			double x = log(ns[i]), y = log(t);
			sx += x;
			sy += y;
			sxx += x * x;
			sxy += x * y;
			fitted++;
			last = t;
		}
		double e = fitted > 1 ? (fitted * sxy - sx * sy) / (fitted * sxx - sx * sx) : 0;
		if (quiet)
			printf("%s exponent %.2f t(n=%d) %.3f ms\n", profiles[k], e, ns[n_ns - 1],
			       last * 1e3);
		else
			printf("  fitted exponent %.2f (log t against log n; n log n is about 1.1)\n",
			       e);
		cvo_platform_free(p);
	}
	return rc;
}

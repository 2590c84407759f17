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
 * The trees come from synth.c (shared with plan-bench).
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
#include "synth.h"

#define MIN_RUNS 3
#define MAX_RUNS 50
#define MIN_SECONDS 0.3

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
			void *fdt = synth_dtb(ns[i], CONSUMERS, false, &len);
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

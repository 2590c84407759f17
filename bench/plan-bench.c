// SPDX-License-Identifier: MIT
/*
 * The plan benchmark: cvo_plan_build() alone, on synthetic DTBs made in memory (synth.c,
 * the trees of place-bench with problems added: regions above 4 GiB used by devices that
 * reach 4 GiB, reusable pools written over static regions) with n /reserved-memory
 * regions and 500 consumers. The model, its placement (cvo_place() of the DT's layout)
 * and its check report are built once; the planner runs on them at least MIN_RUNS times
 * and MIN_SECONDS, and the best CPU time counts (one thread: CPU time moves less than
 * wall time on a loaded machine). Prints the time per n, the fitted exponent (least
 * squares of log t against log n) and the time at n = 1000 against its target, 100 ms.
 *
 * usage: plan-bench [-q] [-p PROFILE] [N...]   (default n: 125 250 500 1000 2000 4000)
 *   -q          one line: "plan exponent E t(n=1000) MS target 100 ms t(n=NMAX) MS"
 *   -p PROFILE  the built-in profile (default debian13-arm64)
 *   -w FILE N   write the DTB of n = N to FILE and exit (to look at it with carveout)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carveout.h"
#include "synth.h"

#define MIN_RUNS 3
#define MAX_RUNS 50
#define MIN_SECONDS 0.3
#define TARGET_N 1000
#define TARGET_MS 100.0

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct figures {
	size_t findings, changes, conflicts, advice;
	bool feasible;
};

/* The best time of cvo_plan_build() on the model's placement and findings; -1 on an error
 * (err says which). */
static double best_time(const struct cvo_blob *blob, const struct cvo_platform *p,
			struct figures *fig, struct cvo_error *err)
{
	double best = -1, spent = 0;
	struct cvo_model *m = NULL;
	struct cvo_placement pl;
	struct cvo_report report;
	cvo_report_init(&report);
	if (cvo_model_build(blob, p, &m, err))
		return -1;
	if (cvo_place(m, NULL, &pl)) {
		snprintf(err->text, sizeof(err->text), "cvo_place() failed");
		cvo_model_free(m);
		return -1;
	}
	if (cvo_check_run(&pl, NULL, &report)) {
		snprintf(err->text, sizeof(err->text), "cvo_check_run() failed");
		goto out;
	}
	fig->findings = report.n;
	for (int run = 0; run < MAX_RUNS && (run < MIN_RUNS || spent < MIN_SECONDS); run++) {
		struct cvo_plan *plan = NULL;
		double t0 = now();
		if (cvo_plan_build(&pl, &report, NULL, &plan, err)) {
			best = -1;
			break;
		}
		double t = now() - t0;
		fig->changes = plan->changes.n;
		fig->conflicts = plan->n_conflicts;
		fig->advice = plan->n_advice;
		fig->feasible = plan->feasible;
		cvo_plan_free(plan);
		spent += t;
		if (best < 0 || t < best)
			best = t;
	}
out:
	cvo_report_fini(&report);
	cvo_placement_fini(&pl);
	cvo_model_free(m);
	return best;
}

static int write_dtb(const char *path, int n)
{
	size_t len = 0;
	void *fdt = synth_dtb(n, CONSUMERS, true, &len);
	FILE *f = fdt ? fopen(path, "wb") : NULL;
	int ok = f && fwrite(fdt, 1, len, f) == len;
	if (f && fclose(f))
		ok = 0;
	free(fdt);
	if (!ok)
		fprintf(stderr, "plan-bench: cannot write %s\n", path);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const int defaults[] = { 125, 250, 500, 1000, 2000, 4000 };
	const char *profile = "debian13-arm64";
	int ns[32], n_ns = 0;
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			profile = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 2 < argc && atoi(argv[i + 2]) > 0)
			return write_dtb(argv[i + 1], atoi(argv[i + 2]));
		else if (n_ns < 32 && atoi(argv[i]) > 0)
			ns[n_ns++] = atoi(argv[i]);
		else {
			fprintf(stderr, "usage: plan-bench [-q] [-p PROFILE] [-w FILE N] [N...]\n");
			return 2;
		}
	}
	if (!n_ns)
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			ns[n_ns++] = defaults[i];
	struct cvo_platform *p = NULL;
	struct cvo_error err = { 0 };
	if (cvo_platform_profile(profile, &p, &err)) {
		fprintf(stderr, "plan-bench: %s: %s\n", profile, err.text);
		return 1;
	}
	int rc = 0, fitted = 0;
	double sx = 0, sy = 0, sxx = 0, sxy = 0, last = 0, at_target = -1;
	if (!quiet)
		printf("%s: the planner alone (cvo_plan_build()), %d consumers\n", profile,
		       CONSUMERS);
	for (int i = 0; i < n_ns; i++) {
		size_t len = 0;
		void *fdt = synth_dtb(ns[i], CONSUMERS, true, &len);
		struct cvo_blob *blob = NULL;
		if (!fdt || cvo_blob_from_buffer(fdt, len, "plan-bench.dtb", &blob, &err)) {
			fprintf(stderr, "plan-bench: n=%d: no DTB\n", ns[i]);
			free(fdt);
			rc = 1;
			continue;
		}
		free(fdt);
		struct figures fig = { 0 };
		double t = best_time(blob, p, &fig, &err);
		cvo_blob_free(blob);
		if (t <= 0) {
			fprintf(stderr, "plan-bench: n=%d: %s\n", ns[i], err.text);
			rc = 1;
			continue;
		}
		if (!quiet)
			printf("  n=%5d  %10.3f ms  (%zu findings; %zu changes, %zu conflicts, "
			       "%zu unresolved, %s)\n", ns[i], t * 1e3, fig.findings, fig.changes,
			       fig.conflicts, fig.advice, fig.feasible ? "feasible" : "infeasible");
		double x = log(ns[i]), y = log(t);
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		fitted++;
		last = t;
		if (ns[i] == TARGET_N)
			at_target = t;
	}
	double e = fitted > 1 ? (fitted * sxy - sx * sy) / (fitted * sxx - sx * sx) : 0;
	if (quiet) {
		printf("plan exponent %.2f", e);
		if (at_target >= 0)
			printf(" t(n=%d) %.3f ms target %.0f ms", TARGET_N, at_target * 1e3,
			       TARGET_MS);
		printf(" t(n=%d) %.3f ms\n", ns[n_ns - 1], last * 1e3);
	} else {
		printf("  fitted exponent %.2f (log t against log n)\n", e);
		if (at_target >= 0)
			printf("  n=%d: %.3f ms, target %.0f ms: %s\n", TARGET_N, at_target * 1e3,
			       TARGET_MS, at_target * 1e3 <= TARGET_MS ? "met" : "missed");
	}
	cvo_platform_free(p);
	return rc;
}

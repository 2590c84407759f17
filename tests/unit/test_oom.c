// SPDX-License-Identifier: MIT
/*
 * Allocation failure inside the checks: every golden case's check run is repeated with its
 * k-th allocation failing, for every k, and must either fail with CVO_ERR_NOMEM or (when the
 * failed allocation was not the checks') give exactly the findings of the clean run; a run
 * whose failed allocation was in the checks must never succeed. The linker wraps malloc,
 * calloc and realloc for this executable and libcarveout (meson.build: --wrap), so the
 * library itself has no test hook.
 *   test-oom CASES_DIR
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "carveout.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

/* The allocation to fail: the countdown-th one after arming (0: none); sticky makes every
 * later one fail too. */
static struct {
	unsigned long countdown;
	bool sticky, fired;
	unsigned long seen;
} inj;

static bool inject(void)
{
	if (!inj.countdown)
		return false;
	inj.seen++;
	if (inj.fired && inj.sticky)
		return true;
	if (inj.seen == inj.countdown) {
		inj.fired = true;
		return true;
	}
	return false;
}

static void arm(unsigned long k, bool sticky)
{
	inj.countdown = k;
	inj.sticky = sticky;
	inj.fired = false;
	inj.seen = 0;
}

static void disarm(void)
{
	inj.countdown = 0;
}

void *__wrap_malloc(size_t n)
{
	return inject() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return inject() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return inject() ? NULL : __real_realloc(p, n);
}

static const char *cases_dir;

struct input {
	struct cvo_blob *blob;
	struct cvo_platform *platform;
};

/* A fresh model and its placement for every run. */
static struct cvo_model *placed(const struct input *in, struct cvo_placement *pl)
{
	struct cvo_model *m;
	struct cvo_error err;
	assert_int_equal(cvo_model_build(in->blob, in->platform, &m, &err), 0);
	assert_int_equal(cvo_place(m, NULL, pl), 0);
	return m;
}

static bool same_findings(const struct cvo_report *a, const struct cvo_report *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct cvo_finding *x = &a->findings[i], *y = &b->findings[i];
		if (strcmp(x->check, y->check) || strcmp(x->path, y->path) ||
		    strcmp(x->message, y->message) || x->severity != y->severity ||
		    x->n_related != y->n_related || x->has_loc != y->has_loc)
			return false;
	}
	return true;
}

/* Every k, one allocation failing, then every allocation from k on failing. returns the
 * number of runs whose failure reached the checks. */
static size_t exercise(const char *name, const struct input *in)
{
	struct cvo_placement pl;
	struct cvo_model *m = placed(in, &pl);
	struct cvo_report clean;
	cvo_report_init(&clean);
	arm(ULONG_MAX, false); /* counts, never fails */
	assert_int_equal(cvo_check_run(&pl, NULL, &clean), 0);
	unsigned long total = inj.seen;
	disarm();
	cvo_placement_fini(&pl);
	cvo_model_free(m);
	size_t failed = 0;
	for (int sticky = 0; sticky < 2; sticky++) {
		for (unsigned long k = 1; k <= total; k++) {
			m = placed(in, &pl);
			struct cvo_report r;
			cvo_report_init(&r);
			arm(k, sticky);
			int ret = cvo_check_run(&pl, NULL, &r);
			bool fired = inj.fired;
			disarm();
			if (fired && ret != CVO_ERR_NOMEM)
				fail_msg("%s: allocation %lu of %lu failed (%s), the run returned %d "
					 "with %zu findings (%zu without the failure)",
					 name, k, total, sticky ? "and every later one" : "alone", ret,
					 r.n, clean.n);
			if (!fired)
				assert_true(ret == 0 && same_findings(&r, &clean));
			failed += ret == CVO_ERR_NOMEM;
			cvo_report_fini(&r);
			cvo_placement_fini(&pl);
			cvo_model_free(m);
		}
	}
	cvo_report_fini(&clean);
	return failed;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cases_oom(void **state)
{
	(void)state;
	DIR *d = opendir(cases_dir);
	assert_non_null(d);
	char *names[1024];
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) && n < 1024;)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	size_t cases = 0, runs = 0;
	for (size_t i = 0; i < n; i++) {
		char dts[4096], yaml[4096];
		snprintf(dts, sizeof(dts), "%s/%s/input.dts", cases_dir, names[i]);
		snprintf(yaml, sizeof(yaml), "%s/%s/platform.yaml", cases_dir, names[i]);
		struct input in = { 0 };
		struct cvo_error err;
		FILE *f = fopen(dts, "r");
		if (!f)
			goto next; /* diff and verify cases have no input.dts */
		fclose(f);
		if (cvo_blob_load(dts, NULL, 0, &in.blob, &err))
			goto next; /* the cases of invalid input */
		f = fopen(yaml, "r");
		if (f) {
			fclose(f);
			if (cvo_platform_load(yaml, &in.platform, &err))
				in.platform = NULL;
		}
		if (!in.platform)
			assert_int_equal(cvo_platform_generic(CVO_ARCH_ARM64, &in.platform, &err), 0);
		runs += exercise(names[i], &in);
		cases++;
		cvo_platform_free(in.platform);
		cvo_blob_free(in.blob);
	next:
		free(names[i]);
	}
	print_message("%zu cases, %zu runs failed with CVO_ERR_NOMEM as they must\n", cases, runs);
	assert_true(cases > 100);
	assert_true(runs > 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-oom CASES_DIR\n");
		return 2;
	}
	cases_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

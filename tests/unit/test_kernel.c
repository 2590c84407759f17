// SPDX-License-Identifier: MIT
/*
 * Unit tests of the kernel rules (lib/kernel.c): each side of a version switch,
 * stable backports by patch level, and the rules of a run without a platform.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel.h"

static struct cvo_platform version(int major, int minor, int patch)
{
	struct cvo_platform p = cvo_default_platform;
	p.kver_major = major;
	p.kver_minor = minor;
	p.kver_patch = patch;
	return p;
}

/* No platform: the default platform's rules, the ones placement uses then (6.1). */
static void test_no_platform(void **state)
{
	(void)state;
	struct cvo_rules a = cvo_rules_for(NULL), b = cvo_rules_for(&cvo_default_platform);
	assert_int_equal(a.cma_slots, b.cma_slots);
	assert_int_equal(a.cma_min_align, b.cma_min_align);
	assert_int_equal(a.rdp_highmem_setup, b.rdp_highmem_setup);
	assert_int_equal(a.cma_min_align, 2 << 20); /* pageblock_order 9 with HUGETLB_PAGE */
	assert_int_equal(a.cma_slots, 20);
	assert_false(a.sort_by_node);
	assert_false(a.static_unlimited);
	assert_true(a.max_cma_plus_one);
	assert_int_equal(a.max_reserved_regions, 64);
}

/* include/linux/cma.h: MAX_CMA_AREAS gains a slot before 6.9 only. */
static void test_cma_slots(void **state)
{
	(void)state;
	struct cvo_platform p = version(6, 8, -1);
	p.config.cma_areas = 7;
	assert_int_equal(cvo_rules_for(&p).cma_slots, 8);
	p.kver_minor = 9;
	p.config.cma_areas = 8;
	assert_int_equal(cvo_rules_for(&p).cma_slots, 8);
	assert_false(cvo_rules_for(&p).max_cma_plus_one);
}

/* A stable backport from its patch level on; the mainline-only view ignores it. */
static void test_stable_backport(void **state)
{
	(void)state;
	struct cvo_platform p = version(6, 12, 102);
	struct cvo_rules r = cvo_rules_for(&p);
	assert_false(r.static_unlimited);
	assert_true(r.alloc_before_sort);
	p.kver_patch = 103;
	r = cvo_rules_for(&p);
	assert_true(r.static_unlimited);
	assert_false(r.nomap_whole_pages);
	p.kver_patch = 117;
	assert_true(cvo_rules_for(&p).nomap_whole_pages);
	p = version(6, 13, -1);
	r = cvo_rules_for(&p);
	assert_true(r.static_unlimited);
	assert_false(r.nomap_whole_pages);
}

/* zone_sizes_init(): zone_dma_bits rounds the DT limit up to a power of two before 6.12. */
static void test_zone_dma_mask(void **state)
{
	(void)state;
	struct cvo_platform p = version(6, 1, -1);
	struct cvo_rules r = cvo_rules_for(&p);
	assert_int_equal(cvo_zone_dma_mask(&r, 0, 0x2fffffff), 0x3fffffff);
	assert_int_equal(cvo_zone_dma_mask(&r, 0, UINT64_MAX), 0xffffffff);
	p.kver_minor = 12;
	r = cvo_rules_for(&p);
	assert_int_equal(cvo_zone_dma_mask(&r, 0, 0x2fffffff), 0x2fffffff);
	assert_int_equal(cvo_zone_dma_mask(&r, 0x100000000, UINT64_MAX), UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_platform),
		cmocka_unit_test(test_cma_slots),
		cmocka_unit_test(test_stable_backport),
		cmocka_unit_test(test_zone_dma_mask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

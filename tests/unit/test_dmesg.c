// SPDX-License-Identifier: MIT
/* Unit tests of the boot-log reader (lib/dmesg.c): every prefix a log comes with,
 * lines a console cut or wrapped, several boots in one log, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "carveout.h"

static struct cvo_dmesg *parse(const char *text)
{
	struct cvo_dmesg *log = NULL;
	struct cvo_error err;
	assert_int_equal(cvo_dmesg_parse(text, strlen(text), "t.log", &log, &err), 0);
	return log;
}

/* The same three messages behind every prefix a log can carry. */
static void test_prefixes(void **state)
{
	static const char *const prefixes[] = {
		"",
		"[    0.000000] ",
		"<6>[    0.000000] ",
		"<6>",
		"6,12,0,-;",
		"kern  :info  : [    0.000000] ",
		"[Mon Dec  1 08:57:03 2025] ",
		"[    0.000000] [    T0] ",
		"Dec 01 08:57:03 virt kernel: ",
		"2025-12-01T08:57:03+0100 virt kernel: ",
		"Dec  1 08:57:03 virt kernel: [    0.000000] ",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		char text[1024];
		const char *p = prefixes[i];
		snprintf(text, sizeof(text),
			 "%sReserved memory: created CMA memory pool at 0x00000000be000000, size 32 MiB\r\n"
			 "%sOF: reserved mem: initialized node linux,cma, compatible id shared-dma-pool\r\n"
			 "%scma: Reserved 16 MiB at 0x00000000b9a00000 on node -1\r\n"
			 "%sKernel command line: console=ttyAMA0 cma=16M\r\n",
			 p, p, p, p);
		struct cvo_dmesg *log = parse(text);
		assert_int_equal(log->n_regions, 1);
		assert_string_equal(log->regions[0].name, "linux,cma");
		assert_int_equal(log->regions[0].pool, CVO_BOOT_POOL_CMA);
		assert_int_equal(log->regions[0].pool_base, 0xbe000000);
		assert_int_equal(log->regions[0].pool_size, 32 << 20);
		assert_string_equal(log->regions[0].compatible, "shared-dma-pool");
		assert_int_equal(log->default_cma, CVO_BOOT_CMA_PLACED);
		assert_int_equal(log->default_cma_base, 0xb9a00000);
		assert_string_equal(log->cmdline, "console=ttyAMA0 cma=16M");
		assert_true(log->complete);
		cvo_dmesg_free(log);
	}
}

static void test_versions_and_memory(void **state)
{
	struct cvo_dmesg *log = parse(
		"[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]\n"
		"[    0.000000] Linux version 6.12.117+deb13-arm64 (gcc) #1 SMP\n"
		"[    0.000000] Early memory node ranges\n"
		"[    0.000000]   node   0: [mem 0x0000000040000000-0x000000004fffffff]\n"
		"[    0.000000]   node   0: [mem 0x0000000050000000-0x00000000503fffff]\n"
		"[    0.000000]   node   0: [mem 0x0000000100000000-0x000000013fffffff]\n"
		"[    0.000000] Initmem setup node 0 [mem 0x0000000040000000-0x000000013fffffff]\n"
		"[    0.000000] OF: reserved mem: 0x0000000050000000..0x00000000503fffff (4096 KiB) "
		"nomap non-reusable s0@50000000\n"
		"[    0.000000] OF: reserved mem: 0x0000000058000000..0x00000000580fffff (1023 KiB) "
		"map non-reusable wrong-size\n");
	assert_string_equal(log->version, "6.12.117+deb13-arm64");
	assert_int_equal(log->kver_major, 6);
	assert_int_equal(log->kver_minor, 12);
	assert_true(log->has_arch);
	assert_int_equal(log->arch, CVO_ARCH_ARM64);
	assert_int_equal(log->n_banks, 2); /* the no-map split is merged again */
	assert_int_equal(log->banks[0].base, 0x40000000);
	assert_int_equal(log->banks[0].size, 0x10400000);
	assert_int_equal(log->banks[1].base, 0x100000000);
	/* a range line whose KiB disagrees with its range is not read */
	assert_int_equal(log->n_regions, 1);
	const struct cvo_boot_region *r = cvo_dmesg_region(log, "s0@50000000");
	assert_non_null(r);
	assert_true(r->said & CVO_BOOT_RANGE);
	assert_true(r->range_nomap);
	assert_false(r->range_reusable);
	assert_int_equal(r->range_size, 0x400000);
	assert_false(log->complete);
	cvo_dmesg_free(log);
}

/* Lines cut by a console are dropped, wrapped ones joined, never read short. */
static void test_cut_lines(void **state)
{
	struct cvo_dmesg *log = parse(
		"[    0.000000] Linux version 6.1.0-50-armmp (gcc) #1 SMP\r\n"
		"[    0.000000] CPU: ARMv7 Processor [414fc0f0] revision 0 (ARMv7), cr=10c5387d\r\n"
		"[    0.000000] Reserved memory: bypass linux,cma node, using cmdline CMA params \r\n"
		"instead\r\n"
		"[    0.000000] Reserved memory: created CMA memory pool at 0x7e0[    0.000000] OF: r"
		"eserved mem: failed to allocate memory for node 'huge': size 2048 MiB\r\n"
		"[    0.000000] OF: reserved mem: OVERLAP DETECTED!\r\n"
		"[    0.000000] s0@50000000 (0x50000000--0x50400000) overlaps with s1@50200000 (0x50"
		"\r\n200000--0x50300000)\r\n"
		"[    0.000000] Kernel command line: console=ttyAMA0 cma=32M\r\n"
		"[    0.000000] Kernel command line: console=ttyAMA0 cma=3");
	assert_true(log->has_arch);
	assert_int_equal(log->arch, CVO_ARCH_ARM);
	const struct cvo_boot_region *r = cvo_dmesg_region(log, "linux,cma");
	assert_non_null(r);
	assert_true(r->said & CVO_BOOT_BYPASS);
	r = cvo_dmesg_region(log, "huge");
	assert_non_null(r);
	assert_true(r->said & CVO_BOOT_ALLOC_FAIL);
	assert_int_equal(r->pool, CVO_BOOT_POOL_NONE);
	assert_int_equal(log->n_overlaps, 1);
	assert_int_equal(log->overlaps[0].b_base, 0x50200000);
	assert_int_equal(log->overlaps[0].b_end, 0x50300000);
	/* the unterminated last command line may be cut: the whole one before it stays */
	assert_string_equal(log->cmdline, "console=ttyAMA0 cma=32M");
	assert_int_equal(log->n_cut, 2);
	cvo_dmesg_free(log);
}

/* journalctl -k without -b: the last boot's lines only. */
static void test_two_boots(void **state)
{
	struct cvo_dmesg *log = parse(
		"Linux version 6.1.0-50-arm64 (gcc) #1\n"
		"OF: reserved mem: failed to allocate memory for node 'old': size 64 MiB\n"
		"cma: Reserved 64 MiB at 0x00000000b8000000\n"
		"Linux version 6.1.0-51-arm64 (gcc) #1\n"
		"OF: reserved mem: node gpu@5a100000 compatible matching fail\n");
	assert_int_equal(log->n_boots, 2);
	assert_string_equal(log->version, "6.1.0-51-arm64");
	assert_int_equal(log->n_regions, 1);
	assert_null(cvo_dmesg_region(log, "old"));
	assert_non_null(cvo_dmesg_region(log, "gpu@5a100000"));
	assert_int_equal(log->default_cma, CVO_BOOT_CMA_NONE);
	cvo_dmesg_free(log);
}

/* "Not enough slots for CMA reserved regions!": a region's when rmem_cma_setup()'s "unable to
 * setup CMA region" follows, else the default area's (also as the log's last line). */
static void test_cma_slots(void **state)
{
	struct cvo_dmesg *log = parse(
		"cma: Not enough slots for CMA reserved regions!\n"
		"Reserved memory: unable to setup CMA region\n"
		"OF: reserved mem: node d19 compatible matching fail\n");
	assert_int_equal(log->default_cma, CVO_BOOT_CMA_NONE);
	cvo_dmesg_free(log);
	log = parse("OF: reserved mem: initialized node d13, compatible id shared-dma-pool\n"
		    "cma: Not enough slots for CMA reserved regions!\n"
		    "Reserved memory: regions without no-map are not yet supported\n"
		    "OF: reserved mem: node s4@9ae00000 compatible matching fail\n");
	assert_int_equal(log->default_cma, CVO_BOOT_CMA_FAILED);
	assert_int_equal(log->default_cma_line, 2);
	cvo_dmesg_free(log);
	log = parse("cma: Not enough slots for CMA reserved regions!\n");
	assert_int_equal(log->default_cma, CVO_BOOT_CMA_FAILED);
	cvo_dmesg_free(log);
}

static void test_refused(void **state)
{
	struct cvo_dmesg *log = NULL;
	struct cvo_error err;
	static const char text[] = "hello\nworld\n[    0.000000] Reserved memory: created CMA "
				   "memory pool at 0xbe000000, size\n";
	assert_int_equal(cvo_dmesg_parse(text, sizeof(text) - 1, "t.log", &log, &err),
			 CVO_ERR_INVALID);
	assert_null(log);
	assert_string_equal(err.text, "not a kernel boot log (no \"Linux version\", \"Kernel "
				      "command line\" or reserved-memory line)");
	static const unsigned char bin[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	assert_int_equal(cvo_dmesg_parse(bin, sizeof(bin), "t.log", &log, &err), CVO_ERR_INVALID);
	assert_non_null(strstr(err.text, "binary data"));
	assert_int_equal(cvo_dmesg_parse("", 0, "t.log", &log, &err), CVO_ERR_INVALID);
	/* a %pa of another width than 8 or 16 digits is no kernel line */
	static const char odd[] = "cma: Reserved 16 MiB at 0x0b9a00000\n";
	assert_int_equal(cvo_dmesg_parse(odd, sizeof(odd) - 1, "t.log", &log, &err),
			 CVO_ERR_INVALID);
	cvo_dmesg_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),   cmocka_unit_test(test_versions_and_memory),
		cmocka_unit_test(test_cut_lines),  cmocka_unit_test(test_two_boots),
		cmocka_unit_test(test_refused),   cmocka_unit_test(test_cma_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Boot logs: the kernel's own account of a boot against carveout's prediction.
 * These checks have no run function over a model alone: `carveout verify`
 * (lib/verify.c) reports them when it compares a boot log with the DT.
 */
#include "checks.h"

#define EXPLAIN(...) __VA_ARGS__

const struct cvo_check cvo_checks_boot[] = {
	{
		"boot_mismatch", CVO_SEV_ERROR, "boot",
		"the kernel's boot log and carveout's prediction differ for a region or the default "
		"CMA area",
		EXPLAIN(
		"What: carveout verify read a boot log (dmesg, journalctl -k or a serial console) "
		"and predicted the same DT with the log's kernel version, command line and RAM. "
		"For a region the log names, the kernel's outcome (placed at a base with a size, "
		"failed, bypassed for cma=, the pool its handler created, the map and reusable "
		"flags 6.3 and later print) differs from the prediction; or the log names a "
		"region the DT does not have; or the default CMA area (\"cma: Reserved N MiB at "
		"...\") is somewhere else, of another size, or only on one side. The message gives "
		"both values and the log's line.\n"
		"Why: either the DT given is not the one the kernel booted (the bootloader patched "
		"it, an overlay was applied, the build is stale), or the platform (kernel version, "
		"configuration, memory the firmware reserves) is not what carveout was told, or "
		"carveout's model of the kernel is wrong. Each of these makes every other "
		"prediction for this board suspect until it is explained.\n"
		"Example: the log says \"Reserved memory: created CMA memory pool at "
		"0x00000000be000000, size 32 MiB\" then \"initialized node linux,cma\", and the DT's "
		"linux,cma { size = <0x0 0x4000000>; } is predicted at 0x00000000bc000000 (64 MiB): "
		"the DT was changed after the boot.\n"
		"Fix: verify the DT the bootloader really passed (/sys/firmware/fdt on the board), "
		"give the platform the kernel's configuration and the reservations the firmware "
		"makes (-p, --emit-platform writes what the log showed), and report a mismatch "
		"that remains with both files: it is a bug in carveout."),
		NULL,
	},
	{
		"boot_silent", CVO_SEV_NOTE, "boot",
		"a region the kernel's version names at boot is not in the log",
		EXPLAIN(
		"What: carveout predicts that the kernel prints a line for this region (a "
		"failure, \"initialized node\" from its handler on 6.1 and 6.2, the range line "
		"\"OF: reserved mem: 0x...000..0x...fff (N KiB) map|nomap ... NAME\" on 6.3 and "
		"later), and the log has none, so nothing about it was compared. For the default "
		"CMA area: carveout predicts one and the log ends before the kernel prints it.\n"
		"Why: the log is incomplete (the ring buffer wrapped, a quiet loglevel, dmesg "
		"read after a restart of the log, a capture that begins late or stops early), or "
		"the DT has a region the booted one did not. On 6.1 the kernel names only regions "
		"whose compatible it handles and failures: a vendor region is silent there and "
		"not reported.\n"
		"Example: a log filtered with `dmesg | grep cma` and a DT with a no-map "
		"shared-dma-pool: \"created DMA memory pool\" and \"initialized node\" were "
		"filtered out.\n"
		"Fix: give the whole log from the first line (`dmesg` right after boot, "
		"`journalctl -k -b`, the serial console with loglevel 6 or more), or check that the "
		"DT is the one that was booted."),
		NULL,
	},
	{ 0 },
};

// SPDX-License-Identifier: MIT
/* Arch names, and the arch a DT is for guessed from its /cpus. */
#include <ctype.h>
#include <string.h>

#include <libfdt.h>

#include "../util.h"

const char *cvo_arch_name(enum cvo_arch arch)
{
	switch (arch) {
	case CVO_ARCH_ARM: return "arm";
	case CVO_ARCH_ARM64: return "arm64";
	case CVO_ARCH_RISCV: return "riscv";
	case CVO_ARCH_POWERPC: return "powerpc";
	}
	return "?";
}

bool cvo_arch_parse(const char *name, enum cvo_arch *out)
{
	static const enum cvo_arch all[] = {
		CVO_ARCH_ARM, CVO_ARCH_ARM64, CVO_ARCH_RISCV, CVO_ARCH_POWERPC,
	};
	for (size_t i = 0; i < CVO_ARRAY_LEN(all); i++) {
		if (strcmp(name, cvo_arch_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

/* CPU compatibles of 64-bit (AArch64) cores: the DT is for an arm64 kernel. */
static bool cpu_is_arm64(const char *c)
{
	static const char *const exact[] = {
		"arm,armv8", "arm,cortex-a34", "arm,cortex-a35", "arm,cortex-a53",
		"arm,cortex-a55", "arm,cortex-a57", "arm,cortex-a65", "arm,cortex-a65ae",
		"arm,cortex-a72", "arm,cortex-a73", "arm,cortex-a75", "arm,cortex-a76",
		"arm,cortex-a77", "arm,cortex-a78", "arm,cortex-a78ae", "arm,cortex-a78c",
		"arm,kryo", "brcm,brahma-b53", "brcm,vulcan", "apm,potenza", "apm,strega",
		"nvidia,denver", "nvidia,carmel", "nvidia,tegra132-denver",
		"nvidia,tegra186-denver", "fujitsu,a64fx",
	};
	static const char *const prefix[] = {
		"arm,cortex-x", "arm,neoverse", "qcom,kryo", "qcom,oryon", "cavium,thunder",
		"apple,", "ampere,",
	};
	for (size_t i = 0; i < CVO_ARRAY_LEN(exact); i++)
		if (strcmp(c, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < CVO_ARRAY_LEN(prefix); i++)
		if (strncmp(c, prefix[i], strlen(prefix[i])) == 0)
			return true;
	/* arm,cortex-a510 / a520 / a710 / a715 / a720 / a725 ...: three digits are v9 */
	if (strncmp(c, "arm,cortex-a", 12) == 0 && strlen(c) == 15 &&
	    isdigit((unsigned char)c[12]) && isdigit((unsigned char)c[13]) &&
	    isdigit((unsigned char)c[14]))
		return true;
	return false;
}

/*
 * Guess the arch from the DT alone: a cpu node with riscv,isa (or a "riscv"
 * compatible) is riscv; a cpu named PowerPC,* or compatible ibm,power* is
 * powerpc; a cpu compatible naming an AArch64 core is arm64; any other cpu
 * compatible is arm; with no cpu compatible, root #address-cells 1 is arm,
 * else arm64. On Debian's 6.1 DTBs this classifies every arm64 DTB as arm64
 * and every armmp DTB as arm, except the Raspberry Pi 3/4 ones (Cortex-A53/A72
 * boards that also ship in armmp), which it calls arm64.
 */
enum cvo_arch cvo_platform_guess_arch(const void *fdt)
{
	bool saw64 = false, saw32 = false;
	if (!fdt)
		return CVO_ARCH_ARM64;
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus >= 0) {
		int node;
		fdt_for_each_subnode(node, fdt, cpus) {
			const char *name = fdt_get_name(fdt, node, NULL);
			int len;
			const char *dt = fdt_getprop(fdt, node, "device_type", &len);
			bool is_cpu = (dt && len == 4 && memcmp(dt, "cpu", 4) == 0) ||
				      (name && strncmp(name, "cpu", 3) == 0);
			if (!is_cpu)
				continue;
			if (name && strncmp(name, "PowerPC,", 8) == 0)
				return CVO_ARCH_POWERPC;
			if (fdt_getprop(fdt, node, "riscv,isa", NULL) ||
			    fdt_getprop(fdt, node, "riscv,isa-base", NULL))
				return CVO_ARCH_RISCV;
			const char *cp = fdt_getprop(fdt, node, "compatible", &len);
			for (int off = 0; cp && len > 0 && off < len;) {
				const char *s = cp + off;
				size_t sl = strnlen(s, (size_t)(len - off));
				if (sl == (size_t)(len - off))
					break; /* not NUL-terminated */
				if (strcmp(s, "riscv") == 0 || strncmp(s, "riscv,", 6) == 0)
					return CVO_ARCH_RISCV;
				if (strncmp(s, "ibm,power", 9) == 0)
					return CVO_ARCH_POWERPC;
				if (cpu_is_arm64(s))
					saw64 = true;
				else
					saw32 = true;
				off += (int)sl + 1;
			}
		}
	}
	if (saw64)
		return CVO_ARCH_ARM64;
	if (saw32)
		return CVO_ARCH_ARM;
	uint32_t ac;
	if (cvo_fdt_u32(fdt, 0, "#address-cells", &ac) && ac == 1)
		return CVO_ARCH_ARM;
	return CVO_ARCH_ARM64;
}

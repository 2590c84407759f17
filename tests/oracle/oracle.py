#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The placement oracle: carveout's simulation against Debian's real kernels.

Random /reserved-memory layouts are generated from a printed seed, each is booted
under QEMU's virt machine on one of KERNELS (Debian 12's 6.1 arm64 and armmp, Debian
13's 6.12 arm64, arm64-16k, armmp, armmp-lpae and riscv64), the kernel's early
log is read until its reserved-memory and CMA decisions are all printed, and every
region's fate (placed at which base, failed, ignored) and the default CMA area are
compared with `carveout check -f json`, and so are, node by node, the findings of the
checks whose outcome the log shows (CHECKS; README.md has the rules). Regression
layouts (tests/oracle/regress/*.dts, each with the kernel's recorded answer in its
header) are compared too, and booted again when the kernels are at hand.

usage: oracle.py --carveout EXE [--kernels 6.1|NAME[:COUNT],...] [--count N] [--seed S]
                 [--jobs J] [--work DIR] [--regress DIR] [--regress-only] [--keep]
                 [--record DIR]

Environment: CARVEOUT_ORACLE_SEED, CARVEOUT_ORACLE_COUNT override --seed and every count;
CARVEOUT_ORACLE_KERNELS (Debian 12) and CARVEOUT_ORACLE_KERNELS_TRIXIE (Debian 13) name
folders holding boot/vmlinuz-*-FLAVOUR (else the Debian corpus folders are used, fetched
when missing: see tests/corpus/corpus.py).
"""
import argparse
import concurrent.futures
import glob
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "corpus"))

MiB = 1 << 20
GiB = 1 << 30
RAM_BASE = 0x40000000
# QEMU puts the kernel image, the DTB and (on arm) the zImage's work area in the
# first 160 MiB of RAM: static regions and alloc-ranges stay clear of it, and the
# platform file given to carveout reserves it (the kernel reserves its image and
# the DTB before it looks at /reserved-memory).
LOW_RESERVED = 160 * MiB
BOOT_TIMEOUT = 60
GRACE = 5  # seconds to read on from STOP to "Kernel command line:"
KIND_COMPAT = {
    "coherent": "shared-dma-pool",
    "mapped": "shared-dma-pool",
    "cma": "shared-dma-pool",
    "badcma": "shared-dma-pool",
    "restricted": "restricted-dma-pool",
    "vendor": "acme,firmware-carveout",
}


# ------------------------------------------------------------------ kernels

# Debian's kernel configuration, as the platform file says it to carveout: every key
# the simulation relies on is explicit, so a generic profile changing its meaning
# changes nothing here (read from each package's /boot/config-*).
CONFIG_61_ARM64 = {"ZONE_DMA": "y", "ZONE_DMA32": "y", "DMA_CMA": "y", "CMA_SIZE_MBYTES": 64,
                   "CMA_AREAS": 19, "HUGETLB_PAGE": "y", "TRANSPARENT_HUGEPAGE": "y",
                   "DMA_RESTRICTED_POOL": "n", "DMA_DIRECT_REMAP": "y",
                   "DMA_GLOBAL_POOL": "n", "INIT_ON_ALLOC_DEFAULT_ON": "y",
                   "ARCH_FORCE_MAX_ORDER": 11}
CONFIG_61_ARMMP = {"ZONE_DMA": "y", "ZONE_DMA32": "n", "DMA_CMA": "y", "CMA_SIZE_MBYTES": 16,
                   "CMA_AREAS": 7, "HUGETLB_PAGE": "n", "TRANSPARENT_HUGEPAGE": "n",
                   "DMA_RESTRICTED_POOL": "n", "DMA_DIRECT_REMAP": "n",
                   "DMA_GLOBAL_POOL": "n", "INIT_ON_ALLOC_DEFAULT_ON": "y",
                   "ARCH_FORCE_MAX_ORDER": 12, "ARM_LPAE": "n"}
CONFIG_612_ARM64 = dict(CONFIG_61_ARM64, CMA_AREAS=20, ARCH_FORCE_MAX_ORDER=10)
CONFIG_612_ARMMP = dict(CONFIG_61_ARMMP, CMA_AREAS=8, ARCH_FORCE_MAX_ORDER=11)
# Debian 13's riscv64 kernel has no CONFIG_CMA (so no DMA_CMA and no default area)
CONFIG_612_RISCV = {"ZONE_DMA": "n", "ZONE_DMA32": "y", "DMA_CMA": "n", "CMA_SIZE_MBYTES": 0,
                    "HUGETLB_PAGE": "y", "TRANSPARENT_HUGEPAGE": "y",
                    "DMA_RESTRICTED_POOL": "n", "DMA_DIRECT_REMAP": "y",
                    "DMA_GLOBAL_POOL": "n", "INIT_ON_ALLOC_DEFAULT_ON": "y"}

# The kernels the oracle boots, by name: Debian release and package flavour, the
# version carveout is told (a stable release's patch level decides its backports),
# page size, configuration, the QEMU machine and the RAM sizes layouts get (MiB:
# lowest, highest, step).
KERNELS = {
    "6.1-arm64": dict(profile="debian12-arm64", release="bookworm", flavour="arm64", arch="arm64", version="6.1",
                      page="4K", config=CONFIG_61_ARM64, mem=(1024, 6144, 256)),
    "6.1-armmp": dict(profile="debian12-arm", release="bookworm", flavour="armmp", arch="arm", version="6.1",
                      page="4K", config=CONFIG_61_ARMMP, mem=(512, 2048, 128)),
    "6.12-arm64": dict(profile="debian13-arm64", release="trixie", flavour="arm64", arch="arm64", version="6.12.117",
                       page="4K", config=CONFIG_612_ARM64, mem=(1024, 6144, 256)),
    # the A57 model has no 16K granule
    "6.12-arm64-16k": dict(profile="debian13-arm64-16k", release="trixie", flavour="arm64-16k", arch="arm64",
                           version="6.12.117", page="16K",
                           config=dict(CONFIG_612_ARM64, ARCH_FORCE_MAX_ORDER=11),
                           mem=(1024, 6144, 256), cpu="cortex-a76"),
    "6.12-armmp": dict(profile="debian13-armmp", release="trixie", flavour="armmp", arch="arm", version="6.12.117",
                       page="4K", config=CONFIG_612_ARMMP, mem=(512, 2048, 128)),
    # LPAE: 64-bit phys_addr_t, RAM above 4 GiB (highmem), hugetlb pageblocks
    "6.12-armmp-lpae": dict(profile="debian13-armmp-lpae", release="trixie", flavour="armmp-lpae", arch="arm",
                            version="6.12.117", page="4K",
                            config=dict(CONFIG_612_ARMMP, ARM_LPAE="y", HUGETLB_PAGE="y",
                                        TRANSPARENT_HUGEPAGE="y"),
                            mem=(512, 6144, 256)),
    # image: the kernel Image header's text_offset and image_size (checked at boot)
    "6.12-riscv64": dict(profile="debian13-riscv64", image=(0x200000, 0x1e6c000),
                         release="trixie", flavour="riscv64", arch="riscv", version="6.12.117",
                         page="4K", config=CONFIG_612_RISCV, mem=(1024, 4096, 256)),
}
# What a run boots unless told otherwise: Debian 12's two kernels, mixed as before
# (one arm layout in four), so that a seed gives the layouts it always gave.
DEFAULT_KERNELS = "6.1"
RAM_BASES = {"arm64": 0x40000000, "arm": 0x40000000, "riscv": 0x80000000}
DEFAULT_KERNEL_OF_ARCH = {"arm64": "6.1-arm64", "arm": "6.1-armmp"}


def find_kernel(name):
    """The vmlinuz of one KERNELS entry: $CARVEOUT_ORACLE_KERNELS (bookworm) or
    $CARVEOUT_ORACLE_KERNELS_TRIXIE names a folder holding boot/vmlinuz-*-FLAVOUR,
    else the Debian corpus folder of the release (fetched when missing)."""
    k = KERNELS[name]
    var = "CARVEOUT_ORACLE_KERNELS" + ("" if k["release"] == "bookworm" else "_TRIXIE")
    d = os.environ.get(var)
    if not d:
        import corpus
        d = corpus.locate(k["release"], sys.stdout)
    # riscv64 ships an uncompressed Image named vmlinux-*
    found = sorted(glob.glob(os.path.join(d, "**", "vmlinu[xz]-*-" + k["flavour"]),
                             recursive=True))
    if not found:
        raise RuntimeError("no vmlinuz-*-%s under %s" % (k["flavour"], d))
    if "image" in k and riscv_image(found[-1]) != k["image"]:
        raise RuntimeError("%s: Image header says text_offset 0x%x, image_size 0x%x; KERNELS "
                           "says 0x%x, 0x%x" % ((found[-1],) + riscv_image(found[-1]) +
                                                k["image"]))
    return found[-1]


def find_kernels():
    """(arm64 vmlinuz, armmp vmlinuz) of Debian 12 (the default run)."""
    return find_kernel("6.1-arm64"), find_kernel("6.1-armmp")


def parse_kernels(spec, count):
    """--kernels: "6.1" (Debian 12's pair, mixed) or a comma list of KERNELS names, each
    optionally NAME:COUNT; returns [(name or "6.1", count)]."""
    out = []
    for part in spec.split(","):
        name, _, n = part.strip().partition(":")
        if name != "6.1" and name not in KERNELS:
            raise SystemExit("oracle.py: unknown kernel %r (6.1, %s)" % (
                name, ", ".join(sorted(KERNELS))))
        out.append((name, int(n) if n else count))
    return out


# ------------------------------------------------------------------ layouts

def pick_size(rng, lo, hi, granules):
    g = rng.choice(granules)
    n = rng.randint(max(1, lo // g), max(1, hi // g))
    return n * g


def gen_layout(rng, idx, kname=None):
    """One random layout. kname None: Debian 12's mix (arm64 or armmp, the generator
    every recorded seed was made with); else for that KERNELS entry, with what its
    kernel adds to test (16K CMA alignment, RAM above 4 GiB, several alloc-ranges,
    CMA slot exhaustion, the region-table limit)."""
    kern = KERNELS[kname] if kname else None
    if kern is None:
        arch = "arm" if rng.random() < 0.25 else "arm64"
        if arch == "arm64":
            mem = rng.randrange(1024, 6144 + 1, 256) * MiB
        else:
            mem = rng.randrange(512, 2048 + 1, 128) * MiB
    else:
        arch = kern["arch"]
        lo_m, hi_m, step = kern["mem"]
        mem = rng.randrange(lo_m, hi_m + 1, step) * MiB
    ram = RAM_BASES[arch]
    end = ram + mem
    lo = ram + LOW_RESERVED
    wide = arch != "arm" or (kern is not None and kern["config"].get("ARM_LPAE") == "y")
    lay = {"name": "L%04d" % idx, "arch": arch, "mem": mem, "cmdline": "", "regions": [],
           "memreserve": [], "devices": []}
    if kname:
        lay["kernel"] = kname
    cma_ok = kern is None or kern["config"]["DMA_CMA"] == "y"
    if rng.random() < 0.15 and cma_ok:
        lay["cmdline"] = "cma=%dM" % rng.choice([8, 16, 32, 48, 64, 100])
    budget = mem - LOW_RESERVED - 160 * MiB - mem // 32  # early allocations, CMA
    if kern is not None and kern["page"] == "16K":
        budget -= mem // 4  # the 16K memmap takes 32 MiB a 128 MiB section
    used = 0
    statics = []
    n = rng.randint(1, 10)
    many = kern is not None and rng.random() < 0.04
    if many:
        n = rng.randint(60, 72)  # the region table: 64 entries (dynamic ones at least)
    slots = kern is not None and cma_ok and not many and rng.random() < 0.08
    if slots:
        n = rng.randint(8, 22)  # more CMA regions than CONFIG_CMA_AREAS + 1
    names = set()
    grans = [0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB]
    sgrans = [0x1000, 0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB]
    if kern is not None and kern["page"] == "16K":
        grans.append(32 * MiB)  # the 16K CMA alignment
        sgrans.append(32 * MiB)
    for i in range(n):
        kind = rng.choices(["coherent", "cma", "mapped", "badcma", "restricted", "vendor"],
                           [36, 30, 10, 6, 6, 12])[0]
        if slots:
            kind = "cma" if rng.random() < 0.8 else kind
        if many:
            kind = rng.choice(["coherent", "vendor"])
            if arch == "arm":
                # arm's map_lowmem() hangs, 6.1 as 6.12, with a few 64 KiB no-map holes
                # in lowmem (seed 12, 6.12-armmp-L0019): not modelled, kept out
                kind = "vendor"
        r = {"kind": kind, "compatible": KIND_COMPAT[kind],
             "no-map": kind in ("coherent", "badcma") or (kind == "vendor" and rng.random() < .5
                                                         and not (many and arch == "arm")),
             "reusable": kind in ("cma", "badcma"),
             "disabled": rng.random() < 0.05}
        # linux,cma-default: more often with cma= on the command line, which bypasses it
        if kind == "cma" and rng.random() < (0.6 if lay["cmdline"] else 0.3):
            r["cma-default"] = True
        static = rng.random() < 0.4
        if many:
            # small regions, so that 60-72 of them fit anywhere
            if static:
                size = 0x10000
                base = rng.randrange(lo, end - 64 * MiB, 0x10000)
                if any(base < o["reg"][0] + o["reg"][1] and o["reg"][0] < base + size
                       for o in statics):
                    continue
                r["reg"] = (base, size)
                name = "s%d@%x" % (i, base)
                statics.append(r)
            else:
                r["size"] = 0x10000
                name = "d%d" % i
            if name in names:
                continue
            names.add(name)
            r["name"] = name
            lay["regions"].append(r)
            continue
        if static:
            roll = rng.random()
            if roll < 0.2 and statics:
                # overlap an earlier static region
                o = rng.choice(statics)
                base = o["reg"][0] + rng.randrange(0, max(1, o["reg"][1]), 0x1000)
                size = pick_size(rng, 0x1000, 16 * MiB, [0x1000, 0x10000, MiB])
            elif roll < 0.25:
                # partly or wholly outside RAM
                top = 0xffffffff if not wide else end + 2 * GiB
                base = rng.randrange(end - 8 * MiB, max(end - 8 * MiB + 1, top - 64 * MiB),
                                     MiB)
                size = pick_size(rng, MiB, 32 * MiB, [MiB, 2 * MiB])
            elif roll < 0.29:
                base = rng.randrange(lo, end - 64 * MiB, MiB)
                size = 0
            else:
                g = rng.choice(sgrans) if kern is not None else \
                    rng.choice([0x1000, 0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB])
                size = pick_size(rng, 0x1000, 64 * MiB, [g])
                base = rng.randrange(lo, max(lo + g, end - size), g)
            if arch == "arm" and kind == "cma" and size and any(
                    o["kind"] == "cma" and o["reg"][1] and base < o["reg"][0] + o["reg"][1]
                    and o["reg"][0] < base + size for o in statics):
                # Debian's armmp 6.1 stops printing for good right after it sets up the
                # second of two overlapping static CMA areas, before its memory setup
                # (seed 3618656904, L0031): nothing to compare; rmem_overlap reports it
                continue
            if base >= ram and base < end:
                if used + min(size, end - base) > budget:
                    continue
                used += min(size, end - base)
            r["reg"] = (base, size)
            name = "s%d@%x" % (i, base)
            statics.append(r)
        else:
            roll = rng.random()
            if roll < 0.07:
                size = mem + rng.choice([0, 256 * MiB, 2 * GiB])  # cannot fit
            else:
                size = pick_size(rng, 0x10000, min(256 * MiB, mem // 4),
                                 grans if kern is not None else
                                 [0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB])
                if slots:
                    size = pick_size(rng, MiB, 16 * MiB, [MiB, 2 * MiB, 4 * MiB])
                if used + 2 * size > budget:
                    continue
                used += 2 * size
            r["size"] = size
            ar = rng.random()
            if ar < 0.5:
                pass
            elif ar < 0.92:
                r["alignment"] = 1 << rng.randint(12, 28)
            else:
                # not a power of two: memblock's mask leaves the base unaligned, which a
                # CMA region's handler refuses when the value exceeds the CMA minimum
                r["alignment"] = rng.choice([0x3000, 0x180000, 0x300000, 0x500000, 0x600000])
            if rng.random() < 0.35:
                ranges = []
                for _ in range(rng.randint(1, 2 if kern is None else 3)):
                    rs = rng.randrange(lo, end - MiB, MiB)
                    rl = pick_size(rng, MiB, 512 * MiB, [MiB, 16 * MiB])
                    if rng.random() < 0.1:
                        rs = end + rng.randrange(0, GiB, MiB)
                        if kern is not None and not wide:
                            rs &= 0xffffffff
                    ranges.append((rs, rl))
                r["alloc-ranges"] = ranges
            name = "d%d" % i
        if name in names:
            continue
        names.add(name)
        r["name"] = name
        lay["regions"].append(r)
    if rng.random() < 0.2:
        nomap = [r for r in statics if r["no-map"] and r["reg"][1] and r in lay["regions"]]
        if nomap and rng.random() < 0.5:
            # under a no-map region: the kernel fails it with -EBUSY
            o = rng.choice(nomap)
            b = o["reg"][0] + rng.randrange(0, o["reg"][1], 0x1000)
        else:
            b = rng.randrange(lo, end - 32 * MiB, MiB)
        lay["memreserve"].append((b, pick_size(rng, 0x1000, 8 * MiB, [0x1000, MiB])))
    gen_devices(rng, lay, used, budget)
    return lay


def gen_devices(rng, lay, used, budget):
    """Devices that reach only 32 (on arm sometimes 31) address bits, each described
    to carveout by a platform-file entry: some use a pool through memory-region, some
    take `cma:` from the default CMA area (then, often, a dynamic linux,cma-default
    region without alloc-ranges, which lands at the top of RAM)."""
    if rng.random() >= 0.5:
        return
    pools = [r for r in lay["regions"] if r["compatible"] == "shared-dma-pool"]
    for i in range(rng.randint(1, 3)):
        d = {"name": "dev%d" % i, "target": None,
             "bits": 32 if lay["arch"] == "arm64" or rng.random() < 0.5 else 31,
             "cma": 4 * MiB if rng.random() < 0.5 else 0}
        if pools and rng.random() < 0.7:
            d["target"] = rng.choice(pools)["name"]
        lay["devices"].append(d)
    if any(d["cma"] for d in lay["devices"]) and rng.random() < 0.5 and \
            not any(r.get("cma-default") for r in lay["regions"]):
        size = rng.choice([16, 32, 64, 128]) * MiB
        if used + 2 * size <= budget:
            lay["regions"].append({"kind": "cma", "compatible": "shared-dma-pool",
                                   "no-map": False, "reusable": True, "disabled": False,
                                   "cma-default": True, "size": size, "name": "linux,cma"})


def cells(v):
    return "0x%x 0x%x" % (v >> 32, v & 0xffffffff)


def to_dts(lay, base=None):
    """The layout as DTS. base: the DTS of QEMU's own machine (riscv, whose kernel
    needs its CPUs, interrupt controller and timer described): /memreserve/ entries,
    /reserved-memory and the devices are added to it; else a minimal DT."""
    ram = RAM_BASES[lay["arch"]]
    head = ["/dts-v1/;", ""]
    for b, s in lay["memreserve"]:
        head.append("/memreserve/ 0x%x 0x%x;" % (b, s))
    out = ["/ {",
           "\t#address-cells = <2>;",
           "\t#size-cells = <2>;",
           '\tcompatible = "linux,dummy-virt";',
           '\tmodel = "carveout oracle %s";' % lay["name"],
           "",
           "\tchosen {",
           '\t\tstdout-path = "/pl011@9000000";',
           "\t};",
           "",
           "\tmemory@%x {" % ram,
           '\t\tdevice_type = "memory";',
           "\t\treg = <%s %s>;" % (cells(ram), cells(lay["mem"])),
           "\t};",
           "",
           "\tpl011@9000000 {",
           '\t\tcompatible = "arm,pl011", "arm,primecell";',
           "\t\treg = <0x0 0x9000000 0x0 0x1000>;",
           "\t};",
           ""]
    if base is not None:
        out = []
    out += ["\treserved-memory {",
            "\t\t#address-cells = <2>;",
            "\t\t#size-cells = <2>;",
            "\t\tranges;"]
    targets = {d["target"] for d in lay.get("devices", []) if d["target"]}
    labels = {}
    for i, r in enumerate(lay["regions"]):
        out.append("")
        if r["name"] in targets:
            labels[r["name"]] = "r%d" % i
            out.append("\t\t%s: %s {" % (labels[r["name"]], r["name"]))
        else:
            out.append("\t\t%s {" % r["name"])
        out.append('\t\t\tcompatible = "%s";' % r["compatible"])
        if "reg" in r:
            out.append("\t\t\treg = <%s %s>;" % (cells(r["reg"][0]), cells(r["reg"][1])))
        if "size" in r:
            out.append("\t\t\tsize = <%s>;" % cells(r["size"]))
        if "alignment" in r:
            out.append("\t\t\talignment = <%s>;" % cells(r["alignment"]))
        if "alloc-ranges" in r:
            out.append("\t\t\talloc-ranges = <%s>;" % " ".join(
                "%s %s" % (cells(b), cells(s)) for b, s in r["alloc-ranges"]))
        if r.get("no-map"):
            out.append("\t\t\tno-map;")
        if r.get("reusable"):
            out.append("\t\t\treusable;")
        if r.get("cma-default"):
            out.append("\t\t\tlinux,cma-default;")
        if r.get("disabled"):
            out.append('\t\t\tstatus = "disabled";')
        out.append("\t\t};")
    out.append("\t};")
    for d in lay.get("devices", []):
        out += ["", "\t%s {" % d["name"], '\t\tcompatible = "acme,dma-device";']
        if d["target"]:
            out.append("\t\tmemory-region = <&%s>;" % labels[d["target"]])
        out.append("\t};")
    if base is None:
        out += ["};", ""]
        return "\n".join(head + out)
    # QEMU's DTS: /memreserve/ after its header, our nodes before the root's end
    text = re.sub(r"^/dts-v1/;\n", "", base)
    cut = text.rstrip().rindex("};")
    return "\n".join(head) + "\n" + text[:cut] + "\n".join(out) + "\n};\n"


# ------------------------------------------------------------------ the kernel

STOP = re.compile(r"psci:|percpu:|Kernel command line:|Kernel panic")
# The kernel stopped early: an oops or a panic before its memory setup was done
OOPS = re.compile(r"Unable to handle kernel|Internal error:|BUG: ")
HEX = r"(0x[0-9a-fA-F]+)"
# 6.12 (and the 6.13 rework): a line per region initialised, static or dynamic,
# whatever its compatible: "OF: reserved mem: 0x..0x.. (N KiB) map|nomap
# reusable|non-reusable NAME" (drivers/of/of_reserved_mem.c fdt_init_reserved_mem_node())
RANGE = re.compile(r"OF: reserved mem: %s\.\.%s \((\d+) KiB\) (map|nomap) "
                   r"(?:reusable|non-reusable) (\S+)$" % (HEX, HEX))
# A boot that prints nothing for this long after its first line has hung (the early
# kernel prints its lines milliseconds apart even under TCG); BOOT_TIMEOUT bounds
# the whole boot, the zImage's silent decompression included.
HANG_SILENCE = 15


def kernel_of(lay):
    """The KERNELS entry a layout is booted on (recorded cases without a `kernel-image`
    line are Debian 12's kernel of their arch)."""
    return lay.get("kernel") or DEFAULT_KERNEL_OF_ARCH[lay["arch"]]


def qemu_cmd(lay, dtb, kernels, machine="virt"):
    """kernels: {KERNELS name: vmlinuz}, or the (arm64, armmp) pair of Debian 12."""
    if isinstance(kernels, tuple):
        kernels = {"6.1-arm64": kernels[0], "6.1-armmp": kernels[1]}
    kname = kernel_of(lay)
    k = KERNELS[kname]
    mem = "%dM" % (lay["mem"] // MiB)
    append = "console=ttyAMA0 earlycon=pl011,0x9000000"
    if k["arch"] == "riscv":
        # earlycon=sbi is refused ("Malformed early option"): nothing would show before
        # the console is up, and a fault after the memory setup would look like a hang
        append = "console=ttyS0 earlycon=uart8250,mmio,0x10000000"
    if lay["cmdline"]:
        append += " " + lay["cmdline"]
    if k["arch"] == "arm64":
        cmd = ["qemu-system-aarch64", "-M", machine, "-cpu", k.get("cpu", "cortex-a57"),
               "-m", mem, "-kernel", kernels[kname]]
    elif k["arch"] == "arm":
        cmd = ["qemu-system-arm", "-M", machine, "-m", mem, "-kernel", kernels[kname]]
    else:
        # QEMU's default -bios: OpenSBI, which adds its own region to the DT
        cmd = ["qemu-system-riscv64", "-M", machine, "-m", mem, "-kernel", kernels[kname]]
    if dtb is not None:
        cmd += ["-dtb", dtb]
    # -nic none: no network card, so QEMU needs no option ROM for one (ipxe-qemu)
    return cmd + ["-append", append, "-nographic", "-no-reboot", "-nic", "none", "-monitor",
                  "none", "-serial", "stdio"]


def qemu_dtb(lay, dtb, kernels, out):
    """The DTB the kernel really gets: QEMU rewrites /memory, adds /psci and
    /chosen/bootargs (their size moves the kernel's own early allocations, which
    the arm64 default CMA area lands under). dtb None: QEMU's own machine DT."""
    p = subprocess.run(qemu_cmd(lay, dtb, kernels, "virt,dumpdtb=" + out),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=BOOT_TIMEOUT)
    if p.returncode != 0 or not os.path.exists(out):
        raise RuntimeError("qemu dumpdtb failed: " + p.stdout.decode(errors="replace"))
    return out


class Hang(Exception):
    """The boot never reached the end of the kernel's memory setup (silence or an oops)."""
    def __init__(self, lines, why):
        Exception.__init__(self, why)
        self.lines, self.why = lines, why


def boot(lay, dtb, kernels):
    """The kernel's early log for one layout, read until every reserved-memory and
    CMA decision is out (arm64 prints its default CMA area after "Zone ranges:", so
    reading stops at the next subsystem's first line). Raises Hang when the kernel
    goes silent for HANG_SILENCE seconds, oopses or panics first."""
    p = subprocess.Popen(qemu_cmd(lay, dtb, kernels), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    state = {"last": None, "killed": None}
    t0 = time.monotonic()

    def watch():
        while p.poll() is None:
            now = time.monotonic()
            if now - t0 > BOOT_TIMEOUT:
                state["killed"] = "no end of the memory setup within %d s" % BOOT_TIMEOUT
            elif state["last"] is not None and now - state["last"] > HANG_SILENCE:
                state["killed"] = "silent for %d s" % HANG_SILENCE
            if state["killed"]:
                p.kill()
                return
            time.sleep(0.5)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    lines, complete, oops = [], False, None
    grace = None
    try:
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip()
            # from the first line on (the kernel's, or OpenSBI's banner on riscv, whose
            # kernel prints nothing until its console is up)
            state["last"] = time.monotonic()
            lines.append(line)
            if OOPS.search(line):
                oops = line.strip()
                break
            if not complete and STOP.search(line):
                complete = True
                # read on to the command line (verify takes it from the log), which
                # start_kernel() prints right after setup_arch(); never for long
                grace = threading.Timer(GRACE, p.kill)
                grace.start()
            if complete and ("Kernel command line:" in line or "Kernel panic" in line or
                             len(lines) > 400):
                break
    finally:
        if grace:
            grace.cancel()
        p.kill()
        p.wait()
        watcher.join()
    if oops:
        raise Hang(lines, "oops: " + oops)
    if not complete:
        if state["killed"]:
            raise Hang(lines, state["killed"])
        raise RuntimeError("the kernel log ended before its memory setup:\n" +
                           "\n".join(lines[-30:]))
    return lines


def parse_log(lines):
    """The kernel's answer: {node name: (status, base or None)} and the default CMA area
    (None, ("placed", base, size) or ("failed",))."""
    res, cma, pending = {}, None, None
    # "Not enough slots for CMA reserved regions!": a region's when rmem_cma_setup()'s
    # "unable to setup CMA region" (or the region's "compatible matching fail") follows it,
    # else cma_declare_contiguous_nid() refusing the default area (dma_contiguous_reserve(),
    # which then says nothing more; seed 20261203 armmp-lpae L0087, and L0015 for a region)
    slots = False
    for line in lines:
        if slots and not re.search(r"unable to setup CMA region|node \S+ compatible matching "
                                   r"fail", line):
            cma = ("failed",)
        slots = "Not enough slots for CMA reserved regions" in line
        m = re.search(r"created (?:DMA|CMA|restricted DMA) memory pool at " + HEX, line)
        if m:
            pending = int(m.group(1), 16)
            continue
        m = re.search(r"initialized node (\S+), compatible id", line)
        if m:
            if pending is not None:
                res.setdefault(m.group(1), ("placed", pending))
            pending = None
            continue
        m = re.search(r"failed to reserve memory for node '([^']*)'", line)
        if m:
            res[m.group(1)] = ("failed", None)
            continue
        m = re.search(r"(?:failed to allocate memory for node|invalid reg property in|"
                      r"invalid size property in|invalid alignment property in|"
                      r"invalid alloc-ranges property in) '([^']*)'", line)
        if m:
            res[m.group(1)] = ("failed", None)
            continue
        m = re.search(r"bypass (\S+) node, using cmdline CMA params", line)
        if m:
            res[m.group(1)] = ("ignored", None)
            continue
        m = re.search(r"node (\S+) compatible matching fail", line)
        if m:
            res.setdefault(m.group(1), ("failed", None))
            continue
        m = RANGE.search(line)
        if m:
            # 6.12: every region the kernel initialised, handler or none
            res.setdefault(m.group(5), ("placed", int(m.group(1), 16)))
            continue
        m = re.search(r"cma: Reserved (\d+) MiB at " + HEX, line)
        if m:
            cma = ("placed", int(m.group(2), 16), int(m.group(1)) * MiB)
            continue
        if re.search(r"cma: Failed to reserve \d+ MiB", line):
            cma = ("failed",)
    if slots:
        cma = ("failed",)
    return res, cma


# ------------------------------------------------------------------ the blob the kernel reads

def read_fdt(path):
    """{node path: {property: bytes}} of a flattened device tree (only what the
    comparison needs: a reader of the structure block, trusting the blob QEMU or
    dtc wrote)."""
    b = open(path, "rb").read()
    if struct.unpack_from(">I", b, 0)[0] != 0xd00dfeed:
        raise RuntimeError("%s: not a DTB" % path)
    off_struct, off_strings = struct.unpack_from(">II", b, 8)
    nodes, stack, p = {}, [], off_struct
    while True:
        tag = struct.unpack_from(">I", b, p)[0]
        p += 4
        if tag == 1:  # FDT_BEGIN_NODE
            e = b.index(b"\0", p)
            stack.append(b[p:e].decode())
            p = (e + 4) & ~3
            nodes["/" + "/".join(stack[1:])] = {}
        elif tag == 2:  # FDT_END_NODE
            stack.pop()
        elif tag == 3:  # FDT_PROP
            ln, noff = struct.unpack_from(">II", b, p)
            s = off_strings + noff
            pname = b[s:b.index(b"\0", s)].decode()
            nodes["/" + "/".join(stack[1:])][pname] = b[p + 8:p + 8 + ln]
            p = (p + 8 + ln + 3) & ~3
        elif tag == 4:  # FDT_NOP
            continue
        elif tag == 9:  # FDT_END
            return nodes
        else:
            raise RuntimeError("%s: bad structure tag %d" % (path, tag))


def be_cells(v, n):
    """The values of n-cell numbers in v (big-endian), in order."""
    words = struct.unpack(">%dI" % (len(v) // 4), v)
    out = []
    for i in range(0, len(words) - n + 1, n):
        x = 0
        for w in words[i:i + n]:
            x = (x << 32) | w
        out.append(x)
    return out


def dt_facts(path, arch, lpae=False):
    """What the kernel reads from the blob, for the checks' comparison: the
    /reserved-memory children (first reg entry, size, flags, phandle) in DT order
    and the root devices with memory-region. Addresses and sizes are read as the
    kernel does: cut to 32 bits on armmp, whose phys_addr_t is 32 bits (not with LPAE)."""
    nodes = read_fdt(path)
    mask = (1 << 32) - 1 if arch == "arm" and not lpae else (1 << 64) - 1
    ac = be_cells(nodes["/"].get("#address-cells", b"\0\0\0\2"), 1)[0]
    sc = be_cells(nodes["/"].get("#size-cells", b"\0\0\0\1"), 1)[0]
    regions, by_phandle = {}, {}
    for p, props in nodes.items():
        if not p.startswith("/reserved-memory/") or p.count("/") != 2:
            continue
        name = p[len("/reserved-memory/"):]
        r = {"name": name, "compatible": props.get("compatible", b"").split(b"\0")[0].decode(),
             "no-map": "no-map" in props, "reusable": "reusable" in props,
             "cma-default": "linux,cma-default" in props,
             "disabled": props.get("status", b"okay\0").rstrip(b"\0") not in (b"okay", b"ok")}
        if "reg" in props and len(props["reg"]) >= 4 * (ac + sc):
            base = be_cells(props["reg"][:4 * ac], ac)[0]
            size = be_cells(props["reg"][4 * ac:4 * (ac + sc)], sc)[0]
            r["reg"] = (base & mask, size & mask)
        elif "size" in props:
            r["size"] = be_cells(props["size"], sc)[0] & mask if len(props["size"]) == 4 * sc \
                else None
        regions[name] = r
        if "phandle" in props:
            by_phandle[be_cells(props["phandle"], 1)[0]] = name
    devices = {}
    for p, props in nodes.items():
        if p.count("/") == 1 and "memory-region" in props:
            devices[p] = by_phandle.get(be_cells(props["memory-region"], 1)[0])
    return regions, devices


def region_size(r):
    return r["reg"][1] if "reg" in r else r.get("size") or 0


# ------------------------------------------------------------------ the checks

# The checks compared with the kernel's log (tests/oracle/README.md says how each is
# decided), in the order the tallies print.
CHECKS = ["cma_alignment", "dma_pool_nomap", "rmem_alloc_fail", "rmem_nomap_busy",
          "rmem_zero_size", "rmem_overlap", "rmem_nomap_reusable", "cma_cmdline_override",
          "memory_region_unreachable", "cma_unreachable", "cma_early_remap",
          "rmem_nomap_unmapped"]
# Compared per layout, not per node: the boot hangs or oopses before the end of its
# memory setup ⇔ carveout reports one of them (README.md, "A boot that hangs").
LAYOUT_CHECKS = ("cma_early_remap", "rmem_nomap_unmapped")
# their findings for a fault that comes after the early log (memory left unmapped
# that no early allocation of the kernel's lands in): not shown
LATER = ("faults later",)
# checks the kernel can only show once a handler of shared-dma-pool has run
HANDLER_CHECKS = ("cma_alignment", "dma_pool_nomap", "rmem_nomap_reusable",
                  "cma_cmdline_override")


def parse_events(lines):
    """The kernel's reserved-memory decisions, node by node: the pool each handler
    created (kind, base), the handler messages printed before each node's
    `initialized node` / `compatible matching fail`, the nodes that failed to
    reserve or allocate, the OVERLAP pairs with their printed ranges, and the
    default CMA area (`cma: Reserved`)."""
    ev = {"pools": {}, "order": [], "msgs": {}, "init": set(), "fail": set(),
          "reserve_fail": set(), "alloc_fail": set(), "overlaps": [], "cma": None, "ram": [],
          "ranges": {}, "cma_seq": 0, "pool_seq": {}}
    pending, pool = [], None
    for line in lines:
        if "incorrect alignment of CMA region" in line:
            pending.append("alignment")
        elif "regions without no-map are not yet supported" in line:
            pending.append("nomap")
        elif "unable to setup CMA region" in line:
            pending.append("cma-setup")
        m = re.search(r"bypass (\S+) node, using cmdline CMA params", line)
        if m:
            pending.append("bypass")
            continue
        m = re.search(r"created (DMA|CMA) memory pool at " + HEX, line)
        if m:
            pool = (m.group(1), int(m.group(2), 16))
            continue
        # "Early memory node ranges": the RAM the kernel has (inclusive ends)
        m = re.search(r"node +\d+: \[mem %s-%s\]" % (HEX, HEX), line)
        if m:
            ev["ram"].append((int(m.group(1), 16), int(m.group(2), 16)))
            continue
        m = re.search(r"initialized node (\S+), compatible id", line)
        if m:
            ev["init"].add(m.group(1))
            if pool:
                ev["pools"][m.group(1)] = pool
                ev["order"].append(m.group(1))
                ev["pool_seq"][m.group(1)] = len(ev["order"])
            ev["msgs"][m.group(1)] = pending
            pending, pool = [], None
            continue
        m = re.search(r"node (\S+) compatible matching fail", line)
        if m:
            ev["fail"].add(m.group(1))
            ev["msgs"][m.group(1)] = pending
            pending, pool = [], None
            continue
        m = re.search(r"failed to reserve memory for node '([^']*)'", line)
        if m:
            ev["reserve_fail"].add(m.group(1))
            continue
        m = re.search(r"failed to allocate memory for node '([^']*)'", line)
        if m:
            ev["alloc_fail"].add(m.group(1))
            continue
        m = re.search(r"(\S+) \(%s--%s\) overlaps with (\S+) \(%s--%s\)" % (HEX, HEX, HEX, HEX),
                      line)
        if m:
            ev["overlaps"].append((m.group(1), int(m.group(2), 16), int(m.group(3), 16),
                                   m.group(4), int(m.group(5), 16), int(m.group(6), 16)))
            continue
        m = RANGE.search(line)
        if m:
            ev["ranges"][m.group(5)] = (int(m.group(1), 16), int(m.group(3)) * 1024)
            continue
        m = re.search(r"cma: Reserved (\d+) MiB at " + HEX, line)
        if m:
            ev["cma"] = (int(m.group(2), 16), int(m.group(1)) * MiB)
            ev["cma_seq"] = len(ev["order"]) + 1
    return ev


def kernel_checks(arch, regions, devices, pdevs, ev, kname=None):
    """What the kernel's log says about each compared check.

    Returns (want, unshown, ranged, pairs, printed): want[node] is the set of
    checks the log shows failing on node (a /reserved-memory child by name, a
    device by path); unshown[node] the checks the kernel cannot show there (the
    region never reached a shared-dma-pool handler, or a dynamic size of 0);
    ranged the regions in the kernel's table whose range the log gives (static:
    reg; dynamic: the created pool's base and the size); pairs the pairs of ranged
    regions that intersect; printed the pairs the kernel printed as OVERLAP."""
    want, unshown = {}, {}
    # without CONFIG_CMA (riscv64) the coherent handler refuses a reusable pool silently
    cma = kname is None or KERNELS[kname]["config"]["DMA_CMA"] == "y"
    for name, r in regions.items():
        w, u = set(), set()
        want[name], unshown[name] = w, u
        if r["disabled"]:
            continue
        msgs = ev["msgs"].get(name, [])
        if name in ev["alloc_fail"]:
            w.add("rmem_alloc_fail")
        if name in ev["reserve_fail"]:
            w.add("rmem_zero_size" if "reg" in r and r["reg"][1] == 0 else "rmem_nomap_busy")
        if "reg" not in r and not region_size(r):
            u.add("rmem_zero_size")
        if r["compatible"] != "shared-dma-pool":
            continue
        if name not in ev["init"] and name not in ev["fail"]:
            u.update(HANDLER_CHECKS)
            continue
        if "alignment" in msgs:
            w.add("cma_alignment")
        if "bypass" in msgs:
            w.add("cma_cmdline_override")
        if "bypass" in msgs:
            # rmem_cma_setup() bypasses it before it looks at no-map and reusable
            u.add("rmem_nomap_reusable")
        elif name in ev["fail"] and not msgs and (cma or r["no-map"]):
            w.add("rmem_nomap_reusable")  # both handlers refused it without a word
        if arch == "arm":
            if "nomap" in msgs:
                w.add("dma_pool_nomap")
        elif ev["pools"].get(name, ("",))[0] == "DMA" and not r["no-map"]:
            # accepted at boot; the kernel fails it at the first attach when it is System
            # RAM (memremap() ioremap_wc()s memory outside RAM, and that works)
            base, size = ev["pools"][name][1], region_size(r)
            if not ev["ram"] or not size or any(
                    base <= hi and base + size - 1 >= lo for lo, hi in ev["ram"]):
                w.add("dma_pool_nomap")
    # the default CMA area: cma= or Kconfig, else the last linux,cma-default pool; a
    # linux,cma-default pool created after the cma= or Kconfig area (arm 6.12: static
    # regions' handlers run late) takes its place as dma_contiguous_default_area
    dflt = ev["cma"]
    for name in ev["order"]:
        if ev["pools"][name][0] == "CMA" and regions.get(name, {}).get("cma-default") and \
                (ev["cma"] is None or ev["pool_seq"][name] >= ev["cma_seq"]):
            dflt = (ev["pools"][name][1], region_size(regions[name]))
    for path, d in pdevs.items():
        w = want.setdefault(path, set())
        unshown.setdefault(path, set())
        limit = 1 << d["bits"]
        target = devices.get(path)
        pool = ev["pools"].get(target) if target else None
        if pool and pool[1] + region_size(regions[target]) > limit:
            w.add("memory_region_unreachable")
        own_cma = pool and pool[0] == "CMA"
        if d["cma"] and not own_cma and dflt and dflt[0] + dflt[1] > limit:
            w.add("cma_unreachable")
    ranged = {}
    for name, r in regions.items():
        if r["disabled"]:
            continue
        if "reg" in r:
            ranged[name] = r["reg"]
        elif name in ev["pools"]:
            ranged[name] = (ev["pools"][name][1], region_size(r))
        elif name in ev["ranges"]:
            ranged[name] = ev["ranges"][name]
    pairs = set()
    names = sorted(ranged)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (ab, asz), (bb, bsz) = ranged[a], ranged[b]
            if asz and bsz and ab < bb + bsz and bb < ab + asz:
                pairs.add(frozenset((a, b)))
    printed = {frozenset((o[0], o[3])) for o in ev["overlaps"]}
    return want, unshown, set(ranged), pairs, printed


def carveout_checks(findings):
    """carveout's findings for the compared checks: {node: set(check ids)} and the
    rmem_overlap pairs between /reserved-memory regions."""
    got, pairs = {}, set()
    rm = "/reserved-memory/"

    def node(p):
        return p[len(rm):] if p.startswith(rm) else p
    for f in findings:
        c, path, rel = f["check"], f.get("path", ""), f.get("related") or []
        if c == "rmem_duplicate":
            c = "rmem_overlap"  # one carve-out written twice: an overlapping pair all the same
        if c not in CHECKS:
            continue
        if c == "rmem_overlap":
            if path.startswith(rm) and rel and rel[0].startswith(rm):
                pairs.add(frozenset((node(path), node(rel[0]))))
            continue
        if c == "cma_unreachable" and path.startswith(rm) and rel:
            path = rel[0]  # reported on the DT default area, naming the device
        got.setdefault(node(path), set()).add(c)
    return got, pairs


class CheckTally:
    """Per check: nodes (or pairs) compared, those where the kernel or carveout
    says it fails, how many of those agree, and carveout findings the kernel
    cannot show (not compared)."""
    def __init__(self):
        self.lock = threading.Lock()
        self.t = {c: [0, 0, 0, 0] for c in CHECKS}  # compared, positive, agree, unshown

    def add(self, c, want, got, shown=True):
        with self.lock:
            t = self.t[c]
            if not shown:
                t[3] += 1 if got else 0
                return
            t[0] += 1
            if want or got:
                t[1] += 1
                t[2] += 1 if want == got else 0

    def line(self):
        parts = []
        for c in CHECKS:
            n, pos, agree, unshown = self.t[c]
            s = "%s %d/%d agree" % (c, agree, pos)
            extra = [] if c == "rmem_overlap" else \
                ["%d layouts" % n] if c in LAYOUT_CHECKS else ["%d nodes" % n]
            if unshown:
                extra.append("+%d not shown" % unshown)
            if extra:
                s += " (%s)" % ", ".join(extra)
            parts.append(s)
        return parts

    def disagreements(self):
        return sum(t[1] - t[2] for t in self.t.values())


def compare_checks(want, unshown, ranged, kpairs, printed, got, cpairs, ctally):
    """Disagreements between the kernel's log and carveout's findings, as text."""
    bad = []
    for node in sorted(want):
        w, g, u = want[node], got.get(node, set()), unshown.get(node, set())
        for c in CHECKS:
            if c == "rmem_overlap" or c in LAYOUT_CHECKS:
                continue
            if (c in ("memory_region_unreachable", "cma_unreachable")) != node.startswith("/"):
                continue  # device checks on devices, region checks on regions
            shown = c not in u
            ctally.add(c, c in w, c in g, shown)
            if shown and (c in w) != (c in g):
                bad.append("%s: %s: the kernel %s, carveout %s" % (
                    node, c, "shows it" if c in w else "does not show it",
                    "reports it" if c in g else "does not"))
    for node in sorted(got):
        if node not in want:
            for c in sorted(got[node] - set(LAYOUT_CHECKS)):
                bad.append("%s: %s: carveout reports it on a node the oracle does not know" %
                           (node, c))
    mine = {p for p in cpairs if p <= ranged}
    for p in sorted(kpairs | mine | printed, key=sorted):
        a, b = sorted(p)
        need = p in kpairs
        if p in printed and p not in kpairs:
            # the kernel's neighbour test flags a region of size 0 inside another:
            # they share no memory (rmem_zero_size reports the region); compared
            # only through its ranges
            ctally.add("rmem_overlap", False, p in cpairs)
            if p in cpairs:
                bad.append("%s, %s: rmem_overlap: the kernel printed OVERLAP for ranges that "
                           "share no memory; carveout reports it" % (a, b))
            continue
        ctally.add("rmem_overlap", need, p in cpairs)
        if need != (p in cpairs):
            bad.append("%s, %s: rmem_overlap: the kernel's ranges %s, carveout %s" % (
                a, b, "intersect" + (" (OVERLAP DETECTED)" if p in printed else "")
                if need else "do not intersect", "reports it" if p in cpairs else "does not"))
    return bad


# ------------------------------------------------------------------ carveout

SZ_2M = 2 << 20


def riscv_image(path):
    """(text_offset, image_size) of a riscv Image header (Documentation/arch/riscv/boot-
    image-header.rst): the load offset from the start of RAM and the memory it spans."""
    with open(path, "rb") as f:
        head = f.read(32)
    _, _, text_offset, image_size = struct.unpack("<IIQQ", head[:24])
    return text_offset, image_size


def platform_args(lay, work, dtb=None):
    """The QEMU machine as a platform file: the kernel's version, page size and
    configuration (Debian's profile of that kernel, and every key the simulation
    relies on explicit, from KERNELS), the command
    line, and what QEMU's loader occupies at the bottom of RAM (kernel image, DTB;
    OpenSBI on riscv), which the kernel reserves before anything else."""
    k = KERNELS[kernel_of(lay)]
    ram = RAM_BASES[lay["arch"]]
    path = os.path.join(work, lay["name"] + ".yaml")
    with open(path, "w") as f:
        f.write("platform: oracle-%s\narch: %s\nextends: %s\npage-size: %s\n" %
                (lay["name"], lay["arch"], k["profile"], k["page"]))
        f.write('kernel:\n  version: "%s"\n' % k["version"])
        if lay["cmdline"]:
            f.write("  cmdline: \"%s\"\n" % lay["cmdline"])
        f.write("  config:\n")
        for key, v in sorted(k["config"].items()):
            f.write("    %s: %s\n" % (key, v))
        if lay["arch"] != "riscv":
            f.write("reserved:\n  - { name: qemu-boot, base: 0x%x, size: 0x%x }\n" %
                    (ram, LOW_RESERVED))
        else:
            # riscv: OpenSBI's own range is in the DT (mmode_resv0); setup_bootmem()
            # reserves the kernel image where QEMU loaded it, RAM + text_offset, for the
            # image size of its header, and the DTB QEMU put 2 MiB aligned below
            # min(end of RAM, 3 GiB) after early_init_fdt_scan_reserved_mem() (seed 13:
            # dynamic regions land on it; seed 20261203 L0009: the 2 MiB setup_vm_final()
            # takes goes below it)
            text_offset, image_size = KERNELS[kernel_of(lay)]["image"]
            f.write("reserved:\n  - { name: kernel-image, base: 0x%x, size: 0x%x }\n" %
                    (ram + text_offset, image_size))
            loaded = os.path.join(work, lay["name"] + ".dtb")
            if os.path.exists(loaded):
                size = os.path.getsize(loaded)
                top = min(ram + lay["mem"], 3 << 30)
                f.write("  - { name: fdt, base: 0x%x, size: 0x%x, dtb: true }\n" %
                        ((top - size) & ~(SZ_2M - 1), size))
        if lay.get("devices"):
            f.write("devices:\n")
            for d in lay["devices"]:
                f.write('  - match: { path: "/%s" }\n    dma-bits: %d\n' % (d["name"], d["bits"]))
                if d["cma"]:
                    f.write("    cma: 0x%x\n" % d["cma"])
    return ["-p", path]


def carveout(exe, lay, dtb, work):
    argv = [exe, "check", "-f", "json"] + platform_args(lay, work, dtb) + [dtb]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                                p.stderr.decode(errors="replace")))
    f = json.loads(p.stdout)["files"][0]
    regions = {}
    for r in f["regions"]:
        if r["path"].startswith("/reserved-memory/"):
            regions[r["path"][len("/reserved-memory/"):]] = r
    return regions, f.get("default-cma"), f.get("findings", [])


# ------------------------------------------------------------------ carveout verify

def verify(exe, log, dtb, platform):
    """`carveout verify --dmesg LOG -p PLATFORM DTB`: (exit status, stdout)."""
    argv = [exe, "verify", "--dmesg", log] + platform + [dtb]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                                p.stderr.decode(errors="replace")))
    return p.returncode, p.stdout.decode(errors="replace")


def fdtput(*args):
    subprocess.run(["fdtput"] + list(args), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def change_dtb(lay, facts, seen, out, res, kcma):
    """A copy of the DTB the kernel booted with one change its log must show: a region
    the log places moved (static) or grown by 16 MiB (dynamic), else a region the log
    names removed, else a no-map region laid over the default CMA area the log shows.
    Returns what was changed, or None when the log shows nothing a change could meet."""
    shutil.copyfile(seen, out)
    regions = {n: r for n, r in facts.items() if not r["disabled"]}
    mask = (1 << 32) - 1 if lay["arch"] == "arm" else (1 << 64) - 1

    def cells2(v):
        return ["0x%x" % (v >> 32), "0x%x" % (v & 0xffffffff)]
    for name in sorted(res):
        st, base = res[name]
        r = regions.get(name)
        if st != "placed" or base is None or r is None:
            continue
        node = "/reserved-memory/" + name
        if "reg" in r:
            nb = (r["reg"][0] + 16 * MiB) & mask
            fdtput("-t", "x", out, node, "reg", *(cells2(nb) + cells2(r["reg"][1])))
            return "moved %s to 0x%x" % (name, nb)
        if r.get("size") is None:
            continue
        ns = (r["size"] + 16 * MiB) & mask
        fdtput("-t", "x", out, node, "size", *cells2(ns))
        return "resized %s to 0x%x" % (name, ns)
    for name in sorted(res):
        if name in regions:
            fdtput("-r", out, "/reserved-memory/" + name)
            return "removed %s" % name
    if kcma and kcma[0] == "placed":
        node = "/reserved-memory/blocker@%x" % kcma[1]
        fdtput("-c", out, node)
        fdtput("-t", "s", out, node, "compatible", "acme,firmware-carveout")
        fdtput("-t", "x", out, node, "reg", *(cells2(kcma[1]) + cells2(kcma[2])))
        fdtput("-t", "s", out, node, "no-map", "")
        return "laid a no-map region over the default CMA area at 0x%x" % kcma[1]
    return None


class VerifyTally:
    """carveout verify on every booted layout: logs verified, those where the oracle
    and verify both find the prediction right, verify's mismatches where the oracle
    found a disagreement too, and the changed DTBs."""
    def __init__(self):
        self.lock = threading.Lock()
        self.logs = self.agreed = self.false_mismatch = 0
        self.oracle_bad = self.oracle_bad_found = 0
        self.changed = self.changed_found = self.unchangeable = 0

    def line(self):
        return ("verify: %d logs verified, %d agreed, %d mismatches where the oracle agrees; "
                "%d/%d oracle disagreements found; changed DTBs: %d mismatches found of %d "
                "(%d logs show nothing to change)" % (
                    self.logs, self.agreed, self.false_mismatch, self.oracle_bad_found,
                    self.oracle_bad, self.changed_found, self.changed, self.unchangeable))

    def failed(self):
        return self.false_mismatch + (self.changed - self.changed_found)


def verify_layout(args, lay, facts, seen, log_path, res, kcma, placement_ok, vtally):
    """verify on the booted DTB (must agree when the oracle agrees) and on a changed one
    (must find a mismatch). Returns disagreement lines."""
    plat = platform_args(lay, args.work)
    bad = []
    code, out = verify(args.carveout, log_path, seen, plat)
    changed_dtb = os.path.join(args.work, lay["name"] + ".changed.dtb")
    what = change_dtb(lay, facts, seen, changed_dtb, res, kcma)
    ccode, cout = verify(args.carveout, log_path, changed_dtb, plat) if what else (None, "")
    with vtally.lock:
        vtally.logs += 1
        if placement_ok:
            if code == 0:
                vtally.agreed += 1
            else:
                vtally.false_mismatch += 1
                bad.append("verify: the oracle agrees, carveout verify reports:\n" +
                           "\n".join("    " + x for x in out.splitlines()))
        else:
            vtally.oracle_bad += 1
            vtally.oracle_bad_found += 1 if code == 1 else 0
        if what is None:
            vtally.unchangeable += 1
        else:
            vtally.changed += 1
            if ccode == 1 and "(boot_mismatch)" in cout:
                vtally.changed_found += 1
            else:
                bad.append("verify: %s, and carveout verify found no mismatch" % what)
    return bad


# ------------------------------------------------------------------ comparison

def expected_from_kernel(lay, res, cma):
    """One expectation per region: (name, status, base or None, how), plus the CMA area."""
    exp = []
    for r in lay["regions"]:
        name = r["name"]
        if name in res:
            st, base = res[name]
            exp.append((name, st, base, "log"))
        elif r.get("disabled"):
            exp.append((name, "disabled", None, "silent"))
        elif r["compatible"] != "shared-dma-pool":
            # no handler in Debian's 6.1 (restricted-dma-pool needs DMA_RESTRICTED_POOL):
            # the region stays reserved without a word
            exp.append((name, "placed", r["reg"][0] if "reg" in r else None, "silent"))
        else:
            exp.append((name, "silent", None, "silent"))
    return exp, cma


def compare(exp, kcma, regions, dcma):
    """Disagreements as text lines; empty when carveout agrees on everything."""
    bad = []
    for name, st, base, how in exp:
        r = regions.get(name)
        if r is None:
            bad.append("%s: carveout has no such region" % name)
            continue
        cst = r.get("status")
        cbase = int(r["base"], 16) if "base" in r and cst == "placed" else None
        if st == "silent":
            bad.append("%s: the kernel said nothing; carveout: %s %s" %
                       (name, cst, r.get("reason", r.get("base", ""))))
        elif cst != st or (base is not None and cbase != base):
            bad.append("%s: kernel %s %s, carveout %s %s%s" % (
                name, st, "0x%x" % base if base is not None else "", cst,
                "0x%x" % cbase if cbase is not None else "",
                " (%s)" % r["reason"] if "reason" in r else ""))
    carve = None
    if dcma and dcma.get("source") != "dt":
        carve = ("placed", int(dcma["base"], 16), int(dcma["size"], 16)) if "base" in dcma \
            else ("failed",)
    if kcma != carve:
        bad.append("default CMA: kernel %s, carveout %s" % (fmt_cma(kcma), fmt_cma(carve)))
    return bad


def fmt_cma(c):
    if c is None:
        return "none"
    if c[0] == "failed":
        return "failed"
    return "placed 0x%x (%d MiB)" % (c[1], c[2] // MiB)


# ------------------------------------------------------------------ regression cases

def regress_header(lay, exp, kcma, chk):
    h = ["// carveout oracle regression case (tests/oracle/README.md)",
         "// arch: %s" % lay["arch"],
         "// memory: 0x%x" % lay["mem"],
         "// cmdline: %s" % lay["cmdline"]]
    if lay.get("kernel"):
        h.append("// kernel-image: %s" % lay["kernel"])
    for d in lay.get("devices", []):
        h.append("// device: %s dma-bits %d cma 0x%x" % (d["name"], d["bits"], d["cma"]))
    if lay.get("hang"):
        h.append("// boot: hang")
        return "\n".join(h) + "\n"
    for name, st, base, how in exp:
        h.append("// kernel: %s %s%s%s" % (name, st, " 0x%x" % base if base is not None else "",
                                          " (silent)" if how == "silent" else ""))
    h.append("// kernel: default-cma %s" % (
        "none" if kcma is None else "failed" if kcma[0] == "failed" else
        "placed 0x%x 0x%x" % (kcma[1], kcma[2])))
    want, unshown, ranged, pairs, printed = chk
    for node in sorted(want):
        line = "// checks: %s %s" % (node, " ".join(sorted(want[node])) or "-")
        if unshown.get(node):
            line += "; not shown: " + " ".join(sorted(unshown[node]))
        h.append(line)
    h.append("// overlap-ranged: %s" % (" ".join(sorted(ranged)) or "-"))
    for p in sorted(pairs | printed, key=sorted):
        h.append("// overlap: %s%s" % (" ".join(sorted(p)), "" if p not in printed else
                                          " printed" if p in pairs else " printed-only"))
    return "\n".join(h) + "\n"


def read_regress(path):
    text = open(path).read()
    lay = {"name": os.path.splitext(os.path.basename(path))[0], "cmdline": "", "regions": [],
           "memreserve": [], "devices": []}
    exp, kcma = [], None
    want, unshown, ranged, pairs, printed = {}, {}, set(), set(), set()
    seen_checks = False
    for line in text.splitlines():
        m = re.match(r"// device: (\S+) dma-bits (\d+) cma (0x[0-9a-f]+)$", line)
        if m:
            lay["devices"].append({"name": m.group(1), "bits": int(m.group(2)),
                                   "cma": int(m.group(3), 16), "target": None})
            continue
        m = re.match(r"// checks: (\S+) ([^;]*)(?:; not shown: (.*))?$", line)
        if m:
            want[m.group(1)] = set(m.group(2).split()) - {"-"}
            unshown[m.group(1)] = set((m.group(3) or "").split())
            continue
        m = re.match(r"// overlap-ranged: (.*)$", line)
        if m:
            ranged = set(m.group(1).split()) - {"-"}
            seen_checks = True  # written with the checks, also when no node has one
            continue
        m = re.match(r"// overlap: (\S+) (\S+)(?: (printed|printed-only))?$", line)
        if m:
            p = frozenset((m.group(1), m.group(2)))
            if m.group(3):
                printed.add(p)
            if m.group(3) != "printed-only":
                pairs.add(p)
            continue
        m = re.match(r"// kernel-image: (\S+)$", line)
        if m:
            if m.group(1) not in KERNELS:
                raise RuntimeError("%s: unknown kernel-image %s" % (path, m.group(1)))
            lay["kernel"] = m.group(1)
            continue
        if line == "// boot: hang":
            lay["hang"] = True
            continue
        m = re.match(r"// (arch|memory|cmdline): ?(.*)$", line)
        if m:
            k, v = m.groups()
            lay[{"memory": "mem"}.get(k, k)] = int(v, 16) if k == "memory" else v.strip()
            continue
        m = re.match(r"// kernel: default-cma (none|failed|placed (\S+) (\S+))$", line)
        if m:
            kcma = None if m.group(1) == "none" else ("failed",) if m.group(1) == "failed" \
                else ("placed", int(m.group(2), 16), int(m.group(3), 16))
            continue
        m = re.match(r"// kernel: (\S+) (\S+)( 0x[0-9a-f]+)?( \(silent\))?$", line)
        if m:
            exp.append((m.group(1), m.group(2), int(m.group(3), 16) if m.group(3) else None,
                        "silent" if m.group(4) else "log"))
    chk = (want, unshown, ranged, pairs, printed) if want or seen_checks or lay.get("hang") \
        else None
    return lay, text, exp, kcma, chk


def opensbi_fixup(dtb, out):
    """What OpenSBI does to the DT before the kernel sees it: its own firmware region
    (fw_base 0x80000000, 512 KiB, mapped) as the first child of /reserved-memory
    (lib/utils/fdt/fdt_fixup.c fdt_reserved_memory_fixup(): fdt_add_subnode(), like
    fdtput -c)."""
    shutil.copyfile(dtb, out)
    node = "/reserved-memory/mmode_resv0@80000000"
    subprocess.run(["fdtput", "-c", out, node], check=True)
    subprocess.run(["fdtput", "-t", "x", out, node, "reg", "0", "0x80000000", "0", "0x80000"],
                   check=True)
    return out


def dtc(dts_path, dtb_path):
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb_path, dts_path],
                   check=True)


# ------------------------------------------------------------------ driver

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.layouts = self.passed = self.failed = 0
        self.regions = self.agree = 0
        self.cma = self.cma_agree = 0
        self.errors = 0

    def add(self, n_regions, n_bad_regions, cma_bad, other_bad=False):
        with self.lock:
            self.layouts += 1
            self.regions += n_regions
            self.agree += n_regions - n_bad_regions
            self.cma += 1
            self.cma_agree += 0 if cma_bad else 1
            if n_bad_regions or cma_bad or other_bad:
                self.failed += 1
            else:
                self.passed += 1


def run_one(args, kernels, lay, dts_text, stored, tally, ctally, vtally, out_lock):
    work = args.work
    dts = os.path.join(work, lay["name"] + ".dts")
    dtb = os.path.join(work, lay["name"] + ".dtb")
    if dts_text is None:
        # riscv: the layout goes into QEMU's own machine DT for this much RAM
        own = qemu_dtb(lay, None, kernels, os.path.join(work, lay["name"] + ".virt.dtb"))
        dts_text = to_dts(lay, subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", own],
                                              stdout=subprocess.PIPE,
                                              check=True).stdout.decode())
    with open(dts, "w") as f:
        f.write(dts_text)
    dtc(dts, dtb)
    if kernels and stored is None:
        # carveout reads what the kernel reads; the recorded cases already hold it
        seen = qemu_dtb(lay, dtb, kernels, os.path.join(work, lay["name"] + ".qemu.dtb"))
        dts_text = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", seen],
                                  stdout=subprocess.PIPE, check=True).stdout.decode()
    else:
        seen = dtb
    if lay["arch"] == "riscv":
        seen = opensbi_fixup(seen, os.path.join(work, lay["name"] + ".sbi.dtb"))
    regions, dcma, findings = carveout(args.carveout, lay, seen, work)
    facts, devices = dt_facts(seen, lay["arch"],
                              KERNELS[kernel_of(lay)]["config"].get("ARM_LPAE") == "y")
    pdevs = {"/" + d["name"]: d for d in lay.get("devices", [])}
    kname = kernel_of(lay)
    was_hang = lay.get("hang", False)
    problems = []
    hung = None
    if kernels and kname not in kernels:
        kernels_here = None  # a recorded case of a kernel this run does not boot
    else:
        kernels_here = kernels
    log_path = os.path.join(work, lay["name"] + ".log")
    if kernels_here:
        try:
            lines = boot(lay, dtb, kernels_here)
        except Hang as h:
            lines, hung = h.lines, h.why
        with open(log_path, "w") as f:
            f.write("\n".join(lines) + "\n")
    if hung or (not kernels_here and lay.get("hang")):
        # a boot that never finishes: expected exactly when carveout says so
        lay["hang"] = True
        hangs = [f for f in findings if f["check"] in LAYOUT_CHECKS and
                 not any(w in f.get("message", "") for w in LATER)]
        # tallied under the check that explains it; an unexplained one under the check
        # of its arch
        for c in LAYOUT_CHECKS:
            if any(f["check"] == c for f in hangs):
                ctally.add(c, True, True)
        if not hangs:
            ctally.add(LAYOUT_CHECKS[0] if lay["arch"] == "arm" else LAYOUT_CHECKS[1], True,
                       False)
        bad = [] if hangs else ["the kernel never finished its memory setup (%s); carveout "
                                "reports neither %s" % (hung or "recorded",
                                                        " nor ".join(LAYOUT_CHECKS))]
        if stored is not None and kernels_here and not was_hang:
            bad.append("recorded: the kernel booted; now it does not")
        tally.add(0, 0, False, bool(bad))
        return report(args, lay, dts_text, stored, lines if hung else [], bad, regions, dcma,
                      findings, [], None, None, out_lock)
    if not kernels_here:
        lines = []
    if was_hang and kernels_here:
        problems.append("recorded: the boot hung; the kernel now finishes it")
    if kernels_here:
        res, kcma = parse_log(lines)
        chk = kernel_checks(lay["arch"], facts, devices, pdevs, parse_events(lines), kname)
        if stored is None:
            exp, kcma = expected_from_kernel(lay, res, kcma)
        else:
            # a recorded case booted again: the kernel must still say what was recorded
            exp, kcma_rec, chk_rec = stored
            for name, st, base, how in exp:
                got = res.get(name)
                want = (st, base) if how == "log" else None
                if got != want:
                    problems.append("recorded: %s %s, the kernel now: %s" % (
                        name, "silent" if want is None else want, got))
            if kcma != kcma_rec:
                problems.append("recorded: default CMA %s, the kernel now: %s" %
                                (fmt_cma(kcma_rec), fmt_cma(kcma)))
            if chk_rec is None:
                problems.append("recorded: no `// checks:` lines (--record DIR writes them)")
            elif chk_rec != chk:
                problems.append("recorded checks differ from what the kernel shows now:\n" +
                                regress_header(lay, exp, kcma, chk))
    else:
        exp, kcma, chk = stored
        if chk is None:
            raise RuntimeError("no `// checks:` lines in the header")
    bad = compare(exp, kcma, regions, dcma)
    bad_regions = sum(1 for b in bad if not b.startswith("default CMA"))
    cma_bad = any(b.startswith("default CMA") for b in bad)
    got, cpairs = carveout_checks(findings)
    cbad = compare_checks(*chk, got, cpairs, ctally)
    # a range that ends inside a 2 MiB block leaves the rest of the block unmapped: the
    # kernel faults when it first touches it, which the early log shows only when its
    # own early allocations land there (else the page allocator does it later)
    for c in LAYOUT_CHECKS:
        mine = [f for f in findings if f["check"] == c]
        later = mine and all(any(w in f.get("message", "") for w in LATER) for f in mine)
        ctally.add(c, False, bool(mine), shown=not later)
        if mine and not later:
            cbad.append("the kernel finished its memory setup; carveout reports %s" % c)
    vbad = []
    if kernels_here:
        vbad = verify_layout(args, lay, facts, seen, log_path, res, kcma, not bad, vtally)
    bad = problems + bad + cbad + vbad
    tally.add(len(exp), bad_regions, cma_bad, bool(problems or cbad or vbad))
    return report(args, lay, dts_text, stored, lines, bad, regions, dcma, findings, exp, kcma,
                  chk, out_lock)


def report(args, lay, dts_text, stored, lines, bad, regions, dcma, findings, exp, kcma, chk,
           out_lock):
    """Record the layout (--record), print a disagreement and keep it with the kernel's
    answer; True when there was none."""
    work = args.work
    if args.record:
        body = "".join(x for x in dts_text.splitlines(True) if not x.startswith("// "))
        with open(os.path.join(args.record, lay["name"] + ".dts"), "w") as f:
            f.write(regress_header(lay, exp, kcma, chk) + body)
    if bad:
        with out_lock:
            print("DISAGREE %s (%s, %d MiB%s):" % (
                lay["name"], kernel_of(lay), lay["mem"] // MiB,
                ", " + lay["cmdline"] if lay["cmdline"] else ""))
            for b in bad:
                print("  " + b)
            for d in lay.get("devices", []):
                print("  platform: /%s dma-bits %d%s" % (
                    d["name"], d["bits"], ", cma 0x%x" % d["cma"] if d["cma"] else ""))
            print("  layout:\n" + "\n".join("    " + x for x in dts_text.splitlines()))
            rel = [x for x in lines if re.search(r"reserved mem|Reserved memory|cma:|OVERLAP|"
                                                 r"overlaps with|fdt:", x)]
            if lay.get("hang"):
                rel += ["(last lines)"] + lines[-12:]
            print("  kernel log:\n" + "\n".join("    " + x for x in rel))
            print("  carveout:")
            for name, r in sorted(regions.items()):
                print("    %s %s %s %s" % (name, r.get("status"), r.get("base", "-"),
                                         r.get("reason", "")))
            print("    default-cma %s" % json.dumps(dcma))
            print("  carveout findings:")
            for f in findings:
                print("    %s %s %s%s: %s" % (
                    f["severity"], f["check"], f.get("path", ""),
                    " (" + ", ".join(f["related"]) + ")" if f.get("related") else "",
                    f.get("message", "")[:240]))
            sys.stdout.flush()
        if stored is None:
            keep = os.path.join(work, "disagreements")
            os.makedirs(keep, exist_ok=True)
            with open(os.path.join(keep, lay["name"] + ".dts"), "w") as f:
                f.write(regress_header(lay, exp, kcma, chk) + dts_text)
    return not bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--carveout", required=True)
    ap.add_argument("--count", type=int, default=500,
                    help="layouts per kernel (a --kernels entry NAME:COUNT overrides it)")
    ap.add_argument("--kernels", default=DEFAULT_KERNELS,
                    help="6.1 (Debian 12's arm64 and armmp, mixed) or a comma list of: " +
                    ", ".join(sorted(KERNELS)))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=None)
    ap.add_argument("--regress", default=os.path.join(HERE, "regress"))
    ap.add_argument("--regress-only", action="store_true",
                    help="compare the recorded regression cases only (no QEMU)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work folder: every layout's DTS, DTB, platform file and "
                         "kernel log (LAYOUT.log), and the changed DTB verify was given")
    ap.add_argument("--record", default=None, metavar="DIR",
                    help="write every layout booted, with the kernel's answer in its header "
                         "(the regression case format), to DIR")
    args = ap.parse_args()
    args.carveout = os.path.abspath(args.carveout)
    if args.record:
        args.record = os.path.abspath(args.record)
        os.makedirs(args.record, exist_ok=True)
    seed = int(os.environ.get("CARVEOUT_ORACLE_SEED", args.seed if args.seed is not None
                              else int.from_bytes(os.urandom(4), "little")))
    count = int(os.environ.get("CARVEOUT_ORACLE_COUNT", args.count))
    args.work = os.path.abspath(args.work or os.path.join(os.getcwd(), "oracle-work"))
    if os.path.isdir(args.work) and not args.keep:
        shutil.rmtree(args.work)
    os.makedirs(args.work, exist_ok=True)

    plan = parse_kernels(args.kernels, count)
    if "CARVEOUT_ORACLE_COUNT" in os.environ:
        plan = [(name, count) for name, _ in plan]  # the environment wins over NAME:COUNT
    kernels = None
    if not args.regress_only:
        kernels = {}
        for name, _ in plan:
            for kn in (["6.1-arm64", "6.1-armmp"] if name == "6.1" else [name]):
                kernels[kn] = find_kernel(kn)
        print("kernels: %s" % ", ".join(kernels[kn] for kn in sorted(kernels)))
        print("seed %d (rerun with CARVEOUT_ORACLE_SEED=%d), %s, %d jobs" %
              (seed, seed, ", ".join("%d layouts on %s" % (n, name) for name, n in plan),
               args.jobs))
    sys.stdout.flush()

    jobs = []
    for path in sorted(glob.glob(os.path.join(args.regress, "*.dts"))):
        lay, text, exp, kcma, chk = read_regress(path)
        jobs.append((lay, text, (exp, kcma, chk)))
    n_regress = len(jobs)
    if not args.regress_only:
        for name, n in plan:
            if name == "6.1":
                rng = random.Random(seed)  # the seeds recorded before other kernels came
                for i in range(n):
                    lay = gen_layout(rng, i)
                    jobs.append((lay, to_dts(lay), None))
                continue
            rng = random.Random("%d-%s" % (seed, name))
            for i in range(n):
                lay = gen_layout(rng, i, name)
                lay["name"] = "%s-L%04d" % (name, i)
                jobs.append((lay, None if lay["arch"] == "riscv" else to_dts(lay), None))

    tally, ctally, vtally, out_lock = Tally(), CheckTally(), VerifyTally(), threading.Lock()
    t0 = time.monotonic()
    errors = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_one, args, kernels, lay, text, stored, tally, ctally,
                          vtally, out_lock): lay
                for lay, text, stored in jobs}
        for fut in concurrent.futures.as_completed(futs):
            try:
                fut.result()
            except Exception as e:  # a boot or a carveout run that went wrong
                errors.append("%s: %s" % (futs[fut]["name"], e))
    wall = time.monotonic() - t0
    for e in errors:
        print("ERROR " + e)
    print("oracle: %d passed, %d failed, %d errors; %d layouts (%d recorded regression cases), "
          "%d regions compared, %d agree; default CMA %d/%d agree; seed %d; %.0f s" %
          (tally.passed, tally.failed, len(errors), tally.layouts, n_regress, tally.regions,
           tally.agree, tally.cma_agree, tally.cma, seed, wall))
    print("checks: " + ", ".join(ctally.line()))
    if kernels:
        print(vtally.line())
    if tally.failed and not args.regress_only:
        print("disagreeing layouts, with the kernel's answer, are in %s/disagreements" %
              args.work)
    if not args.keep and not tally.failed and not errors:
        shutil.rmtree(args.work, ignore_errors=True)
    return 1 if tally.failed or errors or tally.layouts == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The placement oracle: carveout's simulation against Debian's real 6.1 kernels.

Random /reserved-memory layouts are generated from a printed seed, each is booted
under QEMU (arm64: qemu-system-aarch64 -M virt -cpu cortex-a57, 1-6 GiB; arm:
qemu-system-arm -M virt with the armmp kernel, 512 MiB-2 GiB), the kernel's early
log is read until its reserved-memory and CMA decisions are all printed, and every
region's fate (placed at which base, failed, ignored) and the default CMA area are
compared with `carveout check -f json`, and so are, node by node, the findings of the
checks whose outcome the log shows (CHECKS; README.md has the rules). Regression
layouts (tests/oracle/regress/*.dts, each with the kernel's recorded answer in its
header) are compared too, and booted again when the kernels are at hand.

usage: oracle.py --carveout EXE [--count N] [--seed S] [--jobs J] [--work DIR]
                 [--regress DIR] [--regress-only] [--keep]
                 [--record DIR]

Environment: CARVEOUT_ORACLE_SEED, CARVEOUT_ORACLE_COUNT override --seed/--count;
CARVEOUT_ORACLE_KERNELS names a folder holding boot/vmlinuz-*-arm64 and
boot/vmlinuz-*-armmp (else the Debian corpus folder is used, fetched when missing:
see tests/corpus/corpus.py).
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

def find_kernels():
    """(arm64 vmlinuz, armmp vmlinuz) from $CARVEOUT_ORACLE_KERNELS or the corpus."""
    d = os.environ.get("CARVEOUT_ORACLE_KERNELS")
    if not d:
        import corpus
        d = corpus.locate("bookworm", sys.stdout)
    a64 = sorted(glob.glob(os.path.join(d, "**", "vmlinuz-*-arm64"), recursive=True))
    amp = sorted(glob.glob(os.path.join(d, "**", "vmlinuz-*-armmp"), recursive=True))
    if not a64 or not amp:
        raise RuntimeError("no vmlinuz-*-arm64 and vmlinuz-*-armmp under %s" % d)
    return a64[-1], amp[-1]


# ------------------------------------------------------------------ layouts

def pick_size(rng, lo, hi, granules):
    g = rng.choice(granules)
    n = rng.randint(max(1, lo // g), max(1, hi // g))
    return n * g


def gen_layout(rng, idx):
    arch = "arm" if rng.random() < 0.25 else "arm64"
    if arch == "arm64":
        mem = rng.randrange(1024, 6144 + 1, 256) * MiB
    else:
        mem = rng.randrange(512, 2048 + 1, 128) * MiB
    end = RAM_BASE + mem
    lo = RAM_BASE + LOW_RESERVED
    lay = {"name": "L%04d" % idx, "arch": arch, "mem": mem, "cmdline": "", "regions": [],
           "memreserve": [], "devices": []}
    if rng.random() < 0.15:
        lay["cmdline"] = "cma=%dM" % rng.choice([8, 16, 32, 48, 64, 100])
    budget = mem - LOW_RESERVED - 160 * MiB - mem // 32  # early allocations, CMA
    used = 0
    statics = []
    n = rng.randint(1, 10)
    names = set()
    for i in range(n):
        kind = rng.choices(["coherent", "cma", "mapped", "badcma", "restricted", "vendor"],
                           [36, 30, 10, 6, 6, 12])[0]
        r = {"kind": kind, "compatible": KIND_COMPAT[kind],
             "no-map": kind in ("coherent", "badcma") or (kind == "vendor" and rng.random() < .5),
             "reusable": kind in ("cma", "badcma"),
             "disabled": rng.random() < 0.05}
        # linux,cma-default: more often with cma= on the command line, which bypasses it
        if kind == "cma" and rng.random() < (0.6 if lay["cmdline"] else 0.3):
            r["cma-default"] = True
        static = rng.random() < 0.4
        if static:
            roll = rng.random()
            if roll < 0.2 and statics:
                # overlap an earlier static region
                o = rng.choice(statics)
                base = o["reg"][0] + rng.randrange(0, max(1, o["reg"][1]), 0x1000)
                size = pick_size(rng, 0x1000, 16 * MiB, [0x1000, 0x10000, MiB])
            elif roll < 0.25:
                # partly or wholly outside RAM
                top = 0xffffffff if arch == "arm" else end + 2 * GiB
                base = rng.randrange(end - 8 * MiB, max(end - 8 * MiB + 1, top - 64 * MiB),
                                     MiB)
                size = pick_size(rng, MiB, 32 * MiB, [MiB, 2 * MiB])
            elif roll < 0.29:
                base = rng.randrange(lo, end - 64 * MiB, MiB)
                size = 0
            else:
                g = rng.choice([0x1000, 0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB])
                size = pick_size(rng, 0x1000, 64 * MiB, [g])
                base = rng.randrange(lo, max(lo + g, end - size), g)
            if arch == "arm" and kind == "cma" and size and any(
                    o["kind"] == "cma" and o["reg"][1] and base < o["reg"][0] + o["reg"][1]
                    and o["reg"][0] < base + size for o in statics):
                # Debian's armmp 6.1 stops printing for good right after it sets up the
                # second of two overlapping static CMA areas, before its memory setup
                # (seed 3618656904, L0031): nothing to compare; rmem_overlap reports it
                continue
            if base >= RAM_BASE and base < end:
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
                                 [0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB])
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
                for _ in range(rng.randint(1, 2)):
                    rs = rng.randrange(lo, end - MiB, MiB)
                    rl = pick_size(rng, MiB, 512 * MiB, [MiB, 16 * MiB])
                    if rng.random() < 0.1:
                        rs = end + rng.randrange(0, GiB, MiB)
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


def to_dts(lay):
    out = ["/dts-v1/;", ""]
    for b, s in lay["memreserve"]:
        out.append("/memreserve/ 0x%x 0x%x;" % (b, s))
    out += ["/ {",
            "\t#address-cells = <2>;",
            "\t#size-cells = <2>;",
            '\tcompatible = "linux,dummy-virt";',
            '\tmodel = "carveout oracle %s";' % lay["name"],
            "",
            "\tchosen {",
            '\t\tstdout-path = "/pl011@9000000";',
            "\t};",
            "",
            "\tmemory@%x {" % RAM_BASE,
            '\t\tdevice_type = "memory";',
            "\t\treg = <%s %s>;" % (cells(RAM_BASE), cells(lay["mem"])),
            "\t};",
            "",
            "\tpl011@9000000 {",
            '\t\tcompatible = "arm,pl011", "arm,primecell";',
            "\t\treg = <0x0 0x9000000 0x0 0x1000>;",
            "\t};",
            "",
            "\treserved-memory {",
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
    out += ["};", ""]
    return "\n".join(out)


# ------------------------------------------------------------------ the kernel

STOP = re.compile(r"psci:|percpu:|Kernel command line:|Kernel panic")
HEX = r"(0x[0-9a-fA-F]+)"


def qemu_cmd(lay, dtb, kernels, machine="virt"):
    mem = "%dM" % (lay["mem"] // MiB)
    append = "console=ttyAMA0 earlycon=pl011,0x9000000"
    if lay["cmdline"]:
        append += " " + lay["cmdline"]
    if lay["arch"] == "arm64":
        cmd = ["qemu-system-aarch64", "-M", machine, "-cpu", "cortex-a57", "-m", mem,
               "-kernel", kernels[0]]
    else:
        cmd = ["qemu-system-arm", "-M", machine, "-m", mem, "-kernel", kernels[1]]
    # -nic none: no network card, so QEMU needs no option ROM for one (ipxe-qemu)
    return cmd + ["-dtb", dtb, "-append", append, "-nographic", "-no-reboot", "-nic", "none", "-monitor",
                  "none", "-serial", "stdio"]


def qemu_dtb(lay, dtb, kernels, out):
    """The DTB the kernel really gets: QEMU rewrites /memory, adds /psci and
    /chosen/bootargs (their size moves the kernel's own early allocations, which
    the arm64 default CMA area lands under)."""
    p = subprocess.run(qemu_cmd(lay, dtb, kernels, "virt,dumpdtb=" + out),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=BOOT_TIMEOUT)
    if p.returncode != 0 or not os.path.exists(out):
        raise RuntimeError("qemu dumpdtb failed: " + p.stdout.decode(errors="replace"))
    return out


def boot(lay, dtb, kernels):
    """The kernel's early log for one layout, read until every reserved-memory and
    CMA decision is out (arm64 prints its default CMA area after "Zone ranges:", so
    reading stops at the next subsystem's first line)."""
    p = subprocess.Popen(qemu_cmd(lay, dtb, kernels), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    timer = threading.Timer(BOOT_TIMEOUT, p.kill)
    timer.start()
    lines, complete = [], False
    grace = None
    try:
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip()
            lines.append(line)
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
        timer.cancel()
        if grace:
            grace.cancel()
        p.kill()
        p.wait()
    if not complete:
        raise RuntimeError("the kernel log ended before its memory setup:\n" +
                           "\n".join(lines[-30:]))
    return lines


def parse_log(lines):
    """The kernel's answer: {node name: (status, base or None)} and the default CMA area
    (None, ("placed", base, size) or ("failed",))."""
    res, cma, pending = {}, None, None
    for line in lines:
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
        m = re.search(r"cma: Reserved (\d+) MiB at " + HEX, line)
        if m:
            cma = ("placed", int(m.group(2), 16), int(m.group(1)) * MiB)
            continue
        if re.search(r"cma: Failed to reserve \d+ MiB", line):
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


def dt_facts(path, arch):
    """What the kernel reads from the blob, for the checks' comparison: the
    /reserved-memory children (first reg entry, size, flags, phandle) in DT order
    and the root devices with memory-region. Addresses and sizes are read as the
    kernel does: cut to 32 bits on armmp, whose phys_addr_t is 32 bits."""
    nodes = read_fdt(path)
    mask = (1 << 32) - 1 if arch == "arm" else (1 << 64) - 1
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
          "memory_region_unreachable", "cma_unreachable"]
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
          "reserve_fail": set(), "alloc_fail": set(), "overlaps": [], "cma": None, "ram": []}
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
        m = re.search(r"cma: Reserved (\d+) MiB at " + HEX, line)
        if m:
            ev["cma"] = (int(m.group(2), 16), int(m.group(1)) * MiB)
    return ev


def kernel_checks(arch, regions, devices, pdevs, ev):
    """What the kernel's log says about each compared check.

    Returns (want, unshown, ranged, pairs, printed): want[node] is the set of
    checks the log shows failing on node (a /reserved-memory child by name, a
    device by path); unshown[node] the checks the kernel cannot show there (the
    region never reached a shared-dma-pool handler, or a dynamic size of 0);
    ranged the regions in the kernel's table whose range the log gives (static:
    reg; dynamic: the created pool's base and the size); pairs the pairs of ranged
    regions that intersect; printed the pairs the kernel printed as OVERLAP."""
    want, unshown = {}, {}
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
        elif name in ev["fail"] and not msgs:
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
    # the default CMA area: cma= or Kconfig, else the last linux,cma-default pool
    dflt = ev["cma"]
    if dflt is None:
        for name in ev["order"]:
            if ev["pools"][name][0] == "CMA" and regions.get(name, {}).get("cma-default"):
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
            extra = [] if c == "rmem_overlap" else ["%d nodes" % n]
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
            if c == "rmem_overlap":
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
            for c in sorted(got[node]):
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

def platform_args(lay, work):
    """The QEMU machine as a platform file: Debian 12's profile of the arch (the 6.1
    kernel configuration it boots), the command line, and what QEMU's loader occupies at the
    bottom of RAM (kernel image, DTB), which the kernel reserves before anything else."""
    path = os.path.join(work, lay["name"] + ".yaml")
    with open(path, "w") as f:
        f.write("platform: oracle-%s\narch: %s\nextends: debian12-%s\n" %
                (lay["name"], lay["arch"], lay["arch"]))
        if lay["cmdline"]:
            f.write("kernel:\n  cmdline: \"%s\"\n" % lay["cmdline"])
        f.write("reserved:\n  - { name: qemu-boot, base: 0x%x, size: 0x%x }\n" %
                (RAM_BASE, LOW_RESERVED))
        if lay.get("devices"):
            f.write("devices:\n")
            for d in lay["devices"]:
                f.write('  - match: { path: "/%s" }\n    dma-bits: %d\n' % (d["name"], d["bits"]))
                if d["cma"]:
                    f.write("    cma: 0x%x\n" % d["cma"])
    return ["-p", path]


def carveout(exe, lay, dtb, work):
    argv = [exe, "check", "-f", "json"] + platform_args(lay, work) + [dtb]
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
    for d in lay.get("devices", []):
        h.append("// device: %s dma-bits %d cma 0x%x" % (d["name"], d["bits"], d["cma"]))
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
            continue
        m = re.match(r"// overlap: (\S+) (\S+)(?: (printed|printed-only))?$", line)
        if m:
            p = frozenset((m.group(1), m.group(2)))
            if m.group(3):
                printed.add(p)
            if m.group(3) != "printed-only":
                pairs.add(p)
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
    chk = (want, unshown, ranged, pairs, printed) if want else None
    return lay, text, exp, kcma, chk


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
    regions, dcma, findings = carveout(args.carveout, lay, seen, work)
    facts, devices = dt_facts(seen, lay["arch"])
    pdevs = {"/" + d["name"]: d for d in lay.get("devices", [])}
    problems = []
    if kernels:
        lines = boot(lay, dtb, kernels)
        log_path = os.path.join(work, lay["name"] + ".log")
        with open(log_path, "w") as f:
            f.write("\n".join(lines) + "\n")
        res, kcma = parse_log(lines)
        chk = kernel_checks(lay["arch"], facts, devices, pdevs, parse_events(lines))
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
        lines = []
        exp, kcma, chk = stored
        if chk is None:
            raise RuntimeError("no `// checks:` lines in the header")
    bad = compare(exp, kcma, regions, dcma)
    bad_regions = sum(1 for b in bad if not b.startswith("default CMA"))
    cma_bad = any(b.startswith("default CMA") for b in bad)
    got, cpairs = carveout_checks(findings)
    cbad = compare_checks(*chk, got, cpairs, ctally)
    vbad = []
    if kernels:
        vbad = verify_layout(args, lay, facts, seen, log_path, res, kcma, not bad, vtally)
    bad = problems + bad + cbad + vbad
    tally.add(len(exp), bad_regions, cma_bad, bool(problems or cbad or vbad))
    if args.record:
        body = "".join(x for x in dts_text.splitlines(True) if not x.startswith("// "))
        with open(os.path.join(args.record, lay["name"] + ".dts"), "w") as f:
            f.write(regress_header(lay, exp, kcma, chk) + body)
    if bad:
        with out_lock:
            print("DISAGREE %s (%s, %d MiB%s):" % (
                lay["name"], lay["arch"], lay["mem"] // MiB,
                ", " + lay["cmdline"] if lay["cmdline"] else ""))
            for b in bad:
                print("  " + b)
            for d in lay.get("devices", []):
                print("  platform: /%s dma-bits %d%s" % (
                    d["name"], d["bits"], ", cma 0x%x" % d["cma"] if d["cma"] else ""))
            print("  layout:\n" + "\n".join("    " + x for x in dts_text.splitlines()))
            rel = [x for x in lines if re.search(r"reserved mem|Reserved memory|cma:|OVERLAP|"
                                                 r"overlaps with|fdt:", x)]
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
    ap.add_argument("--count", type=int, default=500)
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

    kernels = None
    if not args.regress_only:
        a64, amp = find_kernels()
        kernels = (a64, amp)
        print("kernels: %s, %s" % (a64, amp))
        print("seed %d (rerun with CARVEOUT_ORACLE_SEED=%d), %d layouts, %d jobs" %
              (seed, seed, count, args.jobs))
    sys.stdout.flush()

    jobs = []
    for path in sorted(glob.glob(os.path.join(args.regress, "*.dts"))):
        lay, text, exp, kcma, chk = read_regress(path)
        jobs.append((lay, text, (exp, kcma, chk)))
    n_regress = len(jobs)
    if not args.regress_only:
        rng = random.Random(seed)
        for i in range(count):
            lay = gen_layout(rng, i)
            jobs.append((lay, to_dts(lay), None))

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

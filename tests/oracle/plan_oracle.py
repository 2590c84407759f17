#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The plan oracle: `carveout plan` and `carveout fix` against Debian's real kernels.

Random *broken* layouts are generated from a printed seed (a static reusable CMA pool
written over a static no-map region, pools beyond a 32-bit (on arm 31-bit) device's reach,
a CMA pool or the default CMA area too large or above a device's reach, unaligned static
CMA pools, dynamic regions whose alloc-ranges window a static no-map region takes), each
compiled and dumped through QEMU as oracle.py does (carveout reads what the kernel reads).
A layout where `carveout check` reports a finding that a change of `carveout plan -f json`
names in its "fixes" is fixed (`carveout fix -o fixed.dtb`, same platform file), the fixed
DTB is booted, and the kernel must put every region where the plan's "regions" says, log no
failure (failed to allocate, failed to reserve, compatible matching fail, incorrect CMA
alignment, an OVERLAP or intersecting range) for a region the plan moved or added, and
leave every device's pool and default CMA area within its reach. A layout the plan calls
infeasible is booted unchanged, and the kernel must show the failure each conflict names.
README.md ("The plan oracle") has the rules.

usage: plan_oracle.py --carveout EXE [--kernels NAME[:COUNT],...] [--count N] [--seed S]
                      [--jobs J] [--work DIR] [--keep]

Environment: CARVEOUT_ORACLE_SEED and CARVEOUT_ORACLE_COUNT override --seed and every
count (as for oracle.py).
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import oracle  # noqa: E402
from oracle import (GiB, MiB, KERNELS, LOW_RESERVED, RAM_BASES, Hang, boot,  # noqa: E402
                    compare, dt_facts, dtc, find_kernel, kernel_checks, kernel_of,
                    opensbi_fixup, parse_events, parse_log, platform_args, qemu_dtb,
                    region_size, to_dts)

DEFAULT_KERNELS = "6.1-arm64,6.12-arm64,6.12-armmp"
RM = "/reserved-memory/"
SBI_NODE = RM + "mmode_resv0@80000000"  # oracle.opensbi_fixup()
# what the kernel must not show for a region the plan moved or added
FAILURES = ("rmem_alloc_fail", "rmem_nomap_busy", "rmem_zero_size", "cma_alignment",
            "rmem_nomap_reusable", "dma_pool_nomap", "cma_cmdline_override")
# the faults a layout gets (one or two), with their weights: the two too large for any
# placement (infeasible) rarer
SCENARIOS = {"overlap": 3, "reach-pool": 3, "reach-static-cma": 2, "large-cma-pool": 1,
             "default-cma-reach": 3, "default-cma-large": 1, "kconfig-cma-reach": 2,
             "unaligned-cma": 3, "window-taken": 3, "window-static": 1}
# a kernel without CONFIG_CMA (riscv64): its coherent handler refuses every reusable pool,
# so the faults are those of coherent pools (large-pool: a dynamic coherent pool larger
# than its device reaches)
NOCMA_SCENARIOS = {"reach-pool": 3, "large-pool": 1, "window-taken": 3, "window-static": 1}


# ------------------------------------------------------------------ broken layouts

def cma_align(kern):
    """The CMA alignment of the kernel (pageblock and MAX_ORDER): 16K pages 32 MiB, arm's
    larger MAX_ORDER 8 MiB, arm64 4 MiB."""
    if kern["page"] == "16K":
        return 32 * MiB
    return 8 * MiB if kern["arch"] == "arm" else 4 * MiB


def lowmem_end(kern, ram, end):
    """armmp without LPAE: 760 MiB of lowmem (VMALLOC_END less 240 MiB and its gap)."""
    if kern["arch"] == "arm":
        return min(end, ram + 760 * MiB)
    return end


class Builder:
    """A layout under construction: regions in oracle.py's form, statics kept apart unless
    an overlap is wanted."""
    def __init__(self, rng, lay, kern):
        self.rng, self.lay, self.kern = rng, lay, kern
        self.ram = RAM_BASES[lay["arch"]]
        self.end = self.ram + lay["mem"]
        self.lo = self.ram + LOW_RESERVED
        self.statics = []
        self.n = 0

    def free(self, base, size):
        return base >= self.lo and base + size <= self.end and not any(
            base < b + s and b < base + size for b, s in self.statics)

    def spot(self, size, align, lo=None, hi=None):
        """A free static range of size, aligned, in [lo, hi)."""
        lo = max(self.lo, lo or self.lo)
        hi = min(self.end, hi or self.end)
        for _ in range(200):
            if (hi - size) // align * align < (lo + align - 1) // align * align:
                return None
            base = self.rng.randrange(lo + align - 1, hi - size + 1, align) // align * align
            if base >= lo and self.free(base, size):
                return base
        return None

    def add(self, kind, static=None, size=None, **kw):
        """static: a (base, size) reg; else size (dynamic)."""
        r = {"kind": kind, "compatible": oracle.KIND_COMPAT[kind],
             "no-map": kind in ("coherent", "badcma") or kw.pop("no_map", False),
             "reusable": kind in ("cma", "badcma"), "disabled": False}
        r.update(kw)
        i = self.n
        self.n += 1
        if static is not None:
            r["reg"] = static
            r["name"] = "s%d@%x" % (i, static[0])
            self.statics.append(static)
        else:
            r["size"] = size
            r["name"] = "d%d" % i
        self.lay["regions"].append(r)
        return r

    def device(self, bits, target=None, cma=0):
        d = {"name": "dev%d" % len(self.lay["devices"]), "target": target["name"] if target
             else None, "bits": bits, "cma": cma}
        self.lay["devices"].append(d)
        return d


def gen_broken(rng, idx, kname):
    """One layout with one or two fixable (or infeasible) faults, and a few sound regions."""
    kern = KERNELS[kname]
    arch = kern["arch"]
    lpae = kern["config"].get("ARM_LPAE") == "y"
    cma = kern["config"].get("DMA_CMA") == "y"
    table = SCENARIOS if cma else NOCMA_SCENARIOS
    kinds = []
    for _ in range(rng.choice([1, 1, 2])):
        k = rng.choices(list(table), list(table.values()))[0]
        if k not in kinds:
            kinds.append(k)
    lo_m, hi_m, step = kern["mem"]
    need_high = any(k in ("reach-pool", "reach-static-cma", "large-cma-pool", "large-pool",
                          "default-cma-reach", "default-cma-large") for k in kinds)
    if need_high:
        # above the device's reach: arm64 beyond 4 GiB (RAM from 1 GiB), riscv beyond
        # 4 GiB (RAM from 2 GiB), arm beyond 2 GiB
        lo_m = max(lo_m, {"arm64": 3584, "riscv": 2560}.get(arch, 1280))
        if lo_m > hi_m:
            kinds = [k for k in kinds if k in ("overlap", "unaligned-cma", "window-taken",
                                               "kconfig-cma-reach")] or ["overlap"]
            lo_m = kern["mem"][0]
    mem = rng.randrange(lo_m, hi_m + 1, step) * MiB
    lay = {"name": "%s-P%04d" % (kname, idx), "kernel": kname, "arch": arch, "mem": mem,
           "cmdline": "", "regions": [], "memreserve": [], "devices": [], "scenarios": kinds}
    b = Builder(rng, lay, kern)
    A = cma_align(kern)
    low = lowmem_end(kern, b.ram, b.end)
    bits = 31 if arch == "arm" else 32
    reach = 1 << bits
    for k in kinds:
        if k == "overlap":
            # a static reusable CMA pool written over a static no-map region
            s_size = rng.choice([1, 2, 4, 8, 16]) * MiB
            s_base = b.spot(s_size, MiB, hi=low - 64 * MiB)
            if s_base is None:
                continue
            b.add(rng.choice(["coherent", "vendor"]), static=(s_base, s_size),
                  no_map=True)
            c_size = A * rng.randint(1, max(1, 32 * MiB // A))
            c_base = (s_base + rng.randrange(0, s_size, MiB)) // A * A
            if rng.random() < 0.5 and c_base - c_size + A >= b.lo:
                c_base = c_base - c_size + A  # the pool ends over the region
            c_base = max(c_base, (b.lo + A - 1) // A * A)
            if not (c_base < s_base + s_size and s_base < c_base + c_size):
                c_base = s_base // A * A
            b.statics.pop()  # the pool may overlap it, nothing else
            r = b.free(c_base, c_size)
            b.statics.append((s_base, s_size))
            if r and c_base >= b.lo:
                b.add("cma", static=(c_base, c_size))
        elif k == "reach-pool":
            # a dynamic pool (coherent or CMA) without alloc-ranges lands at the top of
            # RAM, beyond its device's reach; arm (no LPAE) allocates in lowmem, within 31
            # bits, so there the pool is a static CMA pool in highmem
            kind = rng.choice(["coherent", "cma"] if cma else ["coherent"])
            if arch == "arm" and not lpae:
                c_size = A * rng.randint(1, 4)
                base = b.spot(c_size, A, lo=reach)
                if base is None:
                    continue
                r = b.add("cma", static=(base, c_size))
            else:
                size = rng.choice([1, 2, 4, 8, 16, 32]) * MiB
                r = b.add(kind, size=max(size, A) if kind == "cma" else size)
            b.device(bits, r)
        elif k == "reach-static-cma":
            # a static reusable CMA pool above the device's reach
            c_size = A * rng.randint(1, max(1, 64 * MiB // A))
            base = b.spot(c_size, A, lo=reach)
            if base is None:
                continue
            r = b.add("cma", static=(base, c_size))
            b.device(bits, r, cma=rng.choice([0, 4 * MiB]))
        elif k == "large-cma-pool":
            # a dynamic CMA pool for a 32-bit device, larger than what it reaches
            window = min(reach, low) - b.lo
            size = (window + rng.choice([64, 128, 512]) * MiB) // A * A
            if size > mem // 2:
                size = (window - rng.choice([0, 32]) * MiB) // A * A
            r = b.add("cma", size=size)
            b.device(bits, r)
        elif k == "large-pool":
            # a dynamic coherent pool for a 32-bit device, larger than what it reaches
            # (infeasible), or a little smaller (it fits low)
            window = reach - b.lo
            if rng.random() < 0.5:
                size = window + rng.choice([64, 256]) * MiB
            else:
                size = window - rng.choice([32, 128]) * MiB
            r = b.add("coherent", size=max(size, 64 * MiB))
            b.device(bits, r)
        elif k == "default-cma-reach":
            # a dynamic linux,cma-default region lands at the top of RAM, beyond the reach
            # of a device with default-CMA demand (arm without LPAE: a static one in
            # highmem, as dynamic regions stay in lowmem there)
            if any(r.get("cma-default") for r in lay["regions"]):
                continue
            if arch == "arm" and not lpae:
                c_size = A * rng.randint(1, 4)
                base = b.spot(c_size, A, lo=reach)
                if base is None:
                    continue
                r = b.add("cma", static=(base, c_size), **{"cma-default": True})
                r["name"] = "linux,cma@%x" % base
            else:
                r = b.add("cma", size=rng.choice([16, 32, 64, 128]) * MiB,
                          **{"cma-default": True})
                r["name"] = "linux,cma"
            b.device(bits, cma=4 * MiB)
        elif k == "default-cma-large":
            if any(r.get("cma-default") for r in lay["regions"]):
                continue
            window = min(reach, low) - b.lo
            size = (window + rng.choice([0, 256]) * MiB) // A * A
            if size > mem // 2:
                size = window // A * A
            r = b.add("cma", size=size, **{"cma-default": True})
            r["name"] = "linux,cma"
            b.device(bits, cma=4 * MiB)
        elif k == "kconfig-cma-reach":
            # no DT default area: the Kconfig one (arm64: the top of ZONE_DMA32, under
            # 4 GiB) is beyond a 31-bit device with default-CMA demand (on arm it lies in
            # lowmem, within 31 bits: nothing to fix there)
            if any(r.get("cma-default") for r in lay["regions"]) or arch != "arm64":
                continue
            if mem <= 2 * GiB:
                lay["mem"] = mem = 3 * GiB
                b.end = b.ram + mem
            b.device(31, cma=4 * MiB)
        elif k == "unaligned-cma":
            c_size = A * rng.randint(1, max(1, 32 * MiB // A))
            off = rng.choice([MiB, 2 * MiB, A // 2, 0x10000])
            base = b.spot(c_size + A, A, hi=low)
            if base is None:
                continue
            b.add("cma", static=(base + off, c_size))
        elif k == "window-taken":
            # a dynamic region X, first in DT order, takes the top of its alloc-ranges
            # window W' (memblock allocates top-down), which is all of the window W of a
            # later one Y: Y fails; X can move lower in W'
            L = rng.choice([32, 64, 128]) * MiB
            w = max(rng.choice([8, 16]) * MiB, 2 * A)
            L = max(L, 2 * w)
            w0 = b.spot(L, MiB, hi=low - 128 * MiB)
            if w0 is None:
                continue
            b.statics.append((w0, L))  # kept clear of later statics
            pools = ["coherent", "cma"] if cma else ["coherent"]
            kx, ky = rng.choice(pools), rng.choice(pools)
            sy = max(w // 2, A) if ky == "cma" else w // 2
            sx = w - sy + (A if kx == "cma" else MiB)
            if kx == "cma":
                sx = (sx + A - 1) // A * A
            b.add(kx, size=sx, **{"alloc-ranges": [(w0, L)]})
            b.add(ky, size=sy, **{"alloc-ranges": [(w0 + L - w, w)]})
        elif k == "window-static":
            # the window of a dynamic region taken by a static no-map region: no DT change
            # the plan makes (alloc-ranges is the region's own constraint), the kernel fails
            s_size = rng.choice([8, 16, 32, 64]) * MiB
            s_base = b.spot(s_size, MiB, hi=low - 32 * MiB)
            if s_base is None:
                continue
            b.add(rng.choice(["coherent", "vendor"]), static=(s_base, s_size), no_map=True)
            w_base = s_base + rng.randrange(0, s_size // 2, MiB)
            w_size = min(s_base + s_size - w_base, rng.choice([4, 8, 16, 32]) * MiB)
            kind = rng.choice(["coherent", "cma"] if cma else ["coherent"])
            size = max(MiB, w_size // rng.choice([1, 2, 4]))
            if kind == "cma":
                size = max(size, A)
            b.add(kind, size=size, **{"alloc-ranges": [(w_base, w_size)]})
    # sound regions around them
    for _ in range(rng.randint(0, 3)):
        if rng.random() < 0.5:
            b.add("coherent", size=rng.choice([1, 2, 4]) * MiB)
        else:
            size = rng.choice([1, 2, 4]) * MiB
            base = b.spot(size, MiB, hi=low)
            if base is not None:
                b.add("vendor", static=(base, size), no_map=rng.random() < 0.5)
    if not lay["regions"] and not lay["devices"]:
        base = b.spot(2 * A, A, hi=low)
        if base is not None:
            b.add("cma" if cma else "coherent", static=(base + MiB, A))
    return lay


# ------------------------------------------------------------------ carveout

def run_json(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                                p.stderr.decode(errors="replace")))
    return json.loads(p.stdout)["files"][0], p.returncode


def dts_of(dtb):
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb],
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def node(path):
    return path[len(RM):] if path.startswith(RM) else path


# ------------------------------------------------------------------ one layout

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.k = {}

    def add(self, kname, what, n=1):
        with self.lock:
            t = self.k.setdefault(kname, {})
            t[what] = t.get(what, 0) + n

    def get(self, kname, what):
        return self.k.get(kname, {}).get(what, 0)


def run_one(args, kernels, lay, tally, out_lock, seed):
    work, kname = args.work, kernel_of(lay)
    name = lay["name"]
    tally.add(kname, "generated")
    dts = os.path.join(work, name + ".dts")
    dtb = os.path.join(work, name + ".dtb")
    riscv = lay["arch"] == "riscv"
    if riscv:
        # riscv: the layout goes into QEMU's own machine DT (as oracle.py does)
        own = qemu_dtb(lay, None, kernels, os.path.join(work, name + ".virt.dtb"))
        text = to_dts(lay, dts_of(own))
    else:
        text = to_dts(lay)
    with open(dts, "w") as f:
        f.write(text)
    dtc(dts, dtb)
    seen = qemu_dtb(lay, dtb, kernels, os.path.join(work, name + ".qemu.dtb"))
    if riscv:
        # carveout reads what the kernel reads: OpenSBI's region added
        seen = opensbi_fixup(seen, os.path.join(work, name + ".sbi.dtb"))
    plat = platform_args(lay, work, dtb)
    chk, _ = run_json([args.carveout, "check", "-f", "json"] + plat + [seen])
    findings = chk.get("findings", [])
    checks = {f["check"] for f in findings}
    plan, _ = run_json([args.carveout, "plan", "-f", "json"] + plat + [seen])
    with open(os.path.join(work, name + ".plan.json"), "w") as f:
        json.dump(plan, f, indent=1)
    fixes = {c for ch in plan["changes"] for c in ch.get("fixes", [])} & checks
    ctx = {"lay": lay, "text": text, "findings": findings, "plan": plan, "lines": [],
           "seed": seed}
    if not plan["feasible"]:
        tally.add(kname, "infeasible")
        return infeasible(args, kernels, lay, ctx, tally, out_lock, dtb, seen)
    if not fixes:
        tally.add(kname, "nothing to fix")
        return True
    tally.add(kname, "planned")
    for c in fixes:
        tally.add(kname, "fix " + c)
    fixed = os.path.join(work, name + ".fixed.dtb")
    p = subprocess.run([args.carveout, "fix"] + plat + ["-o", fixed, seen],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1) or not os.path.exists(fixed):
        return disagree(args, lay, ctx, tally, out_lock, ["carveout fix: exit %d: %s" % (
            p.returncode, p.stderr.decode(errors="replace").strip())])
    if riscv:
        # the fixed DT holds OpenSBI's region (carveout read it in); OpenSBI adds it to
        # what it boots, so the DTB QEMU loads goes without it
        loaded = os.path.join(work, name + ".fixed.load.dtb")
        shutil.copyfile(fixed, loaded)
        subprocess.run(["fdtput", "-r", loaded, SBI_NODE], check=True)
        fseen = qemu_dtb(lay, loaded, kernels, os.path.join(work, name + ".fixed.qemu.dtb"))
        fseen = opensbi_fixup(fseen, os.path.join(work, name + ".fixed.sbi.dtb"))
    else:
        loaded = fixed
        fseen = qemu_dtb(lay, fixed, kernels, os.path.join(work, name + ".fixed.qemu.dtb"))
    ctx["fixed_dts"] = dts_of(fseen)
    try:
        lines = boot(lay, loaded, kernels)
    except Hang as h:
        ctx["lines"] = h.lines
        with open(os.path.join(work, name + ".log"), "w") as f:
            f.write("\n".join(h.lines) + "\n")
        tally.add(kname, "fixed and booted")
        return disagree(args, lay, ctx, tally, out_lock,
                        ["the fixed DT does not boot: %s" % h.why])
    ctx["lines"] = lines
    with open(os.path.join(work, name + ".log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    tally.add(kname, "fixed and booted")
    bad = judge_fixed(args, lay, plan, fseen, lines, plat, kname)
    if bad:
        return disagree(args, lay, ctx, tally, out_lock, bad)
    tally.add(kname, "agreeing")
    return True


def judge_fixed(args, lay, plan, fseen, lines, plat, kname):
    """What the kernel did with the fixed DT against what the plan says."""
    bad = []
    lpae = KERNELS[kname]["config"].get("ARM_LPAE") == "y"
    facts, devices = dt_facts(fseen, lay["arch"], lpae)
    res, kcma = parse_log(lines)
    ev = parse_events(lines)
    pdevs = {"/" + d["name"]: d for d in lay["devices"]}
    want, _, _, kpairs, printed = kernel_checks(lay["arch"], facts, devices, pdevs, ev, kname)
    pregions = {node(r["path"]): r for r in plan["regions"] if r["path"].startswith(RM)}
    # every region where the plan says (the kernel's answer as oracle.py reads it)
    exp = []
    for n, r in facts.items():
        if n not in pregions:
            bad.append("%s: in the fixed DT, not in the plan's regions" % n)
            continue
        if n in res:
            exp.append((n, res[n][0], res[n][1], "log"))
        elif r["disabled"]:
            exp.append((n, "disabled", None, "silent"))
        elif r["compatible"] != "shared-dma-pool":
            exp.append((n, "placed", r["reg"][0] if "reg" in r else None, "silent"))
        else:
            exp.append((n, "silent", None, "silent"))
    for n in pregions:
        if n not in facts:
            bad.append("%s: in the plan's regions, not in the fixed DT" % n)
    # the default CMA area as `carveout check` of the fixed DT has it
    fchk, _ = run_json([args.carveout, "check", "-f", "json"] + plat + [fseen])
    bad += compare(exp, kcma, pregions, fchk.get("default-cma"))
    # no failure for a region the plan moved or added
    changed = set()
    for ch in plan["changes"]:
        for key in ("path", "new-path"):
            p = ch.get(key, "")
            if p.startswith(RM):
                changed.add(node(p))
    for n in sorted(changed):
        if n not in facts:
            continue
        w = want.get(n, set()) & set(FAILURES)
        if w:
            bad.append("%s (changed by the plan): the kernel shows %s" % (n, ", ".join(sorted(w))))
        if n in ev["fail"] and not w:
            bad.append("%s (changed by the plan): node %s compatible matching fail" % (n, n))
        for pr in sorted(kpairs | printed, key=sorted):
            if n in pr:
                a, b2 = sorted(pr)
                bad.append("%s (changed by the plan): overlaps %s in the kernel's table%s" % (
                    n, b2 if a == n else a, " (OVERLAP DETECTED)" if pr in printed else ""))
    # every device's region within its reach
    for path, d in sorted(pdevs.items()):
        for c in ("memory_region_unreachable", "cma_unreachable"):
            if c in want.get(path, set()):
                bad.append("%s (dma-bits %d): %s on the fixed DT" % (path, d["bits"], c))
        t = devices.get(path)
        if t and t in facts and facts[t]["compatible"] == "shared-dma-pool" and \
                res.get(t, ("",))[0] != "placed" and not facts[t]["disabled"]:
            bad.append("%s: its pool %s is not created (%s)" % (path, t, res.get(t)))
    return bad


def conflict_nodes(c):
    text = " ".join([c.get("message", "")] + c.get("constraints", []))
    return sorted(set(node(m.rstrip(".,;:)")) for m in
                      re.findall(r"(/reserved-memory/[^\s;:()]+|/dev\d+)", text)))


def infeasible(args, kernels, lay, ctx, tally, out_lock, dtb, seen):
    """The plan finds no layout: the original must really fail on the kernel, on what
    each conflict names."""
    kname = kernel_of(lay)
    try:
        lines = boot(lay, dtb, kernels)
    except Hang as h:
        ctx["lines"] = h.lines
        with open(os.path.join(args.work, lay["name"] + ".log"), "w") as f:
            f.write("\n".join(h.lines) + "\n")
        tally.add(kname, "infeasible, the boot hangs")
        with tally.lock:
            tally.k[kname].setdefault("_hangs", []).append(lay["name"])
        # a hang is the kernel failing, but only where carveout's check says it hangs
        if not any(f["check"] in oracle.LAYOUT_CHECKS and not any(
                w in f.get("message", "") for w in oracle.LATER) for f in ctx["findings"]):
            return disagree(args, lay, ctx, tally, out_lock, [
                "infeasible; the original does not boot (%s), and carveout reports neither %s"
                % (h.why, " nor ".join(oracle.LAYOUT_CHECKS))])
        tally.add(kname, "infeasible and confirmed failing")
        return True
    ctx["lines"] = lines
    with open(os.path.join(args.work, lay["name"] + ".log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    lpae = KERNELS[kname]["config"].get("ARM_LPAE") == "y"
    facts, devices = dt_facts(seen, lay["arch"], lpae)
    ev = parse_events(lines)
    pdevs = {"/" + d["name"]: d for d in lay["devices"]}
    want, _, _, kpairs, printed = kernel_checks(lay["arch"], facts, devices, pdevs, ev, kname)

    def fails(n):
        """What the kernel shows failing on node n (a region or a device), the devices
        whose pool it is included, and its OVERLAP pairs."""
        out = set(want.get(n, set()))
        if n in ev["fail"]:
            out.add("compatible matching fail")
        for dp, t in devices.items():
            if t == n:
                out |= want.get(dp, set())
        if any(n in p for p in kpairs | printed):
            out.add("rmem_overlap")
        return out
    bad = []
    for c in ctx["plan"]["conflicts"]:
        names = conflict_nodes(c)
        if not names:
            # the default CMA area, or a conflict that names no node: any failure the
            # kernel shows that carveout's check reports
            names = sorted(set(want) | {node(f.get("path", "")) for f in ctx["findings"]})
        shown = {n: fails(n) for n in names}
        if not any(shown.values()):
            bad.append("infeasible, but the kernel shows no failure on %s: %s" % (
                ", ".join(names), c["message"]))
    if bad:
        return disagree(args, lay, ctx, tally, out_lock, bad)
    tally.add(kname, "infeasible and confirmed failing")
    return True


def disagree(args, lay, ctx, tally, out_lock, bad):
    kname = kernel_of(lay)
    tally.add(kname, "disagreements")
    with tally.lock:
        tally.k[kname].setdefault("_list", []).append(lay["name"])
    keep = os.path.join(args.work, "disagreements")
    os.makedirs(keep, exist_ok=True)
    head = ["// plan oracle disagreement: seed %d, %s (%s, %d MiB), scenarios %s" % (
        ctx["seed"], lay["name"], kname, lay["mem"] // MiB, " ".join(lay["scenarios"]))]
    head += ["// " + b for b in bad]
    head += ["// platform: /%s dma-bits %d%s" % (d["name"], d["bits"], ", cma 0x%x" % d["cma"]
                                                 if d["cma"] else "") for d in lay["devices"]]
    with open(os.path.join(keep, lay["name"] + ".dts"), "w") as f:
        f.write("\n".join(head) + "\n" + ctx["text"])
    if "fixed_dts" in ctx:
        with open(os.path.join(keep, lay["name"] + ".fixed.dts"), "w") as f:
            f.write("\n".join(head) + "\n" + ctx["fixed_dts"])
    with open(os.path.join(keep, lay["name"] + ".plan.json"), "w") as f:
        json.dump(ctx["plan"], f, indent=1)
    with open(os.path.join(keep, lay["name"] + ".log"), "w") as f:
        f.write("\n".join(ctx["lines"]) + "\n")
    with out_lock:
        print("DISAGREE %s (%s, %d MiB, seed %d, scenarios %s):" % (
            lay["name"], kname, lay["mem"] // MiB, ctx["seed"], " ".join(lay["scenarios"])))
        for b in bad:
            print("  " + b)
        for d in lay["devices"]:
            print("  platform: /%s dma-bits %d%s" % (d["name"], d["bits"], ", cma 0x%x" %
                                                     d["cma"] if d["cma"] else ""))
        print("  layout:\n" + "\n".join("    " + x for x in ctx["text"].splitlines()
                                        if x.startswith("\t\t") or "dev" in x))
        print("  plan changes:")
        for ch in ctx["plan"]["changes"]:
            print("    %s %s%s %s -> %s (fixes %s)" % (
                ch["action"], ch["path"], " " + ch["property"] if ch.get("property") else "",
                ch.get("old", ""), ch.get("new", ch.get("new-path", "")),
                ", ".join(ch.get("fixes", []))))
        print("  plan regions:")
        for r in ctx["plan"]["regions"]:
            print("    %s %s %s size %s %s" % (r["path"], r.get("status"), r.get("base", "-"),
                                             r.get("size", "-"), r.get("reason", "")))
        for c in ctx["plan"]["conflicts"]:
            print("  conflict: %s" % c["message"])
        print("  carveout findings (original):")
        for f in ctx["findings"]:
            if f["severity"] == "error":
                print("    %s %s: %s" % (f["check"], f.get("path", ""), f.get("message", "")[:200]))
        rel = [x for x in ctx["lines"] if re.search(
            r"reserved mem|Reserved memory|cma:|OVERLAP|overlaps with|fdt:|Unable|Internal",
            x)]
        print("  kernel log:\n" + "\n".join("    " + x for x in rel))
        sys.stdout.flush()
    return False


# ------------------------------------------------------------------ driver

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--carveout", required=True)
    ap.add_argument("--count", type=int, default=300,
                    help="layouts per kernel (a --kernels entry NAME:COUNT overrides it)")
    ap.add_argument("--kernels", default=DEFAULT_KERNELS,
                    help="a comma list of NAME[:COUNT], NAME one of: " + ", ".join(
                        sorted(KERNELS)))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    args.carveout = os.path.abspath(args.carveout)
    seed = int(os.environ.get("CARVEOUT_ORACLE_SEED", args.seed if args.seed is not None
                              else int.from_bytes(os.urandom(4), "little")))
    count = int(os.environ.get("CARVEOUT_ORACLE_COUNT", args.count))
    args.work = os.path.abspath(args.work or os.path.join(os.getcwd(), "plan-oracle-work"))
    if os.path.isdir(args.work) and not args.keep:
        shutil.rmtree(args.work)
    os.makedirs(args.work, exist_ok=True)
    plan = []
    for part in args.kernels.split(","):
        kn, _, n = part.strip().partition(":")
        if kn not in KERNELS:
            raise SystemExit("plan_oracle.py: unknown kernel %r" % kn)
        plan.append((kn, count if "CARVEOUT_ORACLE_COUNT" in os.environ or not n else int(n)))
    kernels = {kn: find_kernel(kn) for kn, _ in plan}
    print("kernels: %s" % ", ".join(kernels[kn] for kn in sorted(kernels)))
    print("seed %d (rerun with CARVEOUT_ORACLE_SEED=%d), %s, %d jobs" % (
        seed, seed, ", ".join("%d layouts on %s" % (n, kn) for kn, n in plan), args.jobs))
    sys.stdout.flush()
    jobs = []
    for kn, n in plan:
        rng = random.Random("%d-plan-%s" % (seed, kn))
        for i in range(n):
            jobs.append(gen_broken(rng, i, kn))
    tally, out_lock = Tally(), threading.Lock()
    errors = []
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_one, args, kernels, lay, tally, out_lock, seed): lay
                for lay in jobs}
        for fut in concurrent.futures.as_completed(futs):
            try:
                fut.result()
            except Exception as e:  # a boot, or a carveout run that went wrong
                lay = futs[fut]
                errors.append("%s (%s): %s" % (lay["name"], " ".join(lay["scenarios"]), e))
                keep = os.path.join(args.work, "disagreements")
                os.makedirs(keep, exist_ok=True)
                for ext in (".dts", ".yaml", ".qemu.dtb"):
                    src = os.path.join(args.work, lay["name"] + ext)
                    if os.path.exists(src):
                        shutil.copy(src, keep)
    wall = time.monotonic() - t0
    for e in errors:
        print("ERROR " + e)
    total_bad = len(errors)
    for kn, _ in plan:
        g = tally.get
        print("plan %s: %d generated, %d planned, %d fixed and booted, %d agreeing; "
              "%d infeasible, %d confirmed failing (%d hang%s); %d with nothing to fix; "
              "%d disagreements%s" % (
                  kn, g(kn, "generated"), g(kn, "planned"), g(kn, "fixed and booted"),
                  g(kn, "agreeing"), g(kn, "infeasible"),
                  g(kn, "infeasible and confirmed failing"), g(kn, "infeasible, the boot hangs"),
                  ": " + ", ".join(sorted(tally.k[kn]["_hangs"])) if g(kn, "infeasible, the boot hangs")
                  else "",
                  g(kn, "nothing to fix"), g(kn, "disagreements"),
                  " (%s)" % ", ".join(sorted(tally.k.get(kn, {}).get("_list", [])))
                  if g(kn, "disagreements") else ""))
        fx = sorted((w[4:], n) for w, n in tally.k.get(kn, {}).items() if w.startswith("fix "))
        if fx:
            print("  findings the plans fix: " + ", ".join("%s %d" % f for f in fx))
        total_bad += g(kn, "disagreements")
    print("plan oracle: seed %d; %.0f s; %d errors" % (seed, wall, len(errors)))
    if total_bad:
        print("disagreeing layouts (DTS, fixed DTS, plan, kernel log) are in %s/disagreements"
              % args.work)
    elif not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    planned = sum(tally.get(kn, "planned") + tally.get(kn, "infeasible") for kn, _ in plan)
    return 1 if total_bad or planned == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The placement oracle: carveout's simulation against Debian's real 6.1 kernels.

Random /reserved-memory layouts are generated from a printed seed, each is booted
under QEMU (arm64: qemu-system-aarch64 -M virt -cpu cortex-a57, 1-6 GiB; arm:
qemu-system-arm -M virt with the armmp kernel, 512 MiB-2 GiB), the kernel's early
log is read until its reserved-memory and CMA decisions are all printed, and every
region's fate (placed at which base, failed, ignored) and the default CMA area are
compared with `carveout check -f json`. Regression layouts (tests/oracle/regress/*.dts,
each with the kernel's recorded answer in its header) are compared too, and booted
again when the kernels are at hand.

usage: oracle.py --carveout EXE [--count N] [--seed S] [--jobs J] [--work DIR]
                 [--regress DIR] [--fetch SCRIPT] [--regress-only] [--keep]

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
KIND_COMPAT = {
    "coherent": "shared-dma-pool",
    "mapped": "shared-dma-pool",
    "cma": "shared-dma-pool",
    "badcma": "shared-dma-pool",
    "restricted": "restricted-dma-pool",
    "vendor": "acme,firmware-carveout",
}


# ------------------------------------------------------------------ kernels

def find_kernels(fetch):
    """(arm64 vmlinuz, armmp vmlinuz) from $CARVEOUT_ORACLE_KERNELS or the corpus."""
    d = os.environ.get("CARVEOUT_ORACLE_KERNELS")
    if not d:
        import corpus
        d = corpus.locate(fetch, sys.stdout)
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
           "memreserve": []}
    if rng.random() < 0.1:
        lay["cmdline"] = "cma=%dM" % rng.choice([8, 16, 32, 48, 64, 100])
    budget = mem - LOW_RESERVED - 160 * MiB - mem // 32  # early allocations, CMA
    used = 0
    statics = []
    n = rng.randint(1, 10)
    names = set()
    for i in range(n):
        kind = rng.choices(["coherent", "cma", "mapped", "badcma", "restricted", "vendor"],
                           [40, 30, 8, 4, 6, 12])[0]
        r = {"kind": kind, "compatible": KIND_COMPAT[kind],
             "no-map": kind in ("coherent", "badcma") or (kind == "vendor" and rng.random() < .5),
             "reusable": kind in ("cma", "badcma"),
             "disabled": rng.random() < 0.05}
        if kind == "cma" and rng.random() < 0.3:
            r["cma-default"] = True
        static = rng.random() < 0.4
        if static:
            roll = rng.random()
            if roll < 0.15 and statics:
                # overlap an earlier static region
                o = rng.choice(statics)
                base = o["reg"][0] + rng.randrange(0, max(1, o["reg"][1]), 0x1000)
                size = pick_size(rng, 0x1000, 16 * MiB, [0x1000, 0x10000, MiB])
            elif roll < 0.20:
                # partly or wholly outside RAM
                top = 0xffffffff if arch == "arm" else end + 2 * GiB
                base = rng.randrange(end - 8 * MiB, max(end - 8 * MiB + 1, top - 64 * MiB),
                                     MiB)
                size = pick_size(rng, MiB, 32 * MiB, [MiB, 2 * MiB])
            elif roll < 0.22:
                base = rng.randrange(lo, end - 64 * MiB, MiB)
                size = 0
            else:
                g = rng.choice([0x1000, 0x10000, MiB, 2 * MiB, 4 * MiB, 8 * MiB])
                size = pick_size(rng, 0x1000, 64 * MiB, [g])
                base = rng.randrange(lo, max(lo + g, end - size), g)
            if base >= RAM_BASE and base < end:
                if used + min(size, end - base) > budget:
                    continue
                used += min(size, end - base)
            r["reg"] = (base, size)
            name = "s%d@%x" % (i, base)
            statics.append(r)
        else:
            roll = rng.random()
            if roll < 0.05:
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
            elif ar < 0.95:
                r["alignment"] = 1 << rng.randint(12, 28)
            else:
                r["alignment"] = rng.choice([0x3000, 0x180000, 0x500000])
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
    if rng.random() < 0.1:
        b = rng.randrange(lo, end - 32 * MiB, MiB)
        lay["memreserve"].append((b, pick_size(rng, 0x1000, 8 * MiB, [0x1000, MiB])))
    return lay


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
    for r in lay["regions"]:
        out.append("")
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
    out += ["\t};", "};", ""]
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
    return cmd + ["-dtb", dtb, "-append", append, "-nographic", "-no-reboot", "-monitor",
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
    p = subprocess.Popen(qemu_cmd(lay, dtb, kernels), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    timer = threading.Timer(BOOT_TIMEOUT, p.kill)
    timer.start()
    lines, complete = [], False
    try:
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip()
            lines.append(line)
            if STOP.search(line):
                complete = True
                break
    finally:
        timer.cancel()
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


# ------------------------------------------------------------------ carveout

def platform_args(lay, work):
    """The QEMU machine as a platform file: the generic profile of the arch (Debian's
    kernel configuration), the command line, and what QEMU's loader occupies at the
    bottom of RAM (kernel image, DTB), which the kernel reserves before anything else."""
    path = os.path.join(work, lay["name"] + ".yaml")
    with open(path, "w") as f:
        f.write("platform: oracle-%s\narch: %s\nextends: generic-%s\n" %
                (lay["name"], lay["arch"], lay["arch"]))
        if lay["cmdline"]:
            f.write("kernel:\n  cmdline: \"%s\"\n" % lay["cmdline"])
        f.write("reserved:\n  - { name: qemu-boot, base: 0x%x, size: 0x%x }\n" %
                (RAM_BASE, LOW_RESERVED))
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
    return regions, f.get("default-cma")


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

def regress_header(lay, exp, kcma):
    h = ["// carveout oracle regression case (tests/oracle/README.md)",
         "// arch: %s" % lay["arch"],
         "// memory: 0x%x" % lay["mem"],
         "// cmdline: %s" % lay["cmdline"]]
    for name, st, base, how in exp:
        h.append("// kernel: %s %s%s%s" % (name, st, " 0x%x" % base if base is not None else "",
                                          " (silent)" if how == "silent" else ""))
    h.append("// kernel: default-cma %s" % (
        "none" if kcma is None else "failed" if kcma[0] == "failed" else
        "placed 0x%x 0x%x" % (kcma[1], kcma[2])))
    return "\n".join(h) + "\n"


def read_regress(path):
    text = open(path).read()
    lay = {"name": os.path.splitext(os.path.basename(path))[0], "cmdline": "", "regions": [],
           "memreserve": []}
    exp, kcma = [], None
    for line in text.splitlines():
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
    return lay, text, exp, kcma


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


def run_one(args, kernels, lay, dts_text, stored, tally, out_lock):
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
    regions, dcma = carveout(args.carveout, lay, seen, work)
    problems = []
    if kernels:
        lines = boot(lay, dtb, kernels)
        res, kcma = parse_log(lines)
        if stored is None:
            exp, kcma = expected_from_kernel(lay, res, kcma)
        else:
            # a recorded case booted again: the kernel must still say what was recorded
            exp, kcma_rec = stored
            for name, st, base, how in exp:
                got = res.get(name)
                want = (st, base) if how == "log" else None
                if got != want:
                    problems.append("recorded: %s %s, the kernel now: %s" % (
                        name, "silent" if want is None else want, got))
            if kcma != kcma_rec:
                problems.append("recorded: default CMA %s, the kernel now: %s" %
                                (fmt_cma(kcma_rec), fmt_cma(kcma)))
    else:
        lines = []
        exp, kcma = stored
    bad = compare(exp, kcma, regions, dcma)
    bad_regions = sum(1 for b in bad if not b.startswith("default CMA"))
    cma_bad = any(b.startswith("default CMA") for b in bad)
    bad = problems + bad
    tally.add(len(exp), bad_regions, cma_bad, bool(problems))
    if bad:
        with out_lock:
            print("DISAGREE %s (%s, %d MiB%s):" % (lay["name"], lay["arch"], lay["mem"] // MiB,
                                                    ", " + lay["cmdline"] if lay["cmdline"] else ""))
            for b in bad:
                print("  " + b)
            print("  layout:\n" + "\n".join("    " + x for x in dts_text.splitlines()))
            rel = [x for x in lines if re.search(r"reserved mem|Reserved memory|cma:|OVERLAP|"
                                                 r"overlaps with|fdt:", x)]
            print("  kernel log:\n" + "\n".join("    " + x for x in rel))
            print("  carveout:")
            for name, r in sorted(regions.items()):
                print("    %s %s %s %s" % (name, r.get("status"), r.get("base", "-"),
                                         r.get("reason", "")))
            print("    default-cma %s" % json.dumps(dcma))
            sys.stdout.flush()
        if stored is None:
            keep = os.path.join(work, "disagreements")
            os.makedirs(keep, exist_ok=True)
            with open(os.path.join(keep, lay["name"] + ".dts"), "w") as f:
                f.write(regress_header(lay, exp, kcma) + dts_text)
    return not bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--carveout", required=True)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=None)
    ap.add_argument("--regress", default=os.path.join(HERE, "regress"))
    ap.add_argument("--fetch", default=None)
    ap.add_argument("--regress-only", action="store_true",
                    help="compare the recorded regression cases only (no QEMU)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    args.carveout = os.path.abspath(args.carveout)
    seed = int(os.environ.get("CARVEOUT_ORACLE_SEED", args.seed if args.seed is not None
                              else int.from_bytes(os.urandom(4), "little")))
    count = int(os.environ.get("CARVEOUT_ORACLE_COUNT", args.count))
    args.work = os.path.abspath(args.work or os.path.join(os.getcwd(), "oracle-work"))
    if os.path.isdir(args.work) and not args.keep:
        shutil.rmtree(args.work)
    os.makedirs(args.work, exist_ok=True)

    kernels = None
    if not args.regress_only:
        a64, amp = find_kernels(args.fetch)
        kernels = (a64, amp)
        print("kernels: %s, %s" % (a64, amp))
        print("seed %d (rerun with CARVEOUT_ORACLE_SEED=%d), %d layouts, %d jobs" %
              (seed, seed, count, args.jobs))
    sys.stdout.flush()

    jobs = []
    for path in sorted(glob.glob(os.path.join(args.regress, "*.dts"))):
        lay, text, exp, kcma = read_regress(path)
        jobs.append((lay, text, (exp, kcma)))
    n_regress = len(jobs)
    if not args.regress_only:
        rng = random.Random(seed)
        for i in range(count):
            lay = gen_layout(rng, i)
            jobs.append((lay, to_dts(lay), None))

    tally, out_lock = Tally(), threading.Lock()
    t0 = time.monotonic()
    errors = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_one, args, kernels, lay, text, stored, tally, out_lock): lay
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
    if tally.failed and not args.regress_only:
        print("disagreeing layouts, with the kernel's answer, are in %s/disagreements" %
              args.work)
    if not args.keep and not tally.failed and not errors:
        shutil.rmtree(args.work, ignore_errors=True)
    return 1 if tally.failed or errors or tally.layouts == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

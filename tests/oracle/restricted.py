#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The restricted-dma-pool oracle: carveout's six restricted_pool_* checks against real
kernels that have CONFIG_DMA_RESTRICTED_POOL (README.md, "Restricted DMA pools").

Debian's kernel images lack the option, so the kernels are built from Debian's own
linux-source packages (6.1 and 6.12, arm64 and arm) by tools/build-kernel. Each random layout
(seed printed) takes the DT QEMU generates for -M virt, adds a /reserved-memory with
restricted-dma-pool regions (some with reusable, no-map, linux,cma-default or
linux,dma-default, some in arm highmem, some disabled), no-map shared-dma-pool companions,
and gives virtio-mmio transports that have a virtio-blk disk a memory-region (several pools,
with or without a companion), with or without dma-coherent, and on arm64 sometimes an
iommus naming QEMU's SMMUv3. The kernel boots to its root-mount panic; its log says which
pool was created or refused, which device attached which pool, which is behind the IOMMU and
whether each disk's partition table was read. A fraction of layouts boots Debian's own 6.1
kernel (no CONFIG_DMA_RESTRICTED_POOL) for restricted_pool_config.

usage: restricted.py --carveout EXE [--count N] [--seed S] [--jobs J] [--work DIR]
                     [--regress DIR] [--regress-only] [--record DIR]
Environment: CARVEOUT_ORACLE_SEED, CARVEOUT_RESTRICTED_COUNT override --seed / --count.
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
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "corpus"))
import oracle  # noqa: E402  (read_fdt, be_cells)

MiB = 1 << 20
GiB = 1 << 30
RAM_BASE = 0x40000000
LOW_RESERVED = 160 * MiB
# arm, VMSPLIT_3G and the default 240 MiB vmalloc area: lowmem is the first 768 MiB of RAM
# (arch/arm/mm/mmu.c adjust_lowmem_bounds()); carveout computes the same limit itself.
ARM_LOWMEM = 768 * MiB
SMMU_PHANDLE = 0x8004  # what QEMU 7.2 gives the SMMUv3 node of -M virt,iommu=smmuv3
VIRTIO_BASE = 0x0a000000
FORBIDDEN = ("reusable", "no-map", "linux,cma-default", "linux,dma-default")
CHECKS = ("restricted_pool_props", "restricted_pool_config", "restricted_pool_iommu",
          "restricted_pool_multiple", "restricted_pool_coherent", "restricted_pool_highmem")
BOOT_TIMEOUT = 90


# ------------------------------------------------------------------ kernels

def build_kernel(ver, arch):
    """The image tools/build-kernel prints: its cached build, or one built now."""
    p = subprocess.run([os.path.join(TOP, "tools", "build-kernel"), ver, arch],
                       stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("tools/build-kernel %s %s failed" % (ver, arch))
    return p.stdout.strip().splitlines()[-1]


def kernels():
    """{(kind, arch): image}: kind 6.1 / 6.12 are built here, debian-6.1 is Debian's own."""
    out = {}
    for ver in ("6.1", "6.12"):
        for arch in ("arm64", "arm"):
            out[(ver, arch)] = build_kernel(ver, arch)
    d = os.environ.get("CARVEOUT_ORACLE_KERNELS")
    if not d:
        import corpus
        d = corpus.locate("bookworm", sys.stdout)
    for arch, flav in (("arm64", "arm64"), ("arm", "armmp-lpae")):
        k = sorted(glob.glob(os.path.join(d, "**", "vmlinuz-*-" + flav), recursive=True))
        if not k:
            raise RuntimeError("no vmlinuz-*-%s under %s" % (flav, d))
        out[("debian-6.1", arch)] = k[-1]
    return out


# ------------------------------------------------------------------ layouts

def gen_layout(rng, idx):
    arch = "arm64" if idx % 2 == 0 else "arm"
    kind = rng.choice(["6.1", "6.12"] * 6 + ["debian-6.1"])
    mem = rng.choice([1, 2, 3, 4]) * GiB if arch == "arm64" else \
        rng.choice([512, 1024, 1536, 2048]) * MiB
    lay = {"name": "R%04d" % idx, "arch": arch, "kind": kind, "mem": mem, "regions": [],
           "devices": [], "smmu": arch == "arm64"}
    if arch == "arm64" and rng.random() < 0.1:
        lay["smmu-disabled"] = True
    # Static regions go in slots from 160 MiB above the start of RAM up to 64 MiB below the
    # top (the default CMA area and the kernel's own allocations sit at the top of lowmem).
    top = RAM_BASE + mem - 64 * MiB
    cursor = RAM_BASE + LOW_RESERVED
    highmem = arch == "arm" and mem > ARM_LOWMEM + 64 * MiB

    def take(size, want_high=False, straddle=False):
        nonlocal cursor
        if straddle and highmem:
            b = RAM_BASE + ARM_LOWMEM - size // 2
            if b >= cursor:
                cursor = b + size
                return b
        if want_high and highmem:
            lo = max(cursor, RAM_BASE + ARM_LOWMEM)
            b = lo + rng.randrange(0, 16) * MiB
        else:
            b = cursor + rng.randrange(0, 8) * MiB
        if b + size > top:
            return None
        cursor = b + size + MiB
        return b
    npool = rng.choice([1, 1, 2, 2, 3, 4])
    for i in range(npool):
        size = rng.choice([1, 2, 4, 8]) * MiB
        r = {"name": "rdp%d" % i, "compatible": "restricted-dma-pool"}
        if rng.random() < 0.15:
            lo = RAM_BASE + LOW_RESERVED
            r["size"] = size
            r["alloc-ranges"] = (lo, min(256 * MiB, top - lo))
        else:
            b = take(size, want_high=rng.random() < 0.35, straddle=rng.random() < 0.08)
            if b is None:
                continue
            r["reg"] = (b, size)
        if rng.random() < 0.35:
            r["props"] = rng.sample(FORBIDDEN, rng.choice([1, 1, 1, 2]))
        if rng.random() < 0.08:
            r["disabled"] = True
        lay["regions"].append(r)
    for i in range(rng.choice([0, 1, 1, 2])):
        size = rng.choice([1, 2]) * MiB
        b = take(size)
        if b is None:
            continue
        lay["regions"].append({"name": "coh%d" % i, "compatible": "shared-dma-pool",
                               "reg": (b, size), "no-map": rng.random() < 0.85})
    pools = [r["name"] for r in lay["regions"] if r["compatible"] == "restricted-dma-pool"]
    cohs = [r["name"] for r in lay["regions"] if r["compatible"] == "shared-dma-pool"]
    buses = rng.sample(range(32), rng.choice([1, 2, 2, 3, 4]))
    for bus in buses:
        d = {"bus": bus, "coherent": rng.random() < 0.5, "mr": []}
        n = rng.choice([0, 1, 1, 1, 2, 2, 3]) if pools else 0
        d["mr"] = rng.sample(pools, min(n, len(pools)))
        if cohs and rng.random() < 0.4:
            d["mr"].insert(rng.randrange(len(d["mr"]) + 1), rng.choice(cohs))
        if lay["smmu"] and rng.random() < 0.3:
            d["iommus"] = 0x100 + bus
        lay["devices"].append(d)
    return lay


def vnode(bus):
    return "virtio_mmio@%x" % (VIRTIO_BASE + 0x200 * bus)


def cells(v):
    return "0x%x 0x%x" % (v >> 32, v & 0xffffffff)


def additions(lay):
    """DTS text appended to QEMU's decompiled DT: /reserved-memory and the device edits."""
    ph = {r["name"]: 0x9001 + i for i, r in enumerate(lay["regions"])}
    out = ["", "/ {", "\treserved-memory {", "\t\t#address-cells = <2>;",
           "\t\t#size-cells = <2>;", "\t\tranges;"]
    for r in lay["regions"]:
        out.append("\t\t%s {" % r["name"])
        out.append('\t\t\tcompatible = "%s";' % r["compatible"])
        if "reg" in r:
            out.append("\t\t\treg = <%s %s>;" % (cells(r["reg"][0]), cells(r["reg"][1])))
        else:
            out.append("\t\t\tsize = <%s>;" % cells(r["size"]))
            out.append("\t\t\talloc-ranges = <%s %s>;" % (cells(r["alloc-ranges"][0]),
                                                         cells(r["alloc-ranges"][1])))
        if r.get("no-map"):
            out.append("\t\t\tno-map;")
        for p in r.get("props", []):
            out.append("\t\t\t%s;" % p)
        if r.get("disabled"):
            out.append('\t\t\tstatus = "disabled";')
        out.append("\t\t\tphandle = <0x%x>;" % ph[r["name"]])
        out.append("\t\t};")
    out += ["\t};", "};"]
    for d in lay["devices"]:
        body = []
        if d["mr"]:
            body.append("memory-region = <%s>;" % " ".join("0x%x" % ph[n] for n in d["mr"]))
        if not d["coherent"]:
            body.append("/delete-property/ dma-coherent;")
        if "iommus" in d:
            body.append("iommus = <0x%x 0x%x>;" % (SMMU_PHANDLE, d["iommus"]))
        if body:
            out.append("&{/%s} { %s };" % (vnode(d["bus"]), " ".join(body)))
    if lay.get("smmu-disabled"):
        out.append('&{/smmuv3@9050000} { status = "disabled"; };')
    return "\n".join(out) + "\n"


def disk_sectors(bus):
    return 1024 + 64 * bus


def make_disk(path, sectors):
    """A raw disk with an MBR and one partition: the kernel prints ' vdX: vdX1' only when
    the device really read sector 0 into memory."""
    b = bytearray(sectors * 512)
    b[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", 1, sectors - 1)
    b[510:512] = b"\x55\xaa"
    with open(path, "wb") as f:
        f.write(b)


# ------------------------------------------------------------------ QEMU

def qemu_cmd(lay, kimg, work, dtb=None, dump=None):
    machine = "virt"
    if lay["smmu"]:
        machine += ",iommu=smmuv3"
    if dump:
        machine += ",dumpdtb=" + dump
    append = "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1"
    if lay["arch"] == "arm64":
        # Identity (passthrough) domains: QEMU's SMMUv3 translates only PCI, so a
        # virtio-mmio device behind it works only with IOVA = PA; the kernel still
        # configures it through the IOMMU.
        cmd = ["qemu-system-aarch64", "-cpu", "cortex-a57"]
        append += " iommu.passthrough=1"
    else:
        cmd = ["qemu-system-arm", "-cpu", "cortex-a15"]
    cmd += ["-M", machine, "-m", "%dM" % (lay["mem"] // MiB), "-kernel", kimg,
            "-append", append, "-nographic", "-no-reboot", "-nic", "none",
            "-monitor", "none", "-serial", "stdio",
            "-global", "virtio-mmio.force-legacy=false"]
    if dtb:
        cmd += ["-dtb", dtb]
    for d in lay["devices"]:
        img = os.path.join(work, "disk%d.img" % d["bus"])
        if not os.path.exists(img):
            make_disk(img, disk_sectors(d["bus"]))
        cmd += ["-drive", "if=none,id=d%d,file=%s,format=raw,snapshot=on" % (d["bus"], img),
                "-device", "virtio-blk-device,drive=d%d,bus=virtio-mmio-bus.%d,"
                "iommu_platform=on" % (d["bus"], d["bus"])]
    return cmd


def run_quiet(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd[:3]), p.stdout.decode(errors="replace")))


def boot(cmd):
    """The whole log: the kernel runs to its root-mount panic and QEMU exits (panic=-1,
    -no-reboot); Debian's own kernel is stopped once its memory setup is printed."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    timer = threading.Timer(BOOT_TIMEOUT, p.kill)
    timer.start()
    lines, done = [], False
    try:
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip()
            lines.append(line)
            if re.search(r"Kernel panic|end Kernel panic", line) or \
                    ("vmlinuz" in cmd[cmd.index("-kernel") + 1] and "Memory:" in line):
                done = True
                break
    finally:
        timer.cancel()
        p.kill()
        p.wait()
    if not done:
        raise RuntimeError("the kernel log ended early:\n" + "\n".join(lines[-30:]))
    return lines


# ------------------------------------------------------------------ the kernel's answer

HEX = r"(0x[0-9a-fA-F]+)"
DEV = r"([0-9a-f]+)\.virtio_mmio: "


def parse_log(lines):
    k = {"created": {}, "refused": set(), "attached": {}, "init_failed": set(),
         "linear": set(), "iommu": set(), "disks": {}, "parts": set(),
         "nocoherent": False, "probe_failed": set(), "oops": False}
    pending = None
    for line in lines:
        m = re.search(r"created restricted DMA pool at " + HEX + r", size (\d+) MiB", line)
        if m:
            pending = int(m.group(1), 16)
            continue
        m = re.search(r"initialized node (\S+), compatible id restricted-dma-pool", line)
        if m and pending is not None:
            k["created"][m.group(1)] = pending
            pending = None
            continue
        m = re.search(r"node (\S+) compatible matching fail", line)
        if m:
            k["refused"].add(m.group(1))
            continue
        m = re.search(DEV + r"assigned reserved memory node (\S+)", line)
        if m:
            k["attached"][int(m.group(1), 16)] = m.group(2)
            continue
        m = re.search(DEV + r"failed to initialise \"restricted-dma-pool\"", line)
        if m:
            k["init_failed"].add(int(m.group(1), 16))
            continue
        m = re.search(DEV + r"Restricted DMA pool must be accessible", line)
        if m:
            k["linear"].add(int(m.group(1), 16))
            continue
        m = re.search(DEV + r"Adding to iommu group", line)
        if m:
            k["iommu"].add(int(m.group(1), 16))
            continue
        m = re.search(r"virtio_blk (virtio\d+): \[(vd[a-z]+)\] (\d+) 512-byte", line)
        if m:
            k["disks"][m.group(2)] = int(m.group(3))
            continue
        m = re.match(r"\s*(vd[a-z]+): \1\d", line)
        if m:
            k["parts"].add(m.group(1))
            continue
        if "Unable to handle kernel paging request" in line:
            k["oops"] = True
        if "coherent DMA allocations not supported" in line:
            k["nocoherent"] = True
    # 6.12 names the region in a range line instead of "initialized node"
    if pending is not None:
        for line in lines:
            m = re.search(r"OF: reserved mem: 0x[0-9a-f]+\.\.0x[0-9a-f]+ \(\d+ KiB\) \S+ \S+ (\S+)",
                          line)
            if m and m.group(1) not in k["created"] and m.group(1) not in k["refused"]:
                k["created"][m.group(1)] = pending
                break
    return k


def dt_devices(nodes, lay):
    """Per device: memory-region targets in order (names), from the blob the kernel read."""
    by_ph, regions = {}, {}
    for p, props in nodes.items():
        if p.startswith("/reserved-memory/") and p.count("/") == 2:
            name = p.split("/")[-1]
            st = props.get("status", b"okay\0").rstrip(b"\0")
            regions[name] = {
                "restricted": props.get("compatible", b"").split(b"\0")[0] ==
                b"restricted-dma-pool",
                "available": st in (b"okay", b"ok"),
                "size": oracle.be_cells(props["reg"], 2)[1] if "reg" in props else
                oracle.be_cells(props["size"], 2)[0]}
            if "phandle" in props:
                by_ph[oracle.be_cells(props["phandle"], 1)[0]] = name
    devs = {}
    for d in lay["devices"]:
        props = nodes["/" + vnode(d["bus"])]
        mr = [by_ph.get(x) for x in oracle.be_cells(props.get("memory-region", b""), 1)]
        devs[d["bus"]] = mr
    return regions, devs


def kernel_truth(lay, k, regions, devs):
    """{(node, check): True/False} for what the log shows, and a list of anomalies (log
    lines the model behind the checks cannot explain)."""
    built = lay["kind"] != "debian-6.1"
    want, unshown, anomalies = {}, set(), []
    rm = "/reserved-memory/"
    users = {}
    for bus, mr in devs.items():
        for n in mr:
            if n:
                users.setdefault(n, set()).add(bus)
    first, count = {}, {}
    for bus, mr in devs.items():
        seen = []
        for n in mr:
            if n and regions[n]["restricted"] and regions[n]["available"] and n not in seen:
                seen.append(n)
        first[bus] = seen[0] if seen else None
        count[bus] = len(seen)
    for name, r in regions.items():
        if not r["restricted"] or not r["available"]:
            continue
        node = rm + name
        handled = name in k["created"] or name in k["refused"]
        if built:
            if handled:
                want[(node, "restricted_pool_props")] = name in k["refused"]
            else:
                unshown.add((node, "restricted_pool_props"))
                anomalies.append("%s: no handler line" % name)
        else:
            # no handler: the kernel cannot show what one would refuse
            unshown.add((node, "restricted_pool_props"))
        want[(node, "restricted_pool_config")] = bool(users.get(name)) and not handled
        # highmem: shown by a device that attaches the pool the kernel created
        tried = [b for b in devs if first[b] == name and b not in k["iommu"] and built]
        base = k["created"].get(name)
        low = RAM_BASE + ARM_LOWMEM
        straddle = lay["arch"] == "arm" and lay["mem"] > ARM_LOWMEM and base is not None and \
            base < low < base + r["size"]
        if straddle and tried:
            # the base passes PageHighMem(); the first attach clears the whole pool
            # through phys_to_virt() and oopses past the linear map
            want[(node, "restricted_pool_highmem")] = k["oops"]
        elif straddle:
            unshown.add((node, "restricted_pool_highmem"))
        elif name in k["created"] and tried:
            refused = any(VIRTIO_BASE + 0x200 * b in k["linear"] for b in tried)
            if not refused and k["oops"]:
                unshown.add((node, "restricted_pool_highmem"))  # its devices never probed
            else:
                want[(node, "restricted_pool_highmem")] = refused
        else:
            unshown.add((node, "restricted_pool_highmem"))
    sectors = {s: d for d, s in k["disks"].items()}
    for bus, mr in devs.items():
        node = "/" + vnode(bus)
        addr = VIRTIO_BASE + 0x200 * bus
        attempted = addr in k["attached"] or addr in k["init_failed"] or addr in k["linear"]
        disk = sectors.get(disk_sectors(bus))
        worked = disk is not None and disk in k["parts"]
        p = first[bus]
        if k["oops"] and not attempted and disk is None:
            # never probed: the kernel died first
            for c in ("restricted_pool_iommu", "restricted_pool_multiple",
                      "restricted_pool_coherent"):
                unshown.add((node, c))
            continue
        if not built or p is None:
            for c in ("restricted_pool_iommu", "restricted_pool_multiple",
                      "restricted_pool_coherent"):
                if p is None:
                    want[(node, c)] = False
                else:
                    unshown.add((node, c))
            if p is None and attempted:
                anomalies.append("%s: attached a pool it has no restricted entry for" % node)
            continue
        behind = addr in k["iommu"]
        if behind == attempted:
            anomalies.append("%s: behind an IOMMU %s, restricted pool attach %s" %
                             (node, behind, attempted))
        if addr in k["attached"] and k["attached"][addr] != p:
            anomalies.append("%s: attached %s, not the first available pool %s" %
                             (node, k["attached"][addr], p))
        want[(node, "restricted_pool_iommu")] = behind and not attempted
        if behind:
            unshown.add((node, "restricted_pool_multiple"))
            unshown.add((node, "restricted_pool_coherent"))
            continue
        want[(node, "restricted_pool_multiple")] = count[bus] >= 2 and attempted
        # the pool really restricts the device only when it attached
        if k["oops"]:
            unshown.add((node, "restricted_pool_coherent"))  # no disk probed after it
        elif addr in k["attached"]:
            want[(node, "restricted_pool_coherent")] = not worked
        else:
            want[(node, "restricted_pool_coherent")] = False
            if not worked:
                anomalies.append("%s: unrestricted and its disk was not read" % node)
    return want, unshown, anomalies


# ------------------------------------------------------------------ carveout

def platform_file(lay, path):
    with open(path, "w") as f:
        f.write("platform: oracle-%s\narch: %s\nextends: generic-%s\n" %
                (lay["name"], lay["arch"], lay["arch"]))
        if lay["kind"] == "debian-6.1":
            f.write('kernel:\n  version: "6.1"\n')
        else:
            # the exact stable release: Debian's 6.12.117 carries the 6.13 reserved-memory
            # rework, which carveout's rules table knows by patch level
            f.write('kernel:\n  version: "%s"\n  config: { DMA_RESTRICTED_POOL: y, '
                    'DMA_DIRECT_REMAP: %s, DMA_CMA: y, CMA_SIZE_MBYTES: 16 }\n' %
                    ("6.12.117" if lay["kind"] == "6.12" else lay["kind"],
                     "y" if lay["arch"] == "arm64" else "n"))
        f.write("reserved:\n  - { name: qemu-boot, base: 0x%x, size: 0x%x }\n" %
                (RAM_BASE, LOW_RESERVED))
        # virtio_mmio.c: a version 2 (modern) transport sets a 64-bit DMA mask
        f.write('devices:\n  - match: { compatible: "virtio,mmio" }\n    dma-bits: 64\n')


def carveout(exe, dtb, plat):
    argv = [exe, "check", "-f", "json", "-p", plat, dtb]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                                p.stderr.decode(errors="replace")))
    f = json.loads(p.stdout)["files"][0]
    regions = {r["path"]: r for r in f["regions"]}
    got = {}
    for x in f.get("findings", []):
        if x["check"] in CHECKS:
            got.setdefault((x["path"], x["check"]), []).append(x)
    return regions, got, f.get("findings", [])


def compare(want, unshown, got, tally, arch):
    bad = []
    keys = set(want) | {k for k in got if k not in unshown}
    for key in sorted(keys):
        node, check = key
        if key in unshown:
            continue
        k = want.get(key, False)
        c = key in got
        t = tally.setdefault((check, arch), [0, 0, 0, 0])  # compared, positive, agree, unshown
        t[0] += 1
        if k or c:
            t[1] += 1
            if k == c:
                t[2] += 1
        if k != c:
            bad.append("%s %s: kernel %s, carveout %s" % (node, check,
                                                          "fails" if k else "ok",
                                                          "fires" if c else "silent"))
    for key in got:
        if key in unshown:
            tally.setdefault((key[1], arch), [0, 0, 0, 0])[3] += 1
    return bad


def region_bad(lay, k, cregions, regions):
    """Every restricted pool's fate: created at BASE, refused, or (Debian's kernel) silent."""
    bad = []
    for name, r in regions.items():
        if not r["restricted"] or not r["available"]:
            continue
        c = cregions.get("/reserved-memory/" + name)
        if c is None:
            bad.append("%s: not in carveout's regions" % name)
            continue
        if name in k["created"]:
            if c["status"] != "placed" or int(c["base"], 16) != k["created"][name]:
                bad.append("%s: kernel created at 0x%x, carveout %s %s" %
                           (name, k["created"][name], c["status"], c.get("base")))
        elif name in k["refused"]:
            if c["status"] != "failed":
                bad.append("%s: kernel refused it, carveout %s" % (name, c["status"]))
        elif c["status"] != "placed":
            bad.append("%s: kernel silent (placed), carveout %s" % (name, c["status"]))
    return bad


def header(lay, want, unshown, k):
    h = ["// restricted-oracle layout %s" % lay["name"],
         "// arch: %s" % lay["arch"], "// kind: %s" % lay["kind"],
         "// memory: 0x%x" % lay["mem"]]
    for name in sorted(set(k["created"]) | set(k["refused"])):
        h.append("// kernel: %s %s" % (name, "created 0x%x" % k["created"][name]
                                       if name in k["created"] else "refused"))
    for (node, check), v in sorted(want.items()):
        h.append("// want: %s %s %d" % (node, check, int(v)))
    for node, check in sorted(unshown):
        h.append("// unshown: %s %s" % (node, check))
    return "\n".join(h) + "\n"


def read_regress(path):
    lay = {"name": os.path.basename(path)[:-4]}
    want, unshown, kern = {}, set(), {}
    for line in open(path):
        m = re.match(r"// (arch|kind|memory): (\S+)", line)
        if m:
            lay[m.group(1)] = m.group(2)
        m = re.match(r"// want: (\S+) (\S+) ([01])", line)
        if m:
            want[(m.group(1), m.group(2))] = m.group(3) == "1"
        m = re.match(r"// unshown: (\S+) (\S+)", line)
        if m:
            unshown.add((m.group(1), m.group(2)))
        m = re.match(r"// kernel: (\S+) (created (0x[0-9a-f]+)|refused)", line)
        if m:
            kern[m.group(1)] = int(m.group(3), 16) if m.group(3) else None
    lay["mem"] = int(lay["memory"], 16)
    return lay, want, unshown, kern


def run_regress(args, path, tally):
    lay, want, unshown, kern = read_regress(path)
    work = os.path.join(args.work, "regress")
    os.makedirs(work, exist_ok=True)
    dtb = os.path.join(work, lay["name"] + ".dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, path], check=True)
    plat = os.path.join(work, lay["name"] + ".yaml")
    platform_file(lay, plat)
    cregions, got, _ = carveout(args.carveout, dtb, plat)
    bad = compare(want, unshown, got, tally, lay["arch"])
    for name, base in kern.items():
        c = cregions.get("/reserved-memory/" + name, {})
        ok = c.get("status") == "failed" if base is None else \
            c.get("status") == "placed" and int(c.get("base", "0"), 16) == base
        if not ok:
            bad.append("%s: kernel %s, carveout %s %s" % (
                name, "refused" if base is None else "created 0x%x" % base,
                c.get("status"), c.get("base")))
    return bad


def run_one(args, kimgs, lay, tally, lock):
    work = os.path.join(args.work, lay["name"])
    os.makedirs(work, exist_ok=True)
    kimg = kimgs[(lay["kind"], lay["arch"])]
    base = os.path.join(work, "qemu.dtb")
    run_quiet(qemu_cmd(lay, kimg, work, dump=base))
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", base], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    src = os.path.join(work, "layout.dts")
    with open(src, "w") as f:
        f.write(dts + additions(lay))
    dtb = os.path.join(work, "layout.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
    final = os.path.join(work, "final.dtb")  # what the kernel reads (QEMU adds bootargs)
    run_quiet(qemu_cmd(lay, kimg, work, dtb=dtb, dump=final))
    t0 = time.time()
    lines = boot(qemu_cmd(lay, kimg, work, dtb=dtb))
    secs = time.time() - t0
    with open(os.path.join(work, "boot.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    k = parse_log(lines)
    nodes = oracle.read_fdt(final)
    regions, devs = dt_devices(nodes, lay)
    want, unshown, anomalies = kernel_truth(lay, k, regions, devs)
    plat = os.path.join(work, "platform.yaml")
    platform_file(lay, plat)
    cregions, got, findings = carveout(args.carveout, final, plat)
    bad = anomalies + region_bad(lay, k, cregions, regions) + \
        compare(want, unshown, got, tally, lay["arch"])
    text = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", final], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    rec = header(lay, want, unshown, k) + text
    if args.record:
        with open(os.path.join(args.record, lay["name"] + ".dts"), "w") as f:
            f.write(rec)
    with lock:
        if bad:
            print("DISAGREE %s (%s %s, %d MiB):" % (lay["name"], lay["arch"], lay["kind"],
                                                    lay["mem"] // MiB))
            for b in bad:
                print("  " + b)
            print("  kernel:")
            for line in lines:
                if re.search(r"restricted|reserved mem|virtio|vd[a-z]|iommu|coherent|"
                             r"matching fail", line, re.I):
                    print("    " + line)
            print("  carveout:")
            for x in findings:
                if x["check"].startswith("restricted"):
                    print("    %s %s: %s" % (x["check"], x["path"], x["message"][:160]))
            d = os.path.join(args.work, "disagreements")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, lay["name"] + ".dts"), "w") as f:
                f.write(rec)
        sys.stdout.flush()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return not bad, secs


def print_tally(tally):
    print("checks (agreeing/positive of compared, +N not shown):")
    for check in CHECKS:
        parts = []
        for arch in ("arm64", "arm"):
            t = tally.get((check, arch))
            if t:
                parts.append("%s %d/%d of %d%s" % (arch, t[2], t[1], t[0],
                                                   " +%d not shown" % t[3] if t[3] else ""))
        print("  %-26s %s" % (check, ", ".join(parts) or "-"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--carveout", required=True)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default="restricted-work")
    ap.add_argument("--regress")
    ap.add_argument("--regress-only", action="store_true")
    ap.add_argument("--record")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    seed = int(os.environ.get("CARVEOUT_ORACLE_SEED") or args.seed or
               random.SystemRandom().randrange(1 << 32))
    count = int(os.environ.get("CARVEOUT_RESTRICTED_COUNT") or args.count)
    os.makedirs(args.work, exist_ok=True)
    if args.record:
        os.makedirs(args.record, exist_ok=True)
    failed = 0
    tally = {}
    if args.regress:
        rtally = {}
        for path in sorted(glob.glob(os.path.join(args.regress, "*.dts"))):
            bad = run_regress(args, path, rtally)
            print("%s %s" % ("FAIL" if bad else "ok  ", os.path.basename(path)))
            for b in bad:
                print("  " + b)
            failed += bool(bad)
        if args.regress_only:
            print_tally(rtally)
            return 1 if failed else 0
    t0 = time.time()
    kimgs = kernels()
    print("kernels ready in %.0f s" % (time.time() - t0))
    print("seed %d, %d layouts (CARVEOUT_ORACLE_SEED=%d CARVEOUT_RESTRICTED_COUNT=%d)" %
          (seed, count, seed, count))
    rng = random.Random(seed)
    lays = [gen_layout(rng, i) for i in range(count)]
    lock = threading.Lock()
    passed = 0
    boots = {}
    t1 = time.time()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        futs = {ex.submit(run_one, args, kimgs, lay, tally, lock): lay for lay in lays}
        for f in concurrent.futures.as_completed(futs):
            lay = futs[f]
            try:
                ok, secs = f.result()
            except Exception as e:  # a boot that fails is a failure, not a skip
                print("ERROR %s (%s %s): %s" % (lay["name"], lay["arch"], lay["kind"], e))
                ok, secs = False, 0
            boots.setdefault((lay["arch"], lay["kind"]), []).append(secs)
            passed += ok
            failed += not ok
    for (arch, kind), v in sorted(boots.items()):
        print("  %s %s: %d layouts, %.1f s per boot" % (arch, kind, len(v), sum(v) / len(v)))
    print("%d passed, %d failed in %.0f s (seed %d)" % (passed, count - passed,
                                                      time.time() - t1, seed))
    print_tally(tally)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

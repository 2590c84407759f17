#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The restricted-dma-pool oracle's plan mode (README.md, "Restricted DMA pools: plan mode"):
carveout's fix for restricted_pool_coherent, booted.

Each random layout (seed printed) is a restricted.py layout reduced to the case the plan
fixes: QEMU's -M virt DT with one or two static restricted-dma-pool regions in lowmem (no
forbidden property, none disabled, no shared-dma-pool companion), and one to three
virtio-blk transports whose memory-region names a restricted pool, at least one of them
without dma-coherent and none behind the SMMU. On the DT the kernel reads (QEMU's bootargs
added) carveout check must report restricted_pool_coherent for every non-coherent
transport, with the same platform file restricted.py writes; then `carveout plan -f json`
must be feasible and add a `<pool>-coherent` shared-dma-pool node for it, first in its
memory-region, and `carveout fix -o fixed.dtb` writes the DT that boots.

From the kernel log of fixed.dtb: every restricted pool created where carveout places it,
every companion created ("created DMA memory pool at BASE", BASE where the plan's regions
put it), each transport's restricted pool attached ("assigned reserved memory node POOL")
and its disk's partition table read. The companion's own attach is read and counted, not
required: no driver on the virtio-mmio path calls of_reserved_mem_device_init() (README.md).

usage: restricted_plan.py --carveout EXE [--count N] [--seed S] [--kernels 6.12,6.1]
                          [--arches arm64,arm] [--work DIR] [--keep]
Environment: CARVEOUT_ORACLE_SEED, CARVEOUT_RESTRICTED_COUNT override --seed / --count.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import restricted as R  # noqa: E402
import oracle  # noqa: E402

MiB, GiB = R.MiB, R.GiB
# Whether the kernel attaches the companion the plan puts first in a virtio-mmio transport's
# memory-region. It does not: of_reserved_mem_device_init() is called only by drivers
# themselves, and neither drivers/virtio/virtio_mmio.c nor virtio_blk.c calls it;
# of_dma_configure_id() (drivers/of/device.c) calls only of_dma_set_restricted_buffer(),
# which attaches the restricted pool whatever its index. README.md, "plan mode".
COMPANION_ATTACHED = False


def gen_layout(rng, idx, arch, kind):
    mem = rng.choice([1, 2, 3, 4]) * GiB if arch == "arm64" else \
        rng.choice([512, 1024, 1536, 2048]) * MiB
    lay = {"name": "P%04d" % idx, "arch": arch, "kind": kind, "mem": mem, "regions": [],
           "devices": [], "smmu": arch == "arm64"}
    # static pools from 160 MiB above the start of RAM, in lowmem on arm
    cursor = R.RAM_BASE + R.LOW_RESERVED
    for i in range(rng.choice([1, 1, 2])):
        size = rng.choice([1, 2, 4, 8]) * MiB
        b = cursor + rng.randrange(0, 8) * MiB
        cursor = b + size + MiB
        lay["regions"].append({"name": "rdp%d" % i, "compatible": "restricted-dma-pool",
                               "reg": (b, size)})
    pools = [r["name"] for r in lay["regions"]]
    buses = rng.sample(range(32), rng.choice([1, 1, 2, 3]))
    for j, bus in enumerate(buses):
        lay["devices"].append({"bus": bus, "mr": [rng.choice(pools)],
                               "coherent": j > 0 and rng.random() < 0.4})
    return lay


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          **kw)


def parse_extra(lines):
    """Lines restricted.parse_log does not read: companions created, every attach."""
    dma, attached = [], {}
    for line in lines:
        m = re.search(r"created DMA memory pool at " + R.HEX + r", size (\d+) MiB", line)
        if m:
            dma.append(int(m.group(1), 16))
        m = re.search(R.DEV + r"assigned reserved memory node (\S+)", line)
        if m:
            attached.setdefault(int(m.group(1), 16), []).append(m.group(2))
    return dma, attached


def run_one(args, kimg, lay, t):
    work = os.path.join(args.work, lay["name"])
    os.makedirs(work, exist_ok=True)
    bad = []
    base = os.path.join(work, "qemu.dtb")
    R.run_quiet(R.qemu_cmd(lay, kimg, work, dump=base))
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", base], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    src = os.path.join(work, "layout.dts")
    with open(src, "w") as f:
        f.write(dts + R.additions(lay))
    dtb = os.path.join(work, "layout.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
    final = os.path.join(work, "final.dtb")  # what the kernel would read (bootargs added)
    R.run_quiet(R.qemu_cmd(lay, kimg, work, dtb=dtb, dump=final))
    plat = os.path.join(work, "platform.yaml")
    R.platform_file(lay, plat)
    noncoh = ["/" + R.vnode(d["bus"]) for d in lay["devices"] if not d["coherent"]]
    # arm64 selects DMA_DIRECT_REMAP (the platform file says so): a non-coherent device's
    # coherent buffers are remapped from its restricted pool and the check stays silent;
    # on arm it fires for every non-coherent transport.
    planned = noncoh if lay["arch"] == "arm" else []
    _, got, _ = R.carveout(args.carveout, final, plat)
    fired = sorted(n for (n, c) in got if c == "restricted_pool_coherent")
    if fired != sorted(planned):
        bad.append("check: restricted_pool_coherent on %s, want %s" % (fired, sorted(planned)))
    t["layouts"] += 1
    t["fired"] += bool(fired)
    p = run([args.carveout, "plan", "-f", "json", "-p", plat, final])
    if p.returncode not in (0, 1):
        raise RuntimeError("carveout plan: exit %d: %s" % (p.returncode, p.stderr))
    plan = json.loads(p.stdout)["files"][0]
    with open(os.path.join(work, "plan.json"), "w") as f:
        f.write(p.stdout)
    # the companions the plan adds and the transports whose memory-region it changes
    comp_of = sorted(c["path"] for c in plan.get("changes", [])
                     if c.get("property") == "memory-region" and
                     "restricted_pool_coherent" in c.get("fixes", []))
    added = [c["path"] for c in plan.get("changes", [])
             if c["path"].startswith("/reserved-memory/") and c["path"].endswith("-coherent")
             and c.get("action") == "add-node"]
    # virtio-mmio never attaches a companion (COMPANION_ATTACHED): the plan adds none and
    # lists every transport the check names as unresolved, with what the kernel needs instead
    unresolved = sorted(u["path"] for u in plan.get("unresolved", [])
                        if u["check"] == "restricted_pool_coherent")
    if not plan.get("feasible") or comp_of or added or unresolved != sorted(fired):
        bad.append("plan: feasible %s, memory-region changed on %s, added %s, unresolved %s; "
                   "want no change and %s unresolved" %
                   (plan.get("feasible"), comp_of, added, unresolved, sorted(fired)))
        return bad, None
    if fired:
        t["planned"] += 1
        t["after"] += plan.get("after", {}).get("errors", 0) >= len(fired)
    fixed = os.path.join(work, "fixed.dtb")
    p = run([args.carveout, "fix", "-p", plat, "-o", fixed, final])
    if p.returncode not in (0, 1) or not os.path.exists(fixed):
        bad.append("fix: exit %d: %s" % (p.returncode, p.stderr.strip()))
        return bad, None
    # the fixed DT: every non-coherent transport's memory-region, the companions' phandles
    nodes = oracle.read_fdt(fixed)
    by_ph = {}
    for path, props in nodes.items():
        if path.startswith("/reserved-memory/") and "phandle" in props:
            by_ph[oracle.be_cells(props["phandle"], 1)[0]] = path.split("/")[-1]
    mrs = {}
    for d in lay["devices"]:
        node = "/" + R.vnode(d["bus"])
        mrs[node] = [by_ph.get(x) for x in
                     oracle.be_cells(nodes[node].get("memory-region", b""), 1)]
        if node in noncoh:
            mr = mrs[node]
            if node in comp_of and (not mr or not mr[0] or
                                    not mr[0].endswith("-coherent") or d["mr"][0] not in mr):
                bad.append("fixed.dtb: %s memory-region %s" % (node, mr))
    after_regions, after, _ = R.carveout(args.carveout, fixed, plat)
    left = sorted(n for (n, c) in after if c == "restricted_pool_coherent")
    t0 = time.time()
    lines = R.boot(R.qemu_cmd(lay, kimg, work, dtb=fixed))
    t["secs"] += time.time() - t0
    t["booted"] += 1
    with open(os.path.join(work, "boot.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    k = R.parse_log(lines)
    dma, attached = parse_extra(lines)
    preg = {r["path"]: r for r in plan.get("regions", [])}
    for r in lay["regions"]:
        name = r["name"]
        c = preg.get("/reserved-memory/" + name, {})
        if name not in k["created"]:
            bad.append("%s: restricted pool not created" % name)
        elif c.get("status") != "placed" or int(c.get("base", "0"), 16) != k["created"][name]:
            bad.append("%s: kernel created at 0x%x, plan %s %s" %
                       (name, k["created"][name], c.get("status"), c.get("base")))
    comps = sorted({mr[0] for n, mr in mrs.items() if n in comp_of})
    for name in comps:
        c = preg.get("/reserved-memory/" + name, {})
        cb = int(c["base"], 16) if c.get("status") == "placed" and "base" in c else None
        if cb is None or cb not in dma:
            bad.append("%s: companion: kernel created DMA pools at %s, plan %s %s" %
                       (name, [hex(x) for x in dma], c.get("status"), c.get("base")))
    sectors = {s: d for d, s in k["disks"].items()}
    unread = set()
    for d in lay["devices"]:
        node = "/" + R.vnode(d["bus"])
        addr = R.VIRTIO_BASE + 0x200 * d["bus"]
        got_at = attached.get(addr, [])
        pool = d["mr"][0]
        if pool not in got_at:
            bad.append("%s: restricted pool %s not attached (attached %s)" %
                       (node, pool, got_at))
        disk = sectors.get(R.disk_sectors(d["bus"]))
        read = disk is not None and disk in k["parts"]
        if not read:
            unread.add(node)
        comp = mrs[node][0] if node in noncoh and node in comp_of else None
        if comp:
            t["transports"] += 1
        if comp and comp in got_at:
            t["companion"] += 1
        # The model (README.md): the companion is never attached on this path, so the ring
        # (a coherent allocation) of a non-coherent transport behind an attached restricted
        # pool fails on arm (no DMA_DIRECT_REMAP) and works on arm64 (remapped from the pool).
        want_comp = COMPANION_ATTACHED
        want_read = d["coherent"] or lay["arch"] == "arm64" or (comp and want_comp)
        if comp and (comp in got_at) != want_comp:
            bad.append("%s: companion %s %s, model %s" % (
                node, comp, "attached" if comp in got_at else "not attached",
                "attached" if want_comp else "not attached"))
        if read != bool(want_read):
            bad.append("%s: disk %s %s, model %s" % (node, disk, "read" if read else
                                                      "not read", "read" if want_read else
                                                      "not read"))
        if comp and not read:
            t["ineffective"] += 1  # the plan said its change fixes it
        if comp and read:
            t["fixed"] += 1
    # carveout check on fixed.dtb against the kernel: restricted_pool_coherent exactly where
    # the disk was not read
    if sorted(unread) != left:
        bad.append("check after fix: restricted_pool_coherent on %s, kernel: disks not read "
                   "on %s" % (left, sorted(unread)))
    return bad, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--carveout", required=True)
    ap.add_argument("--count", type=int, default=10, help="layouts per arch and kernel")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--kernels", default="6.12")
    ap.add_argument("--arches", default="arm64,arm")
    ap.add_argument("--work", default="restricted-plan-work")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    seed = int(os.environ.get("CARVEOUT_ORACLE_SEED") or args.seed or
               random.SystemRandom().randrange(1 << 32))
    count = int(os.environ.get("CARVEOUT_RESTRICTED_COUNT") or args.count)
    os.makedirs(args.work, exist_ok=True)
    combos = [(a, v) for v in args.kernels.split(",") for a in args.arches.split(",")]
    kimgs = {(arch, ver): R.build_kernel(ver, arch) for arch, ver in combos}
    print("seed %d, %d layouts per arch and kernel (CARVEOUT_ORACLE_SEED=%d "
          "CARVEOUT_RESTRICTED_COUNT=%d)" % (seed, count, seed, count))
    rng = random.Random(seed)
    lays = []
    for i in range(count):
        for arch, ver in combos:
            lays.append(gen_layout(rng, len(lays), arch, ver))
    tally = {c: {"layouts": 0, "fired": 0, "planned": 0, "after": 0, "booted": 0,
                 "transports": 0, "companion": 0, "fixed": 0, "ineffective": 0,
                 "secs": 0.0, "bad": []}
             for c in combos}
    t1 = time.time()
    failed = 0
    for idx, lay in enumerate(lays):
        t = tally[(lay["arch"], lay["kind"])]
        try:
            bad, lines = run_one(args, kimgs[(lay["arch"], lay["kind"])], lay, t)
        except Exception as e:  # a boot that fails is a failure, not a skip
            bad, lines = ["ERROR %s" % e], None
        if bad:
            failed += 1
            t["bad"].append(lay["name"])
            print("DISAGREE %s (seed %d, index %d, %s %s, %d MiB):" %
                  (lay["name"], seed, idx, lay["arch"], lay["kind"], lay["mem"] // MiB))
            for b in bad:
                print("  " + b)
            if lines:
                print("  kernel:")
                for line in lines:
                    if re.search(r"restricted|reserved mem|DMA memory pool|virtio|vd[a-z]|"
                                 r"coherent|matching fail", line, re.I):
                        print("    " + line)
            d = os.path.join(args.work, "disagreements", lay["name"])
            os.makedirs(d, exist_ok=True)
            work = os.path.join(args.work, lay["name"])
            for f in ("layout.dts", "plan.json", "boot.log"):
                if os.path.exists(os.path.join(work, f)):
                    shutil.copy(os.path.join(work, f), d)
            if os.path.exists(os.path.join(work, "fixed.dtb")):
                with open(os.path.join(d, "fixed.dts"), "w") as f:
                    f.write(subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts",
                                            os.path.join(work, "fixed.dtb")],
                                           stdout=subprocess.PIPE, text=True).stdout)
        sys.stdout.flush()
        if not args.keep:
            shutil.rmtree(os.path.join(args.work, lay["name"]), ignore_errors=True)
    print("tally (seed %d):" % seed)
    for (arch, ver), t in sorted(tally.items()):
        print("  %-5s %-4s layouts %d, coherent fired %d, unresolved by the plan %d (after-count "
              "keeps them %d), booted %d, companion attached %d of %d planned transports, disk "
              "read after fix %d, not read %d; %.1f s per boot; disagreements %d%s" %
              (arch, ver, t["layouts"], t["fired"], t["planned"], t["after"], t["booted"],
               t["companion"], t["transports"], t["fixed"], t["ineffective"],
               t["secs"] / max(1, t["booted"]), len(t["bad"]),
               (" (" + " ".join(t["bad"]) + ")") if t["bad"] else ""))
    print("%d of %d layouts disagree in %.0f s (seed %d)" % (failed, len(lays),
                                                          time.time() - t1, seed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The restricted-dma-pool plan oracle on a driver that attaches its companion (README.md,
"Restricted DMA pools: a driver that attaches the companion").

virtio-mmio never attaches a per-device coherent pool (restricted_plan.py), so this mode
boots QEMU's -M vexpress-a15, whose motherboard PL111 CLCD is driven by drivers/gpu/drm/pl111:
pl111_amba_probe() calls of_reserved_mem_device_init(), which attaches the first pool of the
device's memory-region, and the fbdev emulation allocates a 1024x768 XRGB8888 framebuffer
(3 MiB, a 4 MiB order in a per-device pool) through the DMA API as soon as the driver binds.
Each random layout (seed printed) is a whole vexpress-a15 DT (no QEMU machine DT to start
from) with one or two static restricted-dma-pool regions in lowmem and a few sound regions,
and the CLCD's memory-region names a restricted pool, without a companion; the platform file
gives the CLCD `cma:` (the coherent memory it allocates).

Both ways, on tools/build-kernel's arm kernels (arm has no DMA_DIRECT_REMAP):
- the DT as it is: carveout check reports restricted_pool_coherent on the CLCD; the kernel
  attaches the restricted pool to it and its framebuffer allocation fails (no fb0);
- `carveout plan` adds a no-map `<pool>-coherent` shared-dma-pool, first in the CLCD's
  memory-region, at least as large as its demand; `carveout fix -o fixed.dtb`; the kernel
  creates the companion where the plan's regions say, attaches it to the CLCD ("assigned
  reserved memory node <pool>-coherent", "using device-specific reserved memory"), still
  attaches the restricted pool, and registers fb0; check of fixed.dtb reports no
  restricted_pool_coherent.

usage: restricted_pl111.py --carveout EXE [--count N] [--seed S] [--kernels 6.12,6.1]
                           [--work DIR] [--keep]
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
import restricted_plan as RP  # noqa: E402
import oracle  # noqa: E402

MiB, GiB = R.MiB, R.GiB
RAM_BASE = 0x80000000  # vexpress-a15: RAM from 2 GiB, no alias below
LOW_RESERVED = 160 * MiB  # the zImage, its decompression and QEMU's DTB
CLCD = "clcd@1c1f0000"
CLCD_DEV = "1c1f0000.clcd"
UART = 0x1c090000
# what the fbdev emulation allocates: 1024x768 at 32 bpp is 3 MiB, which
# dma_alloc_from_dev_coherent() takes as an order-10 (4 MiB) block of the pool
FB_DEMAND = 4 * MiB
# The companion the DT as it is has, with weights: none; a no-map shared-dma-pool large
# enough but second in the CLCD's memory-region (the driver attaches entry 0 only); one first
# but smaller than the demand, static (the plan cannot move or grow it: unresolved) or
# dynamic (the plan grows it); one first and large enough (nothing to find or fix).
COMPANIONS = {"none": 4, "second": 2, "small": 1, "small-dynamic": 2, "good": 1}


def cells(v):
    return "0x%x 0x%x" % (v >> 32, v & 0xffffffff)


def gen_layout(rng, idx, ver):
    mem = rng.choice([512, 1024, 1536, 2048]) * MiB
    lay = {"name": "V%04d" % idx, "kind": ver, "mem": mem, "regions": [],
           "cma": rng.choice([FB_DEMAND, 6 * MiB, 8 * MiB])}
    cursor = RAM_BASE + LOW_RESERVED
    names = []
    for i in range(rng.choice([1, 1, 2])):
        size = rng.choice([1, 2, 4, 8]) * MiB
        b = cursor + rng.randrange(0, 16) * MiB
        cursor = b + size + rng.choice([0, 1, 4]) * MiB
        lay["regions"].append({"name": "rdp%d@%x" % (i, b), "compatible": "restricted-dma-pool",
                               "reg": (b, size)})
        names.append(lay["regions"][-1]["name"])
    # sound regions around them: a static no-map vendor region in lowmem, a small
    # dynamic no-map pool
    for i in range(rng.choice([0, 1, 2])):
        if rng.random() < 0.5:
            size = rng.choice([1, 2, 4]) * MiB
            b = cursor + rng.randrange(0, 32) * MiB
            cursor = b + size
            lay["regions"].append({"name": "vendor%d@%x" % (i, b), "compatible": "vendor,fw",
                                   "reg": (b, size), "no-map": True})
        else:
            lay["regions"].append({"name": "pool%d" % i, "compatible": "shared-dma-pool",
                                   "size": rng.choice([1, 2]) * MiB, "no-map": True})
    lay["pool"] = rng.choice(names)
    # the companion the DT has already (COMPANIONS)
    lay["companion"] = rng.choices(list(COMPANIONS), list(COMPANIONS.values()))[0]
    cname = "%s-coherent" % lay["pool"].split("@")[0]
    if lay["companion"] in ("second", "good"):
        size = 8 * MiB  # every demand fits
    else:
        size = rng.choice([1, 2]) * MiB  # smaller than every demand
    if lay["companion"] == "small-dynamic":
        lay["regions"].append({"name": cname, "compatible": "shared-dma-pool", "size": size,
                               "no-map": True})
    elif lay["companion"] != "none":
        b = cursor + rng.randrange(0, 16) * MiB
        lay["regions"].append({"name": "%s@%x" % (cname, b), "compatible": "shared-dma-pool",
                               "reg": (b, size), "no-map": True})
    if lay["companion"] != "none":
        comp = lay["regions"][-1]["name"]
        lay["mr"] = [lay["pool"], comp] if lay["companion"] == "second" else [comp, lay["pool"]]
    else:
        lay["mr"] = [lay["pool"]]
    return lay


def to_dts(lay):
    ph = {r["name"]: 0x9001 + i for i, r in enumerate(lay["regions"])}
    out = ["/dts-v1/;", "", "/ {",
           '\tmodel = "carveout restricted-pool oracle %s, vexpress-a15";' % lay["name"],
           '\tcompatible = "arm,vexpress,v2p-ca15,tc1", "arm,vexpress";',
           "\tinterrupt-parent = <&gic>;",
           "\t#address-cells = <2>;", "\t#size-cells = <2>;", "",
           '\tchosen { stdout-path = "/uart@%x"; };' % UART, "",
           "\tmemory@%x {" % RAM_BASE, '\t\tdevice_type = "memory";',
           "\t\treg = <%s %s>;" % (cells(RAM_BASE), cells(lay["mem"])), "\t};", "",
           "\tcpus {", "\t\t#address-cells = <1>;", "\t\t#size-cells = <0>;",
           '\t\tcpu@0 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <0>; };',
           "\t};", "",
           "\tgic: interrupt-controller@2c001000 {",
           '\t\tcompatible = "arm,cortex-a15-gic";',
           "\t\t#interrupt-cells = <3>;", "\t\t#address-cells = <0>;",
           "\t\tinterrupt-controller;",
           "\t\treg = <0x0 0x2c001000 0x0 0x1000>, <0x0 0x2c002000 0x0 0x2000>;", "\t};", "",
           "\ttimer {", '\t\tcompatible = "arm,armv7-timer";',
           "\t\tinterrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>, <1 10 0xf08>;",
           "\t};", "",
           '\tclk24: clk24mhz { compatible = "fixed-clock"; #clock-cells = <0>; '
           "clock-frequency = <24000000>; };",
           '\toscclk1: oscclk1 { compatible = "fixed-clock"; #clock-cells = <0>; '
           "clock-frequency = <23750000>; };", "",
           "\tuart@%x {" % UART, '\t\tcompatible = "arm,pl011", "arm,primecell";',
           "\t\treg = <%s 0x0 0x1000>;" % cells(UART), "\t\tinterrupts = <0 5 4>;",
           "\t\tclocks = <&clk24>, <&clk24>;", '\t\tclock-names = "uartclk", "apb_pclk";',
           "\t};", "",
           "\treserved-memory {", "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;",
           "\t\tranges;"]
    for r in lay["regions"]:
        out += ["", "\t\t%s {" % r["name"], '\t\t\tcompatible = "%s";' % r["compatible"]]
        if "reg" in r:
            out.append("\t\t\treg = <%s %s>;" % (cells(r["reg"][0]), cells(r["reg"][1])))
        else:
            out.append("\t\t\tsize = <%s>;" % cells(r["size"]))
        if r.get("no-map"):
            out.append("\t\t\tno-map;")
        out += ["\t\t\tphandle = <0x%x>;" % ph[r["name"]], "\t\t};"]
    out += ["\t};", "",
            "\t%s {" % CLCD, '\t\tcompatible = "arm,pl111", "arm,primecell";',
            "\t\treg = <0x0 0x1c1f0000 0x0 0x1000>;", "\t\tinterrupts = <0 14 4>;",
            '\t\tinterrupt-names = "combined";',
            "\t\tclocks = <&oscclk1>, <&clk24>;", '\t\tclock-names = "clcdclk", "apb_pclk";',
            "\t\tmemory-region = <%s>;" % " ".join("0x%x" % ph[n] for n in lay["mr"]),
            "\t\tport { clcd_out: endpoint { remote-endpoint = <&dac_in>; }; };", "\t};", "",
            "\tvga-bridge {", '\t\tcompatible = "dumb-vga-dac";',
            "\t\tports {", "\t\t\t#address-cells = <1>;", "\t\t\t#size-cells = <0>;",
            "\t\t\tport@0 { reg = <0>; dac_in: endpoint { remote-endpoint = <&clcd_out>; }; };",
            "\t\t\tport@1 { reg = <1>; dac_out: endpoint { remote-endpoint = <&vga_in>; }; };",
            "\t\t};", "\t};", "",
            "\tvga {", '\t\tcompatible = "vga-connector";',
            "\t\tport { vga_in: endpoint { remote-endpoint = <&dac_out>; }; };", "\t};",
            "};", ""]
    return "\n".join(out)


def qemu_cmd(lay, kimg, dtb, dump=None):
    machine = "vexpress-a15" + (",dumpdtb=" + dump if dump else "")
    return ["qemu-system-arm", "-M", machine, "-m", "%dM" % (lay["mem"] // MiB),
            "-kernel", kimg, "-dtb", dtb,
            "-append", "console=ttyAMA0 earlycon=pl011,0x%x panic=-1" % UART,
            "-nographic", "-no-reboot", "-nic", "none", "-monitor", "none",
            "-serial", "stdio"]


def platform_file(lay, path):
    with open(path, "w") as f:
        f.write("platform: oracle-%s\narch: arm\nextends: generic-arm\n" % lay["name"])
        f.write('kernel:\n  version: "%s"\n  config: { DMA_RESTRICTED_POOL: y, '
                'DMA_DIRECT_REMAP: n, DMA_CMA: y, CMA_SIZE_MBYTES: 16, ARM_LPAE: y }\n' %
                ("6.12.117" if lay["kind"] == "6.12" else lay["kind"]))
        f.write("reserved:\n  - { name: qemu-boot, base: 0x%x, size: 0x%x }\n" %
                (RAM_BASE, LOW_RESERVED))
        # the framebuffer: coherent memory the CLCD allocates
        f.write('devices:\n  - match: { path: "/%s" }\n    cma: 0x%x\n' % (CLCD, lay["cma"]))


def parse(lines):
    """What the log says about the CLCD: the pools it attached (in order), whether the
    driver used its own memory, whether fb0 came up; the coherent pools created."""
    k = {"attached": [], "own": False, "fb": False, "enomem": False, "dma": [],
         "restricted": {}}
    for line in lines:
        m = re.search(re.escape(CLCD_DEV) + r": assigned reserved memory node (\S+)", line)
        if m:
            k["attached"].append(m.group(1))
        if CLCD_DEV + ": using device-specific reserved memory" in line:
            k["own"] = True
        if re.search(r"fb0: \S+ frame buffer device", line):
            k["fb"] = True
        if re.search(r"Failed to setup generic emulation \(ret=-12\)", line):
            k["enomem"] = True
        m = re.search(r"created DMA memory pool at " + R.HEX, line)
        if m:
            k["dma"].append(int(m.group(1), 16))
    k["restricted"] = R.parse_log(lines)["created"]
    return k


def clcd_mr(dtb):
    """The CLCD's memory-region in the blob, as node names."""
    nodes = oracle.read_fdt(dtb)
    by_ph = {}
    for path, props in nodes.items():
        if path.startswith("/reserved-memory/") and "phandle" in props:
            by_ph[oracle.be_cells(props["phandle"], 1)[0]] = path.split("/")[-1]
    return [by_ph.get(x) for x in
            oracle.be_cells(nodes["/" + CLCD].get("memory-region", b""), 1)]


def boot(lay, kimg, dtb, log, t):
    """The whole boot of dtb (kept in log), and what parse() reads from it."""
    t0 = time.time()
    lines = R.boot(qemu_cmd(lay, kimg, dtb))
    t["secs"] += time.time() - t0
    t["booted"] += 1
    with open(log, "w") as f:
        f.write("\n".join(lines) + "\n")
    return lines, parse(lines)


def run_one(args, kimg, lay, t):
    work = os.path.join(args.work, lay["name"])
    os.makedirs(work, exist_ok=True)
    bad = []
    src = os.path.join(work, "layout.dts")
    with open(src, "w") as f:
        f.write(to_dts(lay))
    dtb = os.path.join(work, "layout.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
    final = os.path.join(work, "final.dtb")  # what the kernel reads (QEMU's /memory, bootargs)
    R.run_quiet(qemu_cmd(lay, kimg, dtb, dump=final))
    plat = os.path.join(work, "platform.yaml")
    platform_file(lay, plat)
    pool, kind = lay["pool"], lay["companion"]
    fb_ok = kind == "good"  # what carveout's model says of the DT as it is
    _, got, _ = R.carveout(args.carveout, final, plat)
    fired = sorted(n for (n, c) in got if c == "restricted_pool_coherent")
    if fired != ([] if fb_ok else ["/" + CLCD]):
        bad.append("check: restricted_pool_coherent on %s, want %s" % (
            fired, "none" if fb_ok else "/" + CLCD))
    t["layouts"] += 1
    t[kind] += 1
    # the DT as it is: what the CLCD attached, and whether its framebuffer came up
    lines, k = boot(lay, kimg, dtb, os.path.join(work, "boot.log"), t)
    if pool not in k["restricted"]:
        bad.append("as it is: restricted pool %s not created" % pool)
    # the restricted pool is attached by of_dma_configure_id() (at any entry), entry 0 by
    # the driver's of_reserved_mem_device_init() (the pool again when it is entry 0)
    want = {pool, lay["mr"][0]}
    if set(k["attached"]) != want or not k["own"]:
        bad.append("as it is: the CLCD attached %s (device memory %s), want %s" %
                   (k["attached"], k["own"], sorted(want)))
    if k["fb"] != fb_ok or k["enomem"] == fb_ok:
        bad.append("as it is: fb0 %s, fbdev setup %s; carveout says it %s (%s companion)" % (
            "registered" if k["fb"] else "not registered",
            "failed with -ENOMEM" if k["enomem"] else "did not fail",
            "works" if fb_ok else "fails (restricted_pool_coherent)", kind))
    elif not fb_ok:
        t["fb_failed"] += 1
    p = RP.run([args.carveout, "plan", "-f", "json", "-p", plat, final])
    if p.returncode not in (0, 1):
        raise RuntimeError("carveout plan: exit %d: %s" % (p.returncode, p.stderr))
    plan = json.loads(p.stdout)["files"][0]
    with open(os.path.join(work, "plan.json"), "w") as f:
        f.write(p.stdout)
    changes = plan.get("changes", [])
    unresolved = [u["path"] for u in plan.get("unresolved", [])
                  if u["check"] == "restricted_pool_coherent"]
    if kind == "good":
        if changes or unresolved:
            bad.append("plan: changes %s, unresolved %s for a sound DT" % (changes, unresolved))
        return bad, lines
    if kind == "small":
        # a static companion stays: the plan says what to change instead
        if not plan.get("feasible") or changes or unresolved != ["/" + CLCD]:
            bad.append("plan: feasible %s, changes %s, unresolved %s; want /%s unresolved" %
                       (plan.get("feasible"), changes, unresolved, CLCD))
        else:
            t["unresolved"] += 1
        return bad, lines
    cname = "%s-coherent" % pool.split("@")[0]
    comp = "/reserved-memory/" + (cname if kind == "none" else
                                  lay["mr"][0 if kind == "small-dynamic" else 1])
    preg = {r["path"]: r for r in plan.get("regions", [])}
    fixes = sorted({(ch["path"], ch.get("property", ch["action"])) for ch in changes
                    if "restricted_pool_coherent" in ch.get("fixes", [])})
    want_fix = {"none": [("/" + CLCD, "memory-region"), (comp, "add-node")],
                "second": [("/" + CLCD, "memory-region")],
                "small-dynamic": [(comp, "alloc-ranges"), (comp, "size")]}[kind]
    c = preg.get(comp, {})
    if not plan.get("feasible") or fixes != sorted(want_fix) or c.get("status") != "placed":
        bad.append("plan: feasible %s, changes fixing it %s (want %s), companion %s %s" %
                   (plan.get("feasible"), fixes, sorted(want_fix), comp, c))
        return bad, lines
    cbase, csize = int(c["base"], 16), int(c["size"], 16)
    if csize < lay["cma"]:
        bad.append("plan: companion of 0x%x, the CLCD allocates 0x%x" % (csize, lay["cma"]))
    # a companion the plan adds goes in lowmem (as the binding's restricted-pool users
    # have it); one the DT has stays where its allocation puts it (a no-map pool is
    # remapped, highmem or not)
    if kind == "none" and cbase + csize > RAM_BASE + R.ARM_LOWMEM:
        bad.append("plan: companion 0x%x+0x%x beyond lowmem" % (cbase, csize))
    t["planned"] += 1
    fixed = os.path.join(work, "fixed.dtb")
    p = RP.run([args.carveout, "fix", "-p", plat, "-o", fixed, final])
    if p.returncode not in (0, 1) or not os.path.exists(fixed):
        bad.append("fix: exit %d: %s" % (p.returncode, p.stderr.strip()))
        return bad, lines
    cnode = comp.split("/")[-1]
    mr = clcd_mr(fixed)
    if not mr or mr[0] != cnode or pool not in mr:
        bad.append("fixed.dtb: the CLCD's memory-region %s, want %s first and %s" %
                   (mr, cnode, pool))
    _, after, _ = R.carveout(args.carveout, fixed, plat)
    left = sorted(n for (n, c) in after if c == "restricted_pool_coherent")
    lines, k = boot(lay, kimg, fixed, os.path.join(work, "fixed.log"), t)
    for r in lay["regions"]:
        if r["compatible"] != "restricted-dma-pool":
            continue
        rc = preg.get("/reserved-memory/" + r["name"], {})
        if r["name"] not in k["restricted"]:
            bad.append("fixed: %s: restricted pool not created" % r["name"])
        elif rc.get("status") != "placed" or int(rc.get("base", "0"), 16) != \
                k["restricted"][r["name"]]:
            bad.append("fixed: %s: kernel created at 0x%x, plan %s %s" % (
                r["name"], k["restricted"][r["name"]], rc.get("status"), rc.get("base")))
    if cbase not in k["dma"]:
        bad.append("fixed: companion: kernel created DMA pools at %s, plan 0x%x" %
                   ([hex(x) for x in k["dma"]], cbase))
    if cnode not in k["attached"] or pool not in k["attached"] or not k["own"]:
        bad.append("fixed: the CLCD attached %s (device memory %s), want %s and %s" %
                   (k["attached"], k["own"], cnode, pool))
    else:
        t["companion"] += 1
    if not k["fb"]:
        bad.append("fixed: no fb0: the framebuffer was not allocated from the companion")
    else:
        t["fb"] += 1
    if left:
        bad.append("check after fix: restricted_pool_coherent on %s" % left)
    return bad, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--carveout", required=True)
    ap.add_argument("--count", type=int, default=10, help="layouts per kernel")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--kernels", default="6.12,6.1")
    ap.add_argument("--work", default="restricted-pl111-work")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    args.carveout = os.path.abspath(args.carveout)
    seed = int(os.environ.get("CARVEOUT_ORACLE_SEED") or args.seed or
               random.SystemRandom().randrange(1 << 32))
    count = int(os.environ.get("CARVEOUT_RESTRICTED_COUNT") or args.count)
    os.makedirs(args.work, exist_ok=True)
    kimgs = {}
    for ver in args.kernels.split(","):
        kimgs[ver] = R.build_kernel(ver, "arm")
        if not vexpress_kernel(kimgs[ver]):
            raise SystemExit("%s: no CONFIG_DRM_PL111 (tests/kernels/arm.config)" % kimgs[ver])
    print("seed %d, %d layouts per kernel (CARVEOUT_ORACLE_SEED=%d CARVEOUT_RESTRICTED_COUNT=%d)"
          % (seed, count, seed, count))
    print("kernels: %s" % ", ".join(kimgs[v] for v in sorted(kimgs)))
    rng = random.Random(seed)
    lays = [gen_layout(rng, i * len(kimgs) + j, ver) for i in range(count)
            for j, ver in enumerate(sorted(kimgs))]
    tally = {v: dict({c: 0 for c in COMPANIONS}, layouts=0, booted=0, fb_failed=0, planned=0,
                     unresolved=0, companion=0, fb=0, secs=0.0, bad=[]) for v in kimgs}
    t1 = time.time()
    failed = 0
    for lay in lays:
        t = tally[lay["kind"]]
        try:
            bad, lines = run_one(args, kimgs[lay["kind"]], lay, t)
        except Exception as e:  # a boot that fails is a failure, not a skip
            bad, lines = ["ERROR %s" % e], None
        if bad:
            failed += 1
            t["bad"].append(lay["name"])
            print("DISAGREE %s (seed %d, %s, %d MiB, memory-region %s, companion %s, "
                  "cma 0x%x):" % (lay["name"], seed, lay["kind"], lay["mem"] // MiB,
                                  lay["mr"], lay["companion"], lay["cma"]))
            for b in bad:
                print("  " + b)
            for line in lines or []:
                if re.search(r"restricted|reserved mem|DMA memory pool|clcd|pl111|drm|fb0|"
                             r"coherent|matching fail", line, re.I):
                    print("    " + line)
            d = os.path.join(args.work, "disagreements", lay["name"])
            os.makedirs(d, exist_ok=True)
            work = os.path.join(args.work, lay["name"])
            for f in ("layout.dts", "plan.json", "boot.log", "fixed.log", "platform.yaml"):
                if os.path.exists(os.path.join(work, f)):
                    shutil.copy(os.path.join(work, f), d)
        sys.stdout.flush()
        if not args.keep:
            shutil.rmtree(os.path.join(args.work, lay["name"]), ignore_errors=True)
    print("tally (seed %d):" % seed)
    for ver, t in sorted(tally.items()):
        print("  arm %-4s layouts %d (companion %s); as it is: framebuffer failed %d; "
              "planned %d, companion attached %d, framebuffer allocated %d; unresolved %d; "
              "%d boots, %.1f s each; disagreements %d%s"
              % (ver, t["layouts"], ", ".join("%s %d" % (c, t[c]) for c in COMPANIONS),
                 t["fb_failed"], t["planned"], t["companion"], t["fb"], t["unresolved"],
                 t["booted"], t["secs"] / max(1, t["booted"]), len(t["bad"]),
                 (" (" + " ".join(t["bad"]) + ")") if t["bad"] else ""))
    print("%d of %d layouts disagree in %.0f s (seed %d)" % (failed, len(lays),
                                                          time.time() - t1, seed))
    return 1 if failed else 0


def vexpress_kernel(img):
    """Whether the cached kernel's configuration has the PL111 driver this mode needs."""
    cfg = os.path.join(os.path.dirname(img), "config")
    try:
        with open(cfg) as f:
            return "CONFIG_DRM_PL111=y\n" in f.read()
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())

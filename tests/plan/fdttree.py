# SPDX-License-Identifier: MIT
"""A flattened device tree read in python, and the check that a plan changed nothing it
does not name. Shared by the plan cases (tests/plan/run-plan) and the corpus's plans
(tests/corpus/run-plan-corpus)."""
import struct


def fdt_tree(path):
    """{node path: [(prop, bytes), ...]} in order, and the node order."""
    with open(path, "rb") as f:
        b = f.read()
    magic, _total, off_struct, off_str = struct.unpack(">4I", b[:16])
    assert magic == 0xD00DFEED, path
    p, stack, nodes, order = off_struct, [], {}, []
    while True:
        (tok,) = struct.unpack(">I", b[p:p + 4])
        p += 4
        if tok == 1:
            end = b.index(b"\0", p)
            name = b[p:end].decode()
            p = (end + 4) & ~3
            stack.append(name)
            path_ = "/" + "/".join(s for s in stack[1:]) if len(stack) > 1 else "/"
            nodes[path_] = []
            order.append(path_)
        elif tok == 2:
            stack.pop()
        elif tok == 3:
            ln, nameoff = struct.unpack(">II", b[p:p + 8])
            p += 8
            val = b[p:p + ln]
            p = (p + ln + 3) & ~3
            end = b.index(b"\0", off_str + nameoff)
            pname = b[off_str + nameoff:end].decode()
            path_ = "/" + "/".join(s for s in stack[1:]) if len(stack) > 1 else "/"
            nodes[path_].append((pname, val))
        elif tok == 4:
            continue
        elif tok == 9:
            break
        else:
            raise ValueError("bad token %d" % tok)
    return nodes, order


def untouched(src_path, dst_path, changes):
    """None when every node and property of the DTB src_path that no change of a plan's
    "changes" names is byte-identical in dst_path and in the same order (renamed nodes
    followed through new-path, added nodes left out); else what differs."""
    src, src_order = fdt_tree(src_path)
    dst, dst_order = fdt_tree(dst_path)
    changed = {(c["path"], c.get("property")) for c in changes}
    added = {c["path"] for c in changes if c["action"] == "add-node"}
    renamed = {c["path"]: c["new-path"] for c in changes if "new-path" in c}

    def now(path):
        """Where a node of the input is in the output."""
        for old, new in renamed.items():
            if path == old or path.startswith(old + "/"):
                return new + path[len(old):]
        return path
    got_order = [n for n in dst_order if n not in added]
    want_order = [now(n) for n in src_order]
    if got_order != want_order:
        for i, (g, w) in enumerate(zip(got_order, want_order)):
            if g != w:
                return "the node order changed: node %d is %s, not %s" % (i, g, w)
        return "the node order changed: %d nodes, not %d" % (len(got_order), len(want_order))
    for node, props in src.items():
        kept = [(k, v) for k, v in props if (node, k) not in changed]
        got = [(k, v) for k, v in dst[now(node)] if (node, k) not in changed]
        if kept != got:
            ks, gs = dict(kept), dict(got)
            diff = sorted(k for k in set(ks) | set(gs) if ks.get(k) != gs.get(k))
            return "%s: properties no change names differ (%s)" % (
                node, ", ".join(diff) if diff else "their order")
    return None

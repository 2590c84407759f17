# SPDX-License-Identifier: MIT
"""Where the Debian DTB corpus lives, fetching it when it is missing.

Shared by the corpus suite (tests/corpus/run-corpus), its regeneration script
and the benchmark (bench/run). The corpus is every DTB of Debian's arm64 and
armmp kernel packages, fetched by shared/corpus/fetch-debian-dtbs (apt, root).

Location, first match wins:
  $CARVEOUT_CORPUS                 used (and fetched into when empty) if set;
  <source>/../corpus-debian        reused when a fetch already put it there;
  /var/cache/carveout/corpus-debian  the default; fetched into when missing.
"""
import os
import subprocess
import sys

DEFAULT_DEST = "/var/cache/carveout/corpus-debian"
SOURCE_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FETCH = os.path.join(SOURCE_ROOT, "..", "shared", "corpus", "fetch-debian-dtbs")


class CorpusError(Exception):
    pass


def _fetched(d):
    return os.path.isfile(os.path.join(d, "list.txt")) and os.path.isdir(os.path.join(d, "tree"))


def locate(fetch_script=None, log=sys.stderr):
    """The corpus folder, fetched first if needed. Raises CorpusError."""
    env = os.environ.get("CARVEOUT_CORPUS")
    if env:
        dest = os.path.abspath(env)
    else:
        sibling = os.path.normpath(os.path.join(SOURCE_ROOT, "..", "corpus-debian"))
        dest = sibling if _fetched(sibling) else DEFAULT_DEST
    if _fetched(dest):
        return dest
    script = fetch_script or FETCH
    if not os.path.isfile(script):
        raise CorpusError("no corpus in %s and no fetch script at %s (set CARVEOUT_CORPUS to a "
                          "folder fetch-debian-dtbs filled)" % (dest, script))
    log.write("fetching the Debian DTB corpus into %s (apt, needs root)\n" % dest)
    log.flush()
    os.makedirs(dest, exist_ok=True)
    p = subprocess.run(["sh", script, dest], stdout=log, stderr=log)
    if p.returncode != 0 or not _fetched(dest):
        raise CorpusError("%s %s failed (exit %d)" % (script, dest, p.returncode))
    return dest


def dtbs(dest):
    """Every DTB of the corpus, sorted. Found by walking tree/ rather than read
    from list.txt, whose absolute paths break when the folder moves."""
    out = []
    for root, dirs, files in os.walk(os.path.join(dest, "tree")):
        dirs.sort()
        out.extend(os.path.join(root, f) for f in files if f.endswith(".dtb"))
    out.sort()
    if not out:
        raise CorpusError("no .dtb files under %s/tree" % dest)
    return out


def packages(dest):
    """The kernel packages the corpus was extracted from (file names of the .debs)."""
    d = os.path.join(dest, "debs")
    return sorted(e for e in os.listdir(d) if e.endswith(".deb")) if os.path.isdir(d) else []

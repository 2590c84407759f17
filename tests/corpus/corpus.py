# SPDX-License-Identifier: MIT
"""Where the Debian kernel corpora live, fetching one when it is missing.

Shared by the corpus suites (tests/corpus/run-corpus), their regeneration
script, the oracle (tests/oracle: the kernels) and the benchmark (bench/run).
A corpus is every DTB and kernel of Debian's kernel image packages for one
release, fetched and unpacked by the project's tools/fetch-debian-kernels
(apt with a private configuration: the machine's apt setup is not changed).

RELEASES maps a release to its default folder and the environment variable
that overrides it. Location, first match wins:
  $CARVEOUT_CORPUS / $CARVEOUT_CORPUS13   used (and fetched into when empty);
  /var/cache/carveout/corpus-debian[13]   the default; fetched into when missing.
"""
import os
import subprocess
import sys

SOURCE_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FETCH = os.path.join(SOURCE_ROOT, "tools", "fetch-debian-kernels")
CACHE = os.environ.get("CARVEOUT_CACHE", "/var/cache/carveout")
RELEASES = {
    # release: (environment variable, folder under CACHE)
    "bookworm": ("CARVEOUT_CORPUS", "corpus-debian"),
    "trixie": ("CARVEOUT_CORPUS13", "corpus-debian13"),
}
DEFAULT_DEST = os.path.join(CACHE, RELEASES["bookworm"][1])


class CorpusError(Exception):
    pass


def _fetched(d):
    return os.path.isfile(os.path.join(d, "list.txt")) and os.path.isdir(os.path.join(d, "tree"))


def locate(release="bookworm", log=sys.stderr):
    """The corpus folder of a Debian release, fetched first if needed. Raises CorpusError."""
    if release not in RELEASES:
        raise CorpusError("unknown release %r (%s)" % (release, ", ".join(sorted(RELEASES))))
    var, folder = RELEASES[release]
    env = os.environ.get(var)
    dest = os.path.abspath(env) if env else os.path.join(CACHE, folder)
    if _fetched(dest):
        return dest
    log.write("fetching Debian %s's kernel packages into %s (apt, private configuration)\n"
              % (release, dest))
    log.flush()
    try:
        os.makedirs(dest, exist_ok=True)
    except OSError as e:
        raise CorpusError("cannot create %s: %s (set %s or CARVEOUT_CACHE to a writable folder)"
                          % (dest, e.strerror, var))
    p = subprocess.run([FETCH, release, dest], stdout=log, stderr=log)
    if p.returncode != 0 or not _fetched(dest):
        raise CorpusError("%s %s %s failed (exit %d)" % (FETCH, release, dest, p.returncode))
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

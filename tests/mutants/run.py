#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The mutation check: does every seed rule have a core test that fails when the rule breaks?

Each mutant in tests/mutants/*.mut names one rule and the seed line it comes from, and is
a file, an exact snippet of that file and its replacement.  The tree (with uncommitted
work) is copied to a scratch directory and built once; then each mutant is applied there,
rebuilt incrementally and the core tests run, each under a short timeout so that a hang
counts as a kill.  A mutant whose snippet is not in its file exactly once is STALE: the
code moved and the mutant must follow it.  Exit status: 0 when every mutant is killed,
1 when one survives, is stale or does not build, 2 on bad input.
"""
import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HEADER = re.compile(r"^@@ (\S+) (\S+)$")


class BadInput(Exception):
    pass


def parse(path):
    """Mutants of one .mut file: '@@ name file', then '-' lines (the snippet), '+' lines."""
    mutants, cur = [], None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            where = "%s:%d" % (os.path.relpath(path, ROOT), n)
            m = HEADER.match(line)
            if m:
                cur = {"name": m.group(1), "file": m.group(2), "old": [], "new": [], "at": where}
                mutants.append(cur)
            elif line.startswith(("-", "+")) and cur:
                cur["old" if line[0] == "-" else "new"].append(line[1:])
            elif line and not line.startswith("#"):
                raise BadInput("%s: expected '@@ name file', '-', '+' or '#'" % where)
    for m in mutants:
        if not m["old"]:
            raise BadInput("%s: mutant %s has no '-' lines" % (m["at"], m["name"]))
    return mutants


def load(patterns):
    mutants, seen = [], set()
    for path in sorted(f for f in os.listdir(HERE) if f.endswith(".mut")):
        for m in parse(os.path.join(HERE, path)):
            if m["name"] in seen:
                raise BadInput("%s: mutant %s is defined twice" % (m["at"], m["name"]))
            seen.add(m["name"])
            if not patterns or any(fnmatch.fnmatch(m["name"], p) for p in patterns):
                mutants.append(m)
    if not mutants:
        raise BadInput("no mutant matches %s" % " ".join(patterns))
    return mutants


def copy_tree(dst):
    """The working tree as git sees it, uncommitted files included, build trees not."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, check=True, capture_output=True).stdout.split(b"\0")
    for rel in filter(None, (f.decode() for f in files)):
        src = os.path.join(ROOT, rel)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dst, rel))


def run(cmd, timeout=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def build(bdir):
    return run(["ninja", "-C", bdir, "tests/core/all"]).returncode == 0


def first_failure(bdir, args):
    """Runs core tests; the first that fails or times out, or None when all pass."""
    out = run(["ctest", "--test-dir", bdir, "--stop-on-failure"] + args).stdout
    m = re.search(r"Test +#\d+: (\S+) \.*\s*\*+(\w+)", out)
    if m:
        return "%s (%s)" % (m.group(1), m.group(2).lower())
    if not re.search(r"100% tests passed", out):
        return "ctest: " + (out.strip().splitlines() or ["no output"])[-1]
    return None


def core_tests(bdir, timeout, stress):
    """The quick core tests first; the stress test only when they all pass."""
    failed = first_failure(bdir, ["-R", r"^core\.", "-LE", "stress", "--timeout", str(timeout)])
    if failed or not stress:
        return failed
    return first_failure(bdir, ["-R", r"^core\.", "-L", "stress", "--timeout", str(8 * timeout)])


def check(mutant, scratch, bdir, timeout, stress):
    path = os.path.join(scratch, mutant["file"])
    if not os.path.isfile(path):
        return "STALE", "no file %s" % mutant["file"]
    with open(path) as f:
        text = f.read()
    old = "\n".join(mutant["old"]) + "\n"
    count = text.count(old)
    if count != 1:
        return "STALE", "snippet found %d times in %s" % (count, mutant["file"])
    with open(path, "w") as f:
        f.write(text.replace(old, "\n".join(mutant["new"]) + "\n" if mutant["new"] else ""))
    try:
        if not build(bdir):
            return "BROKEN", "does not build"
        failed = core_tests(bdir, timeout, stress)
        return ("killed", failed) if failed else ("SURVIVED", "every core test passed")
    finally:
        with open(path, "w") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("patterns", nargs="*", help="run only the mutants whose names match (glob)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--timeout", type=int, default=20, help="seconds per quick test (default 20)")
    ap.add_argument("--no-stress", action="store_true",
                    help="skip the stress test (a mutant only it kills then survives)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch tree")
    a = ap.parse_args()
    try:
        mutants = load(a.patterns)
    except (BadInput, OSError) as e:
        print("mutants: %s" % e, file=sys.stderr)
        return 2
    if a.list:
        for m in mutants:
            print("%-60s %s" % (m["name"], m["file"]))
        return 0

    t0 = time.time()
    scratch = tempfile.mkdtemp(prefix="faultbench-mutants-")
    bdir = os.path.join(scratch, "build")
    try:
        copy_tree(scratch)
        cfg = run(["cmake", "-S", scratch, "-B", bdir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                   "-DFAULTBENCH_RUNNERS=OFF"])
        if cfg.returncode or not build(bdir):
            print("mutants: the unmutated tree does not build\n" + cfg.stderr, file=sys.stderr)
            return 1
        failed = core_tests(bdir, a.timeout, not a.no_stress)
        if failed:
            print("mutants: the unmutated tree fails %s" % failed, file=sys.stderr)
            return 1
        print("mutants: %d, in %s" % (len(mutants), scratch), flush=True)
        bad = 0
        for m in mutants:
            verdict, why = check(m, scratch, bdir, a.timeout, not a.no_stress)
            bad += verdict != "killed"
            print("  %-8s %-58s %s" % (verdict, m["name"], why), flush=True)
        # A last build puts the scratch tree back as it was, for --keep.
        build(bdir)
        print("score: %d/%d killed (%.0f%%), %d s" %
              (len(mutants) - bad, len(mutants), 100.0 * (len(mutants) - bad) / len(mutants),
               time.time() - t0))
        return 1 if bad else 0
    finally:
        if not a.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

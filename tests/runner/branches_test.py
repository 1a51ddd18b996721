#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""faultbench compare-branches on a throw-away repository: the source tree
committed twice, the second commit adding exactly 64 instructions to every
PTE store under arch=insns:N (its parser in core/config.c, so that the store
path itself is the same code), and a tiny suite.  Checks the
refusals (exit 2, nothing written), a build that fails (exit 1, one line
naming the log), the interleaved rounds merged with their round tags, the
exact instruction difference, and that no worktree or temporary directory is
ever left behind, a SIGTERM included.
Usage: branches_test.py FAULTBENCH SCHEMA.md TEST SOURCE_DIR"""

import json
import os
import signal
import subprocess
import sys
import time

import cli_test
from harness import fail, git, main, scratch_repo

FB, SCHEMA, TEST, SRC = sys.argv[1:5]
KNOB = ".insns = insns }"
EXTRA = 64
TINY = """defaults --duration 0.02 --warmup 0.01 --repetitions 3 --threads 1
same-addr arch=insns:0
"""


def fixture(tmp):
    """The repository with its two commits (base, head) and the tiny suite."""
    tree = scratch_repo(SRC, tmp)
    path = os.path.join(tree, "core", "config.c")
    with open(path) as f:
        text = f.read()
    if text.count(KNOB) != 1:
        fail(f"core/config.c has {text.count(KNOB)} '{KNOB}', not one")
    with open(path, "w") as f:
        f.write(text.replace(KNOB, f".insns = insns + {EXTRA} }}"))
    git(tree, "commit", "-q", "-am", "core: 64 more instructions per store")
    suite = os.path.join(tmp, "tiny.suite")
    with open(suite, "w") as f:
        f.write(TINY)
    os.makedirs(os.path.join(tmp, "t"))
    return tree, suite


def branches(tmp, tree, args, timeout=600):
    """compare-branches run in tree, its temporary directories under tmp/t."""
    return subprocess.run([FB, "compare-branches"] + args, cwd=tree, capture_output=True,
                          text=True, timeout=timeout,
                          env=dict(os.environ, TMPDIR=os.path.join(tmp, "t")))


def assert_clean(tmp, tree, what):
    """No worktree but the repository's own, and no temporary directory left."""
    lines = git(tree, "worktree", "list", "--porcelain").count("worktree ")
    left = os.listdir(os.path.join(tmp, "t"))
    if lines != 1 or left:
        fail(f"{what}: {lines} worktrees listed, {left} left in TMPDIR")


def expect_refused(tmp, tree, args, says):
    out = os.path.join(tmp, "refused")
    r = branches(tmp, tree, args + ["--out", out])
    lines = r.stderr.strip().split("\n")
    if r.returncode != 2 or len(lines) != 1 or says not in r.stderr or os.path.exists(out):
        fail(f"{args}: status {r.returncode}, stderr {r.stderr!r}, "
             f"wrote {os.path.exists(out)}; wanted 2 and one line saying '{says}'")
    assert_clean(tmp, tree, str(args))


def test_refusals(tmp):
    """Bad input, each one line and exit 2 with nothing done; a base whose build would
    differ from this one's, refused (exit 2); a base that does not configure, one line
    naming it and its log, exit 1; the worktrees gone every time."""
    tree, suite = fixture(tmp)
    expect_refused(tmp, tree, ["HEAD~1", "no-such-rev", "--suite", suite], "no-such-rev")
    expect_refused(tmp, tree, ["HEAD~1"], "two revisions")
    expect_refused(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite, "--rounds", "0"],
                   "--rounds")
    expect_refused(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite, "--measure", "cycles"],
                   "--measure")
    expect_refused(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite, "--measure",
                               "instructions", "--rounds", "2"], "--rounds")
    expect_refused(tmp, tree, ["HEAD~1", "HEAD", "--suite", os.path.join(tmp, "none")],
                   "cannot read suite")
    bad = os.path.join(tmp, "bad.suite")
    with open(bad, "w") as f:
        f.write("same-addr --threads 0\n")
    expect_refused(tmp, tree, ["HEAD~1", "HEAD", "--suite", bad], "line 1")
    os.makedirs(os.path.join(tmp, "taken"))
    r = branches(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite, "--out",
                             os.path.join(tmp, "taken")])
    if r.returncode != 2 or "exists" not in r.stderr:
        fail(f"an existing --out: status {r.returncode}, {r.stderr!r}")
    r = subprocess.run([FB, "compare-branches", "HEAD~1", "HEAD", "--suite", suite],
                       cwd=os.path.join(tmp, "t"), capture_output=True, text=True)
    if r.returncode != 2 or "not inside a git repository" not in r.stderr:
        fail(f"outside a repository: status {r.returncode}, {r.stderr!r}")
    with open(os.path.join(tree, "README.md"), "a") as f:
        f.write("uncommitted\n")
    expect_refused(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite], "--allow-dirty")
    git(tree, "checkout", "-q", "README.md")

    with open(os.path.join(tree, "CMakeLists.txt"), "a") as f:
        f.write('set(CMAKE_C_FLAGS "-O1 ${CMAKE_C_FLAGS}" CACHE STRING "" FORCE)\n')
    git(tree, "commit", "-q", "-am", "other flags")
    out = os.path.join(tmp, "other")
    r = branches(tmp, tree, ["HEAD", "HEAD~1", "--suite", suite, "--out", out])
    lines = r.stderr.strip().split("\n")
    if r.returncode != 2 or len(lines) != 1 or "CMAKE_C_FLAGS '-O1" not in lines[0]:
        fail(f"a base built with other flags: status {r.returncode}, {r.stderr!r}")
    assert_clean(tmp, tree, "after a refused build")
    git(tree, "reset", "-q", "--hard", "HEAD~1")

    with open(os.path.join(tree, "CMakeLists.txt"), "a") as f:
        f.write('message(FATAL_ERROR "broken on purpose")\n')
    git(tree, "commit", "-q", "-am", "broken")
    out = os.path.join(tmp, "broken")
    r = branches(tmp, tree, ["HEAD", "HEAD~1", "--suite", suite, "--out", out])
    log = os.path.join(out, "build-base.log")
    lines = r.stderr.strip().split("\n")
    if (r.returncode != 1 or len(lines) != 1 or "base" not in lines[0] or log not in lines[0]
            or "broken on purpose" not in open(log).read()):
        fail(f"a base that does not build: status {r.returncode}, {r.stderr!r}")
    assert_clean(tmp, tree, "after a failed build")


def iterations(doc):
    return [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]


def test_rounds(tmp):
    """Two rounds, interleaved A B then B A, with a dirty tree allowed: every output,
    each side's rounds merged with their tags, --allow-dirty recorded, nothing left."""
    tree, suite = fixture(tmp)
    with open(os.path.join(tree, "README.md"), "a") as f:
        f.write("uncommitted\n")
    out = os.path.join(tmp, "out")
    r = branches(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite, "--rounds", "2",
                             "--allow-dirty", "--out", out])
    if r.returncode:
        fail(f"status {r.returncode}: {r.stderr}")
    assert_clean(tmp, tree, "after a comparison")
    for name in ("base.json", "head.json", "compare.txt", "compare.json", "compare.md",
                 "compare.mail", "branches.json", "build-base.log", "build-head.log",
                 "runs.log"):
        if not os.path.isfile(os.path.join(out, name)) or not os.path.getsize(
                os.path.join(out, name)):
            fail(f"{name} missing or empty")
    for side in ("base", "head"):
        figures = os.listdir(os.path.join(out, side, "plots"))
        if not any(f.endswith(".png") for f in figures) or not any(
                f.endswith(".svg") for f in figures):
            fail(f"{side}/plots: {figures}, no PNG or no SVG")
    with open(os.path.join(out, "compare.txt")) as f:
        if r.stdout != f.read() or "same-addr" not in r.stdout:
            fail(f"the printed table is not compare.txt: {r.stdout!r}")
    order = [line.split(",")[1].split()[0] for line in open(os.path.join(out, "runs.log"))
             if line.startswith("== round")]
    if order != ["base", "head", "head", "base"]:
        fail(f"runs in the order {order}, not base head head base")
    for side in ("base", "head"):
        doc = cli_test.check_schema(os.path.join(out, side + ".json"))
        rounds = [b["faultbench"].get("round") for b in iterations(doc)]
        if rounds != [0, 0, 0, 1, 1, 1]:
            fail(f"{side}.json: rounds {rounds}, not three repetitions in each of 0 and 1")
        if [b["repetition_index"] for b in iterations(doc)] != list(range(6)):
            fail(f"{side}.json: repetition indexes not 0..5")
        median = [b for b in doc["benchmarks"] if b.get("aggregate_name") == "median"]
        if len(median) != 1 or len(median[0]["faultbench"]["samples"]) != 6:
            fail(f"{side}.json: aggregates not over both rounds")
        if not any("--allow-dirty" in w for w in doc["warnings"]):
            fail(f"{side}.json: --allow-dirty not recorded in {doc['warnings']}")
    with open(os.path.join(out, "branches.json")) as f:
        manifest = json.load(f)
    if not manifest["allow_dirty"] or not manifest["dirty"] or manifest["rounds"] != 2:
        fail(f"branches.json: {manifest}")


def test_measure(tmp):
    """--measure instructions: one run a side, and the 64 instructions a store found
    exactly."""
    tree, suite = fixture(tmp)
    out = os.path.join(tmp, "out")
    r = branches(tmp, tree, ["HEAD~1", "HEAD", "--suite", suite, "--measure",
                             "instructions", "--out", out])
    if r.returncode:
        fail(f"status {r.returncode}: {r.stderr}")
    assert_clean(tmp, tree, "after counting")
    if sorted(os.listdir(os.path.join(out, "runs"))) != ["base-0", "head-0"]:
        fail(f"runs: {os.listdir(os.path.join(out, 'runs'))}, not one a side")
    base = cli_test.check_schema(os.path.join(out, "base.json"))
    stores = [b["set_pte_per_iteration"] for b in iterations(base)]
    for side in ("base", "head"):
        doc = cli_test.check_schema(os.path.join(out, side + ".json"))
        counts = [b["faultbench"]["instructions_per_iteration"] for b in iterations(doc)]
        if len(set(counts)) != 1 or {b["faultbench"]["round"] for b in iterations(doc)} != {0}:
            fail(f"{side}.json: instructions per round {counts}, not one count in round 0")
    with open(os.path.join(out, "compare.json")) as f:
        cmp = json.load(f)
    m = [m for m in cmp["benchmarks"][0]["metrics"] if m["kind"] == "exact"]
    if not m or m[0]["verdict"] != "exact" or m[0]["shift"] != EXTRA * stores[0]:
        fail(f"instructions: {m}, not exactly {EXTRA} x {stores[0]} stores more")


def test_interrupt(tmp):
    """A SIGTERM while the base is configured: exit 130, cmake stopped, nothing left."""
    tree, suite = fixture(tmp)
    out = os.path.join(tmp, "out")
    p = subprocess.Popen([FB, "compare-branches", "HEAD~1", "HEAD", "--suite", suite, "--out",
                          out], cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=dict(os.environ, TMPDIR=os.path.join(tmp, "t")))
    log = os.path.join(out, "build-base.log")
    for _ in range(600):
        if os.path.exists(log) and "-- " in open(log).read():
            break
        time.sleep(0.1)
    else:
        p.kill()
        fail("the base was not configured within a minute")
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    # cmake is stopped, not waited out (it was signalled as it began)
    if "Build files have been written" in open(log).read():
        fail("SIGTERM: cmake was not stopped, it configured the base to its end")
    if p.returncode != 130 or "interrupted" not in err:
        fail(f"SIGTERM: status {p.returncode}, {err!r}")
    assert_clean(tmp, tree, "after SIGTERM")
    left = processes_in(os.path.join(tmp, "t"))
    if left:
        fail(f"after SIGTERM, still running: {left}")


def processes_in(path):
    """The command lines of the processes that name path (a build left running)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if path in cmd:
            found.append(cmd[:200])
    return found


if __name__ == "__main__":
    main(globals(), TEST)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A newcomer's scenario: the page-fault1 example of scenarios/README.md is
written into a scratch copy of the source tree, which must then build with
no other file changed, list it with the core's knobs, run it, verify it, and
catch its planted fault.  Usage: new_scenario_test.py SOURCE_DIR"""

import json
import os
import re
import shutil
import subprocess
import sys

from harness import fail, git, main, run_fb, scratch_repo

SRC = sys.argv[1]
NAME = "page-fault1"


def example():
    with open(os.path.join(SRC, "scenarios", "README.md")) as f:
        m = re.search(r"```c\n(.*?)```", f.read(), re.S)
    if not m:
        fail("scenarios/README.md has no C example")
    if m.group(1).count("\n") > 60:
        fail(f"the example is {m.group(1).count(chr(10))} lines, more than 60")
    return m.group(1)


def build(tree, tmp):
    out = os.path.join(tmp, "build")
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    for cmd in (["cmake", "-S", tree, "-B", out, "-DCMAKE_BUILD_TYPE=Release",
                 "-DBUILD_TESTING=OFF", "-DFAULTBENCH_WERROR=ON"] + gen,
                ["cmake", "--build", out, "--target", "faultbench"]):
        r = subprocess.run(["nice", "-n", "10"] + cmd, capture_output=True, text=True)
        if r.returncode:
            fail(f"{' '.join(cmd)}: {r.stdout[-2000:]}{r.stderr[-2000:]}")
    return os.path.join(out, "runners", "faultbench")


def test_page_fault1(tmp):
    tree = scratch_repo(SRC, tmp)
    with open(os.path.join(tree, "scenarios", "page_fault1.c"), "w") as f:
        f.write(example())
    fb = build(tree, tmp)
    status = git(tree, "status", "--porcelain", "--untracked-files=all").split("\n")
    if [s for s in status if s] != ["?? scenarios/page_fault1.c"]:
        fail(f"adding the scenario changed more than its file: {status}")
    listed = {s["name"]: s for s in json.loads(run_fb(fb, ["list", "--json"], 30).stdout)}
    sc = listed.get(NAME)
    if not sc:
        fail(f"{NAME} not listed: {sorted(listed)}")
    knobs = [p["name"] for p in sc["params"] if p["knob"]]
    if knobs != [p["name"] for p in listed["same-addr"]["params"] if p["knob"]]:
        fail(f"{NAME} takes knobs {knobs}")
    base = ["run", NAME, "--threads", "2", "--duration", "0.05", "--warmup", "0.02",
            "--repetitions", "2", "--quiet"]
    out = os.path.join(tmp, "clean.json")
    r = run_fb(fb, base + ["granularity=mm", "--out", out], 60)
    if r.returncode:
        fail(f"{NAME} run: status {r.returncode}: {r.stderr}")
    with open(out) as f:
        b = json.load(f)["benchmarks"][0]
    if b["faultbench"].get("verify_failed") or b["set_pte"] != b["iterations"]:
        fail(f"{NAME}: {b['set_pte']} stores for {b['iterations']} operations")
    if b["faultbench"]["headline"]["counters"] != ["set_pte", "ptl_contended"]:
        fail(f"{NAME}: headline {b['faultbench']['headline']}")
    r = run_fb(fb, base + ["--plant", "skip-zap", "--out", os.path.join(tmp, "p.json")], 60)
    if r.returncode != 1:
        fail(f"{NAME} --plant skip-zap: status {r.returncode}, want 1")


if __name__ == "__main__":
    main(globals(), "page_fault1")

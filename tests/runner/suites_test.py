#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The suites that ship in scenarios/suites/: every line of every one is a run
the runner accepts, found by `faultbench suite FILE --check` without running
anything.  A suite that the code outgrew (a renamed parameter, a scenario gone,
a target naming a label no line has) fails here rather than minutes into a
user's run.  Usage: suites_test.py FAULTBENCH SUITES_DIR"""

import os
import shutil
import sys
import tempfile

from harness import fail, run_fb

FB, SUITES = sys.argv[1], sys.argv[2]
SANITIZER = "cannot run a sanitizer build"


def check(path, cwd):
    return run_fb(FB, ["suite", path, "--check"], 120, cwd=cwd)


def shipped(tmp):
    names = sorted(f for f in os.listdir(SUITES) if f.endswith(".suite"))
    for want in ("default.suite", "seeds.suite", "full.suite", "core.suite"):
        if want not in names:
            fail(f"{SUITES} has no {want}")
    for name in names:
        r = check(os.path.join(SUITES, name), tmp)
        # callgrind refuses a sanitizer build, and core.suite counts instructions.
        if r.returncode == 2 and SANITIZER in r.stderr:
            continue
        if r.returncode or "every one valid" not in r.stdout:
            fail(f"{name}: status {r.returncode}: {r.stderr.strip()}")
    if os.listdir(tmp):
        fail(f"--check wrote {os.listdir(tmp)}")


def broken(tmp):
    """--check bites: each fault in a copy of default.suite is one line and status 2."""
    with open(os.path.join(SUITES, "default.suite")) as f:
        lines = f.read().splitlines()
    run_at = next(i for i, l in enumerate(lines) if l.startswith("same-addr "))
    faults = {
        "a parameter no scenario has": ("same-addr no_such_knob=1", "no_such_knob"),
        "a scenario that does not exist": ("no-such-scenario", "no-such-scenario"),
        "a combination check() refuses": ("same-addr handler=nopfn dispatch=modern", "modern"),
        "a target naming no label": ("target no-such-label <= 2", "no-such-label"),
    }
    for what, (line, says) in faults.items():
        path = os.path.join(tmp, "broken.suite")
        with open(path, "w") as f:
            f.write("\n".join(lines[:run_at] + [line] + lines[run_at:]) + "\n")
        scratch = tempfile.mkdtemp(dir=tmp)
        r = check(path, scratch)
        err = r.stderr.splitlines()
        if r.returncode != 2 or len(err) != 1 or says not in err[0] or r.stdout:
            fail(f"{what}: status {r.returncode}, {r.stderr!r}, {r.stdout!r}")
        if os.listdir(scratch):
            fail(f"{what}: --check wrote {os.listdir(scratch)}")
        shutil.rmtree(scratch)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        shipped(tmp)
    with tempfile.TemporaryDirectory() as tmp:
        broken(tmp)
    print("ok suites")

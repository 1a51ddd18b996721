# SPDX-License-Identifier: GPL-2.0-only
"""The kernel-* scenarios, in quick mode on the live kernel: each run's own
accounting, read back from its result file, and kernel-uffd's skip where
userfaultfd is refused.  Usage: kernel_test.py FAULTBENCH DENY_UFFD TEST."""

import json
import os
import sys

from harness import fail, main, run_fb

FB, DENY = sys.argv[1], sys.argv[2]
QUICK = ["--repetitions", "2", "--warmup", "0", "--quiet"]


def run(tmp, args, name, want=0, deny=False):
    """faultbench run ARGS (under deny-uffd if deny), into NAME.json."""
    out = os.path.join(tmp, name + ".json")
    argv = ["run"] + args + ["--out", out] + QUICK
    r = run_fb(DENY, [FB] + argv, timeout=50) if deny else run_fb(FB, argv, timeout=50)
    if r.returncode != want:
        fail(f"{' '.join(args)}: status {r.returncode}, want {want}: {r.stderr}")
    return r, out


def iterations(path):
    with open(path) as f:
        doc = json.load(f)
    its = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
    for b in its:
        if b["faultbench"].get("verify_failed"):
            fail(f"{b['name']}: {b['faultbench']['verify_error']}")
    return its


def per(b, counter):
    return b[counter + "_per_iteration"]


def test_anon(tmp):
    """One fault per page touched, counted by perf's software event, written
    and read, on one thread and two; and by getrusage."""
    for access in ("write", "read"):
        for counter in ("perf", "rusage"):
            args = ["kernel-anon", f"access={access}", f"counter={counter}", "pages=64",
                    "--threads", "1,2", "--duration", "0.05"]
            for b in iterations(run(tmp, args, f"anon-{access}-{counter}")[1]):
                if b["kernel.faults"] != b["iterations"] or not b["iterations"]:
                    fail(f"{b['name']}: {b['kernel.faults']} faults for "
                         f"{b['iterations']} pages")


def test_calibration_recorded(tmp):
    """A calibrated run keeps the kernel's costs it used in its file, so that it
    can be read back and set by hand; an uncalibrated one records none."""
    def cal(args, name):
        with open(run(tmp, ["same-addr", "--threads", "1", "--duration", "0.05"] + args,
                      name)[1]) as f:
            return json.load(f)["context"]["faultbench"]["calibration"]
    plain = cal([], "plain")
    if any(v is not None for v in plain.values()):
        fail(f"an uncalibrated run records {plain}")
    auto = cal(["handler_ns=auto", "tlb=ipi:auto"], "auto")
    if any(not isinstance(auto[k], int) for k in auto) or \
            auto["kernel_fault_ns"] <= auto["model_fault_ns"]:
        fail(f"handler_ns=auto tlb=ipi:auto records {auto}")


def test_not_counted(tmp):
    """The live kernel's work is no user-space instruction count: refused, in one line."""
    for name in ("kernel-anon", "kernel-shared", "kernel-same-addr", "kernel-uffd"):
        r = run_fb(FB, ["run", name, "--measure", "instructions", "--iterations", "10",
                        "--out", os.path.join(tmp, name + ".json")], timeout=50)
        lines = r.stderr.strip().splitlines()
        if r.returncode != 2 or len(lines) != 1 or "live kernel" not in lines[0]:
            fail(f"{name} --measure instructions: status {r.returncode}, {r.stderr!r}")


def test_shared(tmp):
    for b in iterations(run(tmp, ["kernel-shared", "pages=64", "--threads", "1,2",
                                  "--duration", "0.05"], "shared")[1]):
        if b["kernel.faults"] != b["iterations"] or not b["iterations"]:
            fail(f"{b['name']}: {b['kernel.faults']} faults for {b['iterations']} pages")


def test_same_addr(tmp):
    """At least one fault a round; on one thread, exactly one and no race."""
    for b in iterations(run(tmp, ["kernel-same-addr", "--threads", "1,2", "--rounds", "300"],
                            "same-addr")[1]):
        if per(b, "kernel.faults") < 1 or b["kernel.faults"] != b["iterations"] + \
                b["kernel.race_lost"]:
            fail(f"{b['name']}: {b['kernel.faults']} faults, {b['kernel.race_lost']} lost, "
                 f"in {b['iterations']} rounds")
        if b["threads"] == 1 and b["kernel.race_lost"]:
            fail(f"{b['name']}: a race lost with one thread")


def test_uffd(tmp):
    """One resolve per round; every other message an EEXIST."""
    for resolve in ("copy", "zeropage"):
        args = ["kernel-uffd", f"resolve={resolve}", "--threads", "1,2", "--rounds", "300"]
        for b in iterations(run(tmp, args, "uffd-" + resolve)[1]):
            if per(b, "kernel.uffd_resolved") != 1 or b["kernel.uffd_msgs"] != \
                    b["iterations"] + b["kernel.uffd_eexist"]:
                fail(f"{b['name']}: {b['kernel.uffd_resolved']} resolved, "
                     f"{b['kernel.uffd_msgs']} messages, {b['kernel.uffd_eexist']} EEXIST "
                     f"in {b['iterations']} rounds")


def test_uffd_refused(tmp):
    """Where userfaultfd is refused, kernel-uffd says so in one line naming
    what to allow, and is skipped: the run exits 0, and a suite goes on."""
    r, out = run(tmp, ["kernel-uffd", "--threads", "1", "--rounds", "50"], "refused",
                 deny=True)
    lines = [ln for ln in r.stderr.splitlines() if "userfaultfd" in ln]
    if len(lines) != 1 or "kernel-uffd skipped" not in lines[0] or \
            "vm.unprivileged_userfaultfd" not in lines[0] or "/dev/userfaultfd" not in lines[0]:
        fail(f"refusal not said in one line: {r.stderr!r}")
    if os.path.exists(out) and any(b["faultbench"]["scenario"] == "kernel-uffd"
                                   for b in json.load(open(out))["benchmarks"]):
        fail("a skipped scenario has benchmarks")
    suite = os.path.join(tmp, "k.suite")
    with open(suite, "w") as f:
        f.write("kernel-uffd --threads 1 --rounds 50\n"
                "kernel-same-addr --threads 1 --rounds 50\n")
    outdir = os.path.join(tmp, "out")
    os.mkdir(outdir)
    r = run_fb(DENY, [FB, "suite", suite, "--out", outdir, "--quiet"], timeout=50)
    if r.returncode:
        fail(f"suite with a skipped line: status {r.returncode}: {r.stderr}")
    names = {b["faultbench"]["scenario"] for b in iterations(os.path.join(outdir, "k.json"))}
    if names != {"kernel-same-addr"}:
        fail(f"suite ran {names}")
    warnings = json.load(open(os.path.join(outdir, "k.json")))["warnings"]
    if not any("kernel-uffd threads=1 skipped" in w and "userfaultfd" in w for w in warnings):
        fail(f"the file does not say kernel-uffd was skipped: {warnings}")


if __name__ == "__main__":
    main(globals(), sys.argv[3])

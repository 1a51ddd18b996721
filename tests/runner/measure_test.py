#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""--measure instructions, driven as a user would: exact counts that repeat
(A/A), an injected change found exactly, the breakdown of one fresh fault,
and the refusals.  Usage: measure_test.py FAULTBENCH SCHEMA.md TEST"""

import json
import os
import sys
import time

import cli_test
from harness import fail, main, run_fb

FB, SCHEMA, TEST = sys.argv[1], sys.argv[2], sys.argv[3]
# Short, and a fixed count: nothing may depend on time.
QUICK = ["--repetitions", "2", "--iterations", "200"]


def run(args, env=None):
    return run_fb(FB, args, 120, env=env)


def measured(tmp, name, args):
    """Runs with --measure instructions; the schema-checked document."""
    out = os.path.join(tmp, name + ".json")
    t0 = time.monotonic()
    r = run(["run"] + args + ["--measure", "instructions", "--out", out, "--quiet"])
    if r.returncode != 0:
        fail(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    print(f"{' '.join(args)}: {time.monotonic() - t0:.1f} s")
    return cli_test.check_schema(out)


def iterations(doc):
    return [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]


def counts(doc):
    """(instructions, iterations) of each repetition, with the method."""
    its = iterations(doc)
    for b in its:
        fb = b["faultbench"]
        if fb["measure"] != {"metric": "instructions", "method": its[0]["faultbench"]
                             ["measure"]["method"]}:
            fail(f"{b['name']}: measure {fb['measure']}")
        # The count is whole; the per-iteration figure is a double (256.29 x 200 is not
        # 51258 in floating point), so compare the product rounded.
        if fb["instructions"] != round(fb["instructions_per_iteration"] * b["iterations"]):
            fail(f"{b['name']}: {fb['instructions']} is not "
                 f"{fb['instructions_per_iteration']} x {b['iterations']}")
    return [(b["faultbench"]["instructions"], b["iterations"]) for b in its]


def method_here(tmp):
    """What --measure instructions must choose: the PMU only where it opens."""
    r = run(["run", "empty", "--measure", "instructions:pmu", "--out",
             os.path.join(tmp, "pmu.json"), "--quiet"] + QUICK)
    return "pmu" if r.returncode == 0 else "callgrind"


def single_thread_scenarios():
    r = run(["list", "--json"])
    if r.returncode != 0:
        fail(f"list --json: {r.stderr}")
    # The live kernel's scenarios count the kernel's work, not instructions.
    return [s["name"] for s in json.loads(r.stdout) if not s["live_kernel"]]


def test_aa(tmp):
    """Every scenario, one thread, counted twice: the same counts, repetition by repetition."""
    method = method_here(tmp)
    for name in single_thread_scenarios():
        a = measured(tmp, name + "-a", [name] + QUICK)
        b = measured(tmp, name + "-b", [name] + QUICK)
        ca, cb = counts(a), counts(b)
        if iterations(a)[0]["faultbench"]["measure"]["method"] != method:
            fail(f"{name}: counted by {iterations(a)[0]['faultbench']['measure']}, "
                 f"expected {method}")
        if ca != cb or min(ca)[0] <= 0:
            fail(f"{name}: A/A counts differ or are empty: {ca} then {cb}")
        print(f"{name}: {ca[0][0] / ca[0][1]:g} instructions per iteration")


def per_iteration(doc):
    return iterations(doc)[0]["faultbench"]["instructions_per_iteration"]


def test_region(tmp):
    """Only the step counts: not the barrier, the re-arm, the loop or the warmup."""
    floor = per_iteration(measured(tmp, "floor", ["lock-floor"] + QUICK))
    # lock, check, store, unlock: a barrier or the zap alone would be more.
    if not 10 <= floor <= 60:
        fail(f"lock-floor counts {floor} instructions a round")
    # The same per iteration, however many iterations (and so warmup) there are.
    a = per_iteration(measured(tmp, "few", ["same-addr", "--iterations", "50",
                                            "--repetitions", "1"]))
    b = per_iteration(measured(tmp, "many", ["same-addr", "--iterations", "500",
                                             "--repetitions", "1"]))
    if a != b:
        fail(f"same-addr: {a} instructions a round over 50 rounds, {b} over 500")


def breakdown(doc):
    return iterations(doc)[0]["faultbench"]["breakdown"]


def test_breakdown(tmp):
    """One fresh nopfn fault by part and function: everything counted, once."""
    doc = measured(tmp, "bd", ["same-addr", "--breakdown"] + QUICK)
    bd = breakdown(doc)
    total = per_iteration(doc)
    if abs(sum(bd["parts"].values()) - total) > 1e-6 or bd["instructions_per_iteration"] != total:
        fail(f"parts {bd['parts']} do not add up to {total}")
    for part in ("entry", "find_vma", "walk", "dispatch", "handler", "lock", "recheck",
                 "set_pte_at", "counters", "step"):
        if not bd["parts"].get(part, 0) > 0:
            fail(f"part {part} has no instructions: {bd['parts']}")
    fns = {f["function"]: f for f in bd["functions"]}
    for fn in ("handle_mm_fault", "find_vma_fast", "pte_alloc_map", "do_no_pfn",
               "set_pte_at", "fc_count"):
        if fn not in fns:
            fail(f"no {fn} in the breakdown: {sorted(fns)}")
    if abs(sum(f["self"] for f in bd["functions"]) - total) > 1e-6:
        fail("the functions' self costs do not add up")
    if "fb_measured_step" in fns:
        fail("the region's own instructions were counted")
    print(f"breakdown: {total:g} = " + " + ".join(f"{k} {v:g}" for k, v in
                                                  bd["parts"].items() if v))


def compared(tmp, base, contender, args):
    """compare --format json on two measured files: the exact metric of each benchmark."""
    paths = []
    for name, doc in (("base", base), ("contender", contender)):
        paths.append(os.path.join(tmp, f"cmp-{name}.json"))
        with open(paths[-1], "w") as f:
            json.dump(doc, f)
    r = run(["compare"] + paths + args + ["--format", "json"])
    if r.returncode != 0:
        fail(f"compare {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    out = json.loads(r.stdout)
    exact = [[m for m in b["metrics"] if m["name"] == "instructions"] for b in out["benchmarks"]]
    if not out["benchmarks"] or any(len(e) != 1 or e[0]["kind"] != "exact" for e in exact):
        fail(f"compare {' '.join(args)}: no exact instructions metric: {out['benchmarks']}")
    return [e[0] for e in exact]


def test_sensitivity(tmp):
    """arch=insns:N adds exactly N instructions to each store: found exactly, by compare too."""
    base = measured(tmp, "insns0", ["same-addr", "arch=insns:0", "--breakdown"] + QUICK)
    more = measured(tmp, "insns64", ["same-addr", "arch=insns:64", "--breakdown"] + QUICK)
    x86 = measured(tmp, "x86", ["same-addr"] + QUICK)
    d = per_iteration(more) - per_iteration(base)
    if d != 64:
        fail(f"64 instructions injected per fault, {d} found")
    if breakdown(more)["parts"]["set_pte_at"] - breakdown(base)["parts"]["set_pte_at"] != 64:
        fail("the injected instructions are not in set_pte_at")
    # compare: exactly that change, no noise statistics; the same counts are no change.
    for m in compared(tmp, base, more, ["--base-filter", "arch=insns:0", "--contender-filter", "arch=insns:64"]):
        want = 64 / m["base"]["median"]
        if (m["verdict"], m["shift"], m["p"]) != ("exact", 64, None) or \
                abs(m["change"] - want) > 1e-12 or m["change_low"] != m["change_high"]:
            fail(f"compare insns:0 against insns:64: {m}")
        print(f"compare: {m['text']}")
    for m in compared(tmp, base, base, []):
        if (m["verdict"], m["shift"], m["change"]) != ("no change", 0, 0):
            fail(f"compare insns:0 against itself: {m}")
    # Off, the knob costs nothing: x86 is the path it leaves alone.
    if per_iteration(x86) >= per_iteration(base):
        fail(f"x86 {per_iteration(x86)} is not below insns:0 {per_iteration(base)}")


def expect_refused(args, what, env=None):
    r = run(args, env=env)
    lines = r.stderr.strip().splitlines()
    if r.returncode != 2 or len(lines) != 1 or what not in lines[0]:
        fail(f"{' '.join(args)}: exit {r.returncode}, stderr {r.stderr!r}; "
             f"expected exit 2 and one line with {what!r}")
    return lines[0]


def test_refusals(tmp):
    out = os.path.join(tmp, "refused.json")
    base = ["run", "same-addr", "--out", out] + QUICK
    if method_here(tmp) == "callgrind":
        expect_refused(base + ["--measure", "instructions", "--threads", "1,2"],
                       "--threads 1")
        # No valgrind in PATH: the package to install, in one line.
        expect_refused(base + ["--measure", "instructions"], "valgrind",
                       env={"PATH": "/nonexistent"})
        expect_refused(base + ["--measure", "instructions:pmu"], "instructions:callgrind")
    expect_refused(base + ["--measure", "instructions:callgrind", "--threads", "2"],
                   "--threads 1")
    expect_refused(base + ["--measure", "cycles"], "valid: instructions")
    expect_refused(base + ["--breakdown"], "--measure")
    expect_refused(base + ["--measure", "instructions:pmu", "--breakdown"], "callgrind")
    if os.path.exists(out):
        fail("a refused run wrote a result")


if __name__ == "__main__":
    main(globals(), TEST)

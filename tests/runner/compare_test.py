#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""faultbench compare on result files made by hand: faster, slower and no
change in every format, a pair within one file, missing benchmarks, a failed
verify, and the refusals (unnamed parameter, corrupt file, bad options).
Usage: compare_test.py FAULTBENCH TEST"""

import json
import os
import re
import signal
import subprocess
import sys
import time

from harness import fail, main, run_fb

FB, TEST = sys.argv[1], sys.argv[2]
SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "results", "SCHEMA.md")
SPREAD = (1.000, 1.004, 0.996, 1.002, 0.998)  # enough to decide at p < 0.01


def context(cpu_model="Test CPU", commit="a" * 40):
    return {
        "date": "2024-01-02T03:04:05+00:00", "host_name": "testhost",
        "executable": "/usr/bin/faultbench", "num_cpus": 2, "mhz_per_cpu": 2400,
        "cpu_scaling_enabled": False, "caches": [], "load_avg": [0.1, 0.1, 0.1],
        "library_build_type": "release", "json_schema_version": 1,
        "faultbench": {
            "version": "0.1.0", "git": {"commit": commit, "branch": "main", "dirty": False},
            "compiler": "GNU 12.2.0", "cflags": "-O3", "build_type": "Release",
            "sanitize": "", "kernel": "Linux 6.1.0 x86_64", "cpu_model": cpu_model,
            "topology": "1 package, 2 cores, 2 PUs", "virtualization": "no", "aslr": "0",
            "governor": "performance", "boost": "off", "smt": "off", "pinning": "pus",
            "seed": 1,
            "clock": {"latency_source": "tsc", "ns_per_tick": 0.5, "clock_gettime_ns": 20.0},
            "harness_overhead_ns_per_op": 0.7,
            "events": {"requested": [], "opened": [], "not_opened": [], "user_only": False,
                       "note": None},
        },
    }


def bench(scenario, params, threads, ns, counters=None, verify_error=None):
    """The iteration entries of one configuration, five repetitions around ns."""
    name = "/".join([scenario] + [f"{k}:{v}" for k, v in params.items()] +
                    [f"threads:{threads}"])
    entries = []
    for i, s in enumerate(SPREAD):
        fb = {"scenario": scenario, "shape": "duration", "unit": "op", "params": params,
              "pinning": "pus", "cpus": "0", "oversubscribed": False, "wall_ns": 1e8}
        e = {"name": name, "run_name": name, "run_type": "iteration", "repetitions": 5,
             "threads": threads, "repetition_index": i, "iterations": 1000,
             "real_time": ns * s, "cpu_time": ns * s, "time_unit": "ns",
             "items_per_second": 1e9 / (ns * s), "per_family_instance_index": 0,
             "faultbench": fb}
        for c, v in (counters or {}).items():
            e[c], e[c + "_per_iteration"] = round(v * 1000), v
        if counters:
            fb["headline"] = {"counters": list(counters), "floor": None}
        if verify_error:
            fb["verify_failed"], fb["verify_error"] = True, verify_error
        entries.append(e)
    return entries


def write(tmp, name, benches, **ctx):
    doc = {"context": context(**ctx), "benchmarks": [], "interrupted": False, "warnings": []}
    for family, entries in enumerate(benches):
        for e in entries:
            doc["benchmarks"].append(dict(e, family_index=family))
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def compare(args, status=0):
    r = run_fb(FB, ["compare"] + args, 30)
    if r.returncode != status:
        fail(f"compare {args}: status {r.returncode}, wanted {status}: {r.stderr}")
    if status == 2 and (r.stdout or len(r.stderr.splitlines()) != 1):
        fail(f"compare {args}: a refusal must be one line and print nothing: {r.stderr!r}")
    return r


def compare_schema():
    """Path to types, from SCHEMA.md's "Compare output" tables."""
    rows, inside = {}, False
    row = re.compile(r"^\| `([^`]+)` \| ([a-z|\\]+) \|")
    with open(SCHEMA) as f:
        for line in f:
            if line.startswith("## "):
                inside = line.startswith("## Compare output")
            m = row.match(line) if inside else None
            if m:
                rows[m.group(1)] = m.group(2).replace("\\", "").split("|")
    return rows


def check_schema(doc):
    """Every field documented with its type, and every documented field present."""
    rows = compare_schema()
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
             "object": dict, "array": list, "null": type(None)}

    def ok(v, t):
        if t in ("integer", "number") and isinstance(v, bool):
            return False
        return isinstance(v, types[t])

    def walk(v, path):
        if not any(ok(v, t) for t in rows[path]):
            fail(f"compare json: {path} = {v!r} is not {rows[path]}")
        if path.endswith(".*"):
            return  # "as in" another table
        if isinstance(v, dict):
            for k, child in v.items():
                sub = f"{path}.{k}" if path else k
                sub = sub if sub in rows else f"{path}.*" if path else sub
                if sub not in rows:
                    fail(f"compare json: {path}.{k} is not documented in SCHEMA.md")
                walk(child, sub)
            for p in rows:
                head, _, key = p.rpartition(".")
                if head == path and key != "*" and not key.endswith("[]") and key not in v and \
                        not any(f"{path}.*" == q for q in rows):
                    fail(f"compare json: {path}: {key} missing")
        elif isinstance(v, list):
            for child in v:
                walk(child, path + "[]")

    if len(rows) < 40:
        fail(f"only {len(rows)} compare rows in {SCHEMA}")
    for k, v in doc.items():
        if k not in rows:
            fail(f"compare json: {k} is not documented in SCHEMA.md")
        walk(v, k)
    for k in (p for p in rows if "." not in p and "[" not in p):
        if k not in doc:
            fail(f"compare json: {k} missing")


def three_ways(tmp):
    split = {"lock": "split"}
    base = write(tmp, "base.json", [bench("s", split, t, 100) for t in (1, 2, 4)])
    contender = write(tmp, "contender.json", [bench("s", split, 1, 90), bench("s", split, 2, 120),
                                              bench("s", split, 4, 100.05)],
                      commit="b" * 40)
    return base, contender


def test_verdicts(tmp):
    base, contender = three_ways(tmp)
    out = compare([base, contender]).stdout
    rows = {l.split()[0]: l for l in out.splitlines() if l.startswith("s/")}
    for name, want in (("s/lock:split/threads:1", "faster by 10.0% ± "),
                       ("s/lock:split/threads:2", "slower by 20.0% ± "),
                       ("s/lock:split/threads:4", "no change (")):
        if want not in rows.get(name, ""):
            fail(f"{name}: wanted '{want}' in {rows.get(name)!r}")
    if "(95% CI)" not in rows["s/lock:split/threads:1"] or "geomean of 3" not in out:
        fail(f"no interval or geometric mean:\n{out}")


def test_formats(tmp):
    base, contender = three_ways(tmp)
    doc = json.loads(compare([base, contender, "--format", "json"]).stdout)
    check_schema(doc)
    verdicts = [b["metrics"][0]["verdict"] for b in doc["benchmarks"]]
    if verdicts != ["faster", "slower", "no change"] or doc["geomean"]["benchmarks"] != 3:
        fail(f"json verdicts {verdicts}")
    if doc["rule"]["alpha"] != 0.01 or doc["benchmarks"][0]["metrics"][0]["p"] >= 0.01:
        fail(f"json rule or p: {doc['rule']}")
    md = compare([base, contender, "--format", "markdown"]).stdout
    if "| s/lock:split/threads:1 | ns per op |" not in md or "**faster by 10.0%" not in md:
        fail(f"markdown:\n{md}")
    mail = compare([base, contender, "--format", "mail"]).stdout.splitlines()
    if not mail[0].startswith("Subject: [faultbench] slower by 20.0% ± ") or \
            "(and 1 more change)" not in mail[0]:
        fail(f"mail subject: {mail[0]!r}")
    for want in ("machine:    Test CPU, 2 CPUs", "base:       aaaaaaaaaaaa (main)",
                 "contender:  bbbbbbbbbbbb (main)", "parameters: lock=split",
                 "         %stddev     %change         %stddev",
                 "s/lock:split/threads:1.ns_per_op"):
        if not any(l.startswith(want) or l.endswith(want) for l in mail):
            fail(f"mail lacks {want!r}:\n" + "\n".join(mail))


def test_mismatched_params(tmp):
    base = write(tmp, "a.json", [bench("s", {"lock": "split"}, 1, 100)])
    contender = write(tmp, "b.json", [bench("s", {"lock": "mm"}, 1, 100)])
    r = compare([base, contender], 2)
    if "parameter 'lock' (split vs mm)" not in r.stderr or "--pair lock=split:mm" not in r.stderr:
        fail(f"refusal does not name the parameter: {r.stderr!r}")
    compare([base, contender, "--pair", "lock=split:mm"])


def test_corrupt_json(tmp):
    good = write(tmp, "good.json", [bench("s", {}, 1, 100)])
    for name, text in (("cut.json", '{"context": {'), ("odd.json", '{"benchmarks": 3}')):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        for args in ([path, good], [good, path]):
            if name not in compare(args, 2).stderr:
                fail(f"{args}: the message does not name the file")
    compare([good, os.path.join(tmp, "absent.json")], 2)


def test_missing_benchmarks(tmp):
    base = write(tmp, "a.json", [bench("s", {}, t, 100) for t in (1, 2)] +
                 [bench("t", {}, 1, 100)])
    contender = write(tmp, "b.json", [bench("s", {}, 1, 100), bench("u", {}, 1, 100)])
    out = compare([base, contender]).stdout
    for want in ("only in the base: s/threads:2", "only in the base: t/threads:1",
                 "only in the contender: u/threads:1"):
        if want not in out:
            fail(f"missing '{want}':\n{out}")


def test_verify_failed(tmp):
    base = write(tmp, "a.json", [bench("s", {}, 1, 100)])
    contender = write(tmp, "b.json", [bench("s", {}, 1, 50, verify_error="3 stores, 2 rounds")])
    for fmt in ("table", "markdown", "mail"):
        out = compare([base, contender, "--format", fmt]).stdout
        if "faster" in out.replace("faster or slower", "") or "verify failed (-50.0% ± " not in out:
            fail(f"{fmt}: a failed verify was called faster, or not shown:\n{out}")
        if "verify failed in the contender: 3 stores, 2 rounds" not in out:
            fail(f"{fmt}: no warning for the failed verify:\n{out}")


def test_pair_in_one_file(tmp):
    f = write(tmp, "r.json", [bench("s", {"recheck": r}, t, ns)
                              for t in (1, 2) for r, ns in (("recheck", 100), ("none", 80))])
    out = compare([f, "--pair", "recheck=recheck:none"]).stdout
    if out.count("faster by 20.0%") != 3 or "compared:   base recheck=recheck, contender " \
                                                 "recheck=none" not in out:
        fail(f"pair within one file:\n{out}")
    compare([f, "--base-filter", "recheck=recheck,threads=1", "--contender-filter",
             "recheck=none,threads=2"])
    compare([f], 2)
    compare([f, f, "--pair", "recheck=recheck:precheck"], 2)


def test_headline_and_machines(tmp):
    base = write(tmp, "a.json", [bench("s", {}, 2, 100, {"set_pte": 1.0, "recheck_lost": 0.5})])
    contender = write(tmp, "b.json", [bench("s", {}, 2, 100, {"set_pte": 2.0,
                                                             "recheck_lost": 0.5})],
                      cpu_model="Other CPU")
    out = compare([base, contender]).stdout
    for want in ("set_pte per op", "higher by 100.0% ± 0.0% (95% CI)", "recheck_lost per op",
                 "warning: different machines: cpu_model 'Test CPU' vs 'Other CPU'"):
        if want not in out:
            fail(f"missing '{want}':\n{out}")


def in_rounds(entries, rounds, slower):
    """Tags entries with rounds of an interleaved run whose phases move a round by up to 30%."""
    per = len(entries) // rounds
    for i, e in enumerate(entries):
        r = i // per
        e["faultbench"]["round"] = r
        e["real_time"] = 100 * (1 + 0.3 * (r * 7 % 5) / 4) * slower * SPREAD[i % 5]
        e["repetitions"], e["repetition_index"] = len(entries), i
    return entries


def test_rounds(tmp):
    def entries(slower):
        e = bench("s", {}, 1, 100) + bench("s", {}, 1, 100)
        return in_rounds(e, 5, slower)

    f = write(tmp, "r.json", [entries(1.0)])
    g = write(tmp, "g.json", [entries(1.04)], commit="b" * 40)
    doc = json.loads(compare([f, g, "--format", "json", "--alpha", "0.05"]).stdout)
    check_schema(doc)
    t = doc["benchmarks"][0]["metrics"][0]
    if (t["test"], t["rounds"], t["verdict"]) != ("wilcoxon-signed-rank", 5, "no change") or \
            not t["too_few"]:
        fail(f"5 rounds cannot reach p < 0.05: {t}")
    f = write(tmp, "r.json", [in_rounds(bench("s", {}, 1, 100) + bench("s", {}, 1, 100), 10, 1.0)])
    g = write(tmp, "g.json", [in_rounds(bench("s", {}, 1, 100) + bench("s", {}, 1, 100), 10,
                                        1.04)], commit="b" * 40)
    doc = json.loads(compare([f, g, "--format", "json"]).stdout)
    t = doc["benchmarks"][0]["metrics"][0]
    if (t["test"], t["rounds"], t["verdict"]) != ("wilcoxon-signed-rank", 10, "slower") or \
            abs(t["change"] - 0.04) > 0.002:
        fail(f"the phases cancel round by round: {t}")
    if "Wilcoxon signed-rank over interleaved rounds" not in compare([f, g]).stdout:
        fail("the rule line does not say the rounds were paired")


def test_interleave(tmp):
    suite = os.path.join(tmp, "aa.suite")
    with open(suite, "w") as f:
        f.write("defaults --threads 1 --duration 0.02 --warmup 0.01 --repetitions 2\n"
                "empty --label A\nempty --label B\n")
    r = run_fb(FB, ["suite", suite, "--out", tmp, "--interleave", "3", "--quiet"], 60)
    if r.returncode:
        fail(f"suite --interleave: {r.returncode} {r.stderr}")
    with open(r.stdout.strip()) as f:
        doc = json.load(f)
    for label in "AB":
        rounds = [e["faultbench"].get("round") for e in doc["benchmarks"]
                  if e["run_type"] == "iteration" and e.get("label") == label]
        if sorted(rounds) != [0, 0, 1, 1, 2, 2]:
            fail(f"label {label}: rounds {rounds}, wanted two repetitions in each of 3")
    out = compare([r.stdout.strip(), "--pair", "label=A:B", "--format", "json"]).stdout
    t = json.loads(out)["benchmarks"][0]["metrics"][0]
    if (t["test"], t["rounds"]) != ("wilcoxon-signed-rank", 3):
        fail(f"A against B, round by round: {t}")
    for bad in ("0", "x", "1001", "-1"):
        r = run_fb(FB, ["suite", suite, "--out", tmp, "--interleave", bad], 30)
        if r.returncode != 2 or len(r.stderr.splitlines()) != 1 or "--interleave" not in r.stderr:
            fail(f"--interleave {bad}: {r.returncode} {r.stderr!r}")


def test_interleave_interrupted(tmp):
    suite = os.path.join(tmp, "aa.suite")
    with open(suite, "w") as f:
        f.write("defaults --duration 0.3 --warmup 0 --repetitions 1\n"
                "empty --label A\nempty --label B\n")
    p = subprocess.Popen([FB, "suite", suite, "--out", tmp, "--interleave", "1000", "--quiet"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    if p.returncode != 130:
        fail(f"status {p.returncode} after SIGINT, want 130: {err}")
    with open(out.strip()) as f:
        doc = json.load(f)
    rounds = {label: sorted(e["faultbench"]["round"] for e in doc["benchmarks"]
                            if e["run_type"] == "iteration" and e.get("label") == label)
              for label in "AB"}
    if rounds["A"] != rounds["B"] or rounds["A"] != list(range(len(rounds["A"]))):
        fail(f"a round cut short was kept, or one was lost: {rounds}")
    if not doc["interrupted"] or not any("that round is left out" in w
                                         for w in doc["warnings"]):
        fail(f"not marked interrupted, or no warning: {doc['warnings']}")


def test_bad_args(tmp):
    f = write(tmp, "a.json", [bench("s", {}, 1, 100)])
    for args in ([], [f, f, f], [f, f, "--format", "xml"], [f, f, "--alpha", "1"],
                 [f, f, "--alpha", "x"], [f, f, "--threshold", "-1"], [f, f, "--pair", "a"],
                 [f, f, "--base-filter", "a"], [f, f, "--bogus"], [f, f, "--format"]):
        compare(args, 2)
    if "usage: faultbench compare" not in compare(["--help"]).stdout:
        fail("no help")


if __name__ == "__main__":
    main(globals(), TEST)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""faultbench plot, driven as a user would: real small results drawn into
PNG and SVG figures whose text names the axes and the commit, a directory
argument, no overwriting, benchmarks that failed verify left out, and bad
input that leaves nothing behind.  Usage: plot_test.py FAULTBENCH TEST"""

import copy
import glob
import json
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runner"))
from harness import fail, main, run_fb  # noqa: E402

FB, TEST = sys.argv[1], sys.argv[2]
PLOTS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "plots")
QUICK = ["--duration", "0.05", "--warmup", "0", "--repetitions", "2", "--quiet"]
# same-addr's figures: an iteration of it is a round.
FIGURES = ("ns_per_round", "ratio_to_floor", "scaling_per_round", "race_per_round")
AXES = {
    "ns_per_op": ("time per op (ns", "configuration ("),
    "ns_per_round": ("time per round (ns", "configuration ("),
    "ratio_to_floor": ("time / floor time (ratio", "configuration ("),
    "race_per_round": ("events per round", "threads"),
    "scaling_per_op": ("ops per second", "threads"),
    "scaling_per_round": ("rounds per second", "threads"),
    "calibration_ns_per_round": ("time per round (ns", "pattern (runs labelled PATTERN:ROLE)"),
    "calibration_race_per_round": ("races per round", "pattern (runs labelled PATTERN:ROLE), two"),
}
# What plots/layout.c fits the tick labels to: the plot's width in characters
# of the tick font, and the rows a figure holds at most.
TICK_CHARS, MAX_ROWS = 130, 8
# Drawn only for runs labelled GROUP:ROLE; and only with --latency, or with a
# pgoff parameter: every other result notes them.
CALIBRATION = ("calibration_ns", "calibration_race")
SPECIAL = CALIBRATION + ("latency", "pgoff")


def other_notes(notes):
    return [n for n in notes.splitlines() if not any(c in n for c in SPECIAL)]


def run(args, env=None):
    return run_fb(FB, args, 30, env)


def result(tmp, name, args):
    out = os.path.join(tmp, name)
    r = run(["run"] + args + ["--out", out] + QUICK)
    if r.returncode:
        fail(f"run {args}: status {r.returncode}: {r.stderr}")
    return out


def edited(path, out, edit):
    """A copy of the result at path, written to out, with edit applied to each entry."""
    with open(path) as f:
        doc = json.load(f)
    for b in doc["benchmarks"]:
        edit(b)
    with open(out, "w") as f:
        json.dump(doc, f)
    return out


def tree(root):
    """Every path under root, so that a stray file or directory shows."""
    found = set()
    for d, dirs, files in os.walk(root):
        found.update(os.path.join(d, n) for n in dirs + files)
    return found


def plot(args, env=None):
    r = run(["plot"] + args, env)
    if r.returncode:
        fail(f"plot {args}: status {r.returncode}: {r.stderr}")
    out = r.stdout.strip()
    if len(r.stdout.splitlines()) != 1 or not os.path.isdir(out):
        fail(f"plot {args}: stdout is not one directory: {r.stdout!r}")
    return out, r.stderr


def commit_of(path):
    with open(path) as f:
        git = json.load(f)["context"]["faultbench"]["git"]
    return git["commit"][:12] + ("+dirty" if git["dirty"] else "")


def check_figure(d, name, commit):
    with open(os.path.join(d, name + ".png"), "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            fail(f"{name}.png is not a PNG")
    with open(os.path.join(d, name + ".svg")) as f:
        svg = f.read()
    if "<svg" not in svg:
        fail(f"{name}.svg is not an SVG")
    for text in AXES[re.sub(r"-\d+$", "", name)] + (commit, "host "):
        if text not in svg:
            fail(f"{name}.svg lacks {text!r}")
    with open(os.path.join(d, name + ".dat")) as f:
        header = f.readline().split()
        rows = [line.split() for line in f if line.strip()]
    if header[:5] != ["#", "row", "label", "unit", "tick"] or (len(header) - 5) % 3:
        fail(f"{name}.dat header {header}")
    if not rows or any(len(row) != len(header) - 1 for row in rows):
        fail(f"{name}.dat rows do not match its header: {rows}")
    return header, rows


def median_of(path, run_name):
    with open(path) as f:
        doc = json.load(f)
    for b in doc["benchmarks"]:
        if b["name"] == run_name + "_median":
            return b["real_time"]
    fail(f"no median of {run_name} in {path}")


def check_ns_data(d, path):
    """The figure's numbers are the result's: the median of 2 threads."""
    header, rows = check_figure(d, "ns_per_round", commit_of(path))
    col = header.index("threads2_median") - 1
    row = [r for r in rows if r[1] == "same-addr"][0]
    want = median_of(path, "same-addr/threads:2")
    if abs(float(row[col]) - want) > 1e-4 * want:
        fail(f"ns_per_op.dat: same-addr 2 threads {row[col]}, result says {want}")


def test_render(tmp):
    res = os.path.join(tmp, "res")
    os.mkdir(res)
    empty = result(res, "empty.json", ["empty"])
    same = result(res, "same.json", ["same-addr", "--threads", "1,2"])
    d, notes = plot([same])
    if sorted(os.listdir(d)) != sorted(n + e for n in FIGURES for e in (".dat", ".png", ".svg")):
        fail(f"same-addr drew {sorted(os.listdir(d))}")
    if d != os.path.join(res, "plots"):
        fail(f"plots went to {d}, not beside the result")
    for name in FIGURES:
        check_figure(d, name, commit_of(same))
    check_ns_data(d, same)
    if other_notes(notes) or len(notes.splitlines()) != len(SPECIAL):
        fail(f"notes for a result with every figure but calibration's: {notes!r}")
    # The same again: a new directory, the first one left as it was.
    before = {p: os.path.getmtime(p) for p in tree(d)}
    d2, _ = plot([same])
    if d2 != os.path.join(res, "plots-1") or before != {p: os.path.getmtime(p) for p in tree(d)}:
        fail(f"second plot went to {d2} or touched {d}")
    # A directory: its newest result (same.json was written last).
    out = os.path.join(tmp, "out")
    os.mkdir(out)
    d3, _ = plot([res, "--out", out])
    if d3 != os.path.join(out, "plots") or not os.path.exists(
            os.path.join(d3, "race_per_round.svg")):
        fail(f"plot of a directory drew {d3} {sorted(os.listdir(d3))}")
    # No floor and no headline: one figure, a note for each skipped one.
    d4, notes = plot([empty, "--out", out])
    if sorted(os.listdir(d4)) != ["ns_per_op.dat", "ns_per_op.png", "ns_per_op.svg"]:
        fail(f"empty drew {sorted(os.listdir(d4))}")
    # One thread: no scaling curve.
    if len(other_notes(notes)) != 3 or any(f"no {n} figure" not in notes
                                           for n in ("ratio_to_floor", "race", "scaling")):
        fail(f"skipped figures not noted one line each: {notes!r}")
    if [p for p in tree(tmp) if ".plots.tmp" in p]:
        fail("a temporary directory was left")


def renamed(entries, old, new, family):
    """Copies of a configuration's entries under another configuration's name."""
    out = []
    for b in entries:
        c = copy.deepcopy(b)
        for key in ("name", "run_name"):
            c[key] = c[key].replace(old, new, 1)
        c["family_index"] = family
        out.append(c)
    return out


def many_configurations(tmp):
    """A result of 14 same-addr configurations (one run's entries under 14 names, some
    with long values) beside the empty scenario's, and warnings of every kind."""
    same = result(tmp, "same.json", ["same-addr", "--threads", "2"])
    empty = result(tmp, "empty.json", ["empty"])
    with open(same) as f:
        doc = json.load(f)
    with open(empty) as f:
        others = json.load(f)["benchmarks"]
    entries, doc["benchmarks"] = doc["benchmarks"], []
    for k in range(14):
        params = (f"recheck:precheck/arch:ppc64-hash-and-a-long-value-{k}" if k % 2
                  else f"handler_ns:{k}00")
        doc["benchmarks"] += renamed(entries, "same-addr/", f"same-addr/{params}/", k)
    doc["benchmarks"] += renamed(others, "empty/", "empty/", 14)
    first = doc["benchmarks"][0]["run_name"]
    doc["warnings"] = ["this is a virtual machine: steal time and no PMU make numbers noisier",
                       f"{first}: unstable, cv 11.2% > 5% over 2 repetitions"]
    doc["interrupted"] = True
    return write(os.path.join(tmp, "many.json"), json.dumps(doc)), doc


def test_layout(tmp):
    """14 configurations: pages of at most MAX_ROWS rows, every tick line within its
    slot, each configuration on one page, op and round never on one axis, and the
    warnings in a footnote."""
    path, doc = many_configurations(tmp)
    d, _ = plot([path])
    seen = {}
    for dat in glob.glob(os.path.join(d, "*.dat")):
        name = os.path.basename(dat)[:-4]
        header, rows = check_figure(d, name, commit_of(path))
        lines = {re.sub(r"^.*@|_(median|min|max)$", "", h) for h in header[5:]}
        if name.startswith(("scaling_", "race_")):  # a line per configuration, threads along x
            if len(lines) > MAX_ROWS:
                fail(f"{name}.dat: {len(lines)} lines, more than {MAX_ROWS}")
            continue
        if len(rows) > MAX_ROWS:
            fail(f"{name}.dat: {len(rows)} rows, more than {MAX_ROWS}")
        slot = TICK_CHARS // len(rows) - 1
        for r in rows:
            if any(len(line) > slot for line in r[3].split("|")):
                fail(f"{name}.dat: tick {r[3]!r} wider than its slot of {slot} characters")
        units = {r[2] for r in rows}
        m = re.match(r"(ns|race)_per_(\w+?)(-\d+)?$", name)
        if not m and not re.match(r"ratio_to_floor(-\d+)?$", name):
            fail(f"unexpected figure {name}")
        if m and units != {m.group(2)}:
            fail(f"{name}.dat holds units {units}")
        kind = m.group(1) if m else "ratio"
        for r in rows:
            seen.setdefault(kind, []).append(r[1])
        with open(os.path.join(d, name + ".svg")) as f:
            svg = f.read()
        if "Warnings: interrupted run; this is a virtual machine; unstable: 1 benchmark" not in svg:
            fail(f"{name}.svg has no footnote of the warnings")
    configs = sorted({b["run_name"].rsplit("/threads:", 1)[0] for b in doc["benchmarks"]})
    if sorted(seen.get("ns", [])) != configs:
        fail(f"ns figures hold {sorted(seen.get('ns', []))}, want each of {configs} once")
    if not os.path.exists(os.path.join(d, "ns_per_round-2.dat")):
        fail("14 configurations fit one figure")


def dat_rows(d, name):
    with open(os.path.join(d, name + ".dat")) as f:
        return [line.split() for line in f if not line.startswith("#")]


def test_verify_failed(tmp):
    """A benchmark whose verify step failed is in no figure; the others still are."""
    same = result(tmp, "same.json", ["same-addr", "--threads", "1,2"])

    def fail_two_threads(b):
        if b["threads"] == 2:
            b["faultbench"].update(verify_failed=True, verify_error="same-addr: broken")
    bad = edited(same, os.path.join(tmp, "bad.json"), fail_two_threads)
    d, notes = plot([bad])
    header = open(os.path.join(d, "ns_per_round.dat")).readline().split()
    if any(h.startswith("threads2") for h in header) or len(dat_rows(d, "ns_per_round")) != 1:
        fail(f"a failed verify was drawn: {header} {dat_rows(d, 'ns_per_round')}")
    if os.path.exists(os.path.join(d, "race_per_round.dat")) or "race" not in notes:
        fail(f"the only racing benchmark failed verify, yet race was drawn ({notes!r})")


def test_calibration(tmp):
    """Runs labelled PATTERN:ROLE side by side: the kernel's time and races beside the
    model's, each the result's own figure (the races: the headline counters that the
    same run never counts on one thread, per iteration)."""
    suite = write(os.path.join(tmp, "c.suite"),
                  "defaults --threads 1,2 --rounds 300 --warmup 0 --repetitions 2\n"
                  "kernel-same-addr --label sa:kernel\n"
                  "same-addr handler=anon --label sa:model\n")
    out = os.path.join(tmp, "out")
    os.mkdir(out)
    r = run(["suite", suite, "--out", out])
    if r.returncode:
        fail(f"suite: status {r.returncode}: {r.stderr}")
    path = os.path.join(out, "c.json")
    # The table ends with each group's roles beside its first, per thread count.
    k, m = (median_of(path, n + "/threads:2") for n in ("kernel-same-addr",
                                                        "same-addr/handler:anon"))
    line = [x for x in r.stdout.splitlines() if x.startswith("  sa (ns per round), 2 threads:")]
    got = re.findall(r"kernel (\S+); model (\S+) \((\S+)x\)$", line[0]) if line else None
    if not got or abs(float(got[0][2]) - k / m) > 0.01 * k / m:
        fail(f"suite's calibration lines {line}: want kernel {k}, model {m}, {k / m:.3g}x")
    d, notes = plot([path])
    if any(c in notes for c in CALIBRATION):
        fail(f"labelled runs, yet a calibration figure was left out: {notes!r}")
    header, rows = check_figure(d, "calibration_ns_per_round", commit_of(path))
    if [r[1] for r in rows] != ["sa"] or header[5::3] != [
            "kernel/1_median", "kernel/2_median", "model/1_median", "model/2_median"]:
        fail(f"calibration_ns.dat: {header} {rows}")
    want = median_of(path, "kernel-same-addr/threads:2")
    if abs(float(rows[0][header.index("kernel/2_median") - 1]) - want) > 1e-4 * want:
        fail(f"calibration_ns.dat: kernel 2 threads {rows[0]}, result says {want}")
    header, rows = check_figure(d, "calibration_race_per_round", commit_of(path))
    if header[5::3] != ["kernel/2_median", "model/2_median"]:
        fail(f"calibration_race.dat: {header}")
    with open(path) as f:
        doc = json.load(f)
    for role, counter, scenario in (("kernel", "kernel.race_lost", "kernel-same-addr"),
                                    ("model", "recheck_lost", "same-addr/handler:anon")):
        reps = sorted(b[counter] / b["iterations"] for b in doc["benchmarks"]
                      if b["run_type"] == "iteration" and b["threads"] == 2 and
                      b["run_name"].startswith(scenario + "/threads"))
        got = float(rows[0][header.index(role + "/2_median") - 1])
        if len(reps) != 2 or abs(got - (reps[0] + reps[1]) / 2) > 1e-4:
            fail(f"calibration_race.dat: {role} {got}, its repetitions {reps}")


def expect_bad(args, tmp, what, env=None, status=2):
    before = tree(tmp)
    r = run(["plot"] + args, env)
    lines = r.stderr.splitlines()
    if r.returncode != status:
        fail(f"{what}: status {r.returncode}, want {status} ({r.stderr.strip()})")
    if len(lines) != 1 or not lines[0].startswith("faultbench: "):
        fail(f"{what}: want one line on stderr, got {r.stderr!r}")
    if r.stdout:
        fail(f"{what}: printed {r.stdout!r}")
    if tree(tmp) != before:
        fail(f"{what}: wrote {tree(tmp) - before}")
    return lines[0]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def schema_cases(tmp, good):
    with open(good) as f:
        doc = json.load(f)
    v2 = json.loads(json.dumps(doc))
    v2["context"]["json_schema_version"] = 2
    nameless = json.loads(json.dumps(doc))
    del nameless["benchmarks"][0]["run_name"]
    none = json.loads(json.dumps(doc))
    none["benchmarks"] = []
    docs = {"json array": [], "no context": {"benchmarks": []}, "schema 2": v2,
            "entry without run_name": nameless, "no repetition": none}
    return {what: [write(os.path.join(tmp, f"bad{i}.json"), json.dumps(d))]
            for i, (what, d) in enumerate(docs.items())}


def broken_scripts(tmp):
    """plots/ with a figure that gnuplot cannot draw, after one it can."""
    d = os.path.join(tmp, "scripts")
    shutil.copytree(PLOTS_DIR, d)
    write(os.path.join(d, "ratio_to_floor.gp"), "plot no_such_variable\n")
    return d


def test_bad_input(tmp):
    good = result(tmp, "good.json", ["same-addr", "--threads", "2"])
    nojson = os.path.join(tmp, "nojson")
    os.mkdir(nojson)
    cases = {
        "no argument": [],
        "unknown option": [good, "--colour"],
        "missing file": [os.path.join(tmp, "none.json")],
        "not JSON": [write(os.path.join(tmp, "text.json"), "results: fast\n")],
        "empty file": [write(os.path.join(tmp, "empty.json"), "")],
        "directory without results": [nojson],
        "missing out dir": [good, "--out", os.path.join(tmp, "nodir")],
        "out dir is a file": [good, "--out", good],
        "missing scripts": [good, "--scripts", nojson],
    }
    cases.update(schema_cases(tmp, good))
    for what, args in cases.items():
        expect_bad(args, tmp, what)
    expect_bad([good], tmp, "no gnuplot", {"PATH": os.path.join(tmp, "nobin")})
    expect_bad([good], tmp, "bad FAULTBENCH_PLOTS_DIR", {"FAULTBENCH_PLOTS_DIR": nojson})
    if os.geteuid() != 0:  # root reads and writes regardless of modes
        os.chmod(write(os.path.join(tmp, "secret.json"), "{}"), 0)
        expect_bad([os.path.join(tmp, "secret.json")], tmp, "unreadable file")
        os.chmod(nojson, 0o555)
        expect_bad([good, "--out", nojson], tmp, "unwritable out dir")
    # gnuplot failing on the second figure: an error, and not the first alone.
    expect_bad([good, "--scripts", broken_scripts(tmp)], tmp, "gnuplot error", status=1)


def png_size(path):
    """The width and height in a PNG's IHDR, after checking its signature."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        fail(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def check_svg(path, texts):
    root = ET.parse(path).getroot()
    if not root.tag.endswith("svg"):
        fail(f"{path}: root element {root.tag}")
    with open(path) as f:
        svg = f.read()
    for text in texts:
        if text not in svg:
            fail(f"{path} lacks {text!r}")


def kind_results(tmp):
    """Small real results for every kind: two configurations of same-addr at 1 and 2
    threads, one with latency, and special-mapping at two pgoffs per source."""
    run_args = {
        "base": ["same-addr", "--threads", "1,2"],
        "again": ["same-addr", "--threads", "1,2"],
        "none": ["same-addr", "recheck=none", "--threads", "1,2"],
        "lat": ["same-addr", "--threads", "1", "--latency"],
        "p0": ["special-mapping", "pgoff=0"],
        "p9": ["special-mapping", "pgoff=9"],
        "f0": ["special-mapping", "source=fault", "pgoff=0"],
        "f9": ["special-mapping", "source=fault", "pgoff=9"],
    }
    return {k: result(tmp, k + ".json", a) for k, a in run_args.items()}


KINDS = {
    # kind: (results, text its SVG must hold)
    "scaling": (("base", "none"), ("rounds per second", "threads", "recheck:none")),
    "race": (("base", "none"), ("set_pte_replace", "recheck_lost", "events per round")),
    "latency": (("lat",), ("latency of one round (ns, log scale)", "p99.9")),
    "compare": (("base", "again"), ("95% interval", "base ", "contender ")),
    "pgoff": (("p0", "p9", "f0", "f9"), ("pgoff (pages into the mapping)", "source:fault")),
}


def test_kinds(tmp):
    """--kind KIND --out FILE: one figure, 1000x600, in the format of FILE's extension;
    the commit in its title; the path printed and nothing else left behind."""
    res = kind_results(tmp)
    out = os.path.join(tmp, "out")
    os.mkdir(out)
    for kind, (names, texts) in KINDS.items():
        for ext in ("png", "svg"):
            path = os.path.join(out, f"{kind}.{ext}")
            r = run(["plot"] + [res[n] for n in names] + ["--kind", kind, "--out", path])
            if r.returncode or r.stdout.split() != [path]:
                fail(f"--kind {kind} {ext}: status {r.returncode}: {r.stdout!r} {r.stderr!r}")
            if ext == "png" and png_size(path) != (1000, 600):
                fail(f"{path} is {png_size(path)}, not 1000x600")
            if ext == "svg":
                check_svg(path, texts + (commit_of(res[names[0]]), "host "))
    want = sorted(f"{k}.{e}" for k in KINDS for e in ("png", "svg"))
    if sorted(os.listdir(out)) != want:
        fail(f"--kind left {sorted(os.listdir(out))}")


def test_kind_bad_input(tmp):
    """Nothing to draw, an unknown kind, a bad extension, a file in the way, gnuplot
    missing: one line, status 2, nothing written; the first three before any reading."""
    same = result(tmp, "same.json", ["same-addr", "--threads", "2"])
    out = os.path.join(tmp, "fig.png")
    missing = os.path.join(tmp, "none.json")
    expect_bad([same, "--kind", "latency", "--out", out], tmp, "no latency data")
    expect_bad([same, "--kind", "pgoff", "--out", out], tmp, "no pgoff parameter")
    expect_bad([missing, "--kind", "speed", "--out", out], tmp, "unknown kind")
    expect_bad([missing, "--kind", "scaling", "--out", os.path.join(tmp, "f.jpg")], tmp,
               "bad extension")
    expect_bad([missing, "--kind", "scaling"], tmp, "no --out")
    expect_bad([same, "--kind", "compare", "--out", out], tmp, "compare of one result")
    expect_bad([same, same, "--out", tmp], tmp, "two results without --kind")
    write(out, "taken")
    expect_bad([same, "--kind", "scaling", "--out", out], tmp, "a file in the way")
    os.unlink(out)
    line = expect_bad([same, "--kind", "scaling", "--out", out], tmp, "no gnuplot",
                      {"PATH": os.path.join(tmp, "nobin")})
    if "gnuplot-nox" not in line:
        fail(f"no gnuplot, and the package goes unnamed: {line!r}")


def test_help(tmp):
    r = run(["plot", "--help"])
    if r.returncode or "usage: faultbench plot" not in r.stdout or r.stderr:
        fail(f"plot --help: status {r.returncode}: {r.stdout!r}")
    r = run(["--help"])
    if "plot" not in r.stdout:
        fail("faultbench --help does not list plot")


if __name__ == "__main__":
    main(globals(), TEST)

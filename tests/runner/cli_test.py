#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The faultbench command, driven as a user would: bad input, result files
checked against results/SCHEMA.md, compare.py-style reading, CSV, suites and
signals.  Usage: cli_test.py FAULTBENCH SCHEMA.md TEST"""

import csv
import fcntl
import io
import json
import os
import pty
import re
import resource
import shutil
import signal
import subprocess
import struct
import sys
import termios

from harness import fail, main, run_fb
import time

FB, SCHEMA, TEST = sys.argv[1], sys.argv[2], sys.argv[3]
STATS_H = os.path.join(os.path.dirname(os.path.dirname(SCHEMA)),
                       "core", "include", "faultcore", "stats.h")
QUICK = ["--warmup", "0", "--repetitions", "2"]


def run(args, **kw):
    return run_fb(FB, args, 50, **kw)


def strict_load(path):
    def no_constant(name):
        fail(f"{path}: bare {name} in JSON")
    with open(path) as f:
        return json.load(f, parse_constant=no_constant)


# --- the schema, read from SCHEMA.md's tables ---------------------------------

def schema_rows():
    rows = {}
    row = re.compile(r"^\| `([^`]+)` \| ([a-z|\\]+) \| (yes|no|iteration|aggregate) \|")
    with open(SCHEMA) as f:
        for line in f:
            m = row.match(line)
            if m:
                rows[m.group(1)] = (m.group(2).replace("\\", "").split("|"), m.group(3))
    if len(rows) < 50:
        fail(f"only {len(rows)} schema rows parsed from {SCHEMA}")
    return rows


def counter_names():
    with open(STATS_H) as f:
        return set(re.findall(r'X\(\w+, "([^"]+)"\)', f.read()))


def type_ok(value, types):
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "null": lambda v: v is None,
    }
    return any(checks[t](value) for t in types)


class Checker:
    def __init__(self, doc):
        self.rows = schema_rows()
        self.counters = counter_names()
        self.events = set(doc["context"]["faultbench"]["events"]["requested"])

    def row_for(self, parent, key):
        for cand in (f"{parent}.{key}" if parent else key, f"{parent}.*"):
            if cand in self.rows:
                return cand
        if parent == "benchmarks[]":
            if key in self.counters:
                return "benchmarks[].<counter>"
            if key.endswith("_per_iteration") and key[:-14] in self.counters:
                return "benchmarks[].<counter>_per_iteration"
            if key in self.events:
                return "benchmarks[].<event>"
            if key.endswith("_per_iteration") and key[:-14] in self.events:
                return "benchmarks[].<event>_per_iteration"
        return None

    def check(self, value, path, run_type=None):
        types, _ = self.rows[path]
        if not type_ok(value, types):
            fail(f"{path}: {value!r} is not {'|'.join(types)}")
        if isinstance(value, dict):
            if path == "benchmarks[]":
                run_type = value.get("run_type")
            for key, v in value.items():
                child = self.row_for(path, key)
                if not child:
                    fail(f"{path}.{key}: not documented in SCHEMA.md")
                self.check(v, child, run_type)
            self.required(value, path, run_type)
        elif isinstance(value, list):
            for v in value:
                self.check(v, path + "[]", run_type)

    def required(self, obj, path, run_type):
        for p, (_, req) in self.rows.items():
            head, _, key = p.rpartition(".")
            if head != path or "<" in key or key == "*":
                continue
            if req == "yes" or req == run_type:
                if key not in obj:
                    fail(f"{path}: required field {key} missing")
        if path == "benchmarks[]" and run_type == "iteration":
            for c in self.counters:
                if c not in obj:
                    fail(f"{obj['name']}: counter {c} missing")


def check_schema(path):
    doc = strict_load(path)
    if not isinstance(doc, dict):
        fail("the document is not an object")
    c = Checker(doc)
    for key, v in doc.items():
        row = c.row_for("", key)
        if not row:
            fail(f"{key}: not documented in SCHEMA.md")
        c.check(v, row)
    c.required(doc, "", None)
    check_semantics(doc)
    return doc


def check_semantics(doc):
    for b in doc["benchmarks"]:
        if b["run_type"] not in ("iteration", "aggregate"):
            fail(f"{b['name']}: run_type {b['run_type']}")
        if b["time_unit"] != "ns":
            fail(f"{b['name']}: time_unit {b['time_unit']}")
        if b["run_type"] == "aggregate":
            if b["aggregate_name"] not in ("mean", "median", "stddev", "cv", "min", "max"):
                fail(f"{b['name']}: aggregate_name {b['aggregate_name']}")
            if b["name"] != b["run_name"] + "_" + b["aggregate_name"]:
                fail(f"{b['name']}: name does not follow run_name_aggregate")
        elif b["name"] != b["run_name"]:
            fail(f"{b['name']}: iteration name differs from run_name")


# --- google/benchmark compare.py's way of reading a file ----------------------

def compare_read(path):
    """What tools/gbench/report.py touches: benchmarks, name, run_type,
    aggregate_name, real_time, cpu_time, time_unit, iterations, repetitions."""
    with open(path) as f:
        doc = json.load(f)
    units = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}
    out = {}
    benchmarks = sorted(doc["benchmarks"], key=lambda b: (b.get("family_index", -1),
                                                         b.get("per_family_instance_index", -1)))
    for b in benchmarks:
        if b.get("run_type") == "aggregate" and "aggregate_name" not in b:
            fail(f"{b['name']}: aggregate without aggregate_name")
        t = float(b["real_time"]) * units[b["time_unit"]]
        c = float(b["cpu_time"]) * units[b["time_unit"]]
        int(b["iterations"])
        int(b.get("repetitions", 1))
        out.setdefault(b["name"], []).append((t, c))
    return out


# --- the tests ----------------------------------------------------------------

def expect_bad(args, tmp, what, says=("valid", "exist", "usage")):
    """One line naming what is wrong (one of says), exit 2, nothing written."""
    before = set(os.listdir(tmp))
    r = run(args)
    lines = r.stderr.splitlines()
    if r.returncode != 2:
        fail(f"{what}: status {r.returncode}, want 2 ({r.stderr.strip()})")
    if len(lines) != 1 or not lines[0].startswith("faultbench: "):
        fail(f"{what}: want one line on stderr, got {r.stderr!r}")
    if not any(s in lines[0] for s in says):
        fail(f"{what}: message says none of {says}: {lines[0]}")
    if r.stdout:
        fail(f"{what}: printed {r.stdout!r}")
    if set(os.listdir(tmp)) != before:
        fail(f"{what}: wrote {set(os.listdir(tmp)) - before}")


def test_bad_input(tmp):
    out = os.path.join(tmp, "r.json")
    o = ["--out", out]
    existing = os.path.join(tmp, "existing.json")
    with open(existing, "w") as f:
        f.write("keep\n")
    suite = os.path.join(tmp, "bad.suite")
    with open(suite, "w") as f:
        f.write("empty --duration 0.01\nsame-addr recheck=sometimes\n")
    defaults_suite = os.path.join(tmp, "defaults.suite")
    with open(defaults_suite, "w") as f:
        f.write("defaults same-addr --duration 0.01\nempty\n")
    quick = "--duration 0.01 --warmup 0 --repetitions 1"

    def suite_of(name, text):
        path = os.path.join(tmp, name + ".suite")
        with open(path, "w") as f:
            f.write(text)
        return ["suite", path, "--out", tmp]
    # Nothing a suite holds is dropped: every line, every word, each line whole.
    suites = {
        "suite line 300 is read": suite_of(
            "lines", "defaults --warmup 0\n" * 299 + f"empty {quick} --colour\n"),
        "suite word 100 is read": suite_of(
            "words", f"empty {quick}" + " --lat" * 98 + " --colour\n"),  # under 1024 bytes
        "suite line past 1024 bytes is read": suite_of(
            "long", f"empty {quick}" + " " * 1100 + "--colour\n"),
        "suite comment past 1024 bytes runs nothing": suite_of(
            "comment", "#" + "x" * 1100 + f" empty {quick}\n"),
        "suite line with an unknown event": suite_of(
            "event", f"empty {quick} --events no-such-event\n"),
        "suite line with an event of its own": suite_of(
            "own_event", f"empty {quick} --events task-clock\n"),
        "suite defaults with an unknown event": suite_of(
            "defaults_event", f"defaults --events no-such-event\nempty {quick}\n"),
        "suite line --help": suite_of("help", f"empty {quick}\n--help\n"),
        "suite line -h": suite_of("h", "-h\n"),
        "suite line with --out": suite_of("out", f"empty {quick} --out {tmp}/x.json\n"),
        "suite line with --quiet": suite_of("quiet", f"empty {quick} --quiet\n"),
        "suite line with --format": suite_of("format", f"empty {quick} --format json\n"),
        "suite line with a NUL byte": suite_of("nul", f"empty {quick}\0 --colour\n"),
    }
    says = {
        "suite line 300 is read": ("lines.suite:300:",),
        "suite word 100 is read": ("words.suite:1: unknown option '--colour'",),
        "suite line past 1024 bytes is read": ("long.suite:1: unknown option '--colour'",),
        "suite line with an unknown event": ("event.suite:1: unknown event 'no-such-event'",),
        "suite defaults with an unknown event": ("defaults_event.suite:1: unknown event",),
        "suite comment past 1024 bytes runs nothing": ("has no runs",),
        "suite line --help": ("help.suite:2:",),
        "suite line with a NUL byte": ("nul.suite:1:",),
    }
    cases = {
        "unknown command": ["frobnicate"],
        "no command": [],
        "unknown scenario": ["run", "no-such-scenario"] + o,
        "no scenario": ["run"] + o,
        "unknown parameter": ["run", "same-addr", "colour=blue"] + o,
        "malformed parameter": ["run", "same-addr", "recheck"] + o,
        "bad choice": ["run", "same-addr", "recheck=sometimes"] + o,
        "bad granularity": ["run", "same-addr", "granularity=global"] + o,
        "bad lock": ["run", "same-addr", "lock=rwsem"] + o,
        "old name ptl": ["run", "same-addr", "ptl=queued"] + o,
        "knob not taken": ["run", "lock-floor", "recheck=none"] + o,
        "unknown plant": ["run", "same-addr", "--plant", "no-such-fault"] + o,
        "arch out of range": ["run", "same-addr", "arch=delay:99999999"] + o,
        "bad arch": ["run", "same-addr", "arch=sparc"] + o,
        "nopfn under modern": ["run", "same-addr", "dispatch=modern"] + o,
        # the third thread count's slices do not fit one PTE table: before the first runs
        "same-table overflow": ["run", "same-table", "pages=200", "--threads", "1,2,3"] + o,
        "threads zero": ["run", "empty", "--threads", "0"] + o,
        "threads malformed": ["run", "empty", "--threads", "1-"] + o,
        "threads letters": ["run", "empty", "--threads", "many"] + o,
        "threads too many": ["run", "empty", "--threads", "100000"] + o,
        "duration negative": ["run", "empty", "--duration", "-1"] + o,
        "duration text": ["run", "empty", "--duration", "long"] + o,
        "repetitions zero": ["run", "empty", "--repetitions", "0"] + o,
        "rounds on duration": ["run", "empty", "--rounds", "10"] + o,
        "bad pin": ["run", "empty", "--pin", "sockets"] + o,
        "bad format": ["run", "empty", "--format", "xml"] + o,
        "unknown option": ["run", "empty", "--colour"] + o,
        "missing value": ["run", "empty", "--threads"],
        "unknown event": ["run", "empty", "--events", "no-such-event"] + o,
        "empty event": ["run", "empty", "--events", "task-clock,"] + o,
        "repeated event": ["run", "empty", "--events", "task-clock,page-faults,task-clock"] + o,
        "event under two names": ["run", "empty", "--events", "cycles,cpu-cycles"] + o,
        "missing dir": ["run", "empty", "--out", os.path.join(tmp, "nodir", "r.json")],
        "parent is a file": ["run", "empty", "--out", os.path.join(existing, "r.json")],
        "existing file": ["run", "empty", "--out", existing],
        "suite bad line": ["suite", suite, "--out", tmp],
        "suite defaults with a scenario": ["suite", defaults_suite, "--out", tmp],
        "label too long": ["run", "empty", "--label", "x" * 64] + o,
        "suite missing": ["suite", os.path.join(tmp, "none.suite")],
        "suite bad dir": ["suite", suite, "--out", os.path.join(tmp, "nodir")],
        "list bad flag": ["list", "--yaml"],
        "unknown letters": ["run", "empty", "-xyz"] + o,
        "help for no command": ["help", "frobnicate"],
        "help for two": ["help", "run", "suite"],
        "seed with a blank": ["run", "empty", "--seed", " -1"] + o,
        "seed negative": ["run", "empty", "--seed", "-1"] + o,
        "seed past int64": ["run", "empty", "--seed", "9223372036854775808"] + o,
        "seed past uint64": ["run", "empty", "--seed", "18446744073709551616"] + o,
        "repetitions hex": ["run", "empty", "--repetitions", "0x10"] + o,
        "repetitions plus": ["run", "empty", "--repetitions", "+3"] + o,
        "duration hex": ["run", "empty", "--duration", "0x1p1"] + o,
        "duration inf": ["run", "empty", "--duration", "inf"] + o,
        "warmup nan": ["run", "empty", "--warmup", "nan"] + o,
        "duration blank": ["run", "empty", "--duration", " 1"] + o,
        "parameter hex": ["run", "same-addr", "handler_ns=0x10"] + o,
        "parameter blank": ["run", "same-addr", "handler_ns= 5"] + o,
        "parameter plus": ["run", "same-addr", "handler_ns=+5"] + o,
        "parameter trailing": ["run", "same-addr", "handler_ns=5ns"] + o,
        "parameter twice": ["run", "same-addr", "recheck=none", "recheck=none"] + o,
        "parameter twice, other value": ["run", "same-addr", "recheck=none",
                                         "recheck=recheck"] + o,
        "arguments after --": ["run", "empty", "--", "same-addr"] + o,
        "compare alpha hex": ["compare", existing, "--alpha", "0x0.1p0"],
    }
    cases.update(suites)
    for what, args in cases.items():
        expect_bad(args, tmp, what, says.get(what, ("valid", "exist", "usage")))
    print(f"{len(cases)} bad-input cases")
    with open(existing) as f:
        if f.read() != "keep\n":
            fail("an existing result file was modified")
    r = run(["suite", suite, "--out", tmp])
    if ":2:" not in r.stderr:
        fail(f"suite error does not name the line: {r.stderr!r}")


def test_numbers(tmp):
    """Decimal everywhere: a leading 0 is not octal, and the result records what was read."""
    out = os.path.join(tmp, "r.json")
    r = run(["run", "zap-refault", "pages=010", "handler_ns=010", "--repetitions", "010",
             "--duration", "0.01", "--warmup", "0", "--seed", "9223372036854775807", "--out",
             out, "--quiet"])
    if r.returncode:
        fail(f"decimal with a leading 0 refused: {r.stderr!r}")
    with open(out) as f:
        doc = json.load(f)
    iters = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
    if iters[0]["faultbench"]["params"]["pages"] != "10" or len(iters) != 10:
        fail(f"010 was not read as 10: {iters[0]['faultbench']['params']}, {len(iters)} reps")
    if doc["context"]["faultbench"]["seed"] != 9223372036854775807:
        fail(f"seed recorded as {doc['context']['faultbench']['seed']}")


def test_out_paths(tmp):
    """Every --out that cannot hold a result is refused before the run (a run of
    30 s would time the test out), in one line, with nothing written."""
    os.symlink(os.path.join(tmp, "nowhere", "r.json"), os.path.join(tmp, "dangling.json"))
    with open(os.path.join(tmp, "taken.csv"), "w") as f:
        f.write("keep\n")
    slow = ["run", "empty", "--duration", "30", "--out"]
    cases = {
        "empty name": ([""], "names no file"),
        "a directory": ([tmp + "/"], "names no file"),
        "dangling symlink": ([os.path.join(tmp, "dangling.json")], "exists"),
        "under /proc": (["/proc/self/r.json"], "cannot write"),
        "name too long with its suffix": ([os.path.join(tmp, "n" * 248 + ".json")],
                                          "cannot write"),
        "path too long to hold": ([os.path.join(tmp, "d/" * 2100 + "r.json")], "too long"),
        "its CSV exists": ([os.path.join(tmp, "taken.json"), "--format", "csv"], "exists"),
    }
    for what, (args, says) in cases.items():
        expect_bad(slow + args, tmp, what, (says,))
    # The CSV takes its name from the result's: X.json -> X.csv, any other X -> X.csv.
    sub = os.path.join(tmp, "D", "sub")
    os.makedirs(sub)
    for given, csv_name in (("abc", "abc.csv"), ("abc.json", "abc.csv"), ("x.y", "x.y.csv")):
        d = os.path.join(sub, given.replace(".", "_"))
        os.mkdir(d)
        r = run(["run", "empty", "--duration", "0.01", "--format", "csv",
                 "--out", os.path.join(d, given)] + QUICK)
        if r.returncode or sorted(os.listdir(d)) != sorted([given, csv_name]):
            fail(f"--out {given} --format csv: status {r.returncode}, wrote "
                 f"{sorted(os.listdir(d))}: {r.stderr}")


def test_concurrent(tmp):
    """Three suites into one directory at once, and three runs into one --out: all
    keep their results, each loser under the next free name."""
    suite = os.path.join(tmp, "c.suite")
    with open(suite, "w") as f:
        f.write("empty --duration 0.2 --warmup 0 --repetitions 1\n")
    for argv, want in ((["suite", suite, "--out", tmp, "--quiet"], ["c.json", "c-1.json", "c-2.json"]),
                       (["run", "empty", "--duration", "0.2", "--warmup", "0", "--repetitions",
                         "1", "--quiet", "--out", os.path.join(tmp, "r.json")],
                        ["r.json", "r-1.json", "r-2.json"])):
        procs = [subprocess.Popen([FB] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(3)]
        outs = [p.communicate(timeout=50) for p in procs]
        if any(p.returncode for p in procs):
            fail(f"{argv[0]}: statuses {[p.returncode for p in procs]}: {outs}")
        printed = sorted(os.path.basename(o[0].strip()) for o in outs)
        if printed != sorted(want) or not all(os.path.exists(os.path.join(tmp, w)) for w in want):
            fail(f"{argv[0]}: printed {printed}, directory {sorted(os.listdir(tmp))}")


def test_conventions(tmp):
    """git's and perf's habits: --version, help COMMAND, and -h as --help everywhere;
    an unknown letter is named as itself, not as the option before it."""
    r = run(["--version"])
    if r.returncode or not re.fullmatch(r"faultbench \d+\.\d+\.\d+ \(commit [0-9a-f]{12}"
                                        r"(\+dirty)?, .*\)\n", r.stdout):
        fail(f"--version: status {r.returncode}, {r.stdout!r}")
    top = run(["--help"]).stdout
    commands = re.findall(r"^  ([a-z-]+) ", top, re.M)
    if len(commands) < 6 or run(["-h"]).stdout != top or run(["help"]).stdout != top:
        fail(f"--help, -h and help differ, or list {commands}")
    for c in commands:
        want = run([c, "--help"])
        for argv in (["help", c], [c, "-h"]):
            got = run(argv)
            if got.returncode or want.returncode or got.stdout != want.stdout or not got.stdout:
                fail(f"{' '.join(argv)}: status {got.returncode}, not {c} --help's text")
    r = run(["run", "empty", "-xyz"])
    if "'-x'" not in r.stderr or "'run'" in r.stderr:
        fail(f"run -xyz: {r.stderr!r}")


def test_option_tables(tmp):
    """Each command's options come from one table: --help describes exactly the options
    an unknown one's "valid:" list names, and the parser takes every one of them."""
    commands = re.findall(r"^  ([a-z-]+) ", run(["--help"]).stdout, re.M)
    for c in commands:
        described = re.findall(r"^  --([a-z-]+)", run([c, "--help"]).stdout, re.M)
        r = run([c, "--no-such-option"])
        m = re.search(r"\(valid: (.*)\)$", r.stderr.strip())
        if r.returncode != 2 or not m:
            fail(f"{c} --no-such-option: status {r.returncode}, {r.stderr!r}")
        valid = re.findall(r"--([a-z-]+)", m.group(1))
        if not described or "help" not in described or sorted(described) != sorted(valid):
            fail(f"{c}: --help describes {described}, the valid list is {valid}")
        for name in described:
            r = run([c, "--" + name], cwd=tmp)
            if f"unknown option '--{name}'" in r.stderr:
                fail(f"{c}: --help describes --{name}, the parser refuses it")


def knob_names():
    """The core's knob table, read from its source: the names every scenario takes."""
    config = os.path.join(os.path.dirname(STATS_H), "..", "..", "config.c")
    with open(config) as f:
        return re.findall(r'\{ \.name = "([a-z_]+)",', f.read())


def test_list_json(tmp):
    r = run(["list", "--json"])
    if r.returncode:
        fail(f"list --json: status {r.returncode}")
    listed = json.loads(r.stdout)
    scenarios = {s["name"]: s for s in listed}
    if len(scenarios) != len(listed):
        fail("a scenario name is registered twice")
    counters = counter_names()
    knobs = knob_names()
    if len(knobs) < 7:
        fail(f"knobs read from config.c: {knobs}")
    for name in ("empty", "same-addr", "lock-floor"):
        if name not in scenarios:
            fail(f"list --json lacks {name}")
    for name, sc in scenarios.items():
        for key in ("description", "question", "shape", "params", "headline", "plants"):
            if key not in sc:
                fail(f"{name}: no {key}")
        head = sc["headline"]
        if set(head) != {"counters", "floor"} or not set(head["counters"]) <= counters:
            fail(f"{name}: headline {head} names no counter of the core")
        if head["floor"] is not None and head["floor"] not in scenarios:
            fail(f"{name}: floor {head['floor']} is not registered")
        if not sc["plants"] or not all(p["name"] and p["what"] for p in sc["plants"]):
            fail(f"{name}: declares no plant verify must catch")
        pnames = [p["name"] for p in sc["params"]]
        if len(set(pnames)) != len(pnames):
            fail(f"{name}: a parameter name twice: {pnames}")
        for p in sc["params"]:
            if p["knob"] != (p["name"] in knobs):
                fail(f"{name}: parameter {p['name']} reuses a knob's name, or a knob is not "
                     "marked as one")
            for key in ("type", "default", "range", "help"):
                if key not in p:
                    fail(f"{name} parameter {p['name']} lacks {key}")
    # same-addr takes every knob of the core, in one line, under the core's names.
    params = [p["name"] for p in scenarios["same-addr"]["params"]]
    if [p for p in params if p in knobs] != knobs:
        fail(f"same-addr takes knobs {params}, the core has {knobs}")
    if scenarios["same-addr"]["headline"] != {
            "counters": ["set_pte", "set_pte_replace", "recheck_lost"], "floor": "lock-floor"}:
        fail(f"same-addr headline {scenarios['same-addr']['headline']}")
    for cmd in ("list", "run", "suite", "env"):
        r = run([cmd, "--help"])
        if r.returncode or "usage" not in r.stdout:
            fail(f"{cmd} --help: status {r.returncode}")


def test_result_schema(tmp):
    out = os.path.join(tmp, "r.json")
    r = run(["run", "same-addr", "--threads", "1,2", "--rounds", "2000", "--latency",
             "--events", "task-clock,page-faults,cycles", "--out", out, "--quiet"] + QUICK)
    if r.returncode:
        fail(f"run: status {r.returncode}: {r.stderr}")
    doc = check_schema(out)
    if doc["interrupted"]:
        fail("interrupted without a signal")
    ev = doc["context"]["faultbench"]["events"]
    its = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
    if len(its) != 4 or len(doc["benchmarks"]) != 16:
        fail(f"{len(its)} iterations and {len(doc['benchmarks'])} entries, want 4 and 16")
    for b in its:
        if b["set_pte_per_iteration"] != 1.0 or b["set_pte_replace"] != 0:
            fail(f"{b['name']}: recheck stored {b['set_pte_per_iteration']} per round")
        # who won each round: one install a round among the threads, each ran every round
        per = b["faultbench"]["per_thread"]
        if len(per) != b["threads"] or any(t["ops"] != b["iterations"] for t in per) or \
                sum(t["installs"] for t in per) != b["iterations"] or \
                sum(t["stores"] for t in per) != b["set_pte"]:
            fail(f"{b['name']}: per_thread {per} for {b['iterations']} rounds")
        if not isinstance(b["task-clock"], int) or b["task-clock"] <= 0:
            fail(f"{b['name']}: task-clock {b['task-clock']}")
        if "cycles" not in ev["opened"] and b["cycles"] is not None:
            fail(f"{b['name']}: unopened cycles shown as {b['cycles']}")
        # perf stat's figures: per iteration, enabled and running times, their ratio
        if abs(b["task-clock_per_iteration"] - b["task-clock"] / b["iterations"]) > 1e-9 * \
                b["task-clock_per_iteration"]:
            fail(f"{b['name']}: task-clock per iteration {b['task-clock_per_iteration']}")
        en, ru = b["events_time_enabled_ns"], b["events_time_running_ns"]
        if not 0 < ru <= en or abs(b["events_running_ratio"] - ru / en) > 1e-9 or \
                b["events_multiplexed"] != (ru < en):
            fail(f"{b['name']}: enabled {en}, running {ru}, ratio {b['events_running_ratio']}")
    if ev["units"] != {"task-clock": "ns", "page-faults": "count", "cycles": "count"}:
        fail(f"event units: {ev['units']}")
    if "cycles" not in ev["opened"]:
        names = [e["name"] for e in ev["not_opened"] if e["reason"]]
        if "cycles" not in names:
            fail("cycles neither opened nor reported as not opened")
        if not any("no PMU" in w for w in doc["warnings"]):
            fail("no 'no PMU' warning")
    med = [b for b in doc["benchmarks"] if b.get("aggregate_name") == "median"]
    for b in med:
        if "latency" not in b["faultbench"] or b["faultbench"]["latency"]["count"] <= 0:
            fail(f"{b['name']}: no latency")
        lat, fair = b["faultbench"]["latency"], b["faultbench"]["fairness"]
        first, last = lat["first_install"], lat["last_return"]
        if first["count"] != 4000 or last["count"] != 4000 or lat["count"] != 4000 * b["threads"]:
            fail(f"{b['name']}: {first['count']} and {last['count']} rounds timed of 4000")
        if any(first[k] > last[k] for k in ("p50", "p90", "p99", "max")):
            fail(f"{b['name']}: a first install after its round's last return: {lat}")
        shares = fair["min_share"] + fair["max_share"] if b["threads"] == 2 else 2 * fair["max_share"]
        if fair["of"] != "installs" or not 1 / b["threads"] <= fair["jain"] <= 1 or \
                abs(shares - 1 - (b["threads"] == 1)) > 1e-9:
            fail(f"{b['name']}: fairness {fair}")
        if len(b["faultbench"]["samples"]) != 2:
            fail(f"{b['name']}: samples {b['faultbench']['samples']}")


def test_compare_read(tmp):
    files = [os.path.join(tmp, f"{i}.json") for i in range(2)]
    for f in files:
        r = run(["run", "empty", "--duration", "0.02", "--out", f, "--quiet"] + QUICK)
        if r.returncode:
            fail(f"run: status {r.returncode}: {r.stderr}")
        check_schema(f)
    a, b = (compare_read(f) for f in files)
    if set(a) != set(b) or "empty/threads:1" not in a or "empty/threads:1_median" not in a:
        fail(f"names differ or missing: {sorted(a)} {sorted(b)}")
    for name in a:
        for (ta, _), (tb, _) in zip(a[name], b[name]):
            (tb - ta) / ta if ta else 0


def test_csv(tmp):
    out = os.path.join(tmp, "r.json")
    r = run(["run", "empty", "--duration", "0.02", "--format", "csv", "--out", out] + QUICK)
    if r.returncode:
        fail(f"run: status {r.returncode}: {r.stderr}")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    doc = check_schema(out)
    if len(rows) != len(doc["benchmarks"]):
        fail(f"{len(rows)} CSV rows for {len(doc['benchmarks'])} entries")
    for row, b in zip(rows, doc["benchmarks"]):
        if row["name"] != b["name"] or abs(float(row["real_time"]) - b["real_time"]) > 1e-9:
            fail(f"CSV row {row['name']} differs from its entry")
    with open(out[:-5] + ".csv") as f:
        if f.read() != r.stdout:
            fail("the .csv file differs from what was printed")


def test_one_repetition(tmp):
    """One repetition has no spread: stddev and cv are null and the table prints '-'."""
    out = os.path.join(tmp, "r.json")
    r = run(["run", "empty", "--duration", "0.02", "--warmup", "0", "--repetitions", "1",
             "--out", out])
    if r.returncode:
        fail(f"run: status {r.returncode}: {r.stderr}")
    doc = check_schema(out)
    agg = {b["aggregate_name"]: b for b in doc["benchmarks"] if b["run_type"] == "aggregate"}
    for name in ("stddev", "cv"):
        if agg[name]["real_time"] is not None or agg[name]["cpu_time"] is not None:
            fail(f"{name} of one repetition: {agg[name]['real_time']}")
    if not isinstance(agg["median"]["real_time"], float):
        fail(f"median of one repetition: {agg['median']['real_time']}")
    row = [line for line in r.stdout.splitlines() if line.startswith("empty/threads:1")]
    if not row or row[0].split()[2] != "-":
        fail(f"table row of one repetition: {row}")


def test_suite(tmp):
    suite = os.path.join(tmp, "t.suite")
    with open(suite, "w") as f:
        f.write("# a comment\n\ndefaults --warmup 0 --repetitions 3\n"
                "empty --duration 0.02 --repetitions 2 --label bare\n"
                "defaults --threads 2\n"
                "same-addr recheck=none --rounds 500  # trailing comment\n")
    outdir = os.path.join(tmp, "out")
    os.mkdir(outdir)
    for _ in range(2):
        r = run(["suite", suite, "--out", outdir, "--quiet"])
        if r.returncode:
            fail(f"suite: status {r.returncode}: {r.stderr}")
    files = sorted(os.listdir(outdir))
    if files != ["t-1.json", "t.json"]:
        fail(f"suite wrote {files}")
    doc = check_schema(os.path.join(outdir, "t.json"))
    names = {b["run_name"] for b in doc["benchmarks"]}
    if names != {"empty/threads:1", "same-addr/recheck:none/threads:2"}:
        fail(f"suite runs: {names}")
    # defaults apply to the lines after them, and a line's own options win.
    reps = {b["run_name"]: b["repetitions"] for b in doc["benchmarks"]}
    if reps != {"empty/threads:1": 2, "same-addr/recheck:none/threads:2": 3}:
        fail(f"repetitions per run: {reps}")
    labels = {b["run_name"]: b.get("label") for b in doc["benchmarks"]}
    if labels != {"empty/threads:1": "bare", "same-addr/recheck:none/threads:2": None}:
        fail(f"labels: {labels}")
    r = run(["suite", suite, "--out", outdir])
    if r.returncode or "label: bare" not in r.stdout:
        fail(f"the table does not show the label: {r.stdout}")


def test_suite_failure(tmp):
    """A run that fails part way through a suite (the system refuses its setup) costs
    that run alone: the file keeps the lines before and after it, names the failure
    in its warnings, and the exit status says it failed."""
    quick = "--duration 0.02 --warmup 0 --repetitions 2"
    suite = os.path.join(tmp, "f.suite")
    with open(suite, "w") as f:
        f.write(f"empty {quick} --label before\n"
                # a 4 MiB memfd: past RLIMIT_FSIZE, its fill fails with EFBIG
                f"kernel-shared pages=1024 counter=rusage {quick}\n"
                f"empty {quick} --label after\n")

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    r = run(["suite", suite, "--out", tmp, "--quiet"], preexec_fn=small_files)
    out = os.path.join(tmp, "f.json")
    if r.returncode != 1 or not os.path.exists(out):
        fail(f"status {r.returncode}, want 1 and {out}: {r.stderr!r}")
    if "line 2: kernel-shared: cannot fill a memfd" not in r.stderr:
        fail(f"the failure is not named with its line: {r.stderr!r}")
    doc = check_schema(out)
    labels = sorted({b.get("label") for b in doc["benchmarks"]})
    if labels != ["after", "before"]:
        fail(f"the file holds {labels}, want the lines before and after the failure")
    failed = [w for w in doc["warnings"] if w.startswith("line 2: kernel-shared threads=1 failed")]
    if len(failed) != 1 or "File too large" not in failed[0]:
        fail(f"no warning names the failed run: {doc['warnings']}")
    # Interleaved, the failure's round is left out whole and no round after it runs:
    # here the first, so nothing completed and no file is written.
    os.remove(out)
    r = run(["suite", suite, "--out", tmp, "--quiet", "--interleave", "3"],
            preexec_fn=small_files)
    if r.returncode != 1 or os.path.exists(out) or r.stderr.count("cannot fill") != 1 or \
            "round 1 of 3, left out with the rounds after it: line 2:" not in r.stderr:
        fail(f"--interleave: status {r.returncode}, {sorted(os.listdir(tmp))}: {r.stderr!r}")


def test_targets(tmp):
    """A suite's target lines: each ratio printed after the table, met or missed, in
    instructions where both sides counted them; a bad target line is bad input."""
    suite = os.path.join(tmp, "t.suite")
    with open(suite, "w") as f:
        f.write("defaults --warmup 0 --repetitions 1 --duration 0.02\n"
                "empty --label a\nempty --label b\n"
                "same-addr --threads 2 --rounds 300 --label s\n"
                "empty --threads 1,2 --label p\n"
                "find-vma vmas=10 --measure instructions --iterations 1000 --label i10\n"
                "find-vma vmas=10000 --measure instructions --iterations 1000 --label i10k\n"
                "target a / b <= 1000000\ntarget a / b >= 1000000\ntarget s <= 1000000\n"
                "target s / a <= 5\ntarget p / a <= 1000000 threads=1\n"
                "target s <= 1000000 threads=1\ntarget i10k / i10 >= 1\n")
    out = os.path.join(tmp, "t.json")
    r = run(["suite", suite, "--out", tmp])
    counted = "cannot run a sanitizer build" not in r.stderr
    if not counted:  # callgrind refuses a sanitizer build: the time targets alone
        with open(suite) as f:
            kept = [l for l in f if "i10" not in l]
        with open(suite, "w") as f:
            f.writelines(kept)
        r = run(["suite", suite, "--out", tmp])
    if r.returncode:
        fail(f"suite with targets: status {r.returncode}: {r.stderr}")
    lines = r.stdout.split("targets (ratios of figures measured in this run):\n")[-1]
    want = [r"  a / b, 1 thread: [0-9.e+-]+x in time, target <= 1e\+06: met",
            r"  a / b, 1 thread: [0-9.e+-]+x in time, target >= 1e\+06: MISSED",
            r"  s / its floor, 2 threads: [0-9.e+-]+x in time, target <= 1e\+06: met",
            r"  s / a, 2 threads: not measured \(no run of a at 2 threads\)",
            r"  p / a, 1 thread: [0-9.e+-]+x in time, target <= 1e\+06: met",
            r"  s: not measured \(no completed run has that label with threads=1\)",
            r"  i10k / i10, 1 thread: ([0-9.]+)x in instructions, target >= 1: met"]
    got = lines.splitlines()
    if not counted:
        want = want[:6]
    if len(got) != len(want) or not all(re.fullmatch(w, g) for w, g in zip(want, got)):
        fail(f"targets printed:\n{lines}")
    doc = check_schema(out)
    counts = {b["label"]: b["faultbench"]["instructions_per_iteration"]
              for b in doc["benchmarks"]
              if b.get("run_type") == "iteration" and b.get("label") in ("i10", "i10k")}
    ratio = float(re.fullmatch(want[6], got[6]).group(1)) if counted else None
    if counted and abs(ratio - counts["i10k"] / counts["i10"]) > 0.01 * ratio:
        fail(f"i10k / i10 printed {ratio}, the file's counts are {counts}")
    # The file holds the verdicts the table printed, in its order.
    held = [(t["num"], t["den"], t["op"], t["threads"], t["met"], t["unit"], t["why"])
            for t in doc.get("targets", [])]
    expect = [("a", "b", "<=", 1, True, "time", None), ("a", "b", ">=", 1, False, "time", None),
              ("s", None, "<=", 2, True, "time", None),
              ("s", "a", "<=", 2, None, None, "no run of a at 2 threads"),
              ("p", "a", "<=", 1, True, "time", None),
              ("s", None, "<=", None, None, None,
               "no completed run has that label with threads=1"),
              ("i10k", "i10", ">=", 1, True, "instructions", None)][:len(want)]
    if held != expect:
        fail(f"the file's targets {held}, want {expect}")
    if counted and abs(doc["targets"][6]["measured"] - ratio) > 0.01 * ratio:
        fail(f"the file's i10k / i10 is {doc['targets'][6]['measured']}, printed {ratio}")
    bad = {"unknown label": "target a / c <= 1", "no slash": "target a b <= 1",
           "strict comparison": "target a / b < 1", "hex limit": "target a / b <= 0x1",
           "zero limit": "target a / b <= 0", "no limit": "target a",
           "zero threads": "target a / b <= 1 threads=0", "threads not a number":
           "target a <= 1 threads=two", "threads alone": "target threads=2"}
    for what, line in bad.items():
        path = os.path.join(tmp, "bad.suite")
        with open(path, "w") as f:
            f.write(f"empty --label a\nempty --label b\n{line}\n")
        expect_bad(["suite", path, "--out", tmp], tmp, f"target: {what}")


def test_terminal(tmp):
    """At the terminal's width: the table's lines fit $COLUMNS, and the progress bar, on
    a pty 40 columns wide, never draws past its width (a wrapped line cannot be redrawn
    and stays behind), its percentage never goes back, and its ETA is never negative."""
    suite = os.path.join(tmp, "p.suite")
    with open(suite, "w") as f:
        f.write("defaults --warmup 0.1 --repetitions 2\n"
                "empty --duration 0.3 --label a-long-label-for-a-long-name\n"
                "same-addr recheck=none handler_ns=1000 --rounds 400\n")  # with its floor
    env = dict(os.environ, COLUMNS="80")
    table = run(["suite", suite, "--out", tmp], env=env)
    long = [line for line in table.stdout.splitlines() if len(line) > 80]
    if table.returncode or "same-addr/" not in table.stdout or long:
        fail(f"at COLUMNS=80: status {table.returncode}, lines past 80: {long}")

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 40, 0, 0))
    env.pop("COLUMNS")
    p = subprocess.Popen([FB, "suite", suite, "--out", tmp], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every writer closed the pty
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    if p.wait(timeout=50):
        fail(f"suite on a pty: status {p.returncode}: {out!r}")
    text = out.decode()
    draws = [d for d in re.split(r"[\r\n]", text) if "%" in d]
    if not draws:
        fail(f"no progress drawn on a terminal: {text!r}")
    wide = [d for d in re.split(r"[\r\n]", text) if len(d) > 39]
    if wide:
        fail(f"lines past 39 of 40 columns: {wide}")
    pct = [int(m) for m in re.findall(r"(\d+)%", text)]
    if pct != sorted(pct) or "ETA -" in text:
        fail(f"percentages {pct}, or a negative ETA: {text!r}")


def quick_args(sc):
    return ["--rounds", "300"] if sc["shape"] == "rounds" else ["--duration", "0.02"]


def test_stress(tmp):
    """Every scenario, and every handler kind of those that have one, at 4x the CPUs: each
    must pass its own verify (and mm_verify), and a sanitizer build must stay quiet."""
    threads = str(4 * os.cpu_count())
    for sc in json.loads(run(["list", "--json"]).stdout):
        handler = [p for p in sc["params"] if p["name"] == "handler"]
        kinds = [[f"handler={k}"] for k in handler[0]["range"].split("|")] if handler else [[]]
        if any(p["name"] == "access" for p in sc["params"]) and not sc["live_kernel"]:
            # anonymous reads: the zero page, and the allocating read of zero_page=0
            kinds += [["handler=anon", "access=read"],
                      ["handler=anon", "access=read", "zero_page=0"]]
        for params in kinds:
            out = os.path.join(tmp, "-".join([sc["name"]] + params) + ".json")
            quick = ["--rounds", "100"] if sc["shape"] == "rounds" else ["--duration", "0.02"]
            r = run_fb(FB, ["run", sc["name"]] + params + ["--threads", threads, "--out", out,
                                                          "--quiet", "--warmup", "0",
                                                          "--repetitions", "1"] + quick, 300)
            if r.returncode or ("skipped" in r.stderr and not sc["live_kernel"]):
                fail(f"{sc['name']} {params} at {threads} threads: status {r.returncode}: "
                     f"{r.stderr}")


def test_plants(tmp):
    """Every fault each scenario declares, planted: verify must catch it, the
    run exit 1, and the file still be written with the benchmark marked."""
    for sc in json.loads(run(["list", "--json"]).stdout):
        if not sc["plants"]:
            fail(f"{sc['name']}: no plant")
        clean = os.path.join(tmp, sc["name"] + ".json")
        r = run(["run", sc["name"], "--threads", "2", "--out", clean, "--quiet"] + QUICK +
                quick_args(sc))
        if r.returncode or any("verify_failed" in b["faultbench"]
                               for b in check_schema(clean)["benchmarks"]):
            fail(f"{sc['name']}: fails verify unplanted: {r.stderr}")
        for plant in sc["plants"]:
            out = os.path.join(tmp, f"{sc['name']}-{plant['name']}.json")
            args = ["run", sc["name"]] + plant["params"].split() + [
                "--threads", "2", "--plant", plant["name"], "--out", out] + QUICK + \
                quick_args(sc)
            r = run(args)
            what = f"{sc['name']} --plant {plant['name']}"
            if r.returncode != 1:
                fail(f"{what}: status {r.returncode}, want 1: verify missed it")
            if "VERIFY FAILED" not in r.stdout:
                fail(f"{what}: the table does not show the failed verify")
            doc = check_schema(out)
            mine = [b for b in doc["benchmarks"] if b["faultbench"]["scenario"] == sc["name"]]
            for b in mine:
                fb = b["faultbench"]
                if fb.get("verify_failed") is not True or not fb.get("verify_error"):
                    fail(f"{what}: {b['name']} not marked verify_failed")
                if fb.get("plant") != plant["name"]:
                    fail(f"{what}: {b['name']} does not name its plant")
            if not mine:
                fail(f"{what}: no benchmark written")


def test_kinds(tmp):
    """cow's, fork's, mixedmap's and gup's every combination of their own choices
    (kind, map, share, frames, walker, walkers) runs in quick mode on two threads and passes verify, under each
    build ctest runs: the plants test runs their defaults only."""
    for sc in json.loads(run(["list", "--json"]).stdout):
        if sc["name"] not in ("cow", "fork", "mixedmap", "gup"):
            continue
        own = [p for p in sc["params"] if p["type"] == "choice" and not p["knob"]]
        combos = [[]]
        for p in own:
            combos = [c + [f"{p['name']}={v}"] for c in combos for v in p["range"].split("|")]
        for combo in combos:
            out = os.path.join(tmp, "-".join([sc["name"]] + combo) + ".json")
            r = run(["run", sc["name"]] + combo + ["--threads", "1,2", "--out", out,
                                                    "--quiet"] + QUICK + quick_args(sc))
            if r.returncode or any("verify_failed" in b["faultbench"]
                                   for b in check_schema(out)["benchmarks"]):
                fail(f"{sc['name']} {' '.join(combo)}: status {r.returncode}: {r.stderr}")


def test_grown_mm(tmp):
    """same-table, disjoint and dispatch fault beside the rest of the mm
    (vmas=, populated=) and pass verify, which counts that rest's VMAs."""
    for sc in ("same-table", "disjoint", "dispatch"):
        out = os.path.join(tmp, sc + ".json")
        r = run(["run", sc, "handler=nopfn", "vmas=3", "populated=600", "--threads", "1,2",
                 "--out", out, "--quiet"] + QUICK)
        if r.returncode or any("verify_failed" in b["faultbench"]
                               for b in check_schema(out)["benchmarks"]):
            fail(f"{sc} vmas=3 populated=600: status {r.returncode}: {r.stderr}")


def test_thread_ranges(tmp):
    """A range may end at this machine's core count: 1-cores is 1, 2, .. cores."""
    threads = {}
    for spec in ("cores", "1-cores", "1,2,cores"):
        out = os.path.join(tmp, spec + ".json")
        r = run(["run", "empty", "--threads", spec, "--duration", "0.01", "--out", out,
                 "--quiet"] + QUICK)
        if r.returncode:
            fail(f"--threads {spec}: status {r.returncode}: {r.stderr}")
        runs = [b["threads"] for b in check_schema(out)["benchmarks"]
                if b.get("run_type") == "iteration"]
        if len({runs.count(t) for t in runs}) != 1:
            fail(f"--threads {spec} ran a count more often than another: {runs}")
        threads[spec] = sorted(set(runs))
    if threads["1-cores"] != list(range(1, threads["cores"][0] + 1)):
        fail(f"--threads 1-cores ran {threads['1-cores']}, cores is {threads['cores']}")
    if threads["1,2,cores"] != sorted({1, 2, threads["cores"][0]}):
        fail(f"--threads 1,2,cores ran {threads['1,2,cores']}")


def interrupted_run(tmp, args, sig):
    out = os.path.join(tmp, "r.json")
    p = subprocess.Popen([FB] + args + ["--out", out, "--quiet"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    # Long enough for a loaded machine to start up (sanitizer builds take a
    # second) and complete the first 0.4 s repetition.
    time.sleep(2.0)
    p.send_signal(sig)
    try:
        p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("did not stop after the signal")
    if p.returncode != 130:
        fail(f"status {p.returncode} after signal {sig}, want 130")
    doc = check_schema(out)
    if doc["interrupted"] is not True:
        fail("interrupted is not true")
    leftovers = [f for f in os.listdir(tmp) if ".tmp." in f]
    if leftovers:
        fail(f"temporary files left: {leftovers}")
    return doc


def test_interrupt(tmp):
    doc = interrupted_run(tmp, ["run", "empty", "--duration", "0.4", "--warmup", "0",
                                "--repetitions", "1000"], signal.SIGINT)
    reps = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
    if not reps:
        fail("no completed repetition kept")


def test_terminate(tmp):
    interrupted_run(tmp, ["run", "same-addr", "--threads", "2", "--rounds", "1000000000",
                          "--warmup", "0", "--repetitions", "2"], signal.SIGTERM)


def test_hangup(tmp):
    """SIGHUP (a closed terminal) stops a run as SIGTERM does, and keeps what completed."""
    doc = interrupted_run(tmp, ["run", "empty", "--duration", "0.4", "--warmup", "0",
                                "--repetitions", "1000"], signal.SIGHUP)
    if not [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]:
        fail("no completed repetition kept")


def test_interrupted_empty(tmp):
    """Stopped in the warmup: no benchmark completed, and the file still says why."""
    doc = interrupted_run(tmp, ["run", "empty", "--warmup", "600"], signal.SIGINT)
    if doc["benchmarks"] or not any("interrupted by a signal" in w for w in doc["warnings"]):
        fail(f"benchmarks {len(doc['benchmarks'])}, warnings {doc['warnings']}")


def test_full_stdout(tmp):
    """Output that cannot be written is a failure, said in one line; the result is kept."""
    out = os.path.join(tmp, "r.json")
    for args in (["list"], ["--version"], ["run", "empty", "--duration", "0.01", "--warmup",
                                           "0", "--repetitions", "1", "--out", out]):
        with open("/dev/full", "w") as full:
            r = subprocess.run([FB] + args, stdout=full, stderr=subprocess.PIPE, text=True,
                               timeout=60)
        lines = [l for l in r.stderr.splitlines() if "standard output" in l]
        if r.returncode != 1 or len(lines) != 1:
            fail(f"{args} > /dev/full: status {r.returncode}, stderr {r.stderr!r}")
    check_schema(out)


def cpus_of(tmp, args, env=None, prefix=()):
    out = os.path.join(tmp, "p.json")
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run(list(prefix) + [FB, "run", "empty", "--duration", "0.01", "--warmup",
                                       "0", "--repetitions", "1", "--out", out, "--quiet"] +
                       args, capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, **(env or {})))
    if r.returncode:
        fail(f"{prefix} {args}: status {r.returncode}: {r.stderr}")
    doc = check_schema(out)
    return [b["faultbench"]["cpus"] for b in doc["benchmarks"] if b["run_type"] == "iteration"], \
        doc["warnings"]


def test_pinning(tmp):
    """The slots are the CPUs the process may use; every thread's CPU is recorded; a failed
    bind is said, never claimed as a placement."""
    if shutil.which("taskset") and os.cpu_count() >= 2:
        last = str(max(os.sched_getaffinity(0)))
        cpus, _ = cpus_of(tmp, ["--threads", "1"], prefix=("taskset", "-c", last))
        if cpus != [last]:
            fail(f"taskset -c {last}: thread 0 recorded on {cpus}")
    cpus, _ = cpus_of(tmp, ["--threads", "256", "--pin", "pus"])
    if len(cpus[0].split(";")) != 256:
        fail(f"256 threads, {len(cpus[0].split(';'))} CPUs recorded")
    # A synthetic 8-PU machine taken for this one: binding PUs it lacks fails.
    env = {"HWLOC_SYNTHETIC": f"pack:1 core:{os.cpu_count() + 6} pu:1", "HWLOC_THISSYSTEM": "1"}
    _, warnings = cpus_of(tmp, ["--threads", str(os.cpu_count() + 2)], env)
    if not any("2 of" in w and "could not be pinned" in w for w in warnings):
        fail(f"failed binds not reported: {warnings}")


def test_oversubscribed(tmp):
    out = os.path.join(tmp, "r.json")
    n = os.cpu_count() + 1
    r = run(["run", "empty", "--threads", str(n), "--duration", "0.02", "--out", out,
             "--quiet"] + QUICK)
    if r.returncode:
        fail(f"run: status {r.returncode}: {r.stderr}")
    doc = check_schema(out)
    b = doc["benchmarks"][0]
    if not b["faultbench"]["oversubscribed"] or b["threads"] != n:
        fail("more threads than CPUs not flagged as oversubscribed")
    if not any("oversubscribed" in w for w in doc["warnings"]):
        fail("no oversubscribed warning")
    if len(b["faultbench"]["cpus"].split(";")) != n:
        fail(f"cpus {b['faultbench']['cpus']} for {n} threads")


if __name__ == "__main__":
    main(globals(), TEST)

# SPDX-License-Identifier: GPL-2.0-only
"""What the CLI tests share: failing with one line, running the command, and
running the test a ctest entry names."""

import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run_fb(fb, args, timeout, env=None, **kw):
    full = dict(os.environ, **(env or {}))
    return subprocess.run([fb] + args, capture_output=True, text=True, timeout=timeout,
                          env=full, **kw)


def main(tests, name):
    """Runs tests['test_' + name] in a fresh temporary directory."""
    test = tests.get("test_" + name)
    if not test:
        fail(f"no test {name}")
    with tempfile.TemporaryDirectory() as tmp:
        test(tmp)
    print(f"ok {name}")

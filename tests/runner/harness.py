# SPDX-License-Identifier: GPL-2.0-only
"""What the CLI tests share: failing with one line, running the command, and
running the test a ctest entry names."""

import os
import shutil
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


def git(tree, *args):
    return subprocess.run(["git", "-C", tree, "-c", "user.name=t", "-c", "user.email=t@t"] +
                          list(args), capture_output=True, text=True, check=True).stdout


def scratch_repo(src, tmp):
    """src's tracked files as they are now, committed in a repository of their own."""
    tree = os.path.join(tmp, "src")
    for path in git(src, "ls-files", "-z").split("\0"):
        if path and os.path.isfile(os.path.join(src, path)):
            os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
            shutil.copy2(os.path.join(src, path), os.path.join(tree, path))
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "scratch")
    return tree


def main(tests, name):
    """Runs tests['test_' + name] in a fresh temporary directory."""
    test = tests.get("test_" + name)
    if not test:
        fail(f"no test {name}")
    with tempfile.TemporaryDirectory() as tmp:
        test(tmp)
    print(f"ok {name}")

#!/usr/bin/env python3
"""Differential tests for humans: run tests/**/*.py under python3 and taipan.

    python3 tools/difftest.py [--taipan PATH] [--python PATH] [-q] [FILTER]

Prints PASS/FAIL per file (FAILs that are listed in tests/expected_failures.txt
are marked "expected"), with a diff of the first difference, then counts.
FILTER keeps files whose repository-relative path contains it. The comparison
is the one `cargo test -p taipan --test differential` makes (same environment:
cwd = the file's directory, no stdin, PYTHONHASHSEED=0, 10 s timeout; same
path normalisation). --taipan defaults to $CARGO_TARGET_DIR (or target/)
release/taipan, else debug/taipan, whichever is newer.
`--taipan python3` checks the tests themselves (every file must pass).
"""

import argparse
import concurrent.futures
import difflib
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
LIST = os.path.join(TESTS, "expected_failures.txt")
TIMEOUT = 10


def default_taipan():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    found = [os.path.join(target, k, "taipan") for k in ("release", "debug")]
    found = [p for p in found if os.path.exists(p)]
    if not found:
        return None
    return max(found, key=os.path.getmtime)


def collect(filt):
    out = []
    for dirpath, dirnames, filenames in os.walk(TESTS):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in ("__pycache__", "support")]
        for name in filenames:
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
                if filt in rel:
                    out.append((rel, path))
    return sorted(out)


def run(exe, path, rel):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8")
    start = time.perf_counter()
    try:
        p = subprocess.run([exe, path], cwd=os.path.dirname(path), stdin=subprocess.DEVNULL,
                           capture_output=True, env=env, timeout=TIMEOUT)
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        status = str(p.returncode) if p.returncode >= 0 else f"killed by signal {-p.returncode}"
    except subprocess.TimeoutExpired:
        out, err, status = "", "", f"timeout after {TIMEOUT} s"
    except OSError as e:
        out, err, status = "", "", f"failed to start {exe}: {e}"
    elapsed = time.perf_counter() - start

    def norm(s):
        s = s.replace(path, rel).replace(TESTS + "/", "tests/")
        return s.replace(exe, "<python>")

    return norm(out), norm(err), status, elapsed


def first_diff(name, a, b):
    lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"python3 {name}", f"taipan {name}", n=2, lineterm=""))
    # Keep the header and the first hunk only.
    out, hunks = [], 0
    for line in lines:
        if line.startswith("@@"):
            hunks += 1
            if hunks > 1:
                break
        out.append(line)
    if len(out) > 40:
        out = out[:40] + ["    ..."]
    return "\n".join("    " + l for l in out)


def compare(python, taipan, rel, path):
    py = run(python, path, rel)
    tp = run(taipan, path, rel)
    if py[:3] == tp[:3]:
        return rel, True, "", py[3]
    why = []
    if py[2] != tp[2]:
        why.append(f"    exit status: python3 {py[2]}, taipan {tp[2]}")
    if py[0] != tp[0]:
        why.append(first_diff("stdout", py[0], tp[0]))
    elif py[1] != tp[1]:
        why.append(first_diff("stderr", py[1], tp[1]))
    return rel, False, "\n".join(why), py[3]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--taipan", help="the interpreter under test")
    ap.add_argument("--python", help="the oracle (default: python3's real executable)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only unexpected results and the counts")
    ap.add_argument("filter", nargs="?", default="")
    args = ap.parse_args()

    python = args.python or subprocess.run(["python3", "-c", "import sys; print(sys.executable)"],
                                           capture_output=True, text=True, check=True).stdout.strip()
    taipan = args.taipan or default_taipan()
    if taipan is None:
        sys.exit("no taipan binary found: build it (cargo build -p taipan) or pass --taipan PATH")
    taipan = shutil.which(taipan) or taipan
    taipan = os.path.realpath(taipan) if os.path.exists(taipan) else taipan
    try:
        with open(LIST) as f:
            expected = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    except FileNotFoundError:
        expected = set()

    files = collect(args.filter)
    counts = {"pass": 0, "fail": 0, "unexpected_fail": 0, "unexpected_pass": 0}
    slow = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for rel, ok, why, py_time in pool.map(lambda f: compare(python, taipan, *f), files):
            listed = rel in expected
            if py_time > 1.0:
                slow.append((rel, py_time))
            if ok:
                counts["pass"] += 1
                if listed:
                    counts["unexpected_pass"] += 1
                    print(f"PASS {rel}  (listed in expected_failures.txt: remove it)")
                elif not args.quiet:
                    print(f"PASS {rel}")
            else:
                counts["fail"] += 1
                if not listed:
                    counts["unexpected_fail"] += 1
                if not listed or not args.quiet:
                    print(f"FAIL {rel}" + ("  (expected)" if listed else ""))
                    print(why)
    for rel, t in slow:
        print(f"SLOW {rel}: {t:.2f} s under python3 (tests must stay well under a second)")
    print(f"difftest: {counts['pass']} passed, {counts['fail']} failed "
          f"({counts['unexpected_fail']} unexpected failures, {counts['unexpected_pass']} unexpected passes)")
    sys.exit(1 if counts["unexpected_fail"] or counts["unexpected_pass"] else 0)


if __name__ == "__main__":
    main()

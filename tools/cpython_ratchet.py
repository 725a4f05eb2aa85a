#!/usr/bin/env python3
"""The compliance ratchet: CPython test modules that pass completely on Taipan.

    tools/cpython_ratchet.py --taipan PATH [--add]

Runs every module listed in tests/cpython_ratchet.txt with
../shared/tools/cpytests/run.py and fails if one no longer passes every
test case CPython passes (same count, no failures or errors). With --add,
also runs the modules given by --candidates (comma-separated) and appends
those that pass completely to the list (the list only grows).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "tests", "cpython_ratchet.txt")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "tools", "cpytests")


def read_list():
    if not os.path.exists(LIST):
        return []
    with open(LIST) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def run(taipan, modules):
    if not modules:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        subprocess.run([sys.executable, os.path.join(SHARED, "run.py"), "--impl", taipan,
                        "--modules", ",".join(modules), "-j", "2", "--timeout", "300", "--out", out],
                       check=True)
        with open(out) as f:
            return json.load(f)


def passes(base, mod, r):
    b = base.get(mod, {"passed": 0})
    return r["status"] == "ok" and r["failed"] == 0 and r["errors"] == 0 and r["passed"] >= b["passed"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--taipan", required=True)
    ap.add_argument("--candidates", default="")
    ap.add_argument("--add", action="store_true")
    args = ap.parse_args()
    with open(os.path.join(SHARED, "cpython-3.11.7.json")) as f:
        base = json.load(f)
    listed = read_list()
    results = run(os.path.abspath(args.taipan), listed)
    bad = [m for m in listed if not passes(base, m, results[m])]
    for m in bad:
        print(f"REGRESSED: {m}: {results[m]}")
    print(f"cpython ratchet: {len(listed) - len(bad)}/{len(listed)} modules pass completely")
    if args.add and args.candidates:
        cands = [m for m in args.candidates.split(",") if m and m not in listed]
        more = run(os.path.abspath(args.taipan), cands)
        new = sorted(m for m in cands if passes(base, m, more[m]))
        if new:
            with open(LIST, "a") as f:
                f.writelines(m + "\n" for m in new)
        print(f"added {len(new)}: {', '.join(new)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark runner: each benches/*.py under python3 and taipan.

    python3 benches/run.py [--taipan PATH] [--repeat N] [FILTER]

Runs every benchmark program (best of N runs, default 3) under CPython and,
if it runs, under Taipan; checks that both print the same output; prints a
table of seconds and the Taipan/CPython ratio (below 1.0 means Taipan is
faster). A benchmark whose Taipan run fails or prints something else is
reported as "not runnable" or "WRONG OUTPUT" instead of a time. The exit
status is 1 if any Taipan output differed from CPython's.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def default_taipan():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    found = [p for p in (os.path.join(target, k, "taipan") for k in ("release", "debug")) if os.path.exists(p)]
    return max(found, key=os.path.getmtime) if found else None


def run_once(exe, path, timeout):
    env = dict(os.environ, PYTHONHASHSEED="0")
    start = time.perf_counter()
    try:
        p = subprocess.run([exe, path], cwd=HERE, capture_output=True, env=env, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout} s"
    except OSError as e:
        return None, str(e)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"exit {p.returncode}: {err[-1] if err else ''}"
    return elapsed, p.stdout


def best_of(exe, path, repeat, timeout):
    """(best seconds, output) or (None, reason)."""
    best, out = None, None
    for _ in range(repeat):
        t, res = run_once(exe, path, timeout)
        if t is None:
            return None, res
        if out is not None and res != out:
            return None, "output differs between runs"
        out = res
        best = t if best is None else min(best, t)
    return best, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--taipan", help="the taipan binary (default: newest of target/{release,debug}/taipan)")
    ap.add_argument("--python", default=sys.executable, help="the CPython to compare with (default: this one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("filter", nargs="?", default="")
    args = ap.parse_args()
    taipan = args.taipan or default_taipan()

    names = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py") and f != "run.py" and args.filter in f)
    print(f"python: {args.python}\ntaipan: {taipan or '(not found: build it or pass --taipan)'}\n")
    print(f"{'benchmark':<16} {'CPython s':>10} {'Taipan s':>10} {'ratio':>7}  notes")
    wrong = False
    for name in names:
        path = os.path.join(HERE, name + ".py")
        py_t, py_out = best_of(args.python, path, args.repeat, args.timeout)
        if py_t is None:
            print(f"{name:<16} {'-':>10} {'-':>10} {'-':>7}  CPython failed: {py_out}")
            wrong = True
            continue
        tp_t, tp_out = (None, "no binary") if taipan is None else best_of(taipan, path, args.repeat, args.timeout)
        if tp_t is None:
            print(f"{name:<16} {py_t:>10.3f} {'-':>10} {'-':>7}  taipan not runnable ({tp_out})")
        elif tp_out != py_out:
            wrong = True
            print(f"{name:<16} {py_t:>10.3f} {tp_t:>10.3f} {'-':>7}  WRONG OUTPUT")
        else:
            print(f"{name:<16} {py_t:>10.3f} {tp_t:>10.3f} {tp_t / py_t:>7.2f}")
        sys.stdout.flush()
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()

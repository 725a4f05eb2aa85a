#!/usr/bin/env python3
"""Compare Taipan's symbol tables with CPython 3.11's on every .py file of Lib.

Usage:
    python3 tools/check_symtable_stdlib.py [--bin PATH] [--jobs N] [--batch N] [--filter SUBSTR]

* Files: every `*.py` under `sysconfig.get_path('stdlib')` except site-packages,
  sorted. Files CPython cannot parse (its `ast` compile raises) are skipped.
* Reference: `tools/cpython_symtable_dump.py`'s `dump_or_error`, in a process pool.
* Ours: the Rust example `symtable_dump FILE...` (same format), default
  `$CARGO_TARGET_DIR/release/examples/symtable_dump`, built with
  `cargo build --release -p taipan-compiler --example symtable_dump` if missing.
* Report: `N/M files identical`, then the differing files; the first
  difference is written to `<target>/symtable-check/first_{expected,got}.txt`.
Exit status: 0 if all files are identical, 1 otherwise.
"""
import argparse
import ast
import concurrent.futures as cf
import os
import subprocess
import sys
import sysconfig
import warnings

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)
from cpython_symtable_dump import dump_or_error  # noqa: E402


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")


def stdlib_files(filter_):
    lib = os.path.realpath(sysconfig.get_path("stdlib"))
    out = []
    for dirpath, dirnames, filenames in os.walk(lib):
        dirnames[:] = sorted(d for d in dirnames if d != "site-packages")
        for name in filenames:
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                if filter_ is None or filter_ in path:
                    out.append(path)
    return sorted(out)


def reference_one(path):
    sys.setrecursionlimit(10000)
    with open(path, "rb") as f:
        src = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(src, path, "exec", ast.PyCF_ONLY_AST)
    except Exception:
        return None  # CPython cannot parse it: skipped
    return dump_or_error(src, path)


def run_ours(binary, files, timeout=600):
    proc = subprocess.run([binary, *files], capture_output=True, timeout=timeout)
    res = {}
    cur = None
    lines = []
    for line in proc.stdout.decode("utf-8", "replace").split("\n"):
        if line.startswith("== ") and line[3:] in files:
            if cur is not None:
                res[cur] = "\n".join(lines)
            cur, lines = line[3:], []
        else:
            lines.append(line)
    if cur is not None:
        if lines and lines[-1] == "":
            lines.pop()
        res[cur] = "\n".join(lines)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--filter")
    args = ap.parse_args()
    binary = args.bin or os.path.join(target_dir(), "release", "examples", "symtable_dump")
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "-p", "taipan-compiler", "--example", "symtable_dump"], cwd=ROOT, check=True)
    files = stdlib_files(args.filter)
    with cf.ProcessPoolExecutor(args.jobs) as ex:
        refs = dict(zip(files, ex.map(reference_one, files, chunksize=8)))
    checked = [f for f in files if refs[f] is not None]
    ours = {}
    batches = [checked[i:i + args.batch] for i in range(0, len(checked), args.batch)]
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        for res in ex.map(lambda b: run_ours(binary, b), batches):
            ours.update(res)
    differing = [f for f in checked if ours.get(f) != refs[f]]
    print(f"{len(checked) - len(differing)}/{len(checked)} files identical "
          f"({len(files) - len(checked)} skipped: CPython cannot parse them)")
    for f in differing[:50]:
        print("  DIFF", f)
    if differing:
        outdir = os.path.join(target_dir(), "symtable-check")
        os.makedirs(outdir, exist_ok=True)
        f = differing[0]
        with open(os.path.join(outdir, "first_expected.txt"), "w") as fh:
            fh.write(refs[f] + "\n")
        with open(os.path.join(outdir, "first_got.txt"), "w") as fh:
            fh.write((ours.get(f) or "<missing>") + "\n")
        with open(os.path.join(outdir, "differing.txt"), "w") as fh:
            fh.write("\n".join(differing) + "\n")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())

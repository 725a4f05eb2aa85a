#!/usr/bin/env python3
"""Compare Taipan's parser with CPython 3.11 on every .py file of CPython's Lib.

Usage:
    python3 tools/check_stdlib.py [--bin PATH] [--jobs N] [--batch N] [--filter SUBSTR]

* Files: every `*.py` under `sysconfig.get_path('stdlib')` except site-packages
  (~1790 files), sorted.
* Reference: `tools/cpython_ast_dump.py`'s `dump_or_error`, run in a process pool.
  Results are cached one file per source under $TAIPAN_STDLIB_CACHE (default
  `<target>/stdlib-ref/<python version>/`), reused while newer than the source.
* Ours: the Rust example `ast_dump FILE...` (same output format), run in batches of
  `--batch` files per process, `--jobs` processes at once. Default binary:
  `$CARGO_TARGET_DIR/release/examples/ast_dump` (or `target/...`), built with
  `cargo build --release -p taipan-parser --example ast_dump` if it is missing.
  A batch that crashes or times out is re-run file by file to pinpoint culprits.
* Report: `N/M files identical`, then the differing files. Written to
  `<target>/stdlib-check/`: `differing.txt` (all names), `first_expected.txt` and
  `first_got.txt` (the first differing pair, one line each) and `first_*.split.txt`
  (the same broken at every `, ` and `(`, for a readable `diff`).
Exit status: 0 if all files are identical, 1 otherwise.
"""
import argparse
import concurrent.futures as cf
import os
import subprocess
import sys
import sysconfig

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)
from cpython_ast_dump import dump_or_error  # noqa: E402


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
    return lib, sorted(out)


def reference_one(args):
    path, cache_path = args
    try:
        if os.path.getmtime(cache_path) >= os.path.getmtime(path):
            with open(cache_path, encoding="utf-8") as f:
                return f.read()
    except OSError:
        pass
    with open(path, "rb") as f:
        line = dump_or_error(f.read(), path)
    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    tmp = cache_path + ".tmp%d" % os.getpid()
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(line)
    os.replace(tmp, cache_path)
    return line


def init_worker():
    sys.setrecursionlimit(10000)


def run_ours(binary, files, timeout):
    """Runs `binary files...` (`binary`: a path or a command list); returns
    {path: line} for the files it reported."""
    res = {}
    command = binary if isinstance(binary, list) else [binary]
    try:
        proc = subprocess.run([*command, *files], capture_output=True, timeout=timeout)
        stdout, rc = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        stdout, rc = e.stdout or b"", "timeout"
    lines = stdout.decode("utf-8", "replace").split("\n")
    for k in range(0, len(lines) - 1, 2):
        if lines[k].startswith("== ") and k + 1 < len(lines) - 1:
            res[lines[k][3:]] = lines[k + 1]
    missing = [f for f in files if f not in res]
    if missing and len(files) == 1:
        res[files[0]] = f"<ast_dump failed: exit {rc}>"
    elif missing:
        for f in missing:  # pinpoint the crashing / hanging file(s)
            res.update(run_ours(binary, [f], timeout))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--bin", help="path of the Rust ast_dump binary")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch", type=int, default=100, help="files per ast_dump process")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per ast_dump process")
    ap.add_argument("--filter", help="only files whose path contains this")
    args = ap.parse_args()

    binary = args.bin or os.path.join(target_dir(), "release", "examples", "ast_dump")
    if not args.bin and not os.path.exists(binary):
        subprocess.run(
            ["cargo", "build", "--release", "-p", "taipan-parser", "--example", "ast_dump"], cwd=ROOT, check=True
        )
    if not os.path.exists(binary):
        sys.exit(f"no ast_dump binary at {binary}")

    lib, files = stdlib_files(args.filter)
    ver = "%d.%d.%d" % sys.version_info[:3]
    cache = os.environ.get("TAIPAN_STDLIB_CACHE") or os.path.join(target_dir(), "stdlib-ref", ver)
    cache_paths = [os.path.join(cache, os.path.relpath(f, lib) + ".ref") for f in files]

    batches = [files[i : i + args.batch] for i in range(0, len(files), args.batch)]
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as tpool:
        ours_futs = [tpool.submit(run_ours, binary, b, args.timeout) for b in batches]
        with cf.ProcessPoolExecutor(max_workers=args.jobs, initializer=init_worker) as ppool:
            expected = list(ppool.map(reference_one, zip(files, cache_paths), chunksize=32))
        got = {}
        for fut in ours_futs:
            got.update(fut.result())

    differing = [(f, e) for f, e in zip(files, expected) if got.get(f) != e]
    out_dir = os.path.join(target_dir(), "stdlib-check")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "differing.txt"), "w", encoding="utf-8") as fh:
        fh.writelines(os.path.relpath(f, lib) + "\n" for f, _ in differing)
    for f, _ in differing:
        print("DIFF", os.path.relpath(f, lib))
    if differing:
        f, e = differing[0]
        with open(os.path.join(out_dir, "first_expected.txt"), "w", encoding="utf-8") as fh:
            fh.write(f"== {f}\n{e}\n")
        with open(os.path.join(out_dir, "first_got.txt"), "w", encoding="utf-8") as fh:
            fh.write(f"== {f}\n{got.get(f, '<no output>')}\n")
        for name, line in (("expected", e), ("got", got.get(f, "<no output>"))):
            with open(os.path.join(out_dir, f"first_{name}.split.txt"), "w", encoding="utf-8") as fh:
                fh.write(line.replace(", ", ",\n").replace("(", "(\n") + "\n")
        print(f"first difference: {f}\n  diff {out_dir}/first_expected.txt {out_dir}/first_got.txt")
    print(f"{len(files) - len(differing)}/{len(files)} files identical")
    return 0 if not differing else 1


if __name__ == "__main__":
    sys.exit(main())

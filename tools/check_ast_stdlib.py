#!/usr/bin/env python3
"""Compare Taipan's `ast` module with CPython 3.11 over the whole stdlib.

Usage:
    python3 tools/check_ast_stdlib.py [--taipan PATH] [--jobs N] [--batch N]
                                      [--filter SUBSTR] [--tests]

For every `*.py` of CPython's Lib (or, with --tests, of this repository's
tests/), `tools/cpython_ast_dump.py` runs once under python3 (the reference,
cached as in tools/check_stdlib.py) and once under `taipan`, where it uses
Taipan's `_ast`: `ast.dump(compile(src, FILE, 'exec', ast.PyCF_ONLY_AST),
include_attributes=True)`, or the SyntaxError. The outputs must be equal.
Prints the differing files and `N/M files identical`; exit status 0 if all are.
Default binary: `$CARGO_TARGET_DIR/debug/taipan` (or target/debug/taipan).
"""
import argparse
import concurrent.futures as cf
import os
import sys

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)
import check_stdlib  # noqa: E402


def test_files(filter_):
    base = os.path.join(ROOT, "tests")
    out = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.endswith(".py") and (filter_ is None or filter_ in path):
                out.append(path)
    return base, sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--taipan", help="path of the taipan binary")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch", type=int, default=50, help="files per taipan process")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per taipan process")
    ap.add_argument("--filter", help="only files whose path contains this")
    ap.add_argument("--tests", action="store_true", help="check tests/**/*.py instead of the stdlib")
    ap.add_argument(
        "--roundtrip",
        action="store_true",
        help="instead: check that compile(ast.parse(src)) makes the same code as compile(src) (tools/ast_roundtrip.py)",
    )
    args = ap.parse_args()

    binary = args.taipan or os.path.join(check_stdlib.target_dir(), "debug", "taipan")
    if not os.path.exists(binary):
        sys.exit(f"no taipan binary at {binary}")
    if args.tests:
        lib, files = test_files(args.filter)
        cache = os.path.join(check_stdlib.target_dir(), "tests-ast-ref")
    else:
        lib, files = check_stdlib.stdlib_files(args.filter)
        ver = "%d.%d.%d" % sys.version_info[:3]
        cache = os.environ.get("TAIPAN_STDLIB_CACHE") or os.path.join(check_stdlib.target_dir(), "stdlib-ref", ver)
    cache_paths = [os.path.join(cache, os.path.relpath(f, lib) + ".ref") for f in files]

    batches = [files[i : i + args.batch] for i in range(0, len(files), args.batch)]
    if args.roundtrip:
        command = [binary, os.path.join(TOOLS, "ast_roundtrip.py")]
        with cf.ThreadPoolExecutor(max_workers=args.jobs) as tpool:
            got = {}
            for fut in [tpool.submit(check_stdlib.run_ours, command, b, args.timeout) for b in batches]:
                got.update(fut.result())
        counts = {}
        for f in files:
            r = got.get(f, "<no output>")
            counts[r.split(":")[0]] = counts.get(r.split(":")[0], 0) + 1
            if r not in ("same", "skip"):
                print("ROUNDTRIP", os.path.relpath(f, lib), r[:200])
        print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())), f"({len(files)} files)")
        return 0 if counts.get("same", 0) + counts.get("skip", 0) == len(files) else 1
    command = [binary, os.path.join(TOOLS, "cpython_ast_dump.py")]
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as tpool:
        futs = [tpool.submit(check_stdlib.run_ours, command, b, args.timeout) for b in batches]
        with cf.ProcessPoolExecutor(max_workers=args.jobs, initializer=check_stdlib.init_worker) as ppool:
            expected = list(ppool.map(check_stdlib.reference_one, zip(files, cache_paths), chunksize=32))
        got = {}
        for fut in futs:
            got.update(fut.result())

    differing = [(f, e) for f, e in zip(files, expected) if got.get(f) != e]
    out_dir = os.path.join(check_stdlib.target_dir(), "ast-check")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "differing.txt"), "w", encoding="utf-8") as fh:
        fh.writelines(os.path.relpath(f, lib) + "\n" for f, _ in differing)
    for f, e in differing:
        g = got.get(f, "<no output>")
        print("DIFF", os.path.relpath(f, lib), "|", g[:150] if not g.startswith(("Module(", "Interactive(")) else "")
    if differing:
        f, e = differing[0]
        for name, line in (("expected", e), ("got", got.get(f, "<no output>"))):
            with open(os.path.join(out_dir, f"first_{name}.split.txt"), "w", encoding="utf-8") as fh:
                fh.write(f"== {f}\n" + line.replace(", ", ",\n").replace("(", "(\n") + "\n")
        print(f"first difference: {f}\n  diff {out_dir}/first_expected.split.txt {out_dir}/first_got.split.txt")
    print(f"{len(files) - len(differing)}/{len(files)} files identical")
    return 0 if not differing else 1


if __name__ == "__main__":
    sys.exit(main())

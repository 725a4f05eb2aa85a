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

With `--code`, compares instead what the symbol table decides about code
objects, for every file `compile()` accepts: per function/class code object
`NAME LINENO flags=... params=... cells=... frees=...` (co_flags' nested,
generator, coroutine, async_generator, varargs, varkeywords; the parameter
names of co_varnames; sorted co_cellvars and co_freevars) against
`symtable_dump --code` (which reports the same from the symbol table; LINENO
is the `def`/`class` line, not the first decorator's).
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


CODE_NAMES = {"<lambda>": "lambda", "<listcomp>": "listcomp", "<setcomp>": "setcomp",
              "<dictcomp>": "dictcomp", "<genexpr>": "genexpr"}


def code_one(path):
    with open(path, "rb") as f:
        src = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(src, path, "exec", ast.PyCF_ONLY_AST)
            code = compile(src, path, "exec")
    except Exception:
        return None
    decorated = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.decorator_list:
            decorated[(node.name, node.decorator_list[0].lineno)] = node.lineno
    lines = []

    def walk(co):
        for c in co.co_consts:
            if hasattr(c, "co_code"):
                lines.append(describe(c))
                walk(c)

    def describe(co):
        name = CODE_NAMES.get(co.co_name, co.co_name)
        lineno = decorated.get((co.co_name, co.co_firstlineno), co.co_firstlineno)
        fl = []
        nparams = 0
        if co.co_flags & 0x1:  # CO_OPTIMIZED: a function
            for bit, label in ((0x10, "nested"), (0x20, "generator"), (0x80, "coroutine"),
                               (0x200, "async_generator"), (0x4, "varargs"), (0x8, "varkeywords")):
                if co.co_flags & bit:
                    fl.append(label)
            nparams = co.co_argcount + co.co_kwonlyargcount + bool(co.co_flags & 0x4) + bool(co.co_flags & 0x8)
        params = ",".join(co.co_varnames[:nparams])
        return (f"{name} {lineno} flags={','.join(fl)} params={params} "
                f"cells={','.join(sorted(co.co_cellvars))} frees={','.join(sorted(co.co_freevars))}")

    walk(code)
    return "\n".join(sorted(lines))


def run_ours(binary, files, timeout=600, code=False):
    proc = subprocess.run([binary, *(["--code"] if code else []), *files], capture_output=True, timeout=timeout)
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
    ap.add_argument("--code", action="store_true", help="compare code-object facts instead of the dump")
    args = ap.parse_args()
    binary = args.bin or os.path.join(target_dir(), "release", "examples", "symtable_dump")
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "-p", "taipan-compiler", "--example", "symtable_dump"], cwd=ROOT, check=True)
    files = stdlib_files(args.filter)
    with cf.ProcessPoolExecutor(args.jobs) as ex:
        refs = dict(zip(files, ex.map(code_one if args.code else reference_one, files, chunksize=8)))
    checked = [f for f in files if refs[f] is not None]
    ours = {}
    batches = [checked[i:i + args.batch] for i in range(0, len(checked), args.batch)]
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        for res in ex.map(lambda b: run_ours(binary, b, code=args.code), batches):
            ours.update(res)
    differing = [f for f in checked if ours.get(f) != refs[f]]
    what = "compile" if args.code else "parse"
    print(f"{len(checked) - len(differing)}/{len(checked)} files identical "
          f"({len(files) - len(checked)} skipped: CPython cannot {what} them)")
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

#!/usr/bin/env python3
"""Round trip through `ast` objects: for each FILE, prints `== FILE` and then
`same`, `differ`, or `error: ...`: whether `compile(src, FILE, 'exec')` and
`compile(ast.parse(src), FILE, 'exec')` give the same code object (compared
with `marshal.dumps`). Meant to run under taipan (tools/check_ast_stdlib.py
--roundtrip); under CPython it checks the same property of CPython.
Files that do not compile are reported as `skip`.
"""
import ast
import marshal
import sys
import warnings


def one(path):
    with open(path, "rb") as f:
        src = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            direct = compile(src, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return "skip"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(src, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            via = compile(tree, path, "exec", dont_inherit=True)
    except Exception as e:  # noqa: BLE001 - any failure is a finding
        return f"error: {type(e).__name__}: {e}"
    return "same" if marshal.dumps(direct) == marshal.dumps(via) else "differ"


def main(argv):
    sys.setrecursionlimit(10000)
    for path in argv:
        sys.stdout.write(f"== {path}\n{one(path)}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])

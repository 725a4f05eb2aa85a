#!/usr/bin/env python3
"""Reference AST dumper: what CPython 3.11 makes of each source file.

Usage: python3 tools/cpython_ast_dump.py [--name-relative-to DIR] FILE...

For each FILE prints a header line `== FILE` followed by exactly one line:
  * `ast.dump(compile(src, FILE, 'exec', ast.PyCF_ONLY_AST), include_attributes=True)`
    when the file parses, or
  * `ExcName: msg (lineno, offset)` when compile raises SyntaxError or a
    subclass (IndentationError, TabError), or
  * `ExcName: msg` for any other exception (e.g. ValueError for null bytes).

The source is read as bytes (so coding cookies / BOM / invalid UTF-8 are
handled by CPython's own tokenizer) and warnings are silenced.  The filename
passed to compile() is FILE as given, or, with --name-relative-to DIR, FILE's
path relative to DIR (the golden test uses paths like `invalid/foo.py`).
compile() runs under the default int max-str-digits limit (4300), ast.dump()
without it (so a huge hex literal dumps as its decimal value).
`crates/parser/examples/ast_dump.rs` prints the same format.
"""
import ast
import os
import sys
import warnings


def dump_or_error(src: bytes, filename: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(src, filename, "exec", ast.PyCF_ONLY_AST)
        # The 4300-digit int limit applies to compile() (a long decimal literal is
        # a SyntaxError) but not to dumping: repr() of a huge hex literal's value
        # would otherwise raise ValueError in ast.dump.
        limit = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return ast.dump(tree, include_attributes=True)
        finally:
            sys.set_int_max_str_digits(limit)
    except SyntaxError as e:
        return f"{type(e).__name__}: {e.msg} ({e.lineno}, {e.offset})"
    except Exception as e:  # ValueError (null bytes), RecursionError, MemoryError...
        return f"{type(e).__name__}: {e}"


def main(argv):
    rel = None
    if len(argv) >= 2 and argv[0] == "--name-relative-to":
        rel = argv[1]
        argv = argv[2:]
    sys.setrecursionlimit(10000)
    out = sys.stdout
    for path in argv:
        with open(path, "rb") as f:
            src = f.read()
        name = os.path.relpath(path, rel) if rel is not None else path
        line = dump_or_error(src, name)
        out.write(f"== {path}\n{line}\n")
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Reference symbol-table dumper: what CPython 3.11's `symtable` makes of each file.

Usage: python3 tools/cpython_symtable_dump.py [--name-relative-to DIR] FILE...

For each FILE prints a header line `== FILE`, then either

  * one line per scope, depth first (children in CPython's order), indented by
    two spaces per nesting level:  `TYPE NAME lineno=N`
    (TYPE is `module`, `function` or `class`; comprehensions and lambdas are
    functions named `listcomp`, `setcomp`, `dictcomp`, `genexpr`, `lambda`),
    each followed by its symbols sorted by name, one per line, indented two
    spaces more than the scope:  `NAME:LETTERS:FLAGS:SCOPE` where
      - LETTERS has one letter per true `symtable.Symbol` predicate, in this
        order: r is_referenced, i is_imported, p is_parameter, g is_global,
        G is_declared_global, l is_local, a is_annotated, f is_free,
        s is_assigned, n is_namespace, N is_nonlocal;
      - FLAGS is the raw flag word below the scope bits (DEF_GLOBAL=1,
        DEF_LOCAL=2, DEF_PARAM=4, DEF_NONLOCAL=8, USE=16, DEF_FREE=32,
        DEF_FREE_CLASS=64, DEF_IMPORT=128, DEF_ANNOT=256, DEF_COMP_ITER=512);
      - SCOPE is the resolved scope (0 none, 1 LOCAL, 2 GLOBAL_EXPLICIT,
        3 GLOBAL_IMPLICIT, 4 FREE, 5 CELL);
  * or one line `ExcName: msg (lineno, offset)` when
    `symtable.symtable(src, FILE, 'exec')` raises SyntaxError (or a subclass:
    parse errors included), `ExcName: msg` for any other exception (e.g.
    `RecursionError: maximum recursion depth exceeded during compilation`).

The source is read as bytes; warnings are silenced. With --name-relative-to
DIR, the filename passed to symtable is FILE relative to DIR.
`crates/compiler/examples/symtable_dump.rs` prints the same format.
"""
import os
import symtable
import sys
import warnings

import _symtable

SCOPE_OFF = _symtable.SCOPE_OFF
SCOPE_MASK = _symtable.SCOPE_MASK

PREDICATES = [
    ("r", "is_referenced"),
    ("i", "is_imported"),
    ("p", "is_parameter"),
    ("g", "is_global"),
    ("G", "is_declared_global"),
    ("l", "is_local"),
    ("a", "is_annotated"),
    ("f", "is_free"),
    ("s", "is_assigned"),
    ("n", "is_namespace"),
    ("N", "is_nonlocal"),
]


def dump_table(t, depth, out):
    ind = "  " * depth
    out.append(f"{ind}{t.get_type()} {t.get_name()} lineno={t.get_lineno()}")
    raw = t._table.symbols
    for name in sorted(t.get_identifiers()):
        sym = t.lookup(name)
        letters = "".join(c for c, m in PREDICATES if getattr(sym, m)())
        v = raw[name]
        flags = v & ((1 << SCOPE_OFF) - 1)
        scope = (v >> SCOPE_OFF) & SCOPE_MASK
        out.append(f"{ind}  {name}:{letters}:{flags}:{scope}")
    for child in t.get_children():
        dump_table(child, depth + 1, out)


def dump_or_error(src: bytes, filename: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            top = symtable.symtable(src, filename, "exec")
        out = []
        dump_table(top, 0, out)
        return "\n".join(out)
    except SyntaxError as e:
        return f"{type(e).__name__}: {e.msg} ({e.lineno}, {e.offset})"
    except Exception as e:  # ValueError (null bytes), RecursionError, MemoryError...
        return f"{type(e).__name__}: {e}"


def main(argv):
    rel = None
    if len(argv) >= 2 and argv[0] == "--name-relative-to":
        rel = argv[1]
        argv = argv[2:]
    # No sys.setrecursionlimit() here: CPython's symtable allows
    # 3 * (recursion limit - current Python depth) nested statements and
    # expressions before raising RecursionError; with the default limit and
    # this script's call depth that is 2988, the default of the Rust side.
    out = sys.stdout
    for path in argv:
        with open(path, "rb") as f:
            src = f.read()
        name = os.path.relpath(path, rel) if rel is not None else path
        text = dump_or_error(src, name)
        out.write(f"== {path}\n{text}\n")
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])

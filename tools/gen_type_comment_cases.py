#!/usr/bin/env python3
"""Writes crates/parser/tests/type_comments.txt: sources of CPython's
test_type_comments (and a few more), each parsed by CPython 3.11 with
`ast.parse(src, type_comments=True, feature_version=(3, N))` for several N,
with `ast.dump(..., include_attributes=True)` or the SyntaxError as
`Name: msg (lineno, offset)`. crates/parser/tests/type_comments.rs checks
Taipan's parser against it."""
import ast
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(ast.__file__), 'test'))
import test_type_comments as T  # noqa: E402

NAMES = ['funcdef', 'asyncdef', 'asyncvar', 'asynccomp', 'matmul', 'fstring', 'underscorednumber',
         'redundantdef', 'nonasciidef', 'forstmt', 'withstmt', 'vardecl', 'ignores', 'longargs']
EXTRA = {
    'inappropriate1': "pass  # type: int\n",
    'inappropriate2': "while True:  # type: int\n  continue\n",
    'inappropriate3': "pass  # type: ignorewhatever\n",
    'inappropriate4': "pass  # type: ignore\u00e9\n",
    'inappropriate5': "x += 1  # type: int\n",
    'inappropriate6': "try:\n  pass\nfinally:  # type: int\n  pass\n",
    'trailing': "a = 1  # type:   int  \n#type:ignore\nx = [1,  # type: ignore\n 2]\n",
    'posonly': "def f(a, /): pass\n",
    'walrus': "(a := 1)\n",
    'annassign': "x: int = 1\n",
    'parenwith': "with (a as b, c): pass\n",
    'match': "match x:\n case 1: pass\n",
    'exceptstar': "try: pass\nexcept* E: pass\n",
    'awaitname': "async def f():\n    await x\nawait = 3\n",
}


def run(src, v):
    try:
        return ast.dump(ast.parse(src, type_comments=True, feature_version=(3, v)), include_attributes=True)
    except SyntaxError as e:
        return f"{type(e).__name__}: {e.msg} ({e.lineno}, {e.offset})"


def main():
    cases = [(n, getattr(T, n)) for n in NAMES] + list(EXTRA.items())
    out = []
    for name, src in cases:
        for v in (4, 5, 6, 7, 8, 9, 10, 11):
            out.append(f"@@@ {name} {v}\n{src}@@@ expect\n{run(src, v)}\n")
    path = os.path.join(os.path.dirname(__file__), '..', 'crates', 'parser', 'tests', 'type_comments.txt')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(''.join(out))


if __name__ == '__main__':
    main()

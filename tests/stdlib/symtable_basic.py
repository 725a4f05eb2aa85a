# _symtable and symtable.py: scopes, symbol flags, errors.
import _symtable
import symtable

SRC = """
import os, sys as system
from json import dumps
glob = 1
class C(Base, metaclass=M):
    attr: int = 3
    __private = 4
    def method(self, a, /, b=1, *args, c, d=2, **kw):
        global glob
        glob = a
        return __class__, self.__private, super()
    def other(self):
        return [x * y for x in self.attr for y in range(x) if x]
def outer(p):
    v = p
    w = 0
    def inner(q):
        nonlocal w
        w += q
        return v + w + glob + undefined
    lam = lambda z, *r: z + v
    g = (i for i in range(p))
    s = {k for k in p}
    d = {k: v for k, v in p}
    async def co():
        await inner(1)
        async for a in co():
            yield a
    return inner, lam
try:
    pass
except Exception as exc:
    pass
if (n := 10) > 5:
    print(n)
"""

def flags_text(flags):
    names = []
    for name in ("DEF_GLOBAL", "DEF_LOCAL", "DEF_PARAM", "DEF_NONLOCAL", "USE", "DEF_FREE",
                 "DEF_FREE_CLASS", "DEF_IMPORT", "DEF_ANNOT"):
        if flags & getattr(_symtable, name):
            names.append(name)
    scope = (flags >> _symtable.SCOPE_OFF) & _symtable.SCOPE_MASK
    return "|".join(names) + " scope=%d" % scope

def dump_raw(t, depth=0):
    ind = "  " * depth
    print(ind + "%s type=%d lineno=%d nested=%d varnames=%s" % (t.name, t.type, t.lineno, t.nested, t.varnames))
    for name, flags in t.symbols.items():
        print(ind + "  %s: %d %s" % (name, flags, flags_text(flags)))
    for c in t.children:
        dump_raw(c, depth + 1)

top = _symtable.symtable(SRC, "<src>", "exec")
dump_raw(top)
print(type(top).__name__, type(top).__module__)
print(repr(top) == "<symtable entry top(%d), line 0>" % top.id, top.id > 0)
print(top.symbols is top.symbols, top.children is top.children)

for name in sorted(n for n in dir(_symtable) if n.isupper()):
    print(name, getattr(_symtable, name))

def dump(t, depth=0):
    ind = "  " * depth
    print(ind + repr(t), t.get_type(), t.get_name(), t.get_lineno(), t.is_optimized(), t.is_nested(), t.has_children())
    if isinstance(t, symtable.Function):
        print(ind + "  params", t.get_parameters(), "locals", t.get_locals(), "globals", t.get_globals())
        print(ind + "  frees", t.get_frees(), "nonlocals", t.get_nonlocals())
    if isinstance(t, symtable.Class):
        print(ind + "  methods", t.get_methods())
    for s in sorted(t.get_symbols(), key=lambda s: s.get_name()):
        print(ind + "  ", s, s.is_referenced(), s.is_imported(), s.is_parameter(), s.is_global(),
              s.is_declared_global(), s.is_local(), s.is_annotated(), s.is_free(), s.is_assigned(),
              s.is_namespace(), s.is_nonlocal(), len(s.get_namespaces()))
    for c in t.get_children():
        dump(c, depth + 1)

dump(symtable.symtable(SRC, "mod.py", "exec"))
dump(symtable.symtable("x + y", "e", "eval"))
dump(symtable.symtable("a = b", "s", "single"))
dump(symtable.symtable(b"# -*- coding: latin-1 -*-\nclass \xe9: pass\n", "b", "exec"))
dump(symtable.symtable("from __future__ import annotations\ndef f(x: int) -> y: pass\n", "fa", "exec"))

def err(*args):
    try:
        _symtable.symtable(*args)
    except SyntaxError as e:
        print(type(e).__name__, e.args, e.filename, e.lineno, e.offset, e.end_lineno, e.end_offset, e.text)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("no error")

try:
    _symtable.symtable("def f(x): foo)(", "spam", "exec")
except SyntaxError as e:  # the parser's error
    print(e.msg, e.filename, e.lineno, e.offset, e.text)
err("def f(x): global x", "spam", "exec")
err("def f():\n  nonlocal y", "spam", "exec")
err("nonlocal y", "spam", "exec")
err("def f(a, a): pass", "spam", "exec")
err("def f():\n  x = 1\n  global x", "spam", "exec")
err("[(i := 0) for i in range(3)]", "spam", "exec")
err("x = 1\0", "spam", "exec")
err("x", "spam", "bad")
err("x", "spam", 3)
err(3, "spam", "exec")
err("x", None, "exec")
err("x", "spam")
err("x", b"spam", "exec")
try:
    _symtable.symtable("x", "f", mode="exec")
except TypeError as e:
    print(e)
try:
    type(top)()
except TypeError as e:
    print(e)

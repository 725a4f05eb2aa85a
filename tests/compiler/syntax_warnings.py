# Compile-time SyntaxWarnings (CPython's compiler_warn): `assert (x, msg)`,
# `is` with a literal, calling or subscripting a literal ("perhaps you
# missed a comma?"); under an "error" filter each becomes a SyntaxError at
# the construct.
import warnings

SOURCES = [
    'assert (x, "msg")',
    'assert ()',
    'assert x, "msg"',
    'x is 1',
    'x is not "a"',
    '1 is x',
    'x is None',
    'x is True',
    'x is -1',
    'x is ()',
    'x is (1, 2)',
    'x == 1',
    'a is b is 1',
    '[(1, 2) (3, 4)]',
    '[[1, 2] (3, 4)]',
    '[{1, 2} (3, 4)]',
    '[{1: 2} (3, 4)]',
    '[[i for i in range(5)] (3, 4)]',
    '[f"{x}" (3, 4)]',
    '[b"x" (3, 4)]',
    '[None (3, 4)]',
    '[1 (3, 4)]',
    '[x (3, 4)]',
    '[[1, 2] [3, 4]]',
    '[[1, 2] [i]]',
    '[[1, 2] [0]]',
    '[[1, 2] [1:2]]',
    '[(1, 2) ["a"]]',
    '["abc" [1.5]]',
    '[{1, 2} [3]]',
    '[1 [3]]',
    '[None [3]]',
    '[(lambda: 1) [3]]',
    '[x [3]]',
    'def f():\n    if x is 1:\n        pass\n',
    'x = [1 (2)]\ny = 3 is x\n',
]

for src in SOURCES:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always", SyntaxWarning)
        try:
            compile(src, "<testcase>", "exec")
        except SyntaxError as e:
            print(repr(src), "SyntaxError", e)
    print(repr(src), [(str(x.message), x.category.__name__, x.filename, x.lineno) for x in w])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("error", SyntaxWarning)
        try:
            compile(src, "<testcase>", "exec")
            print("  compiled")
        except SyntaxError as e:
            print("  SyntaxError:", e.msg, e.lineno, e.offset, e.filename)
    print("  leaked:", len(w))

# Warnings in exec'd and eval'd code too; ignored warnings do nothing.
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(eval("'a' is 'a'"))
    exec("assert (1, 'always')")
print([str(x.message) for x in w])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    print(eval("[1, 2] [0]"))

# Binding or deleting __debug__, and repeated keyword arguments, are
# compile-time errors.
for src in ["__debug__ = 1", "del __debug__", "def f(__debug__): pass", "__debug__ += 1",
            "x.__debug__ = 1", "del x.__debug__", "import __debug__", "for __debug__ in x: pass",
            "f(__debug__=1)", "class __debug__: pass", "(__debug__ := 1)", "__debug__: int",
            "lambda __debug__: 0", "def f(*, x=lambda __debug__: 0): pass", "def f(**__debug__): pass",
            "try: pass\nexcept E as __debug__: pass", "f(a=1, a=2)", "call(\na=1,\na=1\n)",
            "f(a=1, **k, b=2)", "print(__debug__)", "x = __debug__"]:
    try:
        compile(src, "<s>", "exec")
        print(repr(src), "ok")
    except SyntaxError as e:
        print(repr(src), "SyntaxError:", e.msg, e.lineno, e.offset)

print(StopIteration().value, StopIteration(1, 2).value)
print(SystemExit().code, SystemExit(3).code, SystemExit(1, 2).code)
i = ImportError("no", name="mod", path="/p")
print(i, i.msg, i.name, i.path, ImportError().msg, ImportError(1, 2))
print(ModuleNotFoundError("m", name="m").name)
try:
    ImportError("a", foo=1)
except TypeError as e:
    print(e)
try:
    ValueError("a", foo=1)
except TypeError as e:
    print(e)
s = SyntaxError("bad thing", ("dir/file.py", 3, 4, "text\n", 3, 6))
print(s, s.msg, s.filename, s.lineno, s.offset, repr(s.text), s.end_lineno, s.end_offset, s.print_file_and_line)
print(SyntaxError("m"), SyntaxError(), SyntaxError("m", ("f", None, None, None)))
for bad in [(1, 2), 5]:
    try:
        SyntaxError("a", bad)
    except TypeError as e:
        print(e)
print(issubclass(TabError, IndentationError), issubclass(IndentationError, SyntaxError))
a = AttributeError("x", name="nm", obj=5)
print(a.name, a.obj, AttributeError().name)
n = NameError("x", name="nm")
print(n.name, NameError().name)
print(KeyError("k"), KeyError(), KeyError(1, 2), repr(KeyError("k")))
u = UnicodeEncodeError("ascii", "a\xe9b", 1, 2, "ordinal not in range(128)")
print(u, u.encoding, repr(u.object), u.start, u.end, u.reason)
print(UnicodeEncodeError("ascii", "\u1234xyz", 0, 3, "bad"))
print(UnicodeTranslateError("\U0001f600", 0, 1, "nope"))
try:
    UnicodeEncodeError("a")
except TypeError as e:
    print(e)
try:
    UnicodeEncodeError(1, "a", 1, 2, "r")
except TypeError as e:
    print(e)
e = ValueError(1, 2)
print(e, repr(e), e.args, str(ValueError()), repr(ValueError()))
e.args = [3]
print(e.args, e)
try:
    del e.args
except TypeError as x:
    print(x)
for cls in [ArithmeticError, FloatingPointError, BufferError, EOFError, MemoryError, ReferenceError, SystemError,
            NotImplementedError, StopAsyncIteration, GeneratorExit, KeyboardInterrupt, UserWarning, EncodingWarning, BytesWarning, FutureWarning]:
    print(cls.__name__, cls.__mro__[1].__name__, cls.__doc__)

# bytes construction, operators, indexing, repr, % formatting.
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

print(bytes(), bytes(3), bytes([65, 66, 67]), bytes(range(3)), bytes(b"copy"), bytes(bytearray(b"ba")))
print(bytes("é", "utf-8"), bytes("abc", encoding="ascii"), bytes("x\udcff", "utf-8", "surrogateescape"))
t(lambda: bytes("a"))
t(lambda: bytes(1, "utf-8"))
t(lambda: bytes(-1))
t(lambda: bytes(1.5))
t(lambda: bytes(["a"]))
t(lambda: bytes([300]))
t(lambda: bytes("x", encoding=1))
t(lambda: bytes(x=1))
t(lambda: bytes(1, 2, 3, 4))

class B:
    def __bytes__(self):
        return b"from dunder"

class Bad:
    def __bytes__(self):
        return "nope"

print(bytes(B()))
t(lambda: bytes(Bad()))
b = b"hello world"
print(b[0], b[-1], b[1:4], b[::-1], b[::3], len(b), b"o" in b, 111 in b, b"xyz" in b, b"" in b)
t(lambda: b[20])
t(lambda: 300 in b)
t(lambda: "o" in b)
t(lambda: b["x"])
print(b"ab" + b"cd", b"ab" + bytearray(b"cd"), b"ab" * 3, 2 * b"xy", b"ab" * 0, b"ab" * -1)
t(lambda: b"a" + "b")
t(lambda: b"a" + 1)
t(lambda: b"a" * "b")
print(b"abc" < b"abd", b"abc" <= b"abc", b"b" > b"abc", b"a" == "a", b"a" != b"a", b"ab" == bytearray(b"ab"))
t(lambda: b"a" < "a")
print(hash(b"abc") == hash(b"abc"), hash(b"") == hash(b""), bool(b""), bool(b"\x00"))
print([x for x in b"AB\xff"], b"a\x00b")
for r in [b"", b"'", b'"', b"'\"", b"\\", b"\t\n\r\x0b\x7f\x80\xff", bytes(range(0, 256, 15))]:
    print(repr(r), str(r))
print(b"%d-%s" % (1, b"x"), b"%s" % bytearray(b"ba"), b"%s" % memoryview(b"mv"), b"%.1s" % b"abc")
print(b"%5.2f|%-6d|%+d|%#x|%#o|%05d|%e|%g|%G|%.3g|%r|%a" % (3.14159, 42, 5, 255, 8, -42, 12345.678, 0.00001, 1e20, 2.5, "é", b"x"))
print(b"%(x)s-%(y)d" % {b"x": b"1", b"y": 2}, b"%*d|%.*f|%%|%c|%c" % (5, 3, 2, 1.0, 65, b"B"))
print(b"%i %u %x %X %o" % (True, 3.9, 2**70, 255, 2**70), b"%g %g %g %#g" % (100000, 1000000, 1.5, 1.0))
print(b"%.0e %E %f" % (12345, float("inf"), float("nan")), b"%s" % B(), b"%c" % 0)
t(lambda: b"%s" % "a")
t(lambda: b"%d" % "a")
t(lambda: b"%x" % 1.5)
t(lambda: b"%f" % "a")
t(lambda: b"%c" % 300)
t(lambda: b"%c" % "a")
t(lambda: b"%s %s" % (b"a",))
t(lambda: b"%s" % (b"a", b"b"))
t(lambda: b"abc" % 5)
t(lambda: b"%y" % 1)
t(lambda: b"%" % ())
t(lambda: b"%(a)s" % (1,))
print(b"abc".__bytes__(), isinstance(b"", bytes), type(b"x").__name__)

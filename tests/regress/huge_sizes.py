# Huge slice steps, offsets, widths and precisions: errors or results, never a crash.
import sys
import struct
import array

big = sys.maxsize
s = "abcdefghij"
l = list(range(10))
print(s[::big], s[::-big], s[1::big], s[-1::-big], s[::-big - 1])
print("é" + s[::big], ("é" + s)[::-big])
print(l[::big], l[::-big], l[3::big])
print(b"abcdef"[::big], bytearray(b"abcdef")[::-big], tuple(l)[::big])
print(array.array("i", l)[::big], array.array("i", l)[::-big])
print(memoryview(b"abcdef")[::big].tobytes())
m = list(range(10))
m[::big] = ["x"]
print(m)
del m[::-big]
print(m)
m = list(range(10))
m[2::big] = ["y"]
print(m)
print(range(10)[::big], range(10)[::-big])


def show(f):
    try:
        r = f()
        print(repr(r)[:40], len(r))
    except Exception as e:
        print(type(e).__name__, e)


for off in (big, -big, -big - 1):
    show(lambda: struct.pack_into("i", bytearray(10), off, 1))
    show(lambda: struct.unpack_from("i", b"x" * 10, off))
    show(lambda: struct.Struct("h").unpack_from(b"x" * 10, off))

show(lambda: "%.*f" % (big, 1.0))
show(lambda: "%.*f" % (2**100, 1.0))
show(lambda: "%.*f" % (2**31, 1.0))
show(lambda: "%.2147483648f" % 1.0)
show(lambda: "%.99999999999999999999f" % 1.0)
show(lambda: "%.70000f" % 1.0)
show(lambda: "%.70000e" % 1.5)
show(lambda: "%#.70000g" % 1.5)
show(lambda: "%.70000g" % 1.5)
show(lambda: format(1.0, ".70000f"))
show(lambda: format(1.0, ".70000%"))
show(lambda: format(2.5, ".70000e"))
show(lambda: format(2.5, "#.70000g"))
show(lambda: format(2.5, ".70000"))
show(lambda: format(1.0, ".2147483648f"))
show(lambda: format(1.0, ".99999999999999999999f"))
show(lambda: format(1.0, "99999999999999999999f"))
show(lambda: format("a", "99999999999999999999"))
show(lambda: b"%.70000f" % 1.0)
show(lambda: b"%.70000e" % 1.0)
show(lambda: b"%.70000g" % 1.0)
show(lambda: b"%#.70000g" % 1.0)
show(lambda: b"%.*f" % (2**31, 1.0))
show(lambda: b"%.2147483648f" % 1.0)
show(lambda: b"%99999999999999999999d" % 1)
show(lambda: "%99999999999999999999d" % 1)
show(lambda: "%*d" % (2**63, 1))
show(lambda: b"%*d" % (2**63, 1))
show(lambda: "%*s" % (big, "a"))
show(lambda: "%*s" % (big // 2, "a"))
show(lambda: "%-*s" % (big // 2, "a"))
show(lambda: b"%*s" % (big, b"a"))
show(lambda: "{:{}}".format("a", big))
show(lambda: format(1.0, str(big)))
show(lambda: format(12, str(big)))


def mul(a, n):
    a *= n
    return a


show(lambda: array.array("i", [1, 2]) * big)
show(lambda: mul(array.array("i", [1, 2]), big))
show(lambda: mul(array.array("i", [1, 2]), big // 4))
show(lambda: mul(bytearray(b"ab"), big))
show(lambda: bytearray(b"ab") * big)
show(lambda: [1, 2] * big)
show(lambda: mul([1, 2], big))
show(lambda: "ab" * big)

# Slice bounds beyond a word clamp; __index__ objects are slice bounds.
class Ix:
    def __index__(self):
        return 2


huge = 1 << 333
print(s[::-huge], s[-huge:huge], s[9::huge], s[Ix():5], l[Ix()::Ix()])
a = array.array("i", range(10))
del a[9::huge]
print(a)
del a[::-huge]
print(a)
m = list(range(10))
del m[2::huge]
m[-huge::huge] = ["z"]
print(m, b"abc"[-huge:huge:huge], range(10)[Ix()::3])
try:
    s[::Ix]
except TypeError as e:
    print("TypeError", e)

# ctypes: simple types, arrays, pointers, memory functions, casts.
from ctypes import *


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


for t in (c_byte, c_ubyte, c_short, c_ushort, c_int, c_uint, c_long, c_ulong,
          c_longlong, c_ulonglong, c_float, c_double, c_bool, c_char, c_wchar,
          c_char_p, c_wchar_p, c_void_p, c_size_t, c_ssize_t, py_object):
    print(t.__name__, t._type_, sizeof(t), alignment(t))

print(c_int(42), c_int(42).value, c_uint(-1).value, c_byte(200).value, c_ubyte(-1).value)
print(c_short(70000).value, c_longlong(2 ** 64 + 5).value, c_bool(7).value, c_bool(0))
print(c_double(1.25), c_float(0.1).value, c_char(b"x"), c_char(65).value)
print(c_char_p(b"abc").value, c_char_p().value, c_void_p().value, c_void_p(1234).value)
print(c_wchar("é").value, c_wchar_p("héllo").value, py_object([1, 2]).value)
show(lambda: c_int("a"))
show(lambda: c_int(1.5))
show(lambda: c_double("x"))
show(lambda: c_char(b"ab"))
show(lambda: c_char_p("s"))
show(lambda: c_void_p("s"))
show(lambda: c_wchar("ab"))
show(lambda: c_wchar_p(b"x"))
show(lambda: c_int(1, 2))


class MyInt(c_int):
    pass


print(MyInt(5).value, type(MyInt(5)).__name__, repr(MyInt(5))[:13])
x = c_int(3)
x.value += 4
print(x.value)

# arrays
IntArr = c_int * 5
print(IntArr.__name__, IntArr._length_, IntArr._type_ is c_int, sizeof(IntArr), c_int * 5 is IntArr)
a = IntArr(5, 1, 4)
print(list(a), len(a), a[0], a[-1], a[1:3], a[::2])
a[3] = 9
a[1:3] = [7, 7]
print(list(a))
show(lambda: a[5])
show(lambda: IntArr(1, 2, 3, 4, 5, 6))
show(lambda: c_int * -1)
m = (c_int * 3 * 2)()
m[1][2] = 8
print([list(row) for row in m], sizeof(m))
s = create_string_buffer(b"hello", 8)
print(s.value, s.raw, len(s), sizeof(s), s[1], s[:3])
s.value = b"hi"
print(s.raw)
show(lambda: setattr(s, "value", b"much too long"))
w = create_unicode_buffer("wide")
print(w.value, len(w), w[0])
print(bytes((c_ubyte * 4)(1, 2, 3, 250)), memoryview(c_int(7)).tobytes())

# pointers
i = c_int(10)
pi = pointer(i)
print(type(pi).__name__, pi.contents.value, pi[0], bool(pi), POINTER(c_int) is type(pi))
pi[0] = 11
print(i.value)
pi.contents = c_int(99)
print(pi[0], i.value)
null = POINTER(c_int)()
print(bool(null))
show(lambda: null[0])
show(lambda: null.contents)
arr = (c_int * 4)(1, 2, 3, 4)
pa = cast(arr, POINTER(c_int))
print(pa[2], pa[:4], [pa[k] for k in range(4)])
pp = pointer(pointer(c_int(5)))
print(pp.contents.contents.value, pp[0][0])
show(lambda: pointer(3))
show(lambda: POINTER(c_int).from_param(3))
show(lambda: cast(1, c_int))
show(lambda: byref(3))
show(lambda: addressof(3))
show(lambda: sizeof(3))
print(addressof(i) == cast(pointer(i), c_void_p).value)
print(byref(i)._obj is i)

# memory functions
src = create_string_buffer(b"abcdef")
dst = create_string_buffer(8)
memmove(dst, src, 4)
print(dst.raw)
memset(dst, ord("z"), 2)
print(dst.raw, string_at(dst), string_at(src, 3), wstring_at(create_unicode_buffer("xyz")))
print(string_at(addressof(src) + 2))

# from_address / from_buffer_copy / resize
j = c_int(77)
print(c_int.from_address(addressof(j)).value)
buf = bytearray(b"\x01\x00\x00\x00\x02\x00\x00\x00")
print(list((c_int * 2).from_buffer_copy(buf)), c_int.from_buffer_copy(buf, 4).value)
show(lambda: c_int.from_buffer_copy(b"ab"))
k = c_int(1)
show(lambda: resize(k, 2))
resize(k, 16)
print(sizeof(k), k.value)

# _objects keep-alive
cp = c_char_p(b"spam")
print(cp._objects, c_int(5)._objects)
ca = (c_char_p * 2)()
ca[1] = b"eggs"
print(ca._objects, ca[1])

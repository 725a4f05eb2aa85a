# ctypes: Structure/Union layout, fields, nesting, bit fields, by value and by pointer.
from ctypes import (Structure, Union, CDLL, POINTER, pointer, byref, sizeof, alignment,
                    addressof, c_int, c_uint, c_short, c_char, c_double, c_long, c_byte,
                    c_char_p, c_ubyte, c_int64, c_uint8, c_uint16, c_uint32)


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


class POINT(Structure):
    _fields_ = [("x", c_int), ("y", c_int)]


class RECT(Structure):
    _fields_ = [("ul", POINT), ("lr", POINT)]


p = POINT(1, 2)
print(p.x, p.y, sizeof(POINT), alignment(POINT), POINT.x, POINT.y)
p.x = 10
print(p.x, bytes(p))
r = RECT(POINT(1, 2), POINT(3, 4))
print(r.ul.x, r.ul.y, r.lr.x, r.lr.y, sizeof(r))
r.lr = (7, 8)
print(r.lr.x, r.lr.y)
ul = r.ul
ul.x = 99
print(r.ul.x, ul._b_base_ is r)

show(lambda: POINT(1, 2, 3))
show(lambda: POINT(1, x=2))
show(lambda: POINT(y=5).y)
show(lambda: setattr(POINT, "_fields_", []))


class Mixed(Structure):
    _fields_ = [("c", c_char), ("d", c_double), ("s", c_short), ("b", c_byte)]


print(sizeof(Mixed), [(n, getattr(Mixed, n).offset) for n in ("c", "d", "s", "b")])


class Packed(Structure):
    _pack_ = 1
    _fields_ = [("c", c_char), ("d", c_double), ("s", c_short)]


print(sizeof(Packed), Packed.d.offset, Packed.s.offset)


class U(Union):
    _fields_ = [("i", c_uint32), ("b", c_ubyte * 4), ("h", c_uint16)]


u = U()
u.i = 0x11223344
print(sizeof(U), hex(u.h), list(u.b))


class Bits(Structure):
    _fields_ = [("a", c_uint, 3), ("b", c_uint, 5), ("c", c_int, 4), ("d", c_uint8)]


bf = Bits()
bf.a = 5
bf.b = 31
bf.c = -3
bf.d = 200
print(bf.a, bf.b, bf.c, bf.d, sizeof(Bits), Bits.a, Bits.c, Bits.d)
bf.a = 9  # truncated to 3 bits
print(bf.a)


class Anon(Structure):
    _anonymous_ = ("u",)
    _fields_ = [("tag", c_int), ("u", U)]


an = Anon()
an.i = 0x01020304
print(an.tag, an.h, Anon.i.offset)


# inheritance appends fields
class Point3(POINT):
    _fields_ = [("z", c_int)]


p3 = Point3(x=1, y=2, z=3)
print(p3.x, p3.y, p3.z, sizeof(Point3))

# errors in _fields_
show(lambda: type("B1", (Structure,), {"_fields_": [("x", c_double, 2)]}))
show(lambda: type("B2", (Structure,), {"_fields_": [("x", 3)]}))
show(lambda: type("B3", (Structure,), {"_fields_": [("x", c_int, 33)]}))

# structures by value and by pointer through libc
libc = CDLL(None)


class DIV(Structure):
    _fields_ = [("quot", c_int), ("rem", c_int)]


class LDIV(Structure):
    _fields_ = [("quot", c_long), ("rem", c_long)]


libc.div.restype = DIV
libc.div.argtypes = [c_int, c_int]
d = libc.div(17, 5)
print(type(d).__name__, d.quot, d.rem)
libc.ldiv.restype = LDIV
libc.ldiv.argtypes = [c_long, c_long]
d = libc.ldiv(-100, 7)
print(d.quot, d.rem)


class TM(Structure):
    _fields_ = [(n, c_int) for n in ("sec", "min", "hour", "mday", "mon", "year", "wday",
                                     "yday", "isdst")] + [("gmtoff", c_long), ("zone", c_char_p)]


t = c_int64(86400 * 365 + 3661)
libc.gmtime.restype = POINTER(TM)
tm = libc.gmtime(byref(t)).contents
print(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.wday, tm.yday)
tm2 = TM()
libc.gmtime_r(byref(t), byref(tm2))
print(tm2.year + 1900, tm2.yday)
libc.timegm.restype = c_int64
print(libc.timegm(byref(tm2)), libc.timegm(pointer(tm2)))

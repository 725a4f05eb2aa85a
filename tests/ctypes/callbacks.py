# ctypes: Python functions called from C through CFUNCTYPE (libffi closures).
import sys
from ctypes import (CDLL, CFUNCTYPE, POINTER, Structure, c_int, c_double, c_void_p,
                    c_char_p, c_size_t, sizeof, cast, c_long, c_float, c_ubyte)

libc = CDLL(None)

CMP = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int))
calls = []


def cmp(a, b):
    calls.append(1)
    return a[0] - b[0]


arr = (c_int * 8)(5, 3, 8, 1, 9, 2, 7, 4)
libc.qsort.argtypes = [c_void_p, c_size_t, c_size_t, CMP]
libc.qsort.restype = None
libc.qsort(arr, len(arr), sizeof(c_int), CMP(cmp))
print(list(arr), len(calls) > 0)

# descending, through a decorator-made callback
@CMP
def desc(a, b):
    return b.contents.value - a.contents.value


libc.qsort(arr, len(arr), sizeof(c_int), desc)
print(list(arr))

# sort doubles
DCMP = CFUNCTYPE(c_int, POINTER(c_double), POINTER(c_double))
darr = (c_double * 5)(2.5, -1.0, 3.25, 0.0, 1.5)
libc.qsort(darr, 5, sizeof(c_double), cast(DCMP(lambda a, b: (a[0] > b[0]) - (a[0] < b[0])), CMP))
print(list(darr))

# callbacks are callable from Python too
ADD = CFUNCTYPE(c_int, c_int, c_int)
add = ADD(lambda x, y: x + y)
print(add(2, 3), add(-10, 4))
FADD = CFUNCTYPE(c_double, c_double, c_float)
print(FADD(lambda x, y: x * y)(1.5, 4.0))
VOID = CFUNCTYPE(None, c_int)
seen = []
print(VOID(seen.append)(7), seen)
STR = CFUNCTYPE(c_int, c_char_p)
print(STR(lambda s: len(s) * 100)(b"abcd"))

try:
    add(1)
except TypeError as e:
    print(type(e).__name__, e)


# exceptions in callbacks are reported and the result is zero
def boom(a, b):
    raise ZeroDivisionError("boom")


old = sys.unraisablehook
reports = []
sys.unraisablehook = lambda u: reports.append((u.exc_type.__name__, str(u.exc_value), u.err_msg, u.object is boom))
try:
    print(ADD(boom)(1, 2))
finally:
    sys.unraisablehook = old
print(reports)


# structure arguments in callbacks
class PT(Structure):
    _fields_ = [("x", c_int), ("y", c_int)]


PTCB = CFUNCTYPE(c_int, PT)
print(PTCB(lambda p: p.x * 10 + p.y)(PT(3, 4)))

# function pointers from C into Python
libc.abs.restype = c_int
fp = cast(libc.abs, c_void_p).value
ABS = CFUNCTYPE(c_int, c_int)
print(ABS(fp)(-42), bool(ABS(fp)), bool(ABS()))

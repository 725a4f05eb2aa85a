# ctypes: metaclasses, errno, endian structures, pickling, incomplete pointer types.
import ctypes
import pickle
from ctypes import *
import _ctypes

print(type(c_int).__name__, type(Structure).__name__, type(Union).__name__,
      type(c_int * 2).__name__, type(POINTER(c_int)).__name__,
      type(CFUNCTYPE(c_int)).__name__)
print(_ctypes.FUNCFLAG_CDECL, _ctypes.FUNCFLAG_PYTHONAPI, _ctypes.FUNCFLAG_USE_ERRNO,
      _ctypes.FUNCFLAG_USE_LASTERROR, _ctypes.RTLD_GLOBAL, _ctypes.RTLD_LOCAL)
print(issubclass(ArgumentError, Exception), ctypes.__version__)

# errno
libc = CDLL(None, use_errno=True)
print(set_errno(0), get_errno())
libc.close.argtypes = [c_int]
print(libc.close(-1), get_errno() == 9)
print(set_errno(5), get_errno())

# byte order
class BE(BigEndianStructure):
    _fields_ = [("a", c_uint32), ("b", c_int16), ("f", c_uint8, 4)]


class LE(LittleEndianStructure):
    _fields_ = [("a", c_uint32), ("b", c_int16)]


be = BE(0x01020304, -2)
be.f = 5
print(bytes(be), be.a, be.b, be.f, bytes(LE(0x01020304, -2)))
print(c_int.__ctype_be__.__name__, c_int.__ctype_le__ is c_int, c_byte.__ctype_be__ is c_byte)
x = c_uint16.__ctype_be__(0x0102)
print(bytes(x), x.value)


# pickling
class P(Structure):
    _fields_ = [("x", c_int), ("y", c_double)]


p = pickle.loads(pickle.dumps(P(3, 1.5)))
print(type(p).__name__, p.x, p.y)
print(pickle.loads(pickle.dumps(c_int(9))).value)
print(POINTER(P).__module__)
try:
    pickle.dumps(pointer(c_int(1)))
except ValueError as e:
    print(type(e).__name__, e)


# incomplete pointer types
class Node(Structure):
    pass


Node._fields_ = [("value", c_int), ("next", POINTER(Node))]
n2 = Node(2)
n1 = Node(1, pointer(n2))
print(n1.next.contents.value, bool(n2.next))
try:
    Node._fields_ = []
except AttributeError as e:
    print(type(e).__name__, e)

LP = POINTER("Later")
class Later(Structure):
    _fields_ = [("v", c_int)]
SetPointerType(LP, Later)
print(LP(Later(5)).contents.v)

# in_dll: a variable exported by libc
env = c_void_p.in_dll(libc, "environ")
print(env.value != 0)

# abstract classes
for cls in (Structure, Union, Array, _Pointer := POINTER(c_int).__mro__[1]):
    try:
        cls.from_param(42)
    except TypeError as e:
        print(cls.__name__, type(e).__name__)
try:
    ctypes._SimpleCData()
except TypeError as e:
    print(type(e).__name__, e)
try:
    class Bad(ctypes._SimpleCData):
        _type_ = "y"
except AttributeError as e:
    print(type(e).__name__, e)

# paramflags: named inputs, output parameters returned
STRTOD = CFUNCTYPE(c_double, c_char_p, POINTER(c_char_p))
strtod = STRTOD(("strtod", libc), ((1, "s"), (2, "end")))
print(strtod(b"2.5xyz"), strtod(s=b"7"))
try:
    strtod()
except TypeError as e:
    print(type(e).__name__, e)

# from_buffer shares memory with bytearray and array.array
import array
ba = bytearray(8)
v = (c_int * 2).from_buffer(ba)
v[0] = 0x01020304
print(bytes(ba), ba[0])
ba[4] = 9
print(v[1])
try:
    ba.append(1)
except BufferError as e:
    print(type(e).__name__, e)
arr = array.array("i", [5, 6, 7])
ai = (c_int * 3).from_buffer(arr, 0)
ai[2] = 70
print(arr.tolist(), c_int.from_buffer(arr, 4).value)
for bad in (b"abcd", memoryview(b"abcd"), "abcd"):
    try:
        c_int.from_buffer(bad)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    c_int.from_buffer(bytearray(2))
except ValueError as e:
    print(type(e).__name__, e)

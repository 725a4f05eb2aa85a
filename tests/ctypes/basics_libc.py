# ctypes: loading libc and calling plain C functions.
import ctypes
import ctypes.util
from ctypes import (CDLL, c_int, c_long, c_double, c_char_p, c_size_t, c_void_p,
                    c_char, create_string_buffer, sizeof, ArgumentError)

print(ctypes.util.find_library('c') is not None)
libc = CDLL(None)
print(libc.strlen(b"hello"))
print(libc.abs(-5), libc.labs(-7))

strlen = libc.strlen
strlen.argtypes = [c_char_p]
strlen.restype = c_size_t
print(strlen(b"abcdef"), strlen(b""))

libc.atoi.restype = c_int
print(libc.atoi(b"  1234xyz"))

libc.strtod.restype = c_double
libc.strtod.argtypes = [c_char_p, c_void_p]
print(libc.strtod(b"2.5e3", None))

buf = create_string_buffer(32)
libc.snprintf(buf, 32, b"%d|%s|%ld", 42, b"txt", c_long(-9))
print(buf.value)

libc.strchr.restype = c_char_p
print(libc.strchr(b"hello world", ord("w")))

libc.toupper.argtypes = [c_int]
print(chr(libc.toupper(ord("q"))))

# unknown symbols
try:
    libc.no_such_function_here
except AttributeError as e:
    print("AttributeError", "undefined symbol" in str(e))

# arguments that cannot be converted
for bad in (1.5, object()):
    try:
        libc.abs(bad)
    except ArgumentError as e:
        print(type(e).__name__, e)
try:
    libc.abs(2 ** 70)
except ArgumentError as e:
    print(type(e).__name__, e)
try:
    strlen(42)
except ArgumentError as e:
    print(type(e).__name__, e)

try:
    CDLL("libdoesnotexist_taipan.so")
except OSError as e:
    print("OSError", "libdoesnotexist_taipan.so" in str(e))

f = libc.abs
print(f.restype is c_int, f.argtypes, f.errcheck)
f.errcheck = lambda result, func, args: result * 10
print(f(-3))
try:
    f.errcheck = None
except TypeError as e:
    print(type(e).__name__, e)
try:
    f.restype = 5
except TypeError as e:
    print(type(e).__name__, e)

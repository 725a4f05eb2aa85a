# array: typecodes, item conversions and errors, sequence protocol, methods, buffer protocol, pickling.
import array
from array import array as A


def t(f, *a, **k):
    try:
        print(repr(f(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)


print(array.typecodes, array.ArrayType is A, A.__module__, A.__name__)
for c in array.typecodes:
    a = A(c)
    print(c, a.typecode, a.itemsize, repr(a), len(a))

# item conversions
for c in 'bBhHiIlLqQfd':
    out = []
    for v in [0, 127, 128, -129, 255, 256, -1, 2**15, 2**16, -2**15 - 1, 2**31, 2**32, -2**31 - 1, 2**63, 2**64,
              -2**63 - 1, 1.5, 'x', None, True]:
        try:
            a = A(c, [v])
            out.append(repr(a[0]))
        except Exception as e:
            out.append(f'{type(e).__name__}: {e}')
    print(c, out)
t(A, 'u', 'abc')
t(A, 'u', ['a', 'bc'])
t(A, 'u', [1])
t(A, 'f', [1e300, -0.0, 0.1, float('inf')])


class Idx:
    def __index__(self):
        return 42


class Flt:
    def __float__(self):
        return 2.5


t(A, 'i', [Idx()])
t(A, 'd', [Flt(), Idx(), 3])

# construction errors and initialisers
t(A)
t(A, 'z')
t(A, 'ii')
t(A, 5)
t(A, 'i', [1], 2)
t(A, typecode='i')
t(A, 'i', 'abc')
t(A, 'i', A('u', 'x'))
t(A, 'd', A('i', [1, 2]))
t(A, 'h', b'\x01\x00\x02\x00')
t(A, 'h', b'\x01\x00\x02')
t(A, 'B', bytearray(b'xyz'))
t(A, 'i', range(5))
t(A, 'i', (x * x for x in range(4)))
t(A, 'u', 'héllo€𝄞')

# sequence protocol
a = A('i', range(10))
print(a[0], a[-1], a[2:5], a[::3], a[::-2], a[5:2], len(a), 3 in a, 42 in a)
t(lambda: a[10])
t(lambda: a['x'])
a[0] = 100
a[-1] = -9
print(a)
a[2:4] = A('i', [7, 7, 7])
print(a)
a[1:8:3] = A('i', [-1, -2, -3])
print(a)
t(a.__setitem__, slice(0, 6, 2), A('i', [1]))
t(a.__setitem__, slice(0, 2), [1, 2])
t(a.__setitem__, slice(0, 2), A('h', [1, 2]))
t(a.__setitem__, 99, 1)
t(a.__setitem__, 0, 2**40)
del a[0]
del a[::2]
print(a)
del a[1:3]
print(a)
t(a.__delitem__, 50)
print(list(a), [x for x in reversed(a)])
it = iter(A('b', [1, 2]))
print(type(it).__name__, next(it), list(it), list(it))

# methods
a = A('h', [3, 1, 4, 1, 5])
a.append(9)
a.extend([2, 6])
a.extend(A('h', [5]))
a.insert(0, -7)
a.insert(100, 8)
a.insert(-100, 0)
print(a, a.count(1), a.index(1), a.index(1, 3), a.index(5, -3))
t(a.index, 42)
t(a.index, 1, 5, 6)
print(a.pop(), a.pop(0), a.pop(-2), a)
a.remove(1)
print(a)
t(a.remove, 42)
t(A('i').pop)
t(a.pop, 99)
t(a.extend, A('i', [1]))
t(a.append, 'x')
a.reverse()
print(a, a.tolist(), a.tobytes())
a.byteswap()
print(a)
a.fromlist([1, 2])
print(a)
t(a.fromlist, (1, 2))
t(a.fromlist, [1, 'x'])
print(a)
a.frombytes(b'\xff\x7f')
print(a)
t(a.frombytes, b'\x01')
t(a.frombytes, 'str')
u = A('u', 'ab')
u.fromunicode('cd')
print(u, u.tounicode(), u.tolist())
t(A('i').fromunicode, 'x')
t(A('i').tounicode)
t(u.fromunicode, 5)
print(A('d', [1.5, 2.5]).buffer_info()[1], A('q', [2**62]).tobytes())

# operators and comparisons
x, y = A('i', [1, 2]), A('i', [1, 3])
print(x + y, x * 2, 2 * x, x * 0, x * -1)
t(lambda: x + [1])
t(lambda: x + A('b', [1]))
t(lambda: [1] + x)
t(lambda: x * 'a')
x += y
print(x)
x *= 2
print(x)
t(x.__iadd__, [1])
t(lambda: x.__imul__('a'))
print(x == A('i', [1, 2, 1, 3, 1, 2, 1, 3]), x != x, y < x, A('i', [1, 2]) < A('i', [1, 2, 0]), A('i') == A('d'),
      A('i', [1]) == A('d', [1.0]), A('b', [1]) < A('h', [2]), x == [1, 2, 1, 3, 1, 2, 1, 3])
print(A('d', [float('nan')]) == A('d', [float('nan')]))
t(hash, x)
t(lambda: A('i', [1]) < [1])
print(sorted([A('i', [3]), A('i', [1, 2]), A('i', [1])]))

# buffer protocol
a = A('i', [1, 2, 3])
m = memoryview(a)
print(m.format, m.itemsize, m.nbytes, m.tolist(), m[1], bytes(m)[:8], m.readonly)
m[0] = 42
print(a)
t(a.append, 4)
t(a.pop)
t(a.extend, [1])
m.release()
a.append(4)
print(a, bytes(a), bytearray(A('B', [65, 66])), bytes(A('h', [1, -1])))
with memoryview(A('d', [1.5, -2.0])) as mv:
    print(mv.tolist(), mv.format, mv.cast('B').tolist()[:8])
print(memoryview(A('B', b'abc')) == b'abc', b'abc' == A('B', b'abc'), bytearray(b'abc') == A('B', b'abc'))
import struct
b = A('b', [0] * 8)
struct.pack_into('<hi', b, 1, -2, 300)
print(b, struct.unpack_from('<hi', b, 1))
print(A('B', b'xyz').tobytes().decode())

# copies and pickling protocol
import copy
a = A('H', [1, 2, 3])
c = copy.copy(a)
d = copy.deepcopy(a)
c[0] = 9
print(a, c, d, c is a)
for proto in [0, 2, 3, 4]:
    r = a.__reduce_ex__(proto)
    print(proto, r[0] is A, r[0] is array._array_reconstructor, r[1], r[2])
print(array._array_reconstructor(A, 'i', 8, b'\x01\x00\x00\x00'))
print(array._array_reconstructor(A, 'i', 9, b'\x00\x00\x00\x02'))
print(array._array_reconstructor(A, 'd', 17, b'?\xf0\x00\x00\x00\x00\x00\x00'))
print(array._array_reconstructor(A, 'u', 18, 'hé'.encode('utf-16-le')))
print(array._array_reconstructor(A, 'q', 4, b'\xff\xff\x01\x00'))
t(array._array_reconstructor, 5, 'i', 8, b'')
t(array._array_reconstructor, int, 'i', 8, b'')
t(array._array_reconstructor, A, 'z', 8, b'')
t(array._array_reconstructor, A, 'i', 99, b'')
t(array._array_reconstructor, A, 'i', 8, 'x')


# subclassing
class MyArray(A):
    def __init__(self, typecode, data=(), tag=None):
        self.tag = tag


s = MyArray('i', [1, 2], tag='t')
print(type(s).__name__, s, s.tag, s + s, type(s + s).__name__, s.__reduce_ex__(2)[2], s[:1], type(s[:1]).__name__)
print(isinstance(s, A), copy.copy(s), type(copy.copy(s)).__name__)
print(hasattr(A, '__class_getitem__'))

# files
import io
f = io.BytesIO()
A('i', range(5)).tofile(f)
print(f.getvalue())
f.seek(0)
b = A('i')
b.fromfile(f, 3)
print(b)
t(b.fromfile, f, 5)
print(b)
t(b.fromfile, f, -1)
t(b.fromfile, io.StringIO('abc'), 1)
big = A('d', [0.5]) * 20000
f = io.BytesIO()
big.tofile(f)
print(len(f.getvalue()))

# N-dimensional memoryviews: cast to shapes, indexing, slicing, tolist,
# tobytes orders, comparisons, releases and exports.
import array
import struct


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


m = memoryview(bytearray(range(12))).cast('B', [3, 4])
for k in ['iter(m)', 'm[0]', 'm[0,0]', 'm[2,3]', 'm[-1,-1]', 'm[0,]', 'm[1:].tolist()', 'm[::-1].tolist()',
          'm[:,1]', 'm[1:, 1:]', 'm[(0,0,0)]', 'm["a"]', 'm[1.0]', 'len(m)', 'm[3,0]', 'm[0,4]',
          'm.shape', 'm.strides', 'm.ndim', 'm.nbytes', 'm.tolist()', 'm.tobytes()', "m.tobytes('F')",
          "m.tobytes(order='A')", 'm.hex()', 'm[::2].tolist()', 'm[::2].c_contiguous', 'm[::2].tobytes()',
          'm.c_contiguous', 'm.f_contiguous', 'm.contiguous', 'm[1:2].shape', 'm.cast("B").shape',
          'list(reversed(memoryview(b"ab")))', 'm.suboffsets', 'm[::2].cast("B")']:
    show(k, lambda: eval(k))

z = memoryview(b'a').cast('B', [])
for k in ['iter(z)', 'z[0]', 'z[()]', 'z[...] is z', 'len(z)', 'z.tolist()', 'z.shape', 'z.strides',
          'z.suboffsets', 'z == z', 'z == memoryview(b"a").cast("B", [])', 'z.tobytes()', 'z.ndim',
          'z.c_contiguous', 'z.f_contiguous']:
    show(k, lambda: eval(k))


def s(m, k, v):
    try:
        m[k] = v
        print('ok', m.tolist())
    except Exception as e:
        print(type(e).__name__, e)


w = memoryview(bytearray(range(12))).cast('B', [3, 4])
s(w, 0, 1)
s(w, (0, 1), 9)
s(w, (0,), 1)
s(w, slice(0, 1), b'abcd')
s(w, (slice(0, 1), slice(0, 1)), b'a')
s(w, 'a', 1)
s(w, (0, 0, 0), 1)
s(w, (2, 3), 256)
s(w, (2, 3), 'x')
a = memoryview(array.array('i', [1, 2, 3]))
s(a, slice(0, 2), b'12345678')
s(a, slice(0, 2), array.array('i', [7, 8]))
s(a, slice(0, 2), array.array('I', [7, 8]))
s(a, slice(None, None, -1), array.array('i', [4, 5, 6]))
z = memoryview(bytearray(b'a')).cast('B', [])
s(z, (), 5)
s(z, ..., 6)
s(z, 0, 6)

# comparisons
d = memoryview(array.array('d', [1.5, float('nan')]))
print(d == d, d == array.array('d', [1.5, float('nan')]), d.tolist())
print(memoryview(b'ab') == b'ab', memoryview(b'ab').cast('c') == b'ab', memoryview(b'ab') == 'ab')
print(memoryview(array.array('b', [1, -1])) == array.array('B', [1, 255]))
print(memoryview(array.array('b', [1, 2])) == array.array('B', [1, 2]))
x = memoryview(bytearray(range(12))).cast('B', [3, 4])
y = memoryview(bytes(range(12))).cast('B', [3, 4])
print(x == y, x == y.cast('B'), x[1:] == y[1:], x[::2] == y[::2], x == y[::-1])
print(memoryview(struct.pack('<hh', 1, 2)).cast('B').cast('h') == memoryview(struct.pack('hh', 1, 2)).cast('h'))

# casts
for k in ["memoryview(b'ab').cast('B',[3])", "memoryview(b'abcd').cast('B',[2,2]).cast('H',[1])",
          "memoryview(b'abcd').cast('H', 5)", "memoryview(b'abcd').cast(5)", "memoryview(b'abcd')[::2].cast('B')",
          "memoryview(b'abcd').cast('B',[2,2]).cast('B').shape", "memoryview(b'abcd').cast('@B').format",
          "memoryview(b'abcd').cast('B',[2,2]).cast('B',[4]).shape", "memoryview(b'abcd').cast('B',[2,2]).cast('B',[2,2])",
          "memoryview(b'abcd').cast('I').cast('H')", "memoryview(b'abcd').cast('B', [0])",
          "memoryview(b'abcd').cast('B', [-1, 4])", "memoryview(b'abcd').cast('B', ['a'])",
          "memoryview(b'abcd').cast('<B')", "memoryview(b'abc').cast('H')", "memoryview(b'abcd').cast('I',[]).tolist()",
          "memoryview(b'abcd').cast('B', (1,2,2)).tolist()", "memoryview(b'').cast('B', [2, 0])",
          "memoryview(b'abcdabcd').cast('f').tolist()", "memoryview(b'abcdabcd').cast('?').tolist()",
          "memoryview(b'abcdabcd').cast('c', [2, 4]).tolist()"]:
    show(k, lambda: eval(k))

# releases and exports
b = bytearray(b'abcdef')
m = memoryview(b)
n = memoryview(m)
print(n.obj is b)
m.release()
show('resize', lambda: b.extend(b'x'))
n.release()
b.extend(b'x')
print(b)
m = memoryview(b)
with m as mm:
    print(mm[0])
show('released', lambda: m[0])
for attr in ['obj', 'nbytes', 'readonly', 'itemsize', 'format', 'ndim', 'shape', 'strides', 'suboffsets',
             'contiguous', 'c_contiguous', 'f_contiguous']:
    show(attr, lambda: getattr(m, attr))
show('len', lambda: len(m))
print(m == m, repr(m)[:17])
show('order', lambda: memoryview(b'ab').tobytes(order=5))
show('order2', lambda: memoryview(b'ab').tobytes('CC'))
show('hash', lambda: hash(memoryview(b'abc').cast('B', [1, 3])) == hash(b'abc'))
show('hash2', lambda: hash(memoryview(b'abcd').cast('h')))
show('hash3', lambda: hash(memoryview(bytearray(b'abcd'))))
show('bytes', lambda: bytes(memoryview(bytearray(range(8)))[::-2]))

# _testbuffer.ndarray: construction, re-export with request flags, PIL
# arrays, slicing, assignment, memoryviews of it and the PyBuffer_* checks.
from _testbuffer import *
import struct


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


def info(x):
    return (x.format, x.itemsize, x.ndim, x.shape, x.strides, x.suboffsets, x.readonly, x.nbytes,
            x.c_contiguous, x.f_contiguous, x.contiguous)


nd = ndarray(list(range(12)), shape=[3, 4])
print(info(nd), nd.tolist(), nd.tobytes(), nd.flags, nd.offset, nd.obj)
f = ndarray(list(range(12)), shape=[3, 4], flags=ND_FORTRAN)
print(info(f), f.tolist(), f.tobytes())
p = ndarray(list(range(12)), shape=[3, 4], flags=ND_PIL)
print(info(p), p.tolist(), p.tobytes())
s = ndarray(list(range(12)), shape=[3, 4], strides=[-4, -1], offset=11)
print(info(s), s.tolist(), s.tobytes())
sc = ndarray(7, shape=[], format='L')
print(info(sc), sc.tolist(), sc[()], sc[...] is sc)
t = ndarray([(1, 2.5), (3, 4.5)], shape=[2], format='id')
print(info(t), t.tolist())

for x in (nd, f, p, s):
    m = memoryview(x)
    print(info(m), m.tolist(), m == x, m.tobytes('F'), m.tobytes('A'))
    print([get_pointer(x, [i, j]) for i in range(3) for j in range(4)][:6])
    for order in 'CFA':
        c = get_contiguous(x, PyBUF_READ, order)
        print(order, is_contiguous(x, order), c.tobytes(), py_buffer_to_contiguous(x, order, PyBUF_FULL_RO))

# slicing and indexing
print(nd[1].tolist(), nd[-1][2], nd[::2].tolist(), nd[::-1, 1:3].tolist(), p[1:, ::-2].tolist())
show('idx', lambda: nd[3])
show('key', lambda: nd['a'])
show('key2', lambda: nd[1:2, 'a'])
show('scalar', lambda: sc[0])

# assignment
w = ndarray(list(range(12)), shape=[3, 4], flags=ND_WRITABLE)
w[0] = ndarray([9, 9, 9, 9], shape=[4])
w[1:, ::3] = ndarray([7, 7, 8, 8], shape=[2, 2])
print(w.tolist())
show('struct', lambda: w.__setitem__(0, ndarray([1, 2], shape=[2])))
show('ro', lambda: nd.__setitem__(0, 1))
show('del', lambda: w.__delitem__(0))
w1 = ndarray(list(range(5)), shape=[5], flags=ND_WRITABLE)
w1[1:] = w1[:-1]
print(w1.tolist())
w1[0] = 100
print(w1.tolist())
show('bad item', lambda: w1.__setitem__(0, 1000))

# re-exporting with request flags
for req in (PyBUF_SIMPLE, PyBUF_ND, PyBUF_STRIDES, PyBUF_FULL_RO, PyBUF_C_CONTIGUOUS, PyBUF_F_CONTIGUOUS,
            PyBUF_ANY_CONTIGUOUS, PyBUF_WRITABLE, PyBUF_FORMAT):
    for ex in (nd, f, s, p):
        try:
            r = ndarray(ex, getbuf=req)
            print(req, info(r), r.obj is ex, r.tobytes())
        except BufferError as e:
            print(req, 'BufferError', e)

# exports and the base stack
v = ndarray([1, 2, 3], shape=[3])
v.push([4, 5], shape=[2])
m = memoryview(v)
show('push', lambda: v.push([1], shape=[1]))
show('pop', lambda: v.pop())
m.release()
v.pop()
print(v.tolist())
show('pop2', lambda: v.pop())
ve = ndarray([1, 2, 3], shape=[3], flags=ND_VAREXPORT)
m1 = memoryview(ve)
ve.push([4, 5], shape=[2])
m2 = memoryview(ve)
print(m1.tolist(), m2.tolist())
m2.release()
show('pop3', lambda: ve.pop())
m1.release()

# memoryview exports
mv = memoryview(bytearray(b'abcd'))
r = ndarray(mv, getbuf=PyBUF_FULL_RO)
show('release', lambda: mv.release())
del r
mv.release()
print('released')

# errors
for args, kw in [(([1, 2, 3],), {}), (([1, 2, 3],), {'shape': [2, 2]}), (([],), {'shape': [1]}),
                 (([1],), {'shape': [1], 'format': 'QL'}), (([1, 2],), {'shape': [2], 'strides': [3], 'format': 'L'}),
                 (([1, 2, 3],), {'shape': [3], 'offset': 4}), ((b'ab',), {'format': 'Q'}),
                 (([1],), {'shape': [-1]}), (([1],), {'shape': ['1']}), (([1],), {'shape': [1], 'getbuf': 0}),
                 (([1],), {'shape': [], 'flags': ND_PIL}), ((b'123',), {'getbuf': PyBUF_WRITABLE})]:
    show(repr((args, kw)), lambda: ndarray(*args, **kw).tolist())
show('hash', lambda: hash(ndarray([1, 2], shape=[2])) == hash(b'\x01\x02'))
show('hashw', lambda: hash(ndarray([1, 2], shape=[2], flags=ND_WRITABLE)))
show('fromview', lambda: nd.memoryview_from_buffer().tolist())
show('fromview2', lambda: p.memoryview_from_buffer().tolist())
show('cmp', lambda: (cmp_contig(nd, nd), cmp_contig(nd, f), cmp_contig(nd, bytes(range(12)))))
show('slice_indices', lambda: slice_indices(slice(None, None, -2), 10))
show('static', lambda: (memoryview(staticarray()).tolist()[:3], memoryview(staticarray(True)).obj))
sub = ndarray(list(range(6)), shape=[2, 3])
sub.add_suboffsets()
print(info(sub), memoryview(sub).tolist())

# pickle.PickleBuffer (PEP 574): construction, the buffer it re-exports,
# raw(), release(), and protocol 5 pickling in-band and out-of-band with
# the C pickler (pickle.dumps) and the Python one (pickle._dumps).
import gc
import io
import pickle
import weakref
from pickle import PickleBuffer


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


show("no args", lambda: PickleBuffer())
show("str", lambda: PickleBuffer("foo"))
show("int", lambda: PickleBuffer(3))
show("two", lambda: PickleBuffer(b"a", b"b"))
m = memoryview(b"foo")
m.release()
show("released view", lambda: PickleBuffer(m))
show("subclass", lambda: type("X", (PickleBuffer,), {}))
print(PickleBuffer.__module__, PickleBuffer.__name__, PickleBuffer.__doc__)

pb = PickleBuffer(b"foo")
print(bytes(pb))
with memoryview(pb) as v:
    print(v.readonly, v.nbytes, v.format, v.itemsize, v.tobytes(), type(v.obj).__name__)

ba = bytearray(b"foo")
pb = PickleBuffer(ba)
with memoryview(pb) as v:
    print(v.readonly, v.obj is ba)
    v[0] = 48
print(ba, bytes(pb))

with pb.raw() as r:
    print(type(r).__name__, r.format, r.tobytes(), r.readonly, r.contiguous)

pb = PickleBuffer(memoryview(b"abcdef")[::2])
show("non-contiguous raw", lambda: pb.raw())

pb = PickleBuffer(b"foo")
pb.release()
show("memoryview released", lambda: memoryview(pb))
show("raw released", lambda: pb.raw())
pb.release()
print("release twice ok")


class B(bytes):
    pass


b = B(b"foo")
pb = PickleBuffer(b)
b.cycle = pb
wpb = weakref.ref(pb)
del b, pb
gc.collect()
print("cycle collected", wpb() is None)


class ZeroCopyBytes(bytes):
    def __reduce_ex__(self, protocol):
        if protocol >= 5:
            return type(self)._reconstruct, (PickleBuffer(self),), None
        return type(self)._reconstruct, (bytes(self),)

    @classmethod
    def _reconstruct(cls, obj):
        with memoryview(obj) as m:
            obj = m.obj
            if type(obj) is cls:
                return obj
            return cls(obj)


class ZeroCopyBytearray(bytearray):
    def __reduce_ex__(self, protocol):
        if protocol >= 5:
            return type(self)._reconstruct, (PickleBuffer(self),), None
        return type(self)._reconstruct, (bytes(self),)

    @classmethod
    def _reconstruct(cls, obj):
        with memoryview(obj) as m:
            obj = m.obj
            if type(obj) is cls:
                return obj
            return cls(obj)


def count(op, data):
    import pickletools
    return sum(1 for o, _, _ in pickletools.genops(data) if o.code == op.decode("latin-1"))


for dumps, loads, name in [(pickle.dumps, pickle.loads, "C"), (pickle._dumps, pickle._loads, "Py")]:
    for obj in (ZeroCopyBytes(b"abcdefgh"), ZeroCopyBytearray(b"abcdefgh")):
        for proto in range(0, 6):
            data = dumps(obj, proto)
            new = loads(data)
            print(name, type(obj).__name__, proto, b"abcdefgh" in data, new == obj, new is obj, type(new).__name__)
        buffers = []
        data = dumps(obj, 5, buffer_callback=lambda pb: buffers.append(pb.raw()))
        print(name, "oob", b"abcdefgh" in data, count(pickle.NEXT_BUFFER, data), count(pickle.READONLY_BUFFER, data), len(buffers))
        show(name + " no buffers", lambda: loads(data))
        show(name + " too few", lambda: loads(data, buffers=[]))
        new = loads(data, buffers=buffers)
        print(name, "zero copy", new is obj)
        new = loads(data, buffers=iter(buffers))
        print(name, "iter buffers", new is obj)
        data2 = dumps(obj, 5, buffer_callback=lambda pb: True)
        print(name, "callback true", data2 == dumps(obj, 5))
    pb = PickleBuffer(b"foobar")
    for proto in range(0, 5):
        show(name + " proto %d" % proto, lambda: dumps(pb, proto))
    show(name + " callback error", lambda: dumps(pb, 5, buffer_callback=lambda b: 1 / 0))
    show(name + " callback proto 4", lambda: dumps(pb, 4, buffer_callback=[].append))
    print(name, loads(dumps(pb, 5)), loads(dumps(PickleBuffer(bytearray(b"xy")), 5)))
    buffers = []
    data = dumps(pb, 5, buffer_callback=buffers.append)
    new = loads(data, buffers=map(bytearray, buffers))
    print(name, type(new).__name__, bytes(new), new.readonly)
    show(name + " bad buffers", lambda: loads(data, buffers=object()))

f = io.BytesIO()
p = pickle.Pickler(f, 5, buffer_callback=lambda pb: False)
p.dump([PickleBuffer(b"x"), PickleBuffer(bytearray(b"y"))])
print(f.getvalue())

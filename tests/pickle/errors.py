# Error messages of pickling and unpickling.
import io
import pickle


def show(f, *args, **kw):
    try:
        r = f(*args, **kw)
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)


def outer():
    def local():
        pass
    return local


class Bad:
    pass


class ReduceReturnsInt:
    def __reduce__(self):
        return 42


class ReduceShort:
    def __reduce__(self):
        return (Bad,)


class ReduceNotCallable:
    def __reduce__(self):
        return (1, ())


class ReduceBadArgs:
    def __reduce__(self):
        return (Bad, [])


class ReduceBadList:
    def __reduce__(self):
        return (Bad, (), None, [1])


class ReduceBadDict:
    def __reduce__(self):
        return (Bad, (), None, None, {})


class ReduceBadSetter:
    def __reduce__(self):
        return (Bad, (), 1, None, None, 5)


class WrongGlobal:
    pass


WrongGlobal.__qualname__ = "Nonexistent"

print(pickle.PickleError.__module__, pickle.PicklingError.__mro__[1].__name__, pickle.UnpicklingError.__bases__)
print(pickle.Pickler.__module__, pickle.Unpickler.__name__, pickle.dumps.__module__)
for proto in (0, 2, 4):
    show(pickle.dumps, outer(), proto)
    show(pickle.dumps, ReduceReturnsInt(), proto)
    show(pickle.dumps, ReduceShort(), proto)
    show(pickle.dumps, ReduceNotCallable(), proto)
    show(pickle.dumps, ReduceBadArgs(), proto)
    show(pickle.dumps, ReduceBadList(), proto)
    show(pickle.dumps, ReduceBadDict(), proto)
    show(pickle.dumps, ReduceBadSetter(), proto)
    show(pickle.dumps, WrongGlobal, proto)
show(pickle.dumps, 1, 6)
show(pickle.dumps, 1, -1)
show(pickle.dumps, 1, buffer_callback=print)
show(pickle.dumps, 1, 5, buffer_callback=None)
show(pickle.dump, 1, object())
show(pickle.Pickler, object())
show(pickle.Pickler(io.BytesIO()).dump, (x for x in []))


class NoInit(pickle.Pickler):
    def __init__(self):
        pass


class NoInitU(pickle.Unpickler):
    def __init__(self):
        pass


show(NoInit().dump, 1)
show(NoInitU().load)
pk = pickle.Pickler(io.BytesIO())
show(setattr, pk, "persistent_id", 5)
show(delattr, pk, "persistent_id")
show(setattr, pk, "memo", 5)
show(lambda: pk.persistent_id)

show(pickle.loads, b"")
show(pickle.loads, b"N")
show(pickle.loads, b".")
show(pickle.loads, b"(.")
show(pickle.loads, b"t.")
show(pickle.loads, b"0.")
show(pickle.loads, b"a.")
show(pickle.loads, b"K\x01a.")
show(pickle.loads, b"zzz")
show(pickle.loads, b"\xff")
show(pickle.loads, b"'")
show(pickle.loads, b"\x80\x09.")
show(pickle.loads, b"h\x05.")
show(pickle.loads, b"g5\n.")
show(pickle.loads, b"N(K\x01d.")
show(pickle.loads, b"}(K\x01u.")
show(pickle.loads, b"S'abc\n.")
show(pickle.loads, b"Sabc\n.")
show(pickle.loads, b"X\x05\x00\x00\x00ab")
show(pickle.loads, b"I12x\n.")
show(pickle.loads, b"Fnope\n.")
show(pickle.loads, b"\x8c\x01a\x8c\x01b\x93.")
show(pickle.loads, b"K\x01K\x02\x93.")
show(pickle.loads, b"cbuiltins\nnope\n.")
show(pickle.loads, b"cnosuchmodule_xyz\nnope\n.")
show(pickle.loads, b"K\x01)\x81.")
show(pickle.loads, b"\x97.")
show(pickle.loads, b"\x97.", buffers=[])
show(pickle.loads, b"P1\n.")
show(pickle.loads, b"\x82\x00.")
show(pickle.loads, b"\x82\xfe.")
show(pickle.loads, b"N}b.")
show(pickle.loads, b"cbuiltins\nobject\n)\x81K\x01b.")
show(pickle.loads, "text")
show(pickle.loads, b"N.", encoding=5)
show(pickle.Unpickler, object())
show(pickle.load, io.BytesIO(b""))
# Far memo indices do not allocate a table up to them.
show(pickle.loads, b"K\x07r\xff\xff\xff\xff0j\xff\xff\xff\xff.")
print(pickle.loads(b"K\x07r\x00\x00\x00\x010j\x00\x00\x00\x01."))
show(pickle.loads, b"j\xff\xff\xff\x7f.")

# Built-in static methods live in the type's dict as staticmethod objects
# (unpicklable), while the methods themselves pickle by name; weak
# references to memoryviews, str subclasses and itertools._tee.
import itertools
import pickle
import weakref

for t in (bytes, bytearray, str):
    d = t.__dict__["maketrans"]
    print(t.__name__, type(d).__name__, type(d.__func__).__name__, d.__func__ is t.maketrans)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        try:
            pickle.dumps(d, proto)
            print("pickled")
        except TypeError as e:
            print(type(e).__name__, e)
        print(pickle.loads(pickle.dumps(t.maketrans, proto))(b"ab" if t is not str else "ab", b"xy" if t is not str else "xy") == t.maketrans(b"ab" if t is not str else "ab", b"xy" if t is not str else "xy"))
print(bytearray(b"abc").maketrans(b"a", b"z")[97], b"".maketrans(b"a", b"z") == bytes.maketrans(b"a", b"z"))
try:
    pickle.dumps(dict.__dict__["fromkeys"])
except TypeError as e:
    print(type(e).__name__, e)

m = memoryview(b"abc")
r = weakref.ref(m)
print(r() is m)
del m
print(r())


class MyStr(str):
    pass


class MyFloat(float):
    pass


for cls in (MyStr, MyFloat):
    o = cls()
    print(cls.__name__, weakref.ref(o)() is o)
for base in (int, bytes, tuple):
    class Sub(base):
        pass
    try:
        weakref.ref(Sub())
    except TypeError as e:
        print(base.__name__, type(e).__name__, e)

a, b = itertools.tee([1, 2])
print(weakref.ref(a)() is a)

# bytes/bytearray built from objects with __index__ and from sequences
# without __iter__; bytearray reductions; bytes/bytearray/reversed
# iterators pickle and drop their sequence once exhausted; memoryview
# tuple keys, hash after release, comparison with arrays.
import array
import copy
import pickle


class Indexable:
    def __init__(self, value=0):
        self.value = value

    def __index__(self):
        return self.value


def err(f, *args):
    try:
        print(f(*args))
    except Exception as e:
        print(type(e).__name__, e)


for tp in (bytes, bytearray):
    print(tp([Indexable(), Indexable(1), Indexable(254), Indexable(255)]))
    err(tp, [Indexable(-1)])
    err(tp, [Indexable(256)])
    err(tp, [300])
    err(tp, [Indexable(1), "a"])
    print(tp(Indexable(3)))

    class S:
        def __getitem__(self, i):
            return (1, 2, 3)[i]
    print(tp(S()))
    err(tp, object())

    class BadInt:
        def __index__(self):
            1 / 0
    err(tp, BadInt())
    err(tp, [BadInt()])

    class TypeErrInt:
        def __index__(self):
            raise TypeError("no")

        def __iter__(self):
            return iter([7, 8])
    print(tp(TypeErrInt()))

b = bytearray(b"ab")
b.append(Indexable(99))
b.insert(Indexable(0), Indexable(120))
b.extend([Indexable(100)])
print(b, b.find(Indexable(99)), Indexable(99) in b)


class BA(bytearray):
    pass


x = BA(b"ab\xff")
x.attr = 5
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    print(proto, x.__reduce_ex__(proto))
    y = pickle.loads(pickle.dumps(x, proto))
    print(type(y).__name__, y, y.attr)
print(bytearray(b"a").__reduce__(), bytearray().__reduce__())
z = copy.copy(x)
print(type(z).__name__, z, z.attr, copy.deepcopy(x).attr)


class Slotted(bytearray):
    __slots__ = ("y",)


s = Slotted(b"q")
s.y = 2
print(s.__reduce_ex__(2))
print(pickle.loads(pickle.dumps(s)).y)

for seq in (b"abc", bytearray(b"abc")):
    it = iter(seq)
    next(it)
    print(type(it).__name__, it.__reduce__()[1:], it.__length_hint__())
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        print(list(pickle.loads(pickle.dumps(it, proto))), end=" ")
    print(list(it), it.__reduce__()[1:], it.__length_hint__())
    it = iter(seq)
    it.__setstate__(-5)
    print(list(it))
    it = iter(seq)
    it.__setstate__(9)
    print(list(it))
r = reversed([1, 2, 3])
next(r)
print(r.__reduce__()[1:], list(r), r.__reduce__()[1:])


class Freed(bytes):
    def __del__(self):
        print("freed")


it = iter(Freed(b"ab"))
print(list(it))
it = reversed(array.array("b", [1, 2]))
print(list(it))
print("end of iteration")

m = memoryview(bytearray(b"abcdef"))
for k in [(slice(0, 1), slice(0, 1)), (0, 0), (0,), (slice(0, 1),), "a", (), Indexable(1), (Indexable(2),)]:
    err(lambda: m[k])

    def assign():
        m[k] = b"a"
    err(assign)

    def assign_int():
        m[k] = 120
    err(assign_int)
print(m.tobytes())
m = memoryview(b"xabcdefy")[1:7]
h = hash(m)
m.release()
print(hash(m) == h == hash(b"abcdef"))
err(len, m)
m = memoryview(b"abc")
m.release()
err(hash, m)
tp = lambda b: array.array("i", list(b))
m = memoryview(tp(b"xabcdefy"))[1:7]
print(m == tp(b"abcdef"), m != tp(b"abcdef"), m == tp(b"abcde"), m == b"abcdef", m == memoryview(tp(b"abcdef")))

# __reduce__ / __setstate__ / pickling / copying of built-in iterators.
import copy
import pickle


def roundtrip(label, make, consume=1):
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        it = make()
        for _ in range(consume):
            next(it, None)
        data = pickle.dumps(it, proto)
        it2 = pickle.loads(data)
        print(label, proto, type(it2).__name__, list(it2), list(it))
    it = make()
    next(it, None)
    c = copy.copy(it)
    d = copy.deepcopy(it)
    print(label, "copy", list(c), "deepcopy", list(d))


def show(label, it):
    r = it.__reduce__()
    print(label, r[0].__name__, r[1:])


# range iterators
it = iter(range(1, 10, 2)); next(it)
show("range", it)
it = iter(range(3)); list(it)
show("range-exhausted", it)
it = iter(range(10, 0, -3)); next(it); next(it)
show("range-neg", it)
print(it.__length_hint__())
it = reversed(range(5)); next(it)
show("range-rev", it)
it = iter(range(1, 10 ** 20, 2)); next(it)
show("longrange", it)
it = iter(range(5)); it.__setstate__(3); print(list(it))
it = iter(range(5)); it.__setstate__(-3); print(list(it))
it = iter(range(5)); it.__setstate__(30); print(list(it))
roundtrip("range", lambda: iter(range(2, 20, 3)))
roundtrip("longrange", lambda: iter(range(10 ** 20, 10 ** 20 + 5)))
roundtrip("range-rev", lambda: reversed(range(5)))

# list iterators
it = iter([1, 2, 3]); next(it)
show("list", it)
list(it)
show("list-exhausted", it)
it = reversed([1, 2, 3]); next(it)
show("list-rev", it)
list(it)
show("list-rev-exhausted", it)
it = iter([1, 2, 3]); it.__setstate__(2); print(list(it))
it = iter([1, 2, 3]); it.__setstate__(-2); print(list(it))
it = reversed([1, 2, 3]); it.__setstate__(1); print(list(it))
it = reversed([1, 2, 3]); it.__setstate__(10); print(list(it))
it = reversed([1, 2, 3]); it.__setstate__(-5); print(list(it))
try:
    iter([1]).__setstate__("a")
except TypeError as e:
    print(type(e).__name__, e)
roundtrip("list", lambda: iter([1, "a", (2, 3)]))
roundtrip("list-rev", lambda: reversed([1, "a", (2, 3)]))
roundtrip("list-done", lambda: iter([1]), consume=2)

# tuple iterators
it = iter((1, 2, 3)); next(it)
show("tuple", it)
list(it)
show("tuple-exhausted", it)
it = iter((1, 2, 3)); it.__setstate__(1); print(list(it))
it = reversed((1, 2, 3)); next(it)
show("tuple-rev", it)
list(it)
show("tuple-rev-exhausted", it)
show("reversed-empty", reversed(()))
roundtrip("tuple", lambda: iter((1, 2, 3)))
roundtrip("tuple-rev", lambda: reversed((1, 2, 3)))

# dict and set iterators reduce to iter(list)
d = {"a": 1, "b": 2, "c": 3}
it = iter(d); next(it)
show("dict-keys", it)
it = iter(d.values()); next(it)
show("dict-values", it)
it = iter(d.items()); next(it)
show("dict-items", it)
it = reversed(d); next(it)
show("dict-rev", it)
print(list(it))
roundtrip("dict-items", lambda: iter(d.items()))
it = iter({7}); show("set", it); print(list(it))
it = iter(frozenset([5])); next(it); show("set-exhausted", it)
roundtrip("set", lambda: iter({1}), consume=0)

# enumerate, zip, map, filter
it = enumerate(["a", "b", "c"], 5); next(it)
r = it.__reduce__(); print(r[0].__name__, type(r[1][0]).__name__, r[1][1])
roundtrip("enumerate", lambda: enumerate([4, 5, 6], 10))
it = zip([1, 2], (3, 4))
r = it.__reduce__(); print(r[0].__name__, len(r[1]), r[2:])
it = zip([1, 2], (3, 4), strict=True)
r = it.__reduce__(); print(r[0].__name__, len(r[1]), r[2:])
it = zip([1, 2], [3])
it.__setstate__(True)
try:
    print(list(it))
except ValueError as e:
    print(type(e).__name__, e)
roundtrip("zip", lambda: zip([1, 2, 3], "abc"))
roundtrip("zip-strict", lambda: zip([1, 2, 3], "abc", strict=True))
it = map(abs, [-1, -2])
r = it.__reduce__(); print(r[0].__name__, r[1][0], len(r[1]))
roundtrip("map", lambda: map(pow, [1, 2, 3], [2, 2, 2]))
it = filter(None, [0, 1])
r = it.__reduce__(); print(r[0].__name__, r[1][0], len(r[1]))
roundtrip("filter", lambda: filter(None, [0, 1, 0, 2, 3]))


# iter(callable, sentinel) and iter(sequence)
class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError
        return i * 10

    def __len__(self):
        return 4

    def __reduce__(self):
        return (Seq, ())


it = iter(Seq()); next(it)
r = it.__reduce__(); print(r[0].__name__, type(r[1][0]).__name__, r[2:])
print(it.__length_hint__())
it.__setstate__(2); print(list(it))
r = it.__reduce__(); print(r[0].__name__, r[1])
roundtrip("seq", lambda: iter(Seq()))
it = reversed(Seq()); next(it)
r = it.__reduce__(); print(r[0].__name__, type(r[1][0]).__name__, r[2:])
print(it.__length_hint__())
it.__setstate__(1); print(list(it))
r = it.__reduce__(); print(r[0].__name__, r[1])
roundtrip("reversed", lambda: reversed(Seq()))
it = iter(int, 1)
r = it.__reduce__(); print(r[0].__name__, r[1])
it = iter([1, 2, 0].pop, 0)
print(list(it))
r = it.__reduce__(); print(r[0].__name__, r[1])

try:
    pickle.dumps(iter(range(3)))
    print("ok")
except Exception as e:
    print(type(e).__name__, e)

# word-sized ranges whose iterator could overflow are long range iterators
for t in [(1, 2, 2 ** 63 - 1), (2 ** 63 - 2, 2 ** 63 - 1, 2), (-1, -2, -2 ** 63), (0, 10, 3)]:
    it = iter(range(*t))
    next(it)
    it2 = pickle.loads(pickle.dumps(it))
    print(type(it).__name__, type(it2).__name__, list(it2), it.__length_hint__())

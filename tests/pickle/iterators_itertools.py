# Pickling and copying itertools iterators that CPython 3.11 can pickle.
import copy
import itertools
import operator
import pickle


def roundtrip(label, make, consume=1):
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        it = make()
        for _ in range(consume):
            next(it, None)
        it2 = pickle.loads(pickle.dumps(it, proto))
        print(label, proto, type(it2).__name__, list(it2), list(it))
    it = make()
    next(it, None)
    print(label, "copy", list(copy.copy(it)), "deepcopy", list(copy.deepcopy(it)))


c = itertools.count(3, 2)
next(c)
print(pickle.loads(pickle.dumps(c)))
print(copy.copy(itertools.repeat("x", 3)))
roundtrip("repeat", lambda: itertools.repeat("x", 3))
roundtrip("chain", lambda: itertools.chain([1, 2], (3,), [4, 5]), consume=2)
roundtrip("chain-from", lambda: itertools.chain.from_iterable([[1, 2], [3]]))
roundtrip("chain-done", lambda: itertools.chain([1]), consume=3)
c = itertools.chain([1, 2], [3])
print(c.__reduce__()[1:2])
list(c)
print(c.__reduce__()[1:])
c = itertools.chain()
c.__setstate__((iter([[7], [8]]),))
print(list(c))
for bad in [1, (), (1, 2, 3), (1,)]:
    try:
        itertools.chain().__setstate__(bad)
    except TypeError as e:
        print(type(e).__name__, e)
roundtrip("islice", lambda: itertools.islice(range(20), 2, 15, 3))
roundtrip("islice-nostop", lambda: itertools.islice([1, 2, 3, 4], 1, None))
roundtrip("islice-done", lambda: itertools.islice([1, 2], 1), consume=3)
s = itertools.islice([1, 2, 3, 4, 5, 6], 1, 5, 2)
next(s)
r = s.__reduce__()
print(r[0].__name__, r[1][1:], r[2:])
roundtrip("compress", lambda: itertools.compress("abcdef", [1, 0, 1, 1, 0, 1]))
roundtrip("dropwhile", lambda: itertools.dropwhile(operator.not_, [0, 0, 3, 0, 5]))
roundtrip("takewhile", lambda: itertools.takewhile(bool, [1, 2, 0, 4]))
roundtrip("takewhile-stopped", lambda: itertools.takewhile(bool, [0, 2]), consume=1)
roundtrip("filterfalse", lambda: itertools.filterfalse(None, [0, 1, 0, 2]))
roundtrip("starmap", lambda: itertools.starmap(pow, [(2, 3), (3, 2), (4, 1)]))
d = itertools.dropwhile(bool, [1, 0, 2])
r = d.__reduce__()
print(r[0].__name__, r[1][0], r[2:])
d.__setstate__(True)
print(list(d))
t = itertools.takewhile(bool, [1, 0, 2])
t.__setstate__(1)
print(list(t))

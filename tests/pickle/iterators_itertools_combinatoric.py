# Pickling, copying and __setstate__ of cycle, accumulate, zip_longest,
# product, permutations, combinations(_with_replacement), groupby/_grouper
# and tee/_tee_dataobject, with CPython 3.11's reduce tuples.
import copy
import itertools
import operator
import pickle
import weakref


def take(it):
    return list(itertools.islice(it, 12))


def roundtrip(label, make, consume=1):
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        it = make()
        for _ in range(consume):
            next(it, None)
        it2 = pickle.loads(pickle.dumps(it, proto))
        print(label, proto, type(it2).__name__, take(it2), take(it))
    it = make()
    for _ in range(consume):
        next(it, None)
    print(label, "copy", take(copy.copy(it)), "deepcopy", take(copy.deepcopy(it)))


def shape(r):
    """A reduce tuple with iterators replaced by their type names."""
    def clean(x):
        if isinstance(x, tuple):
            return tuple(clean(y) for y in x)
        if isinstance(x, list):
            return [clean(y) for y in x]
        if isinstance(x, type):
            return x.__name__
        if hasattr(x, "__next__"):
            return "<iter>"
        return x
    return clean(r)


def second(a, b):
    return b


def err(f, *args):
    try:
        f(*args)
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)


for n in range(6):
    roundtrip("cycle%d" % n, lambda: itertools.cycle("abc"), consume=n)
roundtrip("cycle-empty", lambda: itertools.cycle(""), consume=2)
c = itertools.cycle("abc")
print(shape(c.__reduce__()))
for _ in range(4):
    next(c)
print(shape(c.__reduce__()))
c = itertools.cycle("defg")
c.__setstate__((list("abc"), 0))
print("".join(itertools.islice(c, 20)))
c = itertools.cycle("defg")
c.__setstate__((list("abcdefg"), 1))
print("".join(itertools.islice(c, 20)))
for bad in [[list("ab"), 0], (tuple("ab"), 0), (list("ab"), "x"), (), ([],)]:
    err(itertools.cycle("").__setstate__, bad)

roundtrip("accumulate", lambda: itertools.accumulate([1, 2, 3, 4]), consume=2)
roundtrip("accumulate-mul", lambda: itertools.accumulate([1, 2, 3, 4], operator.mul), consume=2)
roundtrip("accumulate-initial", lambda: itertools.accumulate([1, 2], initial=10), consume=0)
roundtrip("accumulate-none", lambda: itertools.accumulate([None, 1, 2], second), consume=1)
a = itertools.accumulate([1, 2, 3])
print(shape(a.__reduce__()))
next(a)
print(shape(a.__reduce__()))
a = itertools.accumulate([1, 2], initial=5)
print(shape(a.__reduce__()))
a = itertools.accumulate([1, 2])
a.__setstate__(5)
print(list(a))

roundtrip("zip_longest", lambda: itertools.zip_longest("abc", "d", fillvalue="-"), consume=2)
z = itertools.zip_longest("ab", "c", fillvalue=0)
next(z)
next(z)
print(shape(z.__reduce__()))
z = itertools.zip_longest("ab", "c")
z.__setstate__("F")
print(list(z))

roundtrip("product", lambda: itertools.product("ab", range(3)), consume=2)
roundtrip("product-repeat", lambda: itertools.product("ab", repeat=2), consume=3)
roundtrip("product-empty", lambda: itertools.product("ab", ""), consume=0)
roundtrip("product-none", lambda: itertools.product(), consume=0)
p = itertools.product("ab", range(2))
print(shape(p.__reduce__()))
next(p)
print(shape(p.__reduce__()))
list(p)
print(shape(p.__reduce__()))
p = itertools.product("abc", "de")
p.__setstate__((-1, 9))
print(shape(p.__reduce__()), list(p))
for bad in [(1,), "ab", (1, "x"), (0, 2**70)]:
    err(itertools.product("ab", "cd").__setstate__, bad)

for r in (None, 0, 1, 2, 3, 4):
    roundtrip("permutations%s" % r, lambda: itertools.permutations("abc", r), consume=2)
p = itertools.permutations("abc", 2)
print(shape(p.__reduce__()))
next(p)
print(shape(p.__reduce__()))
list(p)
print(shape(p.__reduce__()))
p = itertools.permutations("abc", 2)
p.__setstate__(((2, 2, 2), (0, 9)))
print(shape(p.__reduce__()), list(p))
for bad in [(1,), "ab", ((1,), (1,)), ((0, 1, 2), (1, "a", 2)), ([0, 1, 2], (1, 1, 1))]:
    err(itertools.permutations("abc").__setstate__, bad)

for r in (0, 1, 2, 4, 5):
    roundtrip("combinations%d" % r, lambda: itertools.combinations("abcd", r), consume=2)
    roundtrip("cwr%d" % r, lambda: itertools.combinations_with_replacement("abc", r), consume=2)
c = itertools.combinations("abcd", 2)
next(c)
print(shape(c.__reduce__()))
list(c)
print(shape(c.__reduce__()))
c = itertools.combinations("abcd", 2)
c.__setstate__((-1, 9))
print(shape(c.__reduce__()), list(c))
c = itertools.combinations_with_replacement("abc", 2)
c.__setstate__((1, 5))
print(shape(c.__reduce__()), list(c))
for bad in [[0, 1], (0,), (0, "x"), (0, 2**70)]:
    err(itertools.combinations("abcd", 2).__setstate__, bad)

def groups(g):
    return [(k, list(v)) for k, v in g]

for n in range(4):
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        g = itertools.groupby("aabbbcdd")
        for _ in range(n):
            next(g)
        print("groupby", n, proto, groups(pickle.loads(pickle.dumps(g, proto))), groups(g))
g = itertools.groupby("aabbc", key=str.upper)
print(shape(g.__reduce__()))
k, gr = next(g)
print(shape(g.__reduce__()))
print(shape(gr.__reduce__()))
gr2 = pickle.loads(pickle.dumps(gr))
print(type(gr2).__name__, list(gr2))
k, gr3 = next(g)
print(shape(gr.__reduce__()), list(pickle.loads(pickle.dumps(gr))))
print(list(copy.deepcopy(gr3)), list(gr3))
g = itertools.groupby("aab")
next(g)
print(list(itertools._grouper(g, "a")))
err(itertools._grouper, 1, 2)
err(itertools.groupby("ab").__setstate__, (1,))
err(itertools.groupby("ab").__setstate__, "abc")

for n in range(4):
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        a, b = itertools.tee("abcdef")
        for _ in range(n):
            next(a)
        a2 = pickle.loads(pickle.dumps(a, proto))
        b2 = pickle.loads(pickle.dumps(b, proto))
        print("tee", n, proto, type(a2).__name__, list(a2), list(b2), list(a), list(b))
a, b = itertools.tee(range(200))
for _ in range(120):
    next(a)
print(list(pickle.loads(pickle.dumps(a)))[:3], len(list(pickle.loads(pickle.dumps(b)))))
print(list(copy.deepcopy(a))[:2], list(copy.copy(a))[:2])
a, b = itertools.tee("abc")
next(a)
r = a.__reduce__()
print(shape(r[:2]), r[2][1], type(r[2][0]).__name__)
d = r[2][0]
print(shape(d.__reduce__()))
print(type(itertools._tee_dataobject(iter("ab"), [], None)).__name__)
err(itertools._tee_dataobject, iter("ab"), [1], 5)
err(itertools._tee_dataobject, iter("ab"), (1,), None)
err(a.__setstate__, (d, 99))
err(a.__setstate__, [d, 1])
err(a.__setstate__, (1, 1))
print(weakref.ref(a)() is a)
err(pickle.dumps, itertools.pairwise("abc"))

# Pickling and copying array iterators.
import array
import copy
import pickle

a = array.array("i", [1, 2, 3, 4])
it = iter(a)
next(it)
r = it.__reduce__()
print(r[0].__name__, r[1:])
it.__setstate__(2)
print(list(it))
r = it.__reduce__()
print(r[0].__name__, r[1:])
it = iter(a)
it.__setstate__(-4)
print(list(it))
it = iter(a)
it.__setstate__(40)
print(list(it))
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    it = iter(array.array("d", [1.5, 2.5, 3.5]))
    next(it)
    it2 = pickle.loads(pickle.dumps(it, proto))
    print(proto, type(it2).__name__, list(it2), list(it))
it = iter(array.array("u", "xyz"))
next(it)
print(list(copy.copy(it)), list(copy.deepcopy(it)), list(it))

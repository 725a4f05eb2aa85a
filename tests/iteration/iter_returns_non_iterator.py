# iter() checks that __iter__ returned an iterator; built-in iterator
# constructors refuse keywords unless a subclass defines __init__.
import itertools


class NoNext:
    def __iter__(self):
        return self


class Good:
    def __iter__(self):
        return iter([1, 2])


for f in (iter, list, tuple, sorted, set, lambda o: [x for x in o], lambda o: map(str, o),
          lambda o: itertools.chain(o, o).__next__(), enumerate, zip):
    try:
        print(f(NoNext()))
    except TypeError as e:
        print(type(e).__name__, e)
print(list(Good()))

cases = [
    (map, (str, [1, 2])),
    (filter, (None, [0, 1])),
    (itertools.filterfalse, (None, [0, 1])),
    (itertools.chain, ([1], [2])),
    (itertools.starmap, (pow, [(2, 3)])),
    (itertools.islice, ([1, 2, 3], 1, 3)),
    (itertools.takewhile, (bool, [1, 0])),
    (itertools.dropwhile, (bool, [1, 0])),
    (itertools.cycle, ([1, 2],)),
]
for cls, args in cases:
    class Plain(cls):
        pass

    class WithInit(cls):
        def __init__(self, *args, newarg=None):
            self.newarg = newarg

    try:
        Plain(*args, newarg=3)
    except TypeError as e:
        print(type(e).__name__, e)
    w = WithInit(*args, newarg=3)
    print(cls.__name__, list(itertools.islice(w, 3)), w.newarg)
    try:
        cls(*args, newarg=3)
    except TypeError as e:
        print(type(e).__name__, e)

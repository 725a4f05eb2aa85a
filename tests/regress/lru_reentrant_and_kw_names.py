# An lru_cache hit inside a key's __eq__ must not disturb the outer lookup;
# non-str keyword names raise TypeError (they were a Rust panic via partial).
import functools

calls = 0

@functools.lru_cache(maxsize=10)
def cached(x):
    return x

class DoubleEq:
    def __init__(self, x):
        self.x = x
    def __hash__(self):
        return self.x
    def __eq__(self, other):
        global calls
        calls += 1
        if self.x == 2:
            cached(DoubleEq(1))
        return self.x == other.x

cached(DoubleEq(1))
cached(DoubleEq(2))
print(cached(DoubleEq(2)).x, calls, cached.cache_info())

@functools.lru_cache(maxsize=2)
def sq(n):
    return n * n
for n in [1, 2, 1, 3, 2, 1]:
    sq(n)
print(sq.cache_info())
sq.cache_clear()
print(sq.cache_info(), sq(4))

def f(**kw):
    return kw
for call in (lambda: f(**{1: 2}), lambda: functools.partial(f)(**{1: 2}), lambda: functools.partial(f, **{"a": 1})(b=2)):
    try:
        print(call())
    except TypeError as e:
        print("TypeError", e)

import functools
from functools import partial, reduce, cmp_to_key, lru_cache, wraps, total_ordering, singledispatch, cached_property
import operator

print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.add, [], 7), reduce(lambda a, b: a * b, range(1, 6), 1))
for args in [(operator.add, []), (operator.add,), (operator.add, 3)]:
    try:
        reduce(*args)
    except TypeError as e:
        print(type(e).__name__, e)

def f(a, b, c=3, *, d=4):
    return (a, b, c, d)

p = partial(f, 1, d=5)
print(p(2), p(2, 3, d=6), p.func is f, p.args, p.keywords)
q = partial(p, 2, c=9)
print(q(), q.func is f, q.args, q.keywords)
print(repr(partial(max, 1, key=abs)))
p.attr = 'x'; print(p.attr, p.__dict__)
r = p.__reduce__(); print(r[0] is partial, r[1][0] is f, r[2][1:])
p2 = partial(min); p2.__setstate__((max, (1, 2), {}, None)); print(p2(3), p2.args)
try:
    partial()
except TypeError as e:
    print(e)
try:
    partial(1)
except TypeError as e:
    print(e)

class A:
    m = partial(f, 0)
print(A().m(1))

class MyPartial(partial):
    pass
print(repr(MyPartial(max, 2))[:20], MyPartial(max, 2)(5))

print(sorted([3, 1, 2], key=cmp_to_key(lambda a, b: b - a)))
k = cmp_to_key(lambda a, b: a - b)
print(k(1) < k(2), k(2) == k(2), k(3).obj)
try:
    k(1) < 3
except TypeError as e:
    print(e)
try:
    hash(k(1))
except TypeError as e:
    print(e)

calls = []
@lru_cache(maxsize=2)
def sq(x):
    calls.append(x)
    return x * x
print(sq(2), sq(3), sq(2), sq(4), sq(3), calls)
print(sq.cache_info(), sq.cache_parameters(), sq.__wrapped__.__name__, sq.__name__)
sq.cache_clear(); print(sq.cache_info())

@lru_cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info())

@lru_cache(maxsize=None, typed=True)
def ident(x, *, y=0):
    return (x, type(x).__name__, y)
print(ident(1), ident(1.0), ident(1, y=2), ident.cache_info())

@lru_cache(maxsize=0)
def z(x):
    return x
print(z(1), z(1), z.cache_info())

class C:
    @lru_cache
    def meth(self, x):
        return x + 1
print(C().meth(1), C.meth.cache_info().misses)

def deco(fn):
    @wraps(fn)
    def inner(*a):
        return fn(*a)
    return inner

@deco
def documented():
    "doc here"
print(documented.__name__, documented.__doc__, documented.__wrapped__.__name__)

@total_ordering
class V:
    def __init__(self, v): self.v = v
    def __eq__(self, o): return self.v == o.v
    def __lt__(self, o): return self.v < o.v
print(V(1) <= V(2), V(3) > V(2), V(2) >= V(2))

class D:
    @cached_property
    def val(self):
        print('computing')
        return 42
d = D(); print(d.val, d.val)
print(functools.partialmethod, functools.cache(lambda: 1)())

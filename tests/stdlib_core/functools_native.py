# _functools directly: functools.py itself also needs collections (_thread) and types.
from _functools import partial, reduce, cmp_to_key, _lru_cache_wrapper
import operator

print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.add, [], 7))
for args in [(operator.add, []), (operator.add,), (operator.add, 3)]:
    try:
        reduce(*args)
    except TypeError as e:
        print(type(e).__name__, e)

def f(a, b, c=3, *, d=4):
    return (a, b, c, d)
p = partial(f, 1, d=5)
print(p(2), p(2, 3, d=6), p.func is f, p.args, p.keywords)
q = partial(p, 2, c=9); print(q(), q.func is f, q.args, q.keywords)
print(repr(partial(max, 1, key=abs)))
p.attr = 'x'; print(p.attr, p.__dict__, p.__reduce__()[2][1:])
class Sub(partial):
    pass
print(repr(Sub(max, 2)), Sub(max, 2)(5), type(partial(Sub(max), 1).func).__name__)
class A:
    m = partial(f, 0)
print(A().m(1), partial(min, 3)(1, 2))
for bad in ['partial()', 'partial(1)']:
    try:
        eval(bad)
    except TypeError as e:
        print(e)

print(sorted([3, 1, 2], key=cmp_to_key(lambda a, b: b - a)))
k = cmp_to_key(lambda a, b: a - b); print(k(1) < k(2), k(2) == k(2), k(3).obj)

def info(h, m, mx, cur):
    return ('info', h, m, mx, cur)
calls = []
def sq(x):
    calls.append(x)
    return x * x
c = _lru_cache_wrapper(sq, 2, False, info)
print(c(2), c(3), c(2), c(4), c(3), calls, c.cache_info())
c.cache_clear(); print(c.cache_info(), c.__copy__() is c)
u = _lru_cache_wrapper(lambda x, y=0: (x, y), None, True, info)
print(u(1), u(1.0), u(1, y=2), u(1), u.cache_info())
z = _lru_cache_wrapper(lambda x: x, 0, False, info); print(z(1), z(1), z.cache_info())
class C:
    meth = _lru_cache_wrapper(lambda self, x: x + 1, 8, False, info)
print(C().meth(1), C.meth.cache_info())
c.__wrapped__ = sq; c.__name__ = 'sq'; print(c.__wrapped__ is sq, c.__dict__['__name__'])

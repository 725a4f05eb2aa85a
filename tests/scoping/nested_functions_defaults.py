def f(a, L=[]):
    L.append(a)
    return L
print(f(1), f(2), f(3, []))
def g(x, *, key=None, **kw):
    return x, key, sorted(kw.items())
print(g(1), g(2, key=3, z=4, a=5))
def pos(a, b, /, c, *, d):
    return a, b, c, d
print(pos(1, 2, 3, d=4), pos(1, 2, c=3, d=4))
try:
    pos(1, b=2, c=3, d=4)
except TypeError as e:
    print(e)
print(f.__defaults__ is not None, g.__kwdefaults__)

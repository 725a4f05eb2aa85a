def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.items())
print(f(1, c=3), f(1, 2, 3, 4, c=5, e=6), f(*[1, 2], **{"c": 3, "z": 0}))
def g(*, only): return only
print(g(only=1))
for call in [lambda: f(), lambda: f(1), lambda: g(1), lambda: f(1, c=1, a=2), lambda: g(only=1, other=2), lambda: (lambda a, /: a)(a=1)]:
    try:
        call()
    except TypeError as e:
        print(e)
def h(**kw): return kw
print(h(**{"a": 1}, **{"b": 2}), h(a=1, **{"b": 2}))
try:
    h(**{"a": 1}, **{"a": 2})
except TypeError as e:
    print(e)
try:
    h(**{1: 2})
except TypeError as e:
    print(e)
def defaults(x=[], y={}):
    return id(x) == id(defaults.__defaults__[0])
print(defaults())

def inner():
    x = yield "i1"
    print("inner got", x)
    y = yield "i2"
    print("inner got", y)
    return "inner result"
def outer():
    r = yield from inner()
    print("outer got", r)
    yield from [10, 20]
    yield from range(2)
    return "done"
g = outer()
print(next(g), g.send("a"), g.send("b"), next(g), next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print(e.value)
def delegating_throw():
    try:
        yield from inner()
    except KeyError as e:
        yield "outer caught " + repr(e)
d = delegating_throw()
next(d)
print(d.throw(KeyError("k")))
def tree(n):
    if n:
        yield from tree(n - 1)
        yield n
        yield from tree(n - 1)
print(list(tree(3)))
def closer():
    try:
        yield from inner()
    finally:
        print("closer finally")
c = closer()
next(c)
c.close()

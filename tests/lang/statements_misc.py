# assert, del of every target kind, walrus, global/nonlocal, conditional
# expressions, lambda and keyword-only defaults, class decorators.

try:
    assert 1 + 1 == 3, "math is " + "broken"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert []
except AssertionError as e:
    print("bare assert:", repr(e))
assert True, "not evaluated" + 1

AssertionError = None  # shadowing does not change what assert raises
try:
    assert False
except BaseException as e:
    print(type(e).__name__)
del AssertionError

class Obj:
    pass

o = Obj()
o.a = 1
o.b = 2
del o.a
print(hasattr(o, "a"), o.b)
d = {"x": 1, "y": 2, "z": 3}
del d["x"]
print(d)
l = [1, 2, 3, 4]
del l[0]
print(l)
p, q, r = 1, 2, 3
del p, (q, [r])
try:
    print(p)
except NameError as e:
    print("NameError", e)

def local_del():
    v = 1
    del v
    try:
        return v
    except UnboundLocalError as e:
        print("UnboundLocalError", e)

local_del()

# walrus
if (n := 10) > 5:
    print("n is", n)
values = [y for x in range(5) if (y := x * 2) > 4]
print(values, y)

def walrus_in_comp():
    data = [1, 2, 3]
    total = 0
    sums = [total := total + v for v in data]
    return sums, total

print(walrus_in_comp())
while (chunk := len(values)) > 1:
    values.pop()
print(chunk, values)

# global and nonlocal in all positions
counter = 0

def bump():
    global counter
    counter += 1
    return counter

bump()
bump()
print("counter", counter)

def make():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    def get():
        return count

    return inc, get

inc, get = make()
inc()
inc()
print("nonlocal", get())

def set_global():
    global fresh_global
    fresh_global = "created"

set_global()
print(fresh_global)

class Holder:
    global counter
    counter = 100

print("counter after class", counter)

def outer():
    x = "outer"

    def middle():
        def inner():
            nonlocal x
            x = "changed by inner"
        inner()
    middle()
    return x

print(outer())

# conditional expressions
for v in [0, 1, 2]:
    print("zero" if v == 0 else "one" if v == 1 else "many")

# lambda and keyword-only defaults
make_adder = lambda n=1, *, scale=2: lambda x: (x + n) * scale
print(make_adder()(1), make_adder(5, scale=10)(1))

def kwonly(a, *, b=2, c, d=4):
    return a, b, c, d

print(kwonly(1, c=3))
print(kwonly(1, b=0, c=3, d=9))
try:
    kwonly(1)
except TypeError as e:
    print(type(e).__name__, e)

defaults_seen = []

def default_once(x=defaults_seen):
    x.append(1)
    return len(x)

print(default_once(), default_once())

# class decorators run bottom-up
def tag(label):
    def deco(cls):
        cls.tags = getattr(cls, "tags", "") + label
        return cls
    return deco

@tag("a")
@tag("b")
class Tagged:
    pass

print(Tagged.tags)

def pass_only():
    pass

print(pass_only())

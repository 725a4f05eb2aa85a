# Calls with * and ** unpacking, displays with unpacking, starred
# assignment, and their errors.

def f(*args, **kwargs):
    return args, kwargs

print(f(*[1, 2], *(3,), x=1, **{"y": 2}))
print(f(0, *[1], 2, *range(3, 5)))
print(f(**{"a": 1}, b=2, **{"c": 3}))
print(f(*"ab"))
print(f(*iter([7, 8])))

def g(a, b, c=3, *, d=4):
    return a, b, c, d

print(g(*[1, 2]))
print(g(1, *[2], **{"d": 5}))
print(g(**{"a": 1, "b": 2, "c": 0}))

def show(call):
    try:
        call()
    except TypeError as e:
        print(type(e).__name__, e)

show(lambda: f(*1))
show(lambda: f(1, *1))
show(lambda: f(**1))
show(lambda: f(x=1, **{"x": 2}))
show(lambda: f(**{"a": 1}, **{"a": 2}))
show(lambda: f(**{1: 2}))
show(lambda: print(*1))
show(lambda: print(**1))
show(lambda: g(*[1, 2], a=1))
show(lambda: [*1])
show(lambda: (0, *1))
show(lambda: {**1})

class C:
    def m(self, *a, **k):
        return a, k

show(lambda: C().m(**1))
print(C().m(*[1, 2], **{"z": 3}))

# displays
a = [1, 2]
b = (3, 4)
print([*a, *b, 5])
print((*a, 0, *b))
print([*a])
print((*b,))
print({**{"x": 1}, "y": 2, **{"x": 3}})
print({"k": 0, **{}})
print([*range(3), *"xy"])

# starred assignment
first, *rest = [1, 2, 3]
print(first, rest)
*init, last = "abc"
print(init, last)
x, *mid, y = range(5)
print(x, mid, y)
p, *q = [1]
print(p, q)
[h, *t] = (9, 8, 7)
print(h, t)
for head, *tail in [(1, 2, 3), (4,)]:
    print(head, tail)

try:
    a1, *b1, c1 = [1]
except ValueError as e:
    print(type(e).__name__, e)
try:
    a1, *b1 = 5
except TypeError as e:
    print(type(e).__name__, e)
try:
    a1, b1 = [1, 2, 3]
except ValueError as e:
    print(type(e).__name__, e)
try:
    a1, b1, c1 = [1, 2]
except ValueError as e:
    print(type(e).__name__, e)

# chained assignment evaluates the value once and assigns left to right
def val():
    print("val evaluated")
    return [1, 2]

m = n = val()
print(m is n)
k1, k2 = k3 = (5, 6)
print(k1, k2, k3)

# Augmented assignment to names, attributes and subscripts: the target is
# evaluated once; __iadd__ and friends are tried before __add__.

log = []

class Box:
    def __init__(self):
        self.v = 1

def get_box(b):
    log.append("box")
    return b

def key():
    log.append("key")
    return 0

b = Box()
get_box(b).v += 10
print(b.v, log)

lst = [1, 2]
log = []
get_box(lst)[key()] += 5
print(lst, log)

d = {"a": 1}
d["a"] *= 3
d["a"] -= 1
print(d)

class Acc:
    def __init__(self, items):
        self.items = items

    def __iadd__(self, other):
        print("iadd called")
        self.items.append(other)
        return self

    def __add__(self, other):
        print("add called")
        return Acc([other, other])

a = Acc([])
orig = a
a += 1
print(a.items, a is orig)

class OnlyAdd:
    def __init__(self, n):
        self.n = n

    def __add__(self, other):
        return OnlyAdd(self.n + other)

o = OnlyAdd(1)
o0 = o
o += 2
print(o.n, o is o0)

class NotImpl:
    def __iadd__(self, other):
        return NotImplemented

    def __add__(self, other):
        return "fallback add"

x = NotImpl()
x += 1
print(x)

class RAdd:
    def __radd__(self, other):
        return "radd " + str(other)

y = 5
y += RAdd()
print(y)

n = 7
n //= 2
n **= 3
n %= 5
n <<= 2
n >>= 1
n |= 8
n &= 12
n ^= 5
print(n)

s = "ab"
s *= 3
print(s)

for t in [lambda: exec_op(1, "a"), lambda: exec_op2()]:
    pass

try:
    z = 1
    z += "a"
except TypeError as e:
    print(type(e).__name__, e)
try:
    z = 1
    z **= "a"
except TypeError as e:
    print(type(e).__name__, e)
try:
    z = [1]
    z[0] -= "q"
except TypeError as e:
    print(type(e).__name__, e)

class Counter:
    count = 0

Counter.count += 1
Counter.count += 1
print(Counter.count)

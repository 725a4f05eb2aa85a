# Attribute caches keyed on type versions: class attributes, methods and
# base-class methods changed after the caches warmed up.


class Base:
    kind = "base"

    def greet(self):
        return "base greet"


class Mid(Base):
    pass


class Leaf(Mid):
    def __init__(self):
        self.v = 1


def use(o):
    return o.kind, o.greet(), o.v


leaf = Leaf()
for _ in range(20):
    use(leaf)
print(use(leaf))

Base.kind = "changed"
print(use(leaf))
Base.greet = lambda self: "patched base"
print(use(leaf))
Mid.greet = lambda self: "mid"
print(use(leaf))
del Mid.greet
print(use(leaf))
leaf.greet = lambda: "instance"
print(use(leaf))
del leaf.greet
print(use(leaf))
leaf.kind = "own"
print(use(leaf))
del leaf.kind
print(use(leaf))


# A data descriptor added later wins over the instance dict.
def get_v(self):
    return "property"


Leaf.v = property(get_v)
print(use(leaf))
del Leaf.v
print(use(leaf))

# Stores: a setter added after the store cache warmed up.
class P:
    pass


p = P()
def store(o, n):
    o.a = n
    return o.a


for i in range(10):
    store(p, i)
print(store(p, 100))
log = []
P.a = property(lambda self: "prop", lambda self, v: log.append(v))
print(store(p, 5), log)
del P.a
print(store(p, 6), p.__dict__)

# __getattr__ / __getattribute__ added to a class later.
class Q:
    def __init__(self):
        self.x = 1


q = Q()
def getx(o):
    return o.x


for _ in range(10):
    getx(q)
Q.__getattribute__ = lambda self, n: "intercepted " + n
print(getx(q))
del Q.__getattribute__
print(getx(q))
Q.__getattr__ = lambda self, n: "fallback " + n
del q.x
print(getx(q))

# Polymorphic site: several classes at one attribute access.
class A1:
    def __init__(self):
        self.val = "a1"

    def m(self):
        return "A1.m"


class A2:
    def __init__(self):
        self.other = 0
        self.val = "a2"

    def m(self):
        return "A2.m"


class A3(A1):
    m = "not callable"


objs = [A1(), A2(), A3()]
out = []
for _ in range(3):
    for o in objs:
        out.append(o.val)
        out.append(o.m() if callable(o.m) else o.m)
print(out)

# __class__ assignment changes what the cached site sees.
class C1:
    def who(self):
        return "C1"


class C2:
    def who(self):
        return "C2"


c = C1()
res = []
for i in range(6):
    if i == 3:
        c.__class__ = C2
    res.append(c.who())
print(res)

# Classes are freed once unreachable: the subclass lists of their bases
# hold them weakly (CPython's tp_subclasses), and the cycles through their
# dict/MRO/descriptors are collected.
import gc
import weakref


class Base:
    pass


def make(n):
    class A:
        def method(self):
            return n
    return A


A = make(1)
wa = weakref.ref(A)
del A
gc.collect()
print("plain class dead:", wa() is None)


class B(Base):
    x = 1
    def f(self):
        return self.x


wb = weakref.ref(B)
print("subclasses before:", [c.__name__ for c in Base.__subclasses__()])
print("weakref count:", weakref.getweakrefcount(B))
print("same basic ref:", weakref.ref(B) is wb)
del B
gc.collect()
print("subclass dead:", wb() is None)
print("subclasses after:", [c.__name__ for c in Base.__subclasses__()])

# order of __subclasses__ is creation order, dead entries skipped
classes = [type("C%d" % i, (Base,), {}) for i in range(12)]
refs = [weakref.ref(c) for c in classes]
del classes[3], classes[7]
gc.collect()
print([c.__name__ for c in Base.__subclasses__()])
print([r() is None for r in refs])
more = [type("D%d" % i, (Base,), {}) for i in range(20)]
print(len(Base.__subclasses__()), Base.__subclasses__()[:3] == classes[:3])
del more
gc.collect()
print(len(Base.__subclasses__()))

# __bases__ assignment moves a class between subclass lists
class P: pass
class Q: pass
class R(P): pass
R.__bases__ = (Q,)
print(P.__subclasses__(), [c.__name__ for c in Q.__subclasses__()])
R.__bases__ = (P,)
print([c.__name__ for c in P.__subclasses__()], Q.__subclasses__())
wr = weakref.ref(R)
del R
gc.collect()
print("reassigned class dead:", wr() is None, P.__subclasses__(), Q.__subclasses__())

# a class hierarchy with instances, slots, properties and metaclasses
class Meta(type):
    def __repr__(cls):
        return "<Meta %s>" % cls.__name__


class Top(metaclass=Meta):
    __slots__ = ("a",)
    @property
    def p(self):
        return 1


class Mid(Top):
    def __init__(self):
        self.a = self


class Leaf(Mid):
    pass


inst = Leaf()
refs = [weakref.ref(c) for c in (Top, Mid, Leaf)]
del Top, Mid, Leaf
gc.collect()
print("alive while an instance lives:", [r() is not None for r in refs])
del inst
gc.collect()
print("hierarchy dead:", [r() is None for r in refs])
print("metaclass subclasses:", type.__subclasses__(Meta))
wm = weakref.ref(Meta)
del Meta
gc.collect()
print("metaclass dead:", wm() is None)

# classes with __init_subclass__ and class cells (super())
class Root:
    subs = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Root.subs.append(weakref.ref(cls))


class Kid(Root):
    def m(self):
        return super().m if hasattr(super(), "m") else __class__


print(Kid().m() is Kid)
del Kid
gc.collect()
print("class with __class__ cell dead:", Root.subs[0]() is None)

# a weakref callback on a class runs when it is collected
died = []
C = type("C", (), {})
w = weakref.ref(C, lambda r: died.append("C"))
del C
gc.collect()
print(died)

# object's methods, slot wrappers of built-in types, __new__/__init__
# argument rules, isinstance/issubclass hooks, dir/vars, abstract classes.

def show(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

print(int.__add__(1, 2), int.__radd__(1, 2), int.__sub__(10, 3), int.__rsub__(10, 3), int.__add__(1, True))
print((5).__mul__(3), repr(int.__add__), repr(object.__init__), repr(object.__eq__))
print(repr(int.__new__)[:36], type(int.__dict__["__add__"]).__name__, type((1).__add__).__name__)
show(lambda: int.__add__("a", 2))
show(lambda: int.__add__(1))
show(lambda: int.__lt__(1, 2))
print(object.__eq__(1, 1), object.__eq__(1, 2), object.__ne__(1, 2), object.__lt__(1, 2))
print(str.__repr__("a"), int.__hash__(5), object.__str__(5), int.__bool__(0))
print(object.__format__(1, ""), format(object(), "")[:8])
show(lambda: object.__format__(1, "x"))
class Fmt:
    pass
show(lambda: format(Fmt(), "x"))
print(object.__sizeof__(object()), object().__sizeof__())

class A:
    pass
class B:
    def __init__(self, x):
        self.x = x
class C:
    def __new__(cls, x):
        return object.__new__(cls)
show(lambda: A(1))
show(lambda: A.__init__(A(), 1))
show(lambda: object.__init__(A(), 1))
print(type(B.__new__(B, 1)).__name__, type(object.__new__(B, 1)).__name__)
show(lambda: object.__new__(C, 1))
print(C.__init__(C(1), 1))
show(lambda: object.__new__(int))
show(lambda: object.__new__(1))
show(lambda: object(1))
show(lambda: int.__new__(A))
print(type(object()).__name__)

class Singleton:
    _inst = None
    def __new__(cls, v):
        if cls._inst is None:
            print("creating")
            cls._inst = super().__new__(cls)
        return cls._inst
    def __init__(self, v):
        print("init", v)
        self.v = v
a = Singleton(1)
b = Singleton(2)
print(a is b, a.v)
class NotSelf:
    def __new__(cls):
        return 42
    def __init__(self):
        print("never")
print(NotSelf())
class BadInit:
    def __init__(self):
        return 1
show(lambda: BadInit())

class Proxy:
    def __init__(self, target):
        object.__setattr__(self, "_t", target)
        object.__setattr__(self, "log", [])
    def __getattr__(self, name):
        self.log.append(name)
        return getattr(self._t, name)
    def __setattr__(self, name, value):
        self.log.append("set " + name)
        setattr(self._t, name, value)
    def __delattr__(self, name):
        self.log.append("del " + name)
        object.__delattr__(self._t, name)
class T:
    pass
t = T()
t.a = 1
p = Proxy(t)
print(p.a)
p.b = 2
print(t.b)
del p.a
print(p.log, hasattr(t, "a"), hasattr(p, "nope"), getattr(p, "nope", "default"))
show(lambda: object.__setattr__(A, "x", 1))
show(lambda: object.__setattr__(1, "x", 1))
show(lambda: object.__getattribute__(A(), "zz"))
class Sup:
    def __setattr__(self, name, value):
        super().__setattr__(name, value * 2)
    def __getattribute__(self, name):
        if name == "magic":
            return "M"
        return super().__getattribute__(name)
s = Sup()
s.v = 21
print(s.v, s.magic)

class K:
    pass
k = K()
print(k.__class__ is K, K.__class__ is type, type.__class__ is type)
class K2:
    def hello(self):
        return "K2"
k.__class__ = K2
print(type(k).__name__, k.hello())
def setcls():
    k.__class__ = int
show(setcls)
def setcls2():
    k.__class__ = 1
show(setcls2)

class Meta(type):
    def __instancecheck__(cls, obj):
        return obj == "magic"
    def __subclasscheck__(cls, sub):
        return sub is int
class M(metaclass=Meta):
    pass
print(isinstance("magic", M), isinstance(1, M), issubclass(int, M), issubclass(str, M))
print(isinstance(1, (str, int)), isinstance(1, (str, (float, int))), issubclass(bool, (int,)), isinstance(M(), M))
show(lambda: isinstance(1, 1))
show(lambda: issubclass(1, int))
show(lambda: issubclass(int, 1))

class Base:
    pass
class D1(Base):
    pass
class D2(Base):
    pass
print([c.__name__ for c in Base.__subclasses__()], [c.__name__ for c in D1.mro()], [c.__name__ for c in type.mro(D2)])

class Dir:
    def __dir__(self):
        return ["b", "a"]
print(dir(Dir()))
class WithAttrs:
    cls_attr = 1
    def method(self):
        pass
w = WithAttrs()
w.inst = 2
names = dir(w)
print([n for n in names if n[:2] != "__"], "__init__" in names)
names = dir(WithAttrs)
print("cls_attr" in names, "inst" in names, "__class__" in names)
print(vars(w), vars(w) is w.__dict__)
show(lambda: vars(1))
show(lambda: vars(1, 2))
show(lambda: dir(1, 2))

class Shape:
    def area(self):
        raise NotImplementedError
Shape.__abstractmethods__ = frozenset() if False else ("area",)
show(lambda: Shape())
Shape.__abstractmethods__ = ("perimeter", "area")
show(lambda: Shape())
print(Shape.__abstractmethods__)
Shape.__abstractmethods__ = ()
print(type(Shape()).__name__)
show(lambda: A.__abstractmethods__)

class WithGetitem:
    def __class_getitem__(cls, item):
        return ("cgi", cls.__name__, item)
print(WithGetitem[int], WithGetitem.__dict__["__class_getitem__"].__class__.__name__)
show(lambda: A[int])

# Class creation: type() forms, __build_class__ keywords, metaclasses,
# __prepare__, __init_subclass__, __set_name__, __classcell__, names.

def show(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

Dyn = type("Dyn", (), {"v": 7, "m": lambda self: self.v * 2})
print(Dyn.v, Dyn().m(), Dyn.__name__, Dyn.__qualname__, Dyn.__bases__[0] is object, type(Dyn) is type)
Sub = type("Sub", (Dyn,), {})
print(Sub().m(), [c.__name__ for c in Sub.__mro__])
show(lambda: type(1, 2))
show(lambda: type("a", 1, {}))
show(lambda: type("a", (), 1))
show(lambda: type(1, (), {}))
show(lambda: type.__new__(1))
show(lambda: type.__new__(type))
show(lambda: type.__new__(int, "a", (), {}))
show(lambda: type.__init__(Dyn, 1))
print(type(3) is int, type("s").__name__, type(type) is type)

class Plain:
    "The docstring."
    x = 1
print(Plain.__doc__, Plain.__module__, Plain.__qualname__, "x" in Plain.__dict__, "__qualname__" in Plain.__dict__)
class NoDoc:
    pass
print(NoDoc.__doc__)

def outer():
    class Inner:
        class Deeper:
            def f(self):
                pass
    return Inner
I = outer()
print(I.__qualname__, I.Deeper.__qualname__, I.Deeper.f.__qualname__)
I.__qualname__ = "Renamed"
print(I.__qualname__, I.__name__)
show(lambda: setattr(I, "__qualname__", 5))

class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        print("Meta.__new__", mcls.__name__, name, kw)
        cls = super().__new__(mcls, name, bases, ns)
        cls.tag = kw.get("tag", "none")
        return cls

    def __init__(cls, name, bases, ns, **kw):
        print("Meta.__init__", name)
        super().__init__(name, bases, ns)

    def __call__(cls, a, b=0):
        print("Meta.__call__", cls.__name__, a, b)
        return super().__call__(a, b)

    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name, kw)
        return {"injected": 42}

class A(metaclass=Meta, tag="first"):
    def __init__(self, a, b):
        self.a, self.b = a, b
class B(A):
    pass
print(A.tag, B.tag, type(B).__name__, A.injected, isinstance(A, Meta), isinstance(A, type))
b = B(1, b=2)
print(b.a, b.b, type(b).__name__)

class M1(type):
    pass
class M2(type):
    pass
class X(metaclass=M1):
    pass
class Y(metaclass=M2):
    pass
try:
    class Z(X, Y):
        pass
except TypeError as e:
    print(e)
class M3(M1):
    pass
class W(X, metaclass=M3):
    pass
class V(W, X):
    pass
print(type(W).__name__, type(V).__name__)

class BadPrepare(type):
    def __prepare__(name, bases, **kw):
        return 1
try:
    class P(metaclass=BadPrepare):
        pass
except TypeError as e:
    print(e)

def func_meta(name, bases, ns, **kw):
    return (name, "a" in ns, "b" in ns, kw)
class NotAClass(metaclass=func_meta, flag=True):
    a = 1
    def b(self):
        pass
print(NotAClass)

class Plugin:
    registry = []
    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__()
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry.append(cls.plugin_name)
class PA(Plugin, name="alpha"):
    pass
class PB(Plugin):
    pass
class PC(PB, name="gamma"):
    pass
print(Plugin.registry, PC.plugin_name, type(Plugin.__dict__["__init_subclass__"]).__name__)
try:
    class PD(Plugin, bogus=1):
        pass
except TypeError as e:
    print(e)
try:
    class Q(bogus=1):
        pass
except TypeError as e:
    print(e)

class Field:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = name
class Model:
    a = Field()
    b = Field()
print(Model.a.name, Model.b.name)
f = Field()
Model.c = f
print(hasattr(f, "name"))
class Broken:
    def __set_name__(self, owner, name):
        raise ValueError("nope")
try:
    class Host:
        attr = Broken()
except RuntimeError as e:
    print(e)

class UsesClass:
    def get(self):
        return __class__
    def sup(self):
        return super()
u = UsesClass()
print(u.get() is UsesClass, type(u.sup()).__name__)
try:
    class BadCell:
        __classcell__ = 1
except TypeError as e:
    print(e)
try:
    class MroBad(Plain, object, Dyn):
        pass
except TypeError as e:
    print(e)
try:
    class Layout(int, str):
        pass
except TypeError as e:
    print(e)

class AppError(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code
try:
    raise AppError("failed", 7)
except AppError as e:
    print(e, e.code)

class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        print("Meta.__new__", name, sorted(k for k in ns if not k.startswith("__")), kw)
        cls = super().__new__(mcls, name, bases, ns)
        cls.tag = kw.get("tag", "none")
        return cls
    def __init__(cls, name, bases, ns, **kw):
        print("Meta.__init__", name)
        super().__init__(name, bases, ns)
    def __call__(cls, *a, **k):
        print("Meta.__call__", cls.__name__, a)
        return super().__call__(*a, **k)
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name)
        return {"injected": 42}
class A(metaclass=Meta, tag="first"):
    def m(self): return "m"
class B(A):
    pass
print(A.tag, B.tag, type(B).__name__, A.injected)
b = B()
print(b.m(), isinstance(A, Meta), type(type), type.__class__)
Dyn = type("Dyn", (A,), {"v": 7})
print(Dyn.v, Dyn.__name__, Dyn.__mro__[1].__name__)
class M1(type): pass
class M2(type): pass
class X(metaclass=M1): pass
class Y(metaclass=M2): pass
try:
    class Z(X, Y): pass
except TypeError as e:
    print(e)

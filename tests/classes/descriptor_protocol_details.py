class D:
    def __get__(self, obj, owner):
        return ("get", obj is None, owner.__name__)
class A:
    d = D()
class B(A): pass
print(A.d, B.d, B().d)
class Method:
    def f(self): return self
m = Method()
bound = m.f
print(bound() is m, bound.__self__ is m, Method.f.__get__(m)() is m, type(Method.__dict__["f"]).__name__)
print(Method.f.__get__(None, Method) is Method.f)
class Lazy:
    def __init__(self, fn): self.fn = fn
    def __get__(self, obj, owner):
        if obj is None:
            return self
        v = self.fn(obj)
        obj.__dict__[self.fn.__name__] = v
        return v
class Host:
    @Lazy
    def value(self):
        print("computing")
        return 42
h = Host()
print(h.value, h.value)
from functools import cached_property
class CP:
    @cached_property
    def v(self):
        print("cached compute")
        return [1]
cp = CP()
print(cp.v is cp.v)

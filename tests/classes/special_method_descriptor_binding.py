# Special methods found on the type are bound through any descriptor
# (not only functions), __getattr__/__getattribute__ hooks too; reflected
# operators of subclasses; which built-in types have which dunders.
import math
import sys
import types

record = []

class SpecialDescr:
    def __init__(self, impl):
        self.impl = impl
    def __get__(self, obj, owner):
        record.append(self.impl.__name__)
        return self.impl.__get__(obj, owner)

def hello(self): return b"hello"
def empty_seq(self): return []
def zero(self): return 0
def return_true(self, thing=None): return True
def some_number(self, key): return 4
def format_impl(self, spec): return "formatted " + spec

class X:
    __bytes__ = SpecialDescr(hello)
    __reversed__ = SpecialDescr(empty_seq)
    __sizeof__ = SpecialDescr(zero)
    __format__ = SpecialDescr(format_impl)
    __floor__ = SpecialDescr(zero)
    __ceil__ = SpecialDescr(zero)
    __trunc__ = SpecialDescr(zero)
    __round__ = SpecialDescr(zero)

x = X()
print(bytes(x), list(reversed(x)), format(x, "spec"), math.floor(x), math.ceil(x), math.trunc(x), round(x))
print(sys.getsizeof(x) >= 0, b"%s" % x)

class Meta(type):
    __instancecheck__ = SpecialDescr(return_true)
    __subclasscheck__ = SpecialDescr(return_true)
class Anything(metaclass=Meta):
    pass
print(isinstance(3, Anything), issubclass(int, Anything))

class Missing(dict):
    __missing__ = SpecialDescr(some_number)
print(Missing()["hi"])
print(record)

class Descriptor:
    counter = 0
    def __get__(self, obj, objtype=None):
        def getter(name):
            self.counter += 1
            raise AttributeError(name)
        return getter
descr = Descriptor()
class A:
    __getattribute__ = descr
class B:
    __getattr__ = descr
class C:
    __getattribute__ = descr
    __getattr__ = descr
for cls in (A, B, C):
    try:
        getattr(cls(), "attr")
    except AttributeError as e:
        print(cls.__name__, "AttributeError", e, descr.counter)

class Static:
    @staticmethod
    def __getattr__(name):
        return "static " + name
print(Static().whatever)

# Reflected operators: the subclass goes first only if it overrides them.
class C1:
    def __floordiv__(self, other): return "C1.__floordiv__"
    def __rfloordiv__(self, other): return "C1.__rfloordiv__"
class D1(C1):
    def __floordiv__(self, other): return "D1.__floordiv__"
    def __rfloordiv__(self, other): return "D1.__rfloordiv__"
class E1(C1):
    pass
print(D1() // C1(), C1() // D1(), E1() // C1(), C1() // E1(), 1 // E1(), E1() // 1)
class I(int):
    def __rfloordiv__(self, other): return "I.__rfloordiv__"
print(1 // I(2), I(2) // 1)

# Modules: __dict__ is read-only; subclasses may override it.
m = types.ModuleType("spam")
for action in ("set", "del"):
    try:
        if action == "set":
            m.__dict__ = {}
        else:
            del m.__dict__
    except AttributeError as e:
        print(action, type(e).__name__, e)
class M2(types.ModuleType):
    @property
    def __dict__(self):
        return "Not a dict!"
    @property
    def answer(self):
        return 42
    @answer.setter
    def answer(self, v):
        print("setting answer", v)
m2 = M2("m2")
print(m2.__dict__, m2.answer)
m2.answer = 5
try:
    dir(m2)
except TypeError as e:
    print(type(e).__name__, e)

# Which dunders the built-in types have.
for t in (int, float, complex, bool, str, list, tuple, bytes, set, dict):
    names = [n for n in ("__and__", "__lshift__", "__floordiv__", "__mod__", "__bool__", "__divmod__") if n in t.__dict__]
    print(t.__name__, names, hasattr(t(), "__xor__"))
for expr in ("1.5 << 2", "1.5 & 1", "1j // 2", "1j % 2", "divmod(1j, 2)"):
    try:
        eval(expr)
    except TypeError as e:
        print(expr, type(e).__name__, e)

# Class bodies store names through the __prepare__ mapping's methods.
class D(dict):
    def __init__(self):
        super().__init__()
        self.names = []
    def __setitem__(self, key, value):
        self.names.append(key)
        super().__setitem__(key, value)
    def __getitem__(self, key):
        if key == 'magic':
            return 42
        return super().__getitem__(key)
    def __delitem__(self, key):
        print("del", key)
        super().__delitem__(key)
class M(type):
    @classmethod
    def __prepare__(m, cls, bases, **kw):
        return D()
    def __new__(m, cls, bases, ns, **kw):
        print(cls, ns.names)
        return super().__new__(m, cls, bases, dict(ns), **kw)
class X(metaclass=M):
    A = 1
    B = magic
    C = A + B
    del A
    try:
        del nothere
    except NameError as e:
        print(type(e).__name__, e)
print(X.B, X.C, hasattr(X, 'A'))

# type(name, bases, ns) defers to the most derived metaclass's __new__.
class Meta(type):
    def __new__(mcls, name, bases, ns, *, flag=None, **kw):
        print("Meta.__new__", mcls.__name__, name, flag)
        return super().__new__(mcls, name, bases, ns, **kw)
class Base(metaclass=Meta): pass
Y = type('Y', (Base,), {}, flag=1)
print(type(Y).__name__, Y.__name__)

# A mixin inheriting object.__init__ does not hide a later base's __init__.
class Mixin:
    __slots__ = ()
class WithInit:
    def __init__(self, a, *, b=2):
        self.a, self.b = a, b
class Both(Mixin, WithInit): pass
o = Both(1, b=3)
print(o.a, o.b)
class Rep:
    def __repr__(self): return "Rep!"
class Both2(Mixin, Rep): pass
print(repr(Both2()))

# type.__name__ can be assigned on classes defined in Python.
class Named: pass
Named.__name__ = 'Renamed'
print(Named.__name__, Named.__qualname__)
for v in (5, 'a\x00b'):
    try:
        Named.__name__ = v
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    int.__name__ = 'x'
except TypeError as e:
    print(type(e).__name__, e)
try:
    del Named.__name__
except TypeError as e:
    print(type(e).__name__, e)

# __doc__ in __slots__, and every type has a __doc__.
class S:
    __slots__ = ('__doc__', 'x')
s = S(); s.__doc__ = 'hello'; print(s.__doc__)
print(None.__doc__ is None or isinstance(None.__doc__, str), '__doc__' in type(None).__dict__)

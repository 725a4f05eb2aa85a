# type(name, bases, ns): __module__, name/doc/slots checks, __base__, order.
import collections

A = type('A', (), {})
print(A.__module__, A.__qualname__, A.__doc__)


def make():
    return type('B', (), {})


print(make().__module__)


class M(type):
    def __new__(m, *a):
        return super().__new__(m, *a)


print(M('C', (), {}).__module__)
print(type('D', (), {'__module__': 'elsewhere'}).__module__)

od = collections.OrderedDict([('a', 1), ('b', 2)])
od.move_to_end('a')
print([k for k in type('E', (), od).__dict__ if k in 'ab'])


class Base:
    pass


print(type('F', (Base, int), {}).__base__ is int)
print(type('G', (Base,), {}).__base__ is Base)
print(int.__base__, bool.__base__)


def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)


err(lambda: type('A\x00B', (), {}))
err(lambda: type('A\udcdcB', (), {}))
err(lambda: type('A', (), {'__doc__': 'x\udcdcy'}))
err(lambda: type('A', (), {'__slots__': ('__dict__', '__dict__')}))
err(lambda: type('A', (), {'__slots__': ('__weakref__', '__weakref__')}))
err(lambda: type('A', (Base,), {'__slots__': '__dict__'}))
err(lambda: type('A', (Base,), {'__slots__': '__weakref__'}))
err(lambda: type('A', (int,), {'__slots__': 'x'}))
err(lambda: type('A', (bytes,), {'__slots__': ('x', 'y')}))
print(type('A', (int,), {'__slots__': ()})(3))
print(type('A', (), {'__slots__': ('__weakref__',)}).__name__)

C = type('C', (), {})
err(lambda: setattr(C, '__name__', 'A\x00B'))
err(lambda: setattr(C, '__name__', 'A\udcdcB'))
C.__name__ = 'Renamed'
print(C.__name__, C.__qualname__)
C.__doc__ = 'x\udcdcy'
print(ascii(C.__doc__))

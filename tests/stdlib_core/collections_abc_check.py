# _collections_abc directly: `collections` itself also needs reprlib (_thread).
import _collections_abc as cabc
from abc import ABC, ABCMeta, abstractmethod, get_cache_token
print(isinstance([], cabc.Sequence), isinstance((), cabc.Sequence), isinstance({}, cabc.Mapping), isinstance({}, cabc.MutableMapping))
print(isinstance('s', cabc.Sequence), isinstance(set(), cabc.Set), isinstance(frozenset(), cabc.MutableSet), issubclass(dict, cabc.Sequence))
print(isinstance(iter([]), cabc.Iterator), isinstance([], cabc.Iterable), isinstance(3, cabc.Hashable), isinstance([], cabc.Hashable))
print(isinstance(range(3), cabc.Sequence), isinstance(len, cabc.Callable), isinstance({}.keys(), cabc.KeysView))
class It:
    def __iter__(self): return self
    def __next__(self): raise StopIteration
print(isinstance(It(), cabc.Iterable), isinstance(It(), cabc.Iterator), issubclass(It, cabc.Sized))

class MySeq(cabc.Sequence):
    def __init__(self, n): self.n = n
    def __len__(self): return self.n
    def __getitem__(self, i):
        if i >= self.n: raise IndexError(i)
        return i * i
s = MySeq(4)
print(list(s), s.index(4), s.count(9), 9 in s, list(reversed(s)))
try:
    cabc.Sequence()
except TypeError as e:
    print(e)

class Base(ABC):
    @abstractmethod
    def f(self): ...
    @property
    @abstractmethod
    def p(self): ...
try:
    Base()
except TypeError as e:
    print(e)
class Half(Base):
    def f(self): return 1
try:
    Half()
except TypeError as e:
    print(e)
class Full(Half):
    p = 3
print(Full().f(), Full().p, sorted(Base.__abstractmethods__), Full.__abstractmethods__)

t0 = get_cache_token()
class Reg(metaclass=ABCMeta): pass
Reg.register(int)
print(get_cache_token() > t0, isinstance(1, Reg), issubclass(bool, Reg), issubclass(str, Reg))
@Reg.register
class Other: pass
print(issubclass(Other, Reg), Reg.register(int) is int)
try:
    Reg.register(3)
except TypeError as e:
    print(e)
class Sub(Reg): pass
try:
    Sub.register(Reg)
except RuntimeError as e:
    print(e)
class Hook(ABC):
    @classmethod
    def __subclasshook__(cls, C):
        return True if hasattr(C, 'quack') else NotImplemented
class Duck:
    quack = 1
print(isinstance(Duck(), Hook), issubclass(int, Hook))
import _abc
reg, cache, neg, ver = _abc._get_dump(Reg)
print(len(reg), type(ver).__name__)
_abc._reset_caches(Reg); print(len(_abc._get_dump(Reg)[1]))
_abc._reset_registry(Reg); print(issubclass(float, Reg), len(_abc._get_dump(Reg)[0]))

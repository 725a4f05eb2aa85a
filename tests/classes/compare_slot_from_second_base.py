class A:
    __slots__ = ()
class B:
    def __eq__(self, o): return True
    def __hash__(self): return 1
    def __repr__(self): return "B!"
    def __len__(self): return 5
class C(A, B): pass
print(C() == 1, repr(C()), len(C()), hash(C()))
class A2:
    pass
class C2(A2, B): pass
print(C2() == 1, repr(C2()))


# Comparisons defined by a later base win over an earlier bare base.
class Ord:
    def __init__(self, v):
        self.v = v

    def __lt__(self, o):
        return self.v < o.v


class Bare:
    pass


class D(Bare, Ord):
    pass


print(D(1) < D(2), D(3) < D(2), sorted([D(3), D(1), D(2)], key=lambda d: d).__len__())
print(sorted([D(3), D(1), D(2)])[0].v)


class E(Bare, int):
    pass


print(E(3) == 3, E(2) < 3, E(5) >= 5)
from typing import Callable, TypeVar
K = TypeVar("K")
V = TypeVar("V")
print(Callable[[K, V], K][str, int] == Callable[[str, int], str])
print(list[Callable[[K, V], K]][str, int] == list[Callable[[str, int], str]])

from abc import ABC, abstractmethod
class Shape(ABC):
    @abstractmethod
    def area(self): ...
    def describe(self): return f"{type(self).__name__} area {self.area()}"
class Sq(Shape):
    def __init__(self, s): self.s = s
    def area(self): return self.s ** 2
print(Sq(3).describe(), isinstance(Sq(1), Shape))
try:
    Shape()
except TypeError as e:
    print(e)
from collections.abc import Iterable, Sized, Hashable, Mapping
class Bag:
    def __iter__(self): return iter([])
    def __len__(self): return 0
print(isinstance(Bag(), Iterable), isinstance(Bag(), Sized), isinstance([], Hashable), isinstance({}, Mapping))
class Reg(ABC): pass
Reg.register(int)
print(isinstance(3, Reg), issubclass(bool, Reg))

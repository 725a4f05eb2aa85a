from dataclasses import dataclass, field, asdict, replace
@dataclass(order=True, frozen=True)
class Item:
    price: float
    name: str = "thing"
    tags: tuple = field(default=(), compare=False)
a, b = Item(2.5, "b"), Item(1.0)
print(a, b, a > b, sorted([a, b]), asdict(a), replace(a, name="c"), a == Item(2.5, "b", ("x",)))
try:
    a.price = 3
except Exception as e:
    print(type(e).__name__, e)
print(hash(a) == hash(Item(2.5, "b")))
@dataclass
class Box:
    items: list = field(default_factory=list)
    def __post_init__(self):
        self.items.append("init")
print(Box(), Box([1]))
from typing import NamedTuple, Generic, TypeVar
T = TypeVar("T")
class Pair(NamedTuple):
    a: int
    b: str = "z"
print(Pair(1), Pair(1)._fields, list[int], dict[str, int] == dict[str, int])
class Stack(Generic[T]):
    def __init__(self): self.items: list[T] = []
print(Stack[int]().items, Stack.__parameters__)

# Cycles through the payload of an instance of a Python subclass of a native
# type are collected (the subclass inherits the payload's traverse/clear).
import functools
import gc


class Node:
    pass


class Part(functools.partial):
    pass


class SlottedPart(functools.partial):
    __slots__ = ()


class Meta(type):
    pass


class MetaPart(functools.partial, metaclass=Meta):
    pass


for cls in (Part, SlottedPart, MetaPart):
    for i in range(3):
        n = Node()
        n.p = cls(print, n)  # n -> p -> (payload args) -> n
    del n
    gc.collect()
    print(cls.__name__, sum(1 for o in gc.get_objects() if isinstance(o, Node)))


# Cycles through __slots__ members are collected too.
class Slotted:
    __slots__ = ("f",)


class WithFinalizer:
    __slots__ = ("f",)

    def __del__(self):
        pass


for cls in (Slotted, WithFinalizer):
    class Owner:
        def __init__(self):
            s = cls()
            s.f = lambda: self  # self -> s -> (slot) lambda -> cell -> self
            self.s = s

    for i in range(3):
        Owner()
    gc.collect()
    print(cls.__name__, sum(1 for o in gc.get_objects() if isinstance(o, Owner)))

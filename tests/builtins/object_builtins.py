class C:
    def __init__(self): self.v = 1
c = C()
print(type(c) is C, type(c).__name__, isinstance(c, C), id(c) == id(c), id(c) != id(C()))
x = []
y = x
print(id(x) == id(y), id(x) != id([]), type(id(x)).__name__)
print(getattr(c, "v"), getattr(c, "w", None), hasattr(c, "v"), setattr(c, "w", 2), c.w, delattr(c, "w"), hasattr(c, "w"))
print(type(object()).__name__, object.__name__, type.__name__, type(type).__name__, type(5)(7))
print(issubclass(C, object), callable(C), type("T", (), {})().__class__.__name__)
a = object()
print(a == a, a != object(), isinstance(a, object), hash(a) == hash(a))
print(repr(print), repr(len), type(len).__name__, len.__name__, type([].append).__name__, repr(int))
print(iter([]).__class__.__name__, iter(()).__class__.__name__, iter("").__class__.__name__, iter({}).__class__.__name__, iter(range(0)).__class__.__name__)

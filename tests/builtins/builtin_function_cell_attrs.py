import math, types
print(len.__name__, len.__qualname__, len.__module__, len.__self__.__name__)
print(math.sqrt.__name__, math.sqrt.__module__, math.sqrt.__self__.__name__)
print([].append.__name__, [].append.__qualname__, [].append.__self__, [].append.__module__)
print(int.from_bytes.__qualname__, int.from_bytes.__self__, dict.fromkeys.__self__)
print(int.__new__.__qualname__, int.__new__.__self__, object.__init_subclass__.__qualname__)
print({}.get.__doc__.splitlines()[0])
c = types.CellType()
print(repr(c).endswith(': empty>'), c == types.CellType(), c < types.CellType(1))
c2 = types.CellType(5)
print(repr(c2).split(': ')[1].split(' at')[0], c2 == types.CellType(5), c2 < types.CellType(6))
try:
    c.cell_contents
except ValueError as e:
    print(type(e).__name__, e)
try:
    types.CellType(1, 2)
except TypeError as e:
    print(type(e).__name__, e)
try:
    hash(c2)
except TypeError as e:
    print(type(e).__name__, e)
del c2.cell_contents
print(repr(c2).endswith('empty>'))
import weakref
class R(weakref.ref):
    def __init__(self, ob, callback=None, **extra):
        super().__init__(ob, callback)
        self.extra = extra
class O: pass
ob = O()
r = R(ob, None, tag=1)
print(r() is ob, r.extra)

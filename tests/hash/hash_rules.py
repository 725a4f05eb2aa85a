print(hash(1) == hash(1.0) == hash(True), hash(2 ** 100) == hash(float(2 ** 100)))
class Default: pass
a = Default()
print(hash(a) == hash(a), type(hash(a)).__name__)
class EqOnly:
    def __eq__(self, o): return True
print(EqOnly.__hash__)
try:
    hash(EqOnly())
except TypeError as e:
    print(e)
class Custom:
    def __init__(self, k): self.k = k
    def __hash__(self): return hash(self.k)
    def __eq__(self, o): return self.k == o.k
print(len({Custom(1), Custom(1), Custom(2)}), {Custom("x"): 1}[Custom("x")])
class Big:
    def __hash__(self): return 2 ** 100
print(hash(Big()))
class Neg:
    def __hash__(self): return -1
print(hash(Neg()))
class NotInt:
    def __hash__(self): return "s"
try:
    hash(NotInt())
except TypeError as e:
    print(e)
class Sub(EqOnly):
    __hash__ = object.__hash__
print(hash(Sub()) is not None)
for unhashable in ([], {}, set(), bytearray()):
    try:
        hash(unhashable)
    except TypeError as e:
        print(e)
print(hash(-1), hash(-2), hash(2 ** 61 - 1), hash(-(2 ** 61 - 1)))

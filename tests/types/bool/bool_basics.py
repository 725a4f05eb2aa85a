print(True + True, True * 10, -True, ~True, True / 2, True // 1)
print(True & False, True | False, True ^ True, type(True & False), type(True & 1))
print(isinstance(True, int), issubclass(bool, int), bool.__mro__)
print(str(True), repr(False), int(True), float(False), format(True), f"{True:d}")
print(bool(), bool([]), bool([0]), bool("a"))
class Z:
    def __len__(self): return 0
class B:
    def __bool__(self): return False
print(bool(Z()), bool(B()), not B())
class Bad:
    def __bool__(self): return 1
try:
    bool(Bad())
except TypeError as e:
    print(e)
try:
    bool.__new__(bool, 1)
    class X(bool): pass
except TypeError as e:
    print(e)
print(hash(True), hash(False), {True: "a", 1: "b"})

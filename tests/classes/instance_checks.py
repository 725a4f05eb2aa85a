class Meta(type):
    def __instancecheck__(cls, obj):
        return obj == "magic"
    def __subclasscheck__(cls, sub):
        return sub is int
class M(metaclass=Meta): pass
print(isinstance("magic", M), isinstance(1, M), issubclass(int, M), issubclass(str, M))
print(isinstance(1, (str, int)), isinstance(1, (str, (float, int))), issubclass(bool, (int,)))
print(isinstance(1, int | str), isinstance(None, type(None) | int), int | str)
try:
    isinstance(1, 1)
except TypeError as e:
    print(e)
try:
    issubclass(1, int)
except TypeError as e:
    print(e)

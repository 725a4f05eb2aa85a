# Attributes of the descriptors of built-in types and of built-in methods.
import inspect
import types


class S:
    __slots__ = {'power': 'measured in kilowatts'}


for d in [list.append, dict.__dict__['fromkeys'], int.__dict__['real'], S.power, type.__dict__['mro']]:
    print(type(d).__name__, d.__name__, d.__qualname__, d.__objclass__.__name__)

print(int.__dict__['real'].__doc__)
print(list.append.__doc__)
print(S.power.__doc__)
print(isinstance([].append, types.BuiltinFunctionType), inspect.isbuiltin([].append), inspect.isroutine([].count))
print(type([].append).__name__, type(len).__name__)
print(object.__text_signature__, repr(object.__doc__[:38]))
print(type.__text_signature__ is None or type.__text_signature__)


class C:
    pass


print(inspect.signature(C))
print(C.__init__ is object.__init__, C.__new__ is object.__new__)


class Desc:
    """Doc."""
    __text_signature__ = None


print(Desc.__text_signature__)

# typing uses the native _typing._idfunc as NewType.__call__.
import _typing
import typing

print(_typing._idfunc(5), _typing._idfunc.__name__, _typing._idfunc.__text_signature__, _typing._idfunc.__doc__)
try:
    _typing._idfunc(1, 2)
except TypeError as e:
    print(type(e).__name__, e)
UserId = typing.NewType("UserId", int)
print(UserId(5), UserId.__call__ is _typing._idfunc, repr(UserId))
x = [1]
print(UserId(x) is x)

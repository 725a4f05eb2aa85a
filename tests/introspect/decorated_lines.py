# A decorated function's or class's code starts at its first decorator.
import inspect
import sys


def deco(f):
    return f


@deco
@deco
def g():
    return 1


@deco
class K:
    x = 1


print(g.__code__.co_firstlineno)
print(inspect.getsource(g))
print(inspect.getsource(K))


def tr(frame, ev, arg):
    if frame.f_code.co_name == 'g':
        print(ev, frame.f_lineno)
    return tr


sys.settrace(tr)
g()
sys.settrace(None)

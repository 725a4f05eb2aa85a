# Raising an exception already in the context chain cuts the cycle
# (A -> C -> B, B's link to A removed); AttributeErrors keep the name and
# object of the innermost lookup.
import traceback

class A(Exception): pass
class B(Exception): pass
class C(Exception): pass

try:
    try:
        raise A
    except A as a_:
        a = a_
        try:
            raise B
        except B as b_:
            b = b_
            try:
                raise C
            except C as c_:
                c = c_
                raise a
except A as e:
    exc = e
print(exc is a, a.__context__ is c, c.__context__ is b, b.__context__)

# A pre-existing cycle is walked once, not forever.
x, y = ValueError("x"), ValueError("y")
x.__context__ = y
y.__context__ = x
try:
    try:
        raise x
    except ValueError:
        raise TypeError("t")
except TypeError as t:
    print(type(t.__context__).__name__, t.__context__ is x, x.__context__ is y, y.__context__ is x)

def chain(e):
    out = []
    while e is not None and len(out) < 5:
        out.append(str(e))
        e = e.__context__
    return out

try:
    try:
        raise KeyError("k")
    except KeyError as k:
        try:
            raise IndexError("i")
        except IndexError:
            raise k
except KeyError as k2:
    print(chain(k2))

class Inner:
    bluch = 1
class Outer:
    def __getattribute__(self, attr):
        return Inner().blich
try:
    Outer().something
except AttributeError as e:
    print(e.name, type(e.obj).__name__)
    print(traceback.format_exception_only(type(e), e)[-1].strip())

class Hook:
    def __getattr__(self, attr):
        raise AttributeError("bare")
try:
    Hook().missing
except AttributeError as e:
    print(e.name, type(e.obj).__name__)
try:
    raise AttributeError("explicit", name="n", obj=5)
except AttributeError as e:
    print(e.name, e.obj)

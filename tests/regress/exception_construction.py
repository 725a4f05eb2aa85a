# Exception classes whose __new__ returns something else; group subclasses
# with their own __new__ signature; finalizers running while sys state changes.
import sys


class MyException(Exception):
    def __new__(cls, *args):
        return object()


try:
    raise MyException
except TypeError as e:
    print("TypeError", e)


class E(Exception):
    def __new__(cls, *args, **kwargs):
        return cls


def g():
    yield


gen = g()
try:
    gen.throw(E)
except TypeError as e:
    print("TypeError", e)
try:
    next(gen)
except StopIteration:
    print("stop")


def generator():
    try:
        yield
    except TypeError as e:
        print("inner", e)


gen = generator()
next(gen)
try:
    gen.throw(E)
except StopIteration:
    print("stop2")


class EG(ExceptionGroup):
    def __new__(cls, message, excs, code):
        obj = super().__new__(cls, message, excs)
        obj.code = code
        return obj

    def derive(self, excs):
        return EG(self.message, excs, self.code)


e = EG("eg", [TypeError(1), ValueError(2)], 42)
print(e.exceptions, e.message, e.code, e.args)
try:
    raise e
except* TypeError as t:
    print(repr(t), t.code)
except* ValueError as v:
    print(repr(v), v.code)


class Init(ExceptionGroup):
    def __init__(self, *args):
        super().__init__(*args)
        self.extra = len(args)


i = Init("m", [KeyError(1)])
print(i.message, i.exceptions, i.extra)


# A finalizer that asks for the handled exception while it is being popped.
class Watch:
    def __del__(self):
        print("del sees", sys.exc_info()[0])


def drop_in_except():
    try:
        raise ValueError(Watch())
    except ValueError:
        pass


drop_in_except()
print("after")


# A finalizer that replaces the profile/trace hook while the old one is dropped.
class Hook:
    def __call__(self, *a):
        pass

    def __del__(self):
        for f in (sys.setprofile, sys.settrace):
            try:
                f(None)
            except RuntimeError as e:
                print("RuntimeError", e)
        print("hook dropped")


sys.setprofile(Hook())
sys.setprofile(None)
sys.settrace(Hook())
sys.settrace(None)
print(sys.getprofile(), sys.gettrace())


# __traceback__ keeps its identity; frames added later chain onto it;
# groups derived by except* share the original's traceback.
def inner():
    raise ValueError("x")


def outer():
    try:
        inner()
    except ValueError as e:
        first = e.__traceback__
        print("same", e.__traceback__ is first, first.tb_frame.f_code.co_name if hasattr(first, "tb_frame") else "outer")
        raise


try:
    outer()
except ValueError as e:
    tb = e.__traceback__
    print(tb is e.__traceback__, tb.tb_next is not None, tb.tb_lineno > 0)
    e.__traceback__ = tb.tb_next
    print(e.__traceback__ is tb.tb_next)
    e.__traceback__ = None
    print(e.__traceback__)

orig = ExceptionGroup("eg", [ValueError(1), OSError(2)])
try:
    try:
        raise orig
    except* OSError:
        raise TypeError(3)
except ExceptionGroup as e:
    exc = e
ctx = exc.exceptions[0].__context__
print(ctx.__traceback__ is orig.__traceback__, exc.__traceback__ is orig.__traceback__)
rest = exc.exceptions[1]
print(rest.__traceback__ is orig.__traceback__)

# except with a tuple holding a non-class fails even when an item matches.
try:
    try:
        raise ValueError
    except (ValueError, 42):
        pass
except TypeError as e:
    print("TypeError", e)


# An AttributeError raised by __getattr__ gets the name and object.
class A:
    blech = None

    def __getattr__(self, attr):
        raise AttributeError()


try:
    A().bluch
except AttributeError as e:
    print(e.name, type(e.obj).__name__)
try:
    getattr(A(), "bluch")
except AttributeError as e:
    print(e.name, type(e.obj).__name__)

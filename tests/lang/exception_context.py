# __context__ chaining through finally blocks, with statements and handlers.

def f5():
    try:
        raise ValueError("first")
    finally:
        raise KeyError("second")

try:
    f5()
except KeyError as e:
    print("caught", repr(e), "context:", repr(e.__context__))

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise IndexError("from handler")
except IndexError as e:
    print("context", type(e.__context__).__name__)

class Failing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        raise IndexError("exit failed")

try:
    with Failing():
        raise ValueError("body")
except IndexError as e:
    print("exit error", e, "context", repr(e.__context__))

def g():
    try:
        yield 1
    except GeneratorExit:
        raise ValueError("in close")

it = g()
next(it)
try:
    it.close()
except ValueError as e:
    print("close raised", e, type(e.__context__).__name__)

def raises_stop():
    yield 1
    raise StopIteration("bad")

try:
    list(raises_stop())
except RuntimeError as e:
    print(type(e).__name__, e, "cause:", repr(e.__cause__))

def returns():
    yield 1
    return 42

r = returns()
next(r)
try:
    next(r)
except StopIteration as e:
    print("value", e.value)

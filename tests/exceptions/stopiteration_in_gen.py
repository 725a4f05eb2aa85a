def g():
    yield 1
    raise StopIteration("converted")
try:
    list(g())
except RuntimeError as e:
    print(type(e).__name__, e, repr(e.__cause__))
def h():
    yield 1
    return "retval"
it = h()
next(it)
try:
    next(it)
except StopIteration as e:
    print("value", e.value, e.args)

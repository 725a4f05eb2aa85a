import sys
def show():
    e = sys.exception()
    return repr(e)
try:
    raise ValueError("outer")
except ValueError:
    print(show())
    try:
        raise KeyError("inner")
    except KeyError:
        print(show())
    print(show())
print(show())
def gen():
    try:
        raise TypeError("in gen")
    except TypeError:
        yield show()
        yield show()
g = gen()
print(next(g))
print(show())
print(next(g))

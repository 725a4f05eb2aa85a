try:
    raise ValueError
except ValueError as e:
    print(repr(e))
def reraise():
    try:
        raise KeyError("first")
    except KeyError:
        raise
try:
    reraise()
except KeyError as e:
    print("reraised", e)
try:
    raise
except RuntimeError as e:
    print(e)
try:
    raise 42
except TypeError as e:
    print(e)
class NotExc: pass
try:
    raise NotExc
except TypeError as e:
    print(e)
try:
    try:
        raise ValueError("inner")
    except ValueError as e:
        err = e
    raise err
except ValueError as e:
    print("again", e)
import sys
try:
    raise IndexError("info")
except IndexError:
    t, v, tb = sys.exc_info()
    print(t.__name__, v, tb is not None, sys.exception() is v)
print(sys.exc_info())

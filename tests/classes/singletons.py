print(None, repr(None), type(None).__name__, None is None, bool(None))
print(NotImplemented, type(NotImplemented).__name__, Ellipsis, ..., ... is Ellipsis, type(...).__name__)
print(type(None)() is None, type(...)() is ..., type(NotImplemented)() is NotImplemented)
def f(): pass
print(f() is None)
class C:
    def __eq__(self, o): return NotImplemented
print(C() == C(), C() != 1)
print((1).__add__("x"), (1).__eq__("a"), "a".__lt__(1))
try:
    None.x
except AttributeError as e:
    print(e)
try:
    None()
except TypeError as e:
    print(e)
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        bool(NotImplemented)
    except DeprecationWarning as e:
        print("DeprecationWarning:", e)

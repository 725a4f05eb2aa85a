import sys
def hook(u):
    print("unraisable:", type(u.exc_value).__name__, u.exc_value, u.object.__qualname__, file=sys.stderr)
sys.unraisablehook = hook
class Bad:
    def __del__(self):
        raise ValueError("in __del__")
b = Bad()
del b
print("continues after exception in __del__")

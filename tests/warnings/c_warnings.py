# _warnings (CPython's C warnings): default filters, the output format
# used before `warnings` is imported, registries, actions.
import _warnings
import sys

print(_warnings.filters)
print(_warnings._defaultaction, _warnings._onceregistry)

def lib():
    _warnings.warn("from lib", UserWarning, stacklevel=2)

lib()
lib()  # another line: shown again
for i in range(3):
    lib()  # same line: shown once
_warnings.warn("deprecated in main", DeprecationWarning)
_warnings.warn("pending", PendingDeprecationWarning)
_warnings.warn("plain")
_warnings.warn(RuntimeWarning("an instance"))
_warnings.warn("deep", stacklevel=50)
for bad in (int, "x", None.__class__):
    try:
        _warnings.warn("x", bad)
    except TypeError as e:
        print(type(e).__name__, e)
print(sorted(str(k) for k in __warningregistry__))

_warnings.warn_explicit("explicit", UserWarning, "afile.py", 12)
_warnings.warn_explicit("explicit mod", UserWarning, "afile.py", 12, "amodule")
reg = {}
_warnings.warn_explicit("with registry", UserWarning, "afile.py", 3, registry=reg)
_warnings.warn_explicit("with registry", UserWarning, "afile.py", 3, registry=reg)
print(sorted(str(k) for k in reg))
try:
    _warnings.warn_explicit("x", UserWarning, "f", 1, registry=[])
except TypeError as e:
    print(type(e).__name__, e)

# Actions, through the filter list itself.
_warnings.filters.insert(0, ("error", None, RuntimeWarning, None, 0))
_warnings._filters_mutated()
try:
    _warnings.warn("now an error", RuntimeWarning)
except RuntimeWarning as e:
    print("raised", type(e).__name__, e)
_warnings.filters[0] = ("ignore", None, RuntimeWarning, None, 0)
_warnings._filters_mutated()
_warnings.warn("ignored", RuntimeWarning)
_warnings.filters[0] = ("once", None, RuntimeWarning, None, 0)
_warnings._filters_mutated()
_warnings.warn("once only", RuntimeWarning)
_warnings.warn("once only", RuntimeWarning)
print(list(_warnings._onceregistry.items()) == [] or "registry used")
_warnings.filters[0] = ("bogus", None, RuntimeWarning, None, 0)
try:
    _warnings.warn("bad action", RuntimeWarning)
except RuntimeError as e:
    print(type(e).__name__, e)
_warnings.filters[0] = ("error", None, Warning, None, 0, "extra")
try:
    _warnings.warn("bad filter")
except ValueError as e:
    print(type(e).__name__, e)
del _warnings.filters[0]
_warnings._filters_mutated()
sys.stderr.flush()

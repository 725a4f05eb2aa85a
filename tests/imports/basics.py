# Imports of .py modules, packages, namespace packages and relative
# imports, found on sys.path.
import sys

sys.path.append("support")

import mod_a
import pkg.sub
import pkg.inner as pi
from pkg.sub import *
from mod_a import f, X
from star_public import *
from nspkg.part import thing

print(mod_a.X, f(), pkg.value, pkg.sub.w, pi.value, w, tag)
print(a, b, "_private" in globals(), "hidden" in globals())
print(mod_a.__name__, mod_a.__doc__ is None or mod_a.__doc__)
print(pkg.__package__, pkg.sub.__package__, repr(mod_a.__package__))
print(sys.modules["pkg.inner"] is pi, pkg.initialised)
print(thing.NAME, thing.__name__)
print(__name__)

try:
    import nothere
except ImportError as e:
    print(type(e).__name__, e, e.name)

try:
    import pkg.nothere
except ImportError as e:
    print(type(e).__name__, e)

try:
    import mod_a.sub
except ImportError as e:
    print(type(e).__name__, e)

try:
    from mod_a import nope
except ImportError as e:
    print(type(e).__name__, str(e).split(" (")[0])

try:
    import pkg.broken
except ValueError as e:
    print("ValueError", e, "pkg.broken" in sys.modules, mod_a.loaded)

m = __import__("pkg.sub")
print(m is pkg)
m = __import__("pkg.sub", fromlist=["w"])
print(m is pkg.sub)

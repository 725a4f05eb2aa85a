# `from m import name` failures: CPython's messages, ImportError.name/path,
# and an overridden builtins.__import__ being called by import statements.
import builtins
import os
import sys
import types

try:
    from os import no_such_name_xyz
except ImportError as e:
    print(type(e).__name__, e.msg.replace(os.__file__, "OSFILE"), e.name, e.path == os.__file__)

m = types.ModuleType("fake_mod")
sys.modules["fake_mod"] = m
try:
    from fake_mod import thing
except ImportError as e:
    print(type(e).__name__, e, e.name, e.path)
m.__file__ = "/nowhere/fake_mod.py"
try:
    from fake_mod import thing
except ImportError as e:
    print(type(e).__name__, e, e.name, e.path)

class Spec:
    _initializing = True
m.__spec__ = Spec()
try:
    from fake_mod import thing
except ImportError as e:
    print(type(e).__name__, e)
try:
    m.thing
except AttributeError as e:
    print(type(e).__name__, e)

class Spec2:
    _initializing = False
    _uninitialized_submodules = ["sub"]
m.__spec__ = Spec2()
try:
    m.sub
except AttributeError as e:
    print(type(e).__name__, e)
try:
    m.other
except AttributeError as e:
    print(type(e).__name__, e)
del sys.modules["fake_mod"]

# A submodule present only in sys.modules is found by `from`.
pkg = types.ModuleType("fake_pkg")
sub = types.ModuleType("fake_pkg.sub")
sys.modules["fake_pkg"] = pkg
sys.modules["fake_pkg.sub"] = sub
from fake_pkg import sub as got
print(got is sub)

def foo():
    import os
    return os

calls = []
def my_import(name, globals=None, locals=None, fromlist=(), level=0):
    calls.append((name, fromlist, level, locals is None))
    return 5

old = builtins.__import__
builtins.__import__ = my_import
try:
    print(foo())
    exec("import json.decoder\nprint(json)", {})
finally:
    builtins.__import__ = old
print(calls)
print(foo() is os)
g = {"__import__": lambda *a: 7}
exec("import os\nprint(os.__name__)", g)
print(package := (lambda: __package__)())

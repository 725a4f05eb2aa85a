# importlib's public API over CPython's import machinery: import_module,
# reload, util.find_spec, module specs and loaders, invalidate_caches.
import sys
sys.path.append("support")
import importlib, importlib.util, importlib.machinery

import ilib.plain as plain
spec = plain.__spec__
print(spec.name, spec.parent, spec.has_location, spec.origin.endswith("plain.py"))
print(type(plain.__loader__).__name__, plain.__loader__ is spec.loader)
print(spec.cached == importlib.util.cache_from_source(spec.origin), plain.__cached__ == spec.cached)
print(plain.__file__ == spec.origin, plain.__package__)
pkg = sys.modules["ilib"]
print(pkg.__spec__.submodule_search_locations == pkg.__path__, pkg.__spec__.parent)
print(repr(plain).replace(plain.__file__, "FILE"))

# Built-in modules get BuiltinImporter specs.
import _imp
print(_imp.__spec__, _imp.__loader__)
print(sys.__spec__.origin, repr(sys))

# The main module: a script has a SourceFileLoader and no spec.
print(type(__loader__).__name__, __spec__, __loader__.name)

m = importlib.import_module("ilib.plain")
print(m is plain, m.where())
print(importlib.import_module(".plain", "ilib") is plain)
try:
    importlib.import_module(".plain")
except TypeError as e:
    print(type(e).__name__, e)
try:
    importlib.import_module("ilib.nothere")
except ModuleNotFoundError as e:
    print(type(e).__name__, e, e.name)
try:
    importlib.import_module("ilib.failing")
except ValueError as e:
    print(type(e).__name__, e, "ilib.failing" in sys.modules)

# reload runs the module body again in the same module object.
import ilib.reloaded as r
print(r.value)
r2 = importlib.reload(r)
print(r2 is r, r.value, sys._ilib_loads)
try:
    importlib.reload(42)
except TypeError as e:
    print(type(e).__name__, e)

# find_spec
s = importlib.util.find_spec("ilib.plain")
print(s.name, s.loader is not None, s.origin == plain.__file__)
print(importlib.util.find_spec("no_such_module_at_all"))
print(importlib.util.find_spec("ilib.no_such"))
print(importlib.util.find_spec("sys").origin)
try:
    importlib.util.find_spec("no_such_pkg.sub")
except ModuleNotFoundError as e:
    print(type(e).__name__, e)

importlib.invalidate_caches()
print(importlib.machinery.SOURCE_SUFFIXES, importlib.machinery.BYTECODE_SUFFIXES)
tag = sys.implementation.cache_tag
print(importlib.util.cache_from_source("/a/b/x.py") == "/a/b/__pycache__/x.%s.pyc" % tag)
print(importlib.util.source_from_cache("/a/b/__pycache__/x.%s.pyc" % tag))
print(importlib.util.resolve_name(".plain", "ilib"), importlib.util.resolve_name("..x", "a.b.c"))
print([f.__name__ for f in sys.meta_path if f.__module__.startswith("_frozen")])
print(any(type(f).__name__ == "FileFinder" for f in sys.path_importer_cache.values()))

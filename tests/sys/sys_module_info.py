import sys
print(sys.flags.debug, type(sys.flags).__name__, sys.flags.n_fields if hasattr(sys.flags,'n_fields') else None)
print(sys.version_info, sys.version_info >= (3, 11), sys.version_info.major, sys.version_info[:2])
print(sys.float_info)
print(sys.int_info)
print(sys.hash_info)
print(sys.thread_info.name, sys.thread_info.lock)
print(type(sys.implementation).__name__, sys.implementation.name in ("cpython","taipan"), sys.implementation.version == sys.version_info)
print(sys.version.startswith("3.11.7"), sys.hexversion, sys.api_version, sys.maxunicode, sys.float_repr_style)

print(len(sys.stdlib_module_names), "os" in sys.stdlib_module_names)
try:
    sys.version_info.major = 4
except AttributeError as e:
    print(type(e).__name__, e)
print(sys.version_info.__reduce__())
print(type(sys.version_info).n_sequence_fields, type(sys.version_info).n_fields, type(sys.version_info).n_unnamed_fields)
print(sys.getdefaultencoding(), sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())
def f():
    fr = sys._getframe(); print(fr.f_code.co_name, fr.f_lineno, fr.f_back.f_code.co_name, fr.f_back.f_lineno, fr.f_globals is globals())
    print(sys._getframe(1).f_code.co_name)
    try:
        sys._getframe(50)
    except ValueError as e:
        print(type(e).__name__, e)
f()
try:
    raise KeyError(3)
except KeyError:
    t, v, tb = sys.exc_info()
    print(t, repr(v), type(tb).__name__, sys.exception() is v)
print(sys.exc_info(), sys.exception())
print(sys.intern("abc") == "abc")
try: sys.intern(3)
except TypeError as e: print(e)
print(sys.getrecursionlimit())
sys.setrecursionlimit(500); print(sys.getrecursionlimit())
print(sys.gettrace(), sys.getprofile())
def tr(*a): pass
sys.settrace(tr); print(sys.gettrace() is tr); sys.settrace(None); print(sys.gettrace())
print(sys.getswitchinterval()); sys.setswitchinterval(0.01); print(sys.getswitchinterval())
try: sys.setswitchinterval(0)
except ValueError as e: print(e)
print(sys.call_tracing(max, (3, 4)))
events = []
sys.addaudithook(lambda ev, args: events.append((ev, args)) if ev.startswith("my") else None)
sys.audit("my.event", 1, 2)
print(events)
print(sys.is_finalizing(), sys.meta_path == [] or True, type(sys.path_importer_cache).__name__)
print(isinstance(sys.getsizeof(1), int), sys.getsizeof([]) > 0, sys.getrefcount(object()) >= 1)
print(sys.executable == "" or sys.executable.startswith("/"), sys.platlibdir, sys.pycache_prefix, type(sys.copyright).__name__)
print(sys.warnoptions, sys._xoptions, type(sys.dont_write_bytecode).__name__, sys.builtin_module_names.__class__.__name__)
print(sys.implementation.cache_tag.endswith("-311"), sys.implementation.hexversion == sys.hexversion)
class types: SimpleNamespace = type(sys.implementation)
ns = types.SimpleNamespace(a=1, b="x")
print(ns, ns == types.SimpleNamespace(b="x", a=1), ns.a)
ns.c = 3; del ns.a; print(ns)
try: types.SimpleNamespace(1)
except TypeError as e: print(e)

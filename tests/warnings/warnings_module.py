# warnings.py over _warnings: catch_warnings, simplefilter, showwarning
# hooks, warn with stacklevel, registries reset by filter changes.
import warnings
import _warnings

print(warnings.filters is _warnings.filters, warnings.defaultaction, warnings.onceregistry is _warnings._onceregistry)
print(warnings.warn is _warnings.warn, warnings.warn_explicit is _warnings.warn_explicit)

def shower(message, category, filename, lineno, file=None, line=None):
    print("SHOW", category.__name__, message, filename.rsplit("/", 1)[-1], lineno)

with warnings.catch_warnings(record=True) as got:
    warnings.simplefilter("always")
    warnings.warn("one")
    warnings.warn("two", DeprecationWarning)
    warnings.warn(UserWarning("three"))
    def api():
        warnings.warn("from api", FutureWarning, stacklevel=2)
    api()
for w in got:
    print(w.category.__name__, w.message, w.filename.rsplit("/", 1)[-1], w.lineno)

with warnings.catch_warnings():
    warnings.showwarning = shower
    warnings.simplefilter("default")
    for i in range(3):
        warnings.warn("dup")
    warnings.warn("other", RuntimeWarning)
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.warn("hidden", RuntimeWarning)
    warnings.simplefilter("error", UserWarning)
    try:
        warnings.warn("boom")
    except UserWarning as e:
        print("error:", e)
    warnings.simplefilter("module")
    warnings.warn("m1")
    warnings.warn("m1")
    warnings.resetwarnings()
    warnings.warn("after reset")

print(len(warnings.filters))
with warnings.catch_warnings(record=True) as got:
    warnings.simplefilter("always")
    warnings.warn_explicit("expl", SyntaxWarning, "x.py", 7, module="m", registry={})
print([(w.category.__name__, str(w.message), w.filename, w.lineno) for w in got])

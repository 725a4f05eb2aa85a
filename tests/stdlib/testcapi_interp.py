# _testcapi's probes of interpreter internals Taipan has too: dict and type
# version tags, a callback run in a thread threading does not know,
# tracemalloc's C API, the UTF-8 decoder, PyEval_EvalCodeEx.
import threading
import tracemalloc
import _testcapi as t

# PEP 509: every mutation moves a dict's version, lookups and no-op stores don't.
d = {}
seen = {t.dict_get_version(d)}
def changed(what):
    v = t.dict_get_version(d)
    print(what, "changed" if v not in seen else "same")
    seen.add(v)
value = object()
d["k"] = value; changed("insert")
d["k"] = value; changed("same value")
d["k"] = 1; changed("new value")
d.get("k"); changed("lookup")
d.update(k=1); changed("update same")
d.setdefault("k", 2); changed("setdefault existing")
d.pop("k"); changed("pop")
d.clear(); changed("clear (had keys)")
d.clear(); changed("clear empty")
print(t.dict_get_version({}) != t.dict_get_version({}))
try:
    t.dict_get_version([])
except TypeError as e:
    print(type(e).__name__, e)

class C:
    pass
print(type(t.type_get_version(C)).__name__)
try:
    t.type_get_version(1)
except TypeError as e:
    print(type(e).__name__, e)

# A thread threading did not start.
out = []
t.call_in_temporary_c_thread(lambda: out.append(threading.get_ident() != threading.main_thread().ident))
print("ran in another thread:", out)
t.call_in_temporary_c_thread(lambda: out.append("later"), False)
t.join_temporary_c_thread()
print(out)

# PyTraceMalloc_Track / Untrack.
try:
    t.tracemalloc_track(5, 0x1000, 10)
except RuntimeError as e:
    print(type(e).__name__, e)
tracemalloc.start()
t.tracemalloc_track(5, 0x1000, 123)
tb = t.tracemalloc_get_traceback(5, 0x1000)
print(type(tb).__name__, tb[0][0].endswith("testcapi_interp.py"))
snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.DomainFilter(True, 5)])
print(sum(tr.size for tr in snap.traces))
t.tracemalloc_untrack(5, 0x1000)
print(t.tracemalloc_get_traceback(5, 0x1000))
tracemalloc.stop()
try:
    t.tracemalloc_untrack(5, 0x1000)
except RuntimeError as e:
    print(type(e).__name__, e)

# The UTF-8 decoder.
for data, errors in [(b"abc", None), (b"a\xf0\x9f", "replace"), (b"a\xf0\x9fb", "replace"), (b"\x80", None), (b"a\x80", "foo")]:
    for f in (t.unicode_decodeutf8, t.unicode_decodeutf8stateful):
        try:
            print(f.__name__, repr(f(data, errors)))
        except Exception as e:
            print(f.__name__, type(e).__name__, e)

# PyEval_EvalCodeEx.
def f(a, b=2, *, c, d=4):
    return a, b, c, d
print(t.eval_code_ex(f.__code__, {}, {}, (1,), dict(c=3), (20,), dict(d=40)))
x = 5
def g():
    return x
print(t.eval_code_ex(g.__code__, {}, None, (), {}, (), {}, g.__closure__) if g.__closure__ else t.eval_code_ex(g.__code__, {"x": 7}))
ns = {}
print(t.eval_code_ex(compile("y = 1 + 1", "<s>", "exec"), ns, ns), ns["y"])
try:
    t.eval_code_ex(f.__code__, [])
except TypeError as e:
    print(type(e).__name__, e)

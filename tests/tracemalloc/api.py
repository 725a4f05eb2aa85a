# The _tracemalloc functions under tracemalloc.py: state, limits, errors,
# the shapes of traces and object tracebacks.
import os
import sys
import tracemalloc
import _tracemalloc

HERE = os.path.basename(__file__)


def show(tb):
    """A raw traceback (innermost first) with file basenames."""
    if tb is None:
        return None
    return [(os.path.basename(f), n) for f, n in tb]


print(sorted(n for n in dir(_tracemalloc) if not n.startswith("__")))
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())
print(tracemalloc.get_traced_memory(), _tracemalloc._get_traces())
print(tracemalloc.get_object_traceback(object()))

for bad in (0, -1, 65536, 2**70, -2**40, "x", 1.5, None):
    try:
        tracemalloc.start(bad)
    except Exception as e:
        print(repr(bad), type(e).__name__, e)
print(tracemalloc.is_tracing())
for call in (lambda: tracemalloc.start(1, 2), lambda: _tracemalloc.start(nframe=2),
             lambda: _tracemalloc.stop(1), lambda: _tracemalloc._get_object_traceback(),
             lambda: _tracemalloc.is_tracing(x=1)):
    try:
        call()
    except TypeError as e:
        print("TypeError", e)


def leaf():
    return object()


def middle():
    return leaf()


def outer():
    return middle()


tracemalloc.start(2)
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())
obj = outer()
raw = _tracemalloc._get_object_traceback(obj)
print(type(raw).__name__, show(raw))
tb = tracemalloc.get_object_traceback(obj)
print(type(tb).__name__, len(tb), [(os.path.basename(f.filename), f.lineno) for f in tb])
print(tb.total_nframe, os.path.basename(str(tb)), tb.format()[-1].strip())

# _get_traces: (domain, size, frames, total_nframe); the object's trace.
traces = _tracemalloc._get_traces()
print(type(traces).__name__, all(type(t) is tuple and len(t) == 4 for t in traces))
mine = [t for t in traces if t[2] == raw]
print(len(mine) >= 1, mine[0][0], mine[0][1] > 0, mine[0][3] >= 4)

# Identical tracebacks share one tuple.
def pair():
    return [object() for _ in range(2)]


a, b = pair()
ta = _tracemalloc._get_object_traceback(a)
tb2 = _tracemalloc._get_object_traceback(b)
print(ta == tb2, show(ta))
same = [t[2] for t in _tracemalloc._get_traces() if t[2] == ta]
print(len(same) >= 2, all(x is same[0] for x in same))

# start() while tracing changes nothing; traces stay.
tracemalloc.start(5)
print(tracemalloc.get_traceback_limit(), tracemalloc.get_object_traceback(obj) is not None)
deep = outer()
print(len(_tracemalloc._get_object_traceback(deep)))

# Objects freed lose their trace; clear_traces forgets all of them.
addr_obj = outer()
print(tracemalloc.get_object_traceback(addr_obj) is not None)
tracemalloc.clear_traces()
print(tracemalloc.get_object_traceback(addr_obj), tracemalloc.get_object_traceback(obj))
print(tracemalloc.get_traced_memory()[0] < 100000)

# stop() forgets everything, keeps the limit.
tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit(), tracemalloc.get_traced_memory())
print(_tracemalloc._get_traces(), tracemalloc.get_object_traceback(deep))
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print("RuntimeError", e)
print(tracemalloc.get_tracemalloc_memory() >= 0)
tracemalloc.reset_peak()
tracemalloc.clear_traces()
print(tracemalloc.get_traced_memory())

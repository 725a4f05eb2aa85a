# _lsprof / cProfile / profile / sys.setprofile with deterministic timers.
import _lsprof
import cProfile
import io
import pstats
import sys

TICKS = 0
def timer():
    global TICKS
    TICKS += 1
    return TICKS

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def gen(n):
    for i in range(n):
        yield i

class C:
    def __getattr__(self, name):
        return fib(3)

def work():
    l = []
    for i in range(3):
        l.append(fib(5))
    list.append(l, 0)
    max(l)
    sorted(l, key=abs)
    sum(gen(4))
    hasattr(C(), "x")
    "-".join(["a", "b"])
    try:
        int("x")
    except ValueError:
        pass
    return l

def name(code):
    if isinstance(code, str):
        return code
    return "%s:%s" % (code.co_name, code.co_firstlineno)

def show(prof):
    for e in sorted(prof.getstats(), key=lambda e: name(e.code)):
        print(name(e.code), e.callcount, e.reccallcount, round(e.totaltime, 6), round(e.inlinetime, 6))
        for s in sorted(e.calls or [], key=lambda s: name(s.code)):
            print("   ", name(s.code), s.callcount, s.reccallcount, round(s.totaltime, 6), round(s.inlinetime, 6))

p = _lsprof.Profiler(timer, 0.5)
p.enable()
work()
p.disable()
show(p)
print(sys.getprofile())

print("-- no subcalls, no builtins")
p = _lsprof.Profiler(timer, 1.0, subcalls=False, builtins=False)
p.enable()
work()
p.disable()
show(p)
p.clear()
print(p.getstats())

print("-- enable() flags")
p = _lsprof.Profiler(timer, 1.0)
p.enable(subcalls=False, builtins=True)
max(1, 2)
p.disable()
show(p)

print("-- float timer")
FT = [0.0]
def ftimer():
    FT[0] += 0.25
    return FT[0]
p = _lsprof.Profiler(ftimer)
p.enable()
fib(4)
p.disable()
show(p)

print("-- structseqs")
e = p.getstats()[0]
print(type(e).__name__, type(e).__module__, len(e), e.n_fields, _lsprof.profiler_subentry.n_fields)

print("-- cProfile.Profile and pstats")
TICKS = 0
prof = cProfile.Profile(timer, 0.001)
with prof as pr:
    print(pr is prof, sys.getprofile() is prof)
    work()
print(sys.getprofile())
s = io.StringIO()
st = pstats.Stats(prof, stream=s).strip_dirs().sort_stats("stdname")
st.print_stats()
st.print_callers()
st.print_callees()
for line in s.getvalue().splitlines():
    print(line.rstrip())

print("-- cProfile.runctx")
TICKS = 0
prof = cProfile.Profile(timer, 0.001)
prof.runctx("work()", globals(), {})
s = io.StringIO()
pstats.Stats(prof, stream=s).strip_dirs().sort_stats("calls", "stdname").print_stats(5)
print("\n".join(l.rstrip() for l in s.getvalue().splitlines()))

print("-- sys.setprofile events")
events = []
def hook(frame, event, arg):
    if event.startswith("c_"):
        events.append((event, frame.f_code.co_name, getattr(arg, "__name__", None)))
    else:
        events.append((event, frame.f_code.co_name))
def probe():
    l = [3, 1]
    l.sort()
    len(l)
    for x in gen(2):
        pass
    try:
        int("y")
    except ValueError:
        pass
    return C().missing
def outer():
    sys.setprofile(hook)
    probe()
sys.setprofile(None)
outer()
sys.setprofile(None)
for ev in events:
    print(ev)

print("-- errors")
for args, kw in [((), {"bogus": 1}), (("x",), {}), ((1, 2, 3), {})]:
    try:
        _lsprof.Profiler(timer).enable(*args, **kw)
    except TypeError as e:
        print(type(e).__name__, e)
    finally:
        sys.setprofile(None)
for args in [(timer, "x"), (None, None), (None, 1, 2, 3, 4)]:
    try:
        _lsprof.Profiler(*args)
    except TypeError as e:
        print(type(e).__name__, e)

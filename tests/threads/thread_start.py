# _thread.start_new_thread: results gathered under a lock, joined with a
# countdown lock; arguments, keyword arguments, errors.
import _thread

N = 6
results = []
guard = _thread.allocate_lock()
all_done = _thread.allocate_lock()
all_done.acquire()
left = [N]


def finish():
    left[0] -= 1
    if left[0] == 0:
        all_done.release()


def worker(i, n, *, scale=1):
    total = 0
    for k in range(n):
        total += k * scale
    with guard:
        results.append((i, total))
        finish()


for i in range(N):
    if i % 2:
        _thread.start_new_thread(worker, (i, 1000 + i), {"scale": 2})
    else:
        _thread.start_new(worker, (i, 1000 + i))
all_done.acquire()
print(sorted(results))

# The ident returned is the thread's get_ident().
seen = []
ready = _thread.allocate_lock()
ready.acquire()


def report():
    seen.append(_thread.get_ident())
    seen.append(type(_thread.get_native_id()).__name__)
    ready.release()


tid = _thread.start_new_thread(report, ())
ready.acquire()
print(seen[0] == tid, tid != _thread.get_ident(), seen[1])
print(_thread.get_ident() == _thread.get_ident())

# SystemExit (and _thread.exit()) end a thread quietly.
ready2 = _thread.allocate_lock()
ready2.acquire()
trace = []


def quits():
    trace.append("before")
    ready2.release()
    _thread.exit()
    trace.append("never")


_thread.start_new_thread(quits, ())
ready2.acquire()
print(trace)

# An uncaught exception goes to sys.unraisablehook.
import sys

hooked = []
ready3 = _thread.allocate_lock()
ready3.acquire()


def hook(args):
    hooked.append((args.err_msg, args.object.__name__, type(args.exc_value).__name__, str(args.exc_value)))
    ready3.release()


def fails():
    raise ValueError("boom in thread")


sys.unraisablehook = hook
_thread.start_new_thread(fails, ())
ready3.acquire()
sys.unraisablehook = sys.__unraisablehook__
print(hooked)

for args in [(), (print,), (1, ()), (print, []), (print, (), 1), (print, (), {}, 4)]:
    try:
        _thread.start_new_thread(*args)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    _thread.start_new_thread(print, (), kw={})
except TypeError as e:
    print(type(e).__name__, e)

print(_thread.error is RuntimeError, _thread.TIMEOUT_MAX, _thread.LockType.__name__)
print(_thread.stack_size(), _thread.stack_size(1 << 20), _thread.stack_size(0))
for bad in (100, -1):
    try:
        _thread.stack_size(bad)
    except ValueError as e:
        print(type(e).__name__, e)

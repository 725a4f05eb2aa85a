# _thread.lock and _thread.RLock: the API, timeouts, errors, and waits
# that release the GIL so other threads run.
import _thread

l = _thread.allocate_lock()
print(type(l).__name__, repr(l).startswith("<unlocked _thread.lock object at 0x"))
print(l.acquire(), l.locked(), repr(l).startswith("<locked _thread.lock object at"))
print(l.acquire(False), l.acquire(blocking=False), l.acquire(True, 0.01), l.acquire(timeout=0))
l.release()
print(l.locked())
try:
    l.release()
except RuntimeError as e:
    print(type(e).__name__, e)
with l:
    print("inside", l.locked())
print("after", l.locked())
print(l.acquire_lock(), l.locked_lock())
l.release_lock()
l.acquire()
l._at_fork_reinit()
print("reinit", l.locked())

for kwargs in [dict(blocking=False, timeout=1), dict(timeout=-2), dict(timeout=1e10), dict(timeout="x"), dict(timeout=float("nan"))]:
    try:
        l.acquire(**kwargs)
    except (ValueError, OverflowError, TypeError) as e:
        print(type(e).__name__, e)
try:
    l.acquire(1, 2, 3)
except TypeError as e:
    print(type(e).__name__, e)
try:
    _thread.LockType()
except TypeError as e:
    print(type(e).__name__, e)
try:
    _thread.allocate_lock(1)
except TypeError as e:
    print(type(e).__name__, e)

# A lock released by another thread wakes the waiter.
gate = _thread.allocate_lock()
gate.acquire()
log = []


def opener():
    log.append("opening")
    gate.release()


_thread.start_new_thread(opener, ())
print(gate.acquire(timeout=5), log)

# RLock
r = _thread.RLock()
print(repr(r).startswith("<unlocked _thread.RLock object owner=0 count=0 at 0x"))
print(r.acquire(), r.acquire(), r._is_owned(), r._recursion_count())
print(repr(r).split(" owner=")[0], "count=2" in repr(r))
r.release()
r.release()
print(r._is_owned(), r._recursion_count())
for f in (r.release, r._release_save):
    try:
        f()
    except RuntimeError as e:
        print(type(e).__name__, e)
with r:
    with r:
        print("nested", r._recursion_count())
r.acquire()
r.acquire()
saved = r._release_save()
print(saved[0], saved[1] == _thread.get_ident(), r._is_owned())
r._acquire_restore(saved)
print(r._recursion_count(), r._is_owned())
r.release()
r.release()

# Another thread cannot take (or release) an RLock this one owns.
r.acquire()
res = []
done = _thread.allocate_lock()
done.acquire()


def other():
    res.append(r.acquire(False))
    res.append(r.acquire(True, 0.01))
    res.append(r._is_owned())
    res.append(r._recursion_count())
    try:
        r.release()
    except RuntimeError as e:
        res.append(str(e))
    done.release()


_thread.start_new_thread(other, ())
done.acquire()
print(res)
r.release()


class MyRLock(_thread.RLock):
    pass


m = MyRLock()
print(m.acquire(), m._is_owned(), repr(m).startswith("<locked MyRLock object owner="))
m.release()

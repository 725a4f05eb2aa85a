# _queue.SimpleQueue: FIFO order, non-blocking and timed gets, blocking
# gets woken by a put from another thread, errors, generic alias.
import _queue
import queue
import threading
import weakref

print(queue.SimpleQueue is _queue.SimpleQueue, queue.Empty is _queue.Empty)
print(_queue.Empty.__module__, _queue.Empty.__mro__[1].__name__, _queue.Empty.__doc__)
print(_queue.SimpleQueue.__doc__, _queue.SimpleQueue[int])

q = _queue.SimpleQueue()
print(q.empty(), q.qsize())
for x in (1, "two", None, (3,)):
    q.put(x)
q.put_nowait(5)
q.put(6, block=False, timeout=1)
print(q.empty(), q.qsize())
print(q.get(), q.get_nowait(), q.get(False), q.get(timeout=0.5), q.get(block=True, timeout=None), q.get(True, 0))
print(q.empty(), q.qsize())


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, repr(e))


show(q.get_nowait)
show(lambda: q.get(False))
show(lambda: q.get(timeout=0.01))
show(lambda: q.get(timeout=-1))
show(lambda: q.get(timeout=float("nan")))
show(lambda: q.get(timeout="a"))
show(lambda: q.get(1, 2, 3))
show(lambda: q.put())
show(lambda: q.get_nowait(1))
show(lambda: _queue.SimpleQueue(1))
print(weakref.ref(q)() is q)

# A getter blocked in get() is woken by put() from another thread.
results = []


def consumer():
    while True:
        item = q.get()
        if item is None:
            return
        results.append(item)


threads = [threading.Thread(target=consumer) for _ in range(4)]
for t in threads:
    t.start()
for i in range(200):
    q.put(i)
for t in threads:
    q.put(None)
for t in threads:
    t.join()
print(sorted(results) == list(range(200)), q.empty())

# A timed get that a put satisfies before the deadline.
box = []
t = threading.Thread(target=lambda: box.append(q.get(timeout=30)))
t.start()
q.put("late")
t.join()
print(box)


class Sub(_queue.SimpleQueue):
    pass


s = Sub()
s.put(1)
print(type(s).__name__, s.get(), s.qsize())

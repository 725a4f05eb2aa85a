# Condition, Semaphore, Event, Barrier, RLock and queue.Queue across threads.
import queue
import threading

# Producer/consumer with a Condition.
items = []
cond = threading.Condition()
consumed = []


def producer():
    for i in range(10):
        with cond:
            items.append(i)
            cond.notify()
    with cond:
        items.append(None)
        cond.notify()


def consumer():
    while True:
        with cond:
            while not items:
                cond.wait()
            x = items.pop(0)
        if x is None:
            break
        consumed.append(x * x)


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
p.join()
c.join()
print(consumed)

# Semaphore bounding concurrency.
sem = threading.BoundedSemaphore(2)
active = [0]
peak = [0]
guard = threading.Lock()


def limited():
    with sem:
        with guard:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        for _ in range(2000):
            pass
        with guard:
            active[0] -= 1


ts = [threading.Thread(target=limited) for _ in range(6)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(peak[0] <= 2, active[0])
try:
    sem.release()
except ValueError as e:
    print(type(e).__name__, e)

# Barrier
barrier = threading.Barrier(3)
order = []


def at_barrier(i):
    order.append(("before", i))
    idx = barrier.wait()
    order.append(("after", idx >= 0))


ts = [threading.Thread(target=at_barrier, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(x for x in order if x[0] == "before"), [x for x in order if x[0] == "after"])

# Queue-based pipeline
q = queue.Queue()
out = queue.Queue()


def stage():
    while True:
        x = q.get()
        if x is None:
            q.task_done()
            break
        out.put(x + 100)
        q.task_done()


workers = [threading.Thread(target=stage) for _ in range(3)]
for w in workers:
    w.start()
for i in range(12):
    q.put(i)
for _ in workers:
    q.put(None)
q.join()
for w in workers:
    w.join()
print(sorted(out.get() for _ in range(12)))

# RLock re-entry and Event
rl = threading.RLock()
with rl:
    with rl:
        print("rlock nested")
ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
threading.Thread(target=ev.set).start()
print(ev.wait(5), ev.is_set())

# Many threads incrementing a counter under a lock.
count = [0]
lock = threading.Lock()


def inc():
    for _ in range(1000):
        with lock:
            count[0] += 1


ts = [threading.Thread(target=inc) for _ in range(10)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(count[0])

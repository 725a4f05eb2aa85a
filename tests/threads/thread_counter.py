# Many threads doing Python work on shared state: the GIL is handed over
# while they run, and a lock keeps the read-modify-write atomic.
import _thread

THREADS = 8
ROUNDS = 2000
counter = [0]
per_thread = {}
lock = _thread.allocate_lock()
finished = _thread.allocate_lock()
finished.acquire()
left = [THREADS]


def work(name):
    mine = 0
    for i in range(ROUNDS):
        with lock:
            value = counter[0]
            # Some work between the read and the write.
            value = value + (i * 0 + 1)
            counter[0] = value
        mine += 1
    with lock:
        per_thread[name] = mine
        left[0] -= 1
        if left[0] == 0:
            finished.release()


for n in range(THREADS):
    _thread.start_new_thread(work, ("t%d" % n,))
finished.acquire()
print(counter[0], sorted(per_thread.items()))

# A CPU-bound thread and the main thread both make progress: the main
# thread waits for a flag the other thread sets after a long loop.
flag = []


def spin():
    x = 0
    for i in range(200000):
        x += i
    flag.append(x)


_thread.start_new_thread(spin, ())
n = 0
while not flag:
    n += 1
print(flag, n > 0)

# Recursion in a thread has the recursion limit of its own.
out = []
done = _thread.allocate_lock()
done.acquire()


def deep(k):
    return 0 if k == 0 else 1 + deep(k - 1)


def recurse():
    out.append(deep(500))
    try:
        deep(100000)
    except RecursionError as e:
        out.append(type(e).__name__)
    done.release()


_thread.start_new_thread(recurse, ())
done.acquire()
print(out)

# threading.Thread start/join, names, current_thread, enumerate, results.
import threading

results = []
lock = threading.Lock()


def work(i):
    total = sum(range(i * 1000))
    with lock:
        results.append((i, total, threading.current_thread().name))


threads = [threading.Thread(target=work, args=(i,), name="worker-%d" % i) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(results))
print([t.is_alive() for t in threads], threading.active_count())
print(threading.current_thread().name, threading.current_thread() is threading.main_thread())
print([t.name for t in threading.enumerate()])


class Summer(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.result = None

    def run(self):
        self.result = sum(range(self.n))


s = Summer(100)
s.start()
s.join()
print(s.result, s.ident is not None, s.native_id is not None, s.daemon)

# join with a timeout on a thread waiting for an event
ev = threading.Event()
t = threading.Thread(target=ev.wait)
t.start()
t.join(0.01)
print(t.is_alive())
ev.set()
t.join()
print(t.is_alive())

local = threading.local()
local.v = "main"
seen = []
t = threading.Thread(target=lambda: seen.append(getattr(local, "v", None)))
t.start()
t.join()
print(seen, local.v)
try:
    threading.Thread(target=print).join()
except RuntimeError as e:
    print(type(e).__name__, e)

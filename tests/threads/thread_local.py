# _thread._local: one __dict__ per thread; subclasses re-run __init__ with
# the creation arguments in each thread; dicts go when their thread ends.
import _thread


def run_in_thread(f, *args):
    done = _thread.allocate_lock()
    done.acquire()
    box = []

    def body():
        try:
            box.append(f(*args))
        except Exception as e:
            box.append((type(e).__name__, str(e)))
        done.release()

    _thread.start_new_thread(body, ())
    done.acquire()
    return box[0]


loc = _thread._local()
loc.x = "main"


def look():
    had = hasattr(loc, "x")
    loc.x = "thread"
    return had, loc.x, sorted(loc.__dict__)


print(run_in_thread(look), loc.x, loc.__dict__)
try:
    loc.__dict__ = {}
except AttributeError as e:
    print(type(e).__name__, e)
try:
    _thread._local(1)
except TypeError as e:
    print(type(e).__name__, e)
try:
    loc.missing
except AttributeError as e:
    print(type(e).__name__, e)
del loc.x
print(hasattr(loc, "x"), loc.__dict__)


class Counter(_thread._local):
    created = 0
    kind = "class attribute"

    def __init__(self, start, step=1):
        Counter.created += 1
        self.value = start
        self.step = step

    def bump(self):
        self.value += self.step
        return self.value


c = Counter(10, step=5)
print(c.bump(), c.bump(), Counter.created, c.kind)


def in_thread():
    return c.bump(), c.value, Counter.created, c.kind


print(run_in_thread(in_thread), c.value, Counter.created)


class Failing(_thread._local):
    def __init__(self):
        if _thread.get_ident() != main_ident:
            raise ValueError("no init here")
        self.ok = True


main_ident = _thread.get_ident()
f = Failing()
print(f.ok, run_in_thread(lambda: f.ok))


# A thread's values go when the thread ends (before its sentinel is
# released, which is what threading's join waits for).
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


holder = _thread._local()
gone = []


def keep_value(box):
    s = _thread._set_sentinel()
    s.acquire()
    box.append(s)
    holder.v = Noisy("thread value")
    ready.release()


ready = _thread.allocate_lock()
ready.acquire()
box = []
_thread.start_new_thread(keep_value, (box,))
ready.acquire()
box[0].acquire()
print("joined")
holder.v = Noisy("main value")
del holder
print("end")

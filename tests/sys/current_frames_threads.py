# sys._current_frames() / sys._current_exceptions() see blocked threads.
import sys
import threading
import traceback

entered = threading.Event()
leave = threading.Event()
info = []


def f123():
    g456()


def g456():
    info.append(threading.get_ident())
    x = 42
    entered.set()
    leave.wait()


t = threading.Thread(target=f123)
t.start()
entered.wait()
d = sys._current_frames()
main_id = threading.get_ident()
print(main_id in d, info[0] in d)
print(d[main_id] is sys._getframe())
frame = d[info[0]]
stack = traceback.extract_stack(frame)
print([(s.name, s.line) for s in stack if s.name in ("f123", "g456")])
g = frame
while g.f_code.co_name != "g456":
    g = g.f_back
print(g.f_locals)
print(d[main_id].f_code.co_name)
leave.set()
t.join()

# Exceptions being handled by other threads.
entered.clear()
leave.clear()
info.clear()


def h123():
    h456()


def h456():
    info.append(threading.get_ident())
    try:
        raise ValueError("oops")
    except ValueError:
        entered.set()
        leave.wait()


t = threading.Thread(target=h123)
t.start()
entered.wait()
d = sys._current_exceptions()
print(d[main_id])
typ, val, tb = d[info[0]]
print(typ.__name__, val)
stack = traceback.extract_stack(tb.tb_frame)
print([(s.name, s.line) for s in stack if s.name in ("h123", "h456")])
leave.set()
t.join()

try:
    raise KeyError(1)
except KeyError:
    print(sys._current_exceptions()[main_id][0].__name__)
try:
    sys._current_frames(1)
except TypeError as e:
    print(type(e).__name__, e)

# Per-thread interpreter state: contextvars contexts, exceptions being
# handled (sys.exc_info), interrupt_main, the switch interval.
import _thread
import contextvars
import _signal as signal
import sys
import threading

var = contextvars.ContextVar("var", default="default")
var.set("main value")
seen = []


def look():
    seen.append(var.get())
    var.set("thread value")
    seen.append(var.get())
    seen.append(sys.exc_info()[0])


try:
    raise KeyError("handled in main")
except KeyError:
    t = threading.Thread(target=look)
    t.start()
    t.join()
    print(sys.exc_info()[0].__name__)
print(seen, var.get())

ctx = contextvars.copy_context()
out = []
t = threading.Thread(target=lambda: out.append(ctx.run(var.get)))
t.start()
t.join()
print(out)

# interrupt_main: the SIGINT handler runs in the main thread.
try:
    _thread.start_new_thread(_thread.interrupt_main, ())
    while True:
        pass
except KeyboardInterrupt as e:
    print("KeyboardInterrupt", type(e).__name__)

got = []


def handler(signum, frame):
    got.append((signum, threading.current_thread().name))


old = signal.signal(signal.SIGINT, handler)
t = threading.Thread(target=_thread.interrupt_main, name="interrupter")
t.start()
t.join()
while not got:
    pass
signal.signal(signal.SIGINT, old)
print(got)
signal.signal(signal.SIGINT, signal.SIG_IGN)
_thread.interrupt_main()
for i in range(100):
    pass
signal.signal(signal.SIGINT, signal.default_int_handler)
print("ignored")
try:
    _thread.interrupt_main(1000)
except ValueError as e:
    print(type(e).__name__, e)

old = sys.getswitchinterval()
sys.setswitchinterval(0.001)
print(old, sys.getswitchinterval())
sys.setswitchinterval(old)

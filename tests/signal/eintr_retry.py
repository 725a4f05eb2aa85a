# PEP 475: a blocking call interrupted by a signal runs the Python handler,
# then either resumes (the handler returned) or propagates its exception.
import io
import os
import signal

log = []


def arm(handler):
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0.01)


def disarm():
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


def feeder(w, data):
    def handler(signum, frame):
        log.append(("handler", signum == signal.SIGALRM))
        os.write(w, data)
    return handler


def raiser(signum, frame):
    log.append("raiser")
    raise ZeroDivisionError("from the handler")


# os.read resumes after the handler and gets what the handler wrote.
r, w = os.pipe()
arm(feeder(w, b"abc"))
print("os.read", os.read(r, 10), log)
disarm()
log.clear()

# os.read: the handler's exception propagates out of the call.
arm(raiser)
try:
    os.read(r, 10)
except ZeroDivisionError as e:
    print("os.read raised", type(e).__name__, e, log)
disarm()
log.clear()

# FileIO, BufferedReader and TextIOWrapper reads do the same.
for label, mode, buffering in [("FileIO", "rb", 0), ("BufferedReader", "rb", -1), ("TextIOWrapper", "r", -1)]:
    f = io.open(r, mode, buffering=buffering, closefd=False)
    arm(feeder(w, b"line\n"))
    got = f.readline()
    disarm()
    print(label, type(f).__name__, repr(got), log)
    log.clear()
    arm(raiser)
    try:
        f.read(1)
    except ZeroDivisionError as e:
        print(label, "raised", type(e).__name__, log)
    disarm()
    log.clear()

# os.write to a full pipe: the handler's exception propagates.
os.set_blocking(w, False)
total = 0
try:
    while True:
        total += os.write(w, b"x" * 65536)
except BlockingIOError:
    pass
os.set_blocking(w, True)
arm(raiser)
try:
    os.write(w, b"y" * 65536)
except ZeroDivisionError as e:
    print("os.write raised", type(e).__name__, log)
disarm()
log.clear()
os.close(r)
os.close(w)

# os.waitpid resumes after the handler ran.
pid = os.fork()
if pid == 0:
    import time
    time.sleep(0.1)
    os._exit(3)
signal.signal(signal.SIGALRM, lambda s, f: log.append("tick"))
signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)
wpid, status = os.waitpid(pid, 0)
disarm()
print("waitpid", wpid == pid, os.waitstatus_to_exitcode(status), len(log) > 0)
log.clear()

# signal.pause returns after the handler ran.
arm(lambda s, f: log.append("paused"))
signal.pause()
disarm()
print("pause", log)

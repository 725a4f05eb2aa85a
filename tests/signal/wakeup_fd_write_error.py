# A failed write to the signal wakeup fd is reported as unraisable
# ("Exception ignored when trying to write to the signal wakeup fd"), and
# a full pipe only when warn_on_full_buffer is true.
import errno
import os
import signal
import sys

seen = []
sys.unraisablehook = lambda u: seen.append((u.exc_type.__name__, u.exc_value.errno == errno.EBADF, u.err_msg, u.object))


def handler(signum, frame):
    1 / 0


signal.signal(signal.SIGALRM, handler)
r, w = os.pipe()
os.set_blocking(r, False)
signal.set_wakeup_fd(r)  # read end: writing fails with EBADF
try:
    signal.raise_signal(signal.SIGALRM)
except ZeroDivisionError:
    print("ZeroDivisionError")
print(seen)
seen.clear()

signal.signal(signal.SIGALRM, lambda *a: None)
os.set_blocking(w, False)
for warn in (False, True):
    signal.set_wakeup_fd(w, warn_on_full_buffer=warn)
    try:
        while True:
            os.write(w, b"x" * 65536)
    except BlockingIOError:
        pass
    signal.raise_signal(signal.SIGALRM)
    print(warn, [(n, m) for n, _, m, _ in seen])
    seen.clear()
    while True:
        try:
            if not os.read(r, 65536):
                break
        except BlockingIOError:
            break
signal.set_wakeup_fd(-1)
os.close(r)
os.close(w)

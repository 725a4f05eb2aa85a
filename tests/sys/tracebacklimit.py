# sys.tracebacklimit limits the printed traceback to the innermost entries.
import sys

sys.stderr = sys.stdout


def f1():
    1 / 0


def f2():
    f1()


for limit in (10, 3, 2, 1, 0, -1, "x", None, 2**70, -(2**70), True):
    sys.tracebacklimit = limit
    print("limit", repr(limit))
    try:
        f2()
    except ZeroDivisionError:
        sys.__excepthook__(*sys.exc_info())
del sys.tracebacklimit

# _thread._excepthook / _ExceptHookArgs (the default threading.excepthook).
import _thread

A = _thread._ExceptHookArgs


def make():
    try:
        1 / 0
    except ZeroDivisionError as e:
        return e


e = make()


class FakeThread:
    name = "Worker-7"


args = A((type(e), e, e.__traceback__, FakeThread()))
print(args.exc_type.__name__, args.thread.name, len(args), args[0] is ZeroDivisionError)
print(repr(A((1, 2, 3, 4))))
print(isinstance(args, tuple))
_thread._excepthook(args)
_thread._excepthook(A((SystemExit, SystemExit(), None, FakeThread())))
print("after")
for bad in [1, (1, 2)]:
    try:
        A(bad)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    _thread._excepthook((1, 2, 3, 4))
except TypeError as e:
    print(type(e).__name__, e)

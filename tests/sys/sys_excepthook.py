import sys

print(sys.excepthook is sys.__excepthook__, sys.displayhook is sys.__displayhook__)


def hook(t, v, tb):
    print("hook got", t.__name__, v, type(tb).__name__)


sys.excepthook = hook


def fail():
    raise ValueError("boom")


fail()

# Deep recursion: a line repeated more than three times in a row is
# printed three times, then summarised; super().__repr__() in a str
# subclass's __repr__ reaches str's own repr.
import sys
import traceback


class Tagged(str):
    def __repr__(self):
        return "{}({})".format(self.__class__.__name__, super().__repr__())


print(repr(Tagged("x")))


def down(n):
    if n == 0:
        raise ValueError("bottom")
    return down(n - 1)


def start(n):
    return down(n)


for n in (2, 3, 4, 10):
    try:
        start(n)
    except ValueError:
        sys.excepthook(*sys.exc_info())
start(5)

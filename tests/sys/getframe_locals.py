# Frame objects read their frame's locals when asked (and keep the final
# ones once the frame has finished).
import sys


def h():
    def inner():
        return sys._getframe(1)

    a = 1
    f = inner()
    b = 2
    return f


f = h()
print(sorted(f.f_locals))


def k():
    y = 5

    def m():
        fr = sys._getframe(1)
        before = dict(fr.f_locals)
        return fr, before

    fr, before = m()
    z = 7
    return before, fr


before, fr = k()
print(sorted(before), sorted(fr.f_locals))


def outer():
    v = "outer"
    return middle()


def middle():
    w = "middle"
    return inner2()


def inner2():
    f1 = sys._getframe(1)
    f2 = sys._getframe(2)
    return f1.f_locals["w"], f2.f_locals["v"], f1 is sys._getframe(1), f2 is f1.f_back


print(outer())
try:
    sys._getframe(10**6)
except ValueError as e:
    print(type(e).__name__, e)
print(sys._getframe().f_code.co_name, sys._getframe(0).f_locals is not None)

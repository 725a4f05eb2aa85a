# The 'call', 'line', 'return' and 'exception' events sys.settrace sends,
# with line numbers relative to each function's `def` (CPython 3.11's
# line table: loops, with, try/except/finally, implicit returns).
import sys


def tracer(frame, event, arg):
    if frame.f_code.co_filename != __file__:
        return None
    if event == 'exception':
        shown = arg[0].__name__
    elif event == 'return':
        shown = type(arg).__name__
    else:
        shown = ''
    print(frame.f_code.co_name, event, frame.f_lineno - frame.f_code.co_firstlineno, shown)
    return tracer


def loops():
    x = 0
    for i in range(2):
        x += i
    while x < 3:
        x += 1
    return x


def ifs(a):
    if a:
        b = 1
    else:
        b = 2
    if a and b:
        pass


class CM:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def withs():
    with CM() as c:
        y = 1
    for i in range(2):
        with CM():
            if i:
                break
    return y


def tries():
    try:
        1 / 0
    except ZeroDivisionError:
        z = 1
    finally:
        z = 2
    try:
        pass
    finally:
        z = 3
    try:
        try:
            raise KeyError
        except ValueError:
            pass
    except KeyError as e:
        z = 4
    return z


def finally_return():
    try:
        return 2
    finally:
        x = 4


def loop_finally():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
        finally:
            x = 8


def gen():
    yield 1
    yield 2


def use_gen():
    for x in gen():
        pass
    return [y for y in range(2)]


def raises():
    raise ValueError('x')


def catch():
    try:
        raises()
    except ValueError:
        pass


def leaves():
    raises()


def class_body():
    class K:
        a = 1
        b = 2
    return K


def main():
    for fn in [loops, lambda: ifs(0), lambda: ifs(1), withs, tries, finally_return, loop_finally,
               use_gen, catch, class_body]:
        print('---')
        sys.settrace(tracer)
        fn()
        sys.settrace(None)
    print('---')
    sys.settrace(tracer)
    try:
        leaves()
    except ValueError:
        pass
    sys.settrace(None)


main()

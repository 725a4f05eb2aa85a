# frame.f_lineno set by a trace function: the jumps CPython 3.11 allows
# and its error messages for the others.
import sys


class CM:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def attempt(func, frm, to, event='line'):
    first = func.__code__.co_firstlineno
    done = []
    out = []

    def tr(frame, ev, arg):
        if frame.f_code is not func.__code__:
            return tr
        if ev == event and frame.f_lineno == first + frm and not done:
            done.append(1)
            try:
                frame.f_lineno = first + to
            except ValueError as e:
                out.append(str(e).replace(str(first + to), 'N'))
        return tr

    sys.settrace(tr)
    try:
        func(out)
    except Exception as e:
        out.append(type(e).__name__)
    sys.settrace(None)
    print(func.__name__, frm, to, event, out)


def skip_forward(out):
    out.append(1)
    out.append(2)
    out.append(3)


def loop_back(out):
    for i in range(2):
        out.append(i)
    out.append('end')


def into_with(out):
    out.append(1)
    with CM():
        out.append(3)


def out_of_with(out):
    with CM():
        out.append(2)
        out.append(3)
    out.append(4)


def to_except(out):
    try:
        out.append(2)
    except:
        out.append(4)
        raise


def to_named_except(out):
    try:
        out.append(2)
    except ValueError as e:
        out.append(4)


def into_for(out):
    out.append(1)
    for i in range(2):
        out.append(3)


def out_of_for(out):
    for i in range(3):
        out.append(i)
        out.append('x')
    out.append(4)


def out_of_except(out):
    try:
        1 / 0
    except ZeroDivisionError:
        out.append(4)
        out.append(5)
    out.append(6)


def after_return(out):
    try:
        out.append(2)
    finally:
        out.append(4)
        return
    out.append(7)


attempt(skip_forward, 1, 3)
attempt(loop_back, 3, 1)
attempt(into_with, 1, 3)
attempt(out_of_with, 2, 4)
attempt(to_except, 2, 3)
attempt(to_except, 2, 4)
attempt(to_named_except, 2, 3)
attempt(into_for, 1, 3)
attempt(out_of_for, 2, 4)
attempt(out_of_except, 4, 6)
attempt(after_return, 4, 7)
attempt(skip_forward, 1, 0)
attempt(skip_forward, 1, 99)
attempt(skip_forward, 0, 2, 'call')
attempt(skip_forward, 3, 1, 'return')
attempt(out_of_except, 2, 6, 'exception')


def untraced():
    try:
        sys._getframe().f_lineno = 1
    except ValueError as e:
        print(type(e).__name__, 'trace' in str(e))


untraced()

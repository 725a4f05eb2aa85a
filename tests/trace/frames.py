# Frame objects under tracing: sys._getframe() returns the frame the trace
# function gets, f_trace set on it takes effect, f_trace_lines and
# f_trace_opcodes, 'exception' events only where an exception is raised
# (not re-raised), and the 'return' event of a frame left by an exception.
import sys

seen = []


def tracer(frame, event, arg):
    if frame.f_code.co_filename != __file__:
        return None
    seen.append((frame.f_code.co_name, event, frame.f_lineno - frame.f_code.co_firstlineno))
    return tracer


def same_frame():
    me = sys._getframe()
    got = []

    def t(frame, event, arg):
        got.append(frame)
        return None
    sys.settrace(t)
    inner()
    sys.settrace(None)
    return got[0].f_back is me


def inner():
    return 1


print('same frame object:', same_frame())


def stop_tracing_me():
    sys._getframe().f_trace = None
    x = 2
    return x


seen.clear()
sys.settrace(tracer)
stop_tracing_me()
sys.settrace(None)
print(seen)


def set_back():
    sys.settrace(tracer)
    sys._getframe().f_back.f_trace = tracer


def caller():
    set_back()
    y = 2
    return y


seen.clear()
caller()
sys.settrace(None)
print(seen)


def no_lines(frame, event, arg):
    frame.f_trace_lines = False
    seen.append((frame.f_code.co_name, event))
    return no_lines


def work():
    a = 1
    b = 2
    return a + b


seen.clear()
sys.settrace(no_lines)
work()
sys.settrace(None)
print(seen)

ops = []


def opcodes(frame, event, arg):
    frame.f_trace_opcodes = True
    if frame.f_code is work.__code__:
        ops.append(event)
    return opcodes


sys.settrace(opcodes)
work()
sys.settrace(None)
print(ops[0], ops[-1], 'opcode' in ops, ops.count('line'))


def reraises():
    try:
        raise KeyError('k')
    except ValueError:
        pass


def outer():
    try:
        reraises()
    except KeyError:
        return 'caught'


seen.clear()
sys.settrace(tracer)
outer()
sys.settrace(None)
print(seen)

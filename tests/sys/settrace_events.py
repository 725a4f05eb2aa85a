# sys.settrace / sys.setprofile: the events the eval loop sends ('call',
# 'line', 'return', 'exception'), local trace functions, f_trace,
# f_trace_lines, frame identity across events, hooks that raise.
import sys

events = []


def rel(frame):
    return frame.f_lineno - frame.f_code.co_firstlineno


def tracer(frame, event, arg):
    if frame.f_code.co_filename != __file__:
        return None
    name = frame.f_code.co_name
    if name == "catches" and event == "line":
        # (the lines of try statements differ: left out)
        return tracer
    if event == "exception":
        arg = arg[0].__name__
    elif event == "return" and not isinstance(arg, (int, str, type(None))):
        arg = type(arg).__name__
    events.append((name, event, rel(frame), arg))
    return tracer


def add(a, b):
    c = a + b
    return c


def loop(n):
    total = 0
    for i in range(n):
        total += i
    return total


def fails():
    x = 1
    raise ValueError("bad")


def catches():
    try:
        fails()
    except ValueError:
        return "caught"


def gen():
    yield 1
    yield 2
    return


def uses_gen():
    return list(gen())


def run(f, *args):
    events.clear()
    sys.settrace(tracer)
    try:
        r = f(*args)
    finally:
        sys.settrace(None)
    print(f.__name__, "->", r)
    for e in events:
        print("  ", e)


run(add, 1, 2)
run(loop, 3)
run(catches)
run(uses_gen)

# gettrace returns the installed function; the trace function is off
# while it runs (no events for its own calls).
sys.settrace(tracer)
print(sys.gettrace() is tracer)
sys.settrace(None)
print(sys.gettrace())


# A 'call' handler returning None: no line events for that frame.
def only_calls(frame, event, arg):
    if frame.f_code.co_filename == __file__:
        events.append((frame.f_code.co_name, event))
    return None


events.clear()
sys.settrace(only_calls)
add(2, 3)
sys.settrace(None)
print(events)


# f_trace_lines = False turns line events off; the frame object is the
# same for every event of a call.
seen = []


def no_lines(frame, event, arg):
    if frame.f_code.co_name == "add":
        frame.f_trace_lines = False
        seen.append((event, id(frame)))
    return no_lines


sys.settrace(no_lines)
add(1, 1)
sys.settrace(None)
print([e for e, _ in seen], len({i for _, i in seen}))


# A trace function that raises is removed and the error propagates.
def bad(frame, event, arg):
    if event == "line" and frame.f_code.co_name == "add":
        raise RuntimeError("from tracer")
    return bad


sys.settrace(bad)
try:
    add(1, 2)
except RuntimeError as e:
    print(type(e).__name__, e)
print(sys.gettrace())


# setprofile: 'call' and 'return' of Python frames.
prof = []


def profiler(frame, event, arg):
    if frame.f_code.co_filename == __file__ and event in ("call", "return"):
        prof.append((frame.f_code.co_name, event, arg))


sys.setprofile(profiler)
add(3, 4)
sys.setprofile(None)
print(prof)
print(sys.getprofile())

# f_back of a traced frame is its caller.
backs = []


def back_tracer(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "add":
        backs.append(frame.f_back.f_code.co_name)
    return None


def caller_of_add():
    return add(0, 0)


sys.settrace(back_tracer)
caller_of_add()
sys.settrace(None)
print(backs)

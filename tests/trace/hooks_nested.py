# A trace function's own calls are not traced, even after it installs a
# trace function again (sys.settrace inside the hook); sys.call_tracing
# turns tracing on for its call. Tracing stopped and started again in a
# frame does not report the line it stopped at once more.
import sys

events = []


def helper():
    return 1


def hook(frame, event, arg):
    name = frame.f_code.co_name
    events.append((name, event, frame.f_lineno - frame.f_code.co_firstlineno))
    if name == "work" and event == "line" and not calls:
        calls.append(1)
        sys.settrace(hook)
        helper()
        sys.call_tracing(traced_inside, ())
    return hook


def traced_inside():
    return helper()


calls = []


def work():
    a = 1
    b = 2
    return a + b


sys.settrace(hook)
work()
sys.settrace(None)
for e in events:
    print(e)

events.clear()


def loop():
    total = 0
    for i in range(3):
        sys.settrace(hook)
        total += i
        sys.settrace(None)
    return total


loop()
sys.settrace(None)
for e in events:
    print(e)

# sys.call_tracing from a trace function: a trace function installed
# inside the call traces.
ev = []


def t2(frame, event, arg):
    ev.append(("t2", frame.f_code.co_name, event))
    return t2


def inside():
    sys.settrace(t2)
    helper()
    sys.settrace(None)


def hook2(frame, event, arg):
    ev.append(("hook2", frame.f_code.co_name, event))
    if frame.f_code.co_name == "work" and event == "call":
        sys.call_tracing(traced_inside, ())
        sys.call_tracing(inside, ())
    return None


sys.settrace(hook2)
work()
sys.settrace(None)
for e in ev:
    print(e)

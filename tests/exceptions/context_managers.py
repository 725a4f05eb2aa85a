class CM:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.suppress
with CM("a") as a, CM("b") as b:
    print("body", a.name, b.name)
with CM("s", suppress=True):
    raise ValueError("suppressed")
print("after suppress")
try:
    with CM("outer"):
        with CM("inner"):
            raise KeyError("k")
except KeyError:
    print("propagated")
def f():
    with CM("ret"):
        return "value"
print(f())
from contextlib import contextmanager, suppress, ExitStack, nullcontext
@contextmanager
def tag(n):
    print("<" + n + ">")
    try:
        yield n.upper()
    except ZeroDivisionError:
        print("handled in generator")
    finally:
        print("</" + n + ">")
with tag("p") as t:
    print(t)
with tag("div"):
    1 / 0
with suppress(KeyError):
    {}["x"]
with ExitStack() as st:
    for n in "xy":
        st.enter_context(CM(n))
    st.callback(print, "callback")
with nullcontext(5) as v:
    print(v)
class NoExit:
    def __enter__(self): pass
try:
    with NoExit():
        pass
except (AttributeError, TypeError) as e:
    print(type(e).__name__, e)

# Generator send/throw/close, yield from delegation, return values, and
# StopIteration raised inside a generator.

def collect(it):
    out = []
    for v in it:
        out.append(v)
    return out

def echo():
    received = []
    try:
        while True:
            try:
                v = yield len(received)
                received.append(v)
            except ValueError as e:
                print("gen caught", e)
                yield "recovered"
    finally:
        print("echo closing with", received)

g = echo()
print(next(g))
print(g.send("a"))
print(g.send("b"))
print(g.throw(ValueError("boom")))
print(next(g))
g.close()
g.close()
try:
    next(g)
except StopIteration:
    print("exhausted after close")

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield "no"

s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print(type(e).__name__, e)

def returns():
    x = yield 1
    return "result " + str(x)

r = returns()
next(r)
try:
    r.send(5)
except StopIteration as e:
    print("StopIteration value:", e)

def inner():
    x = yield "inner 1"
    print("inner got", x)
    try:
        yield "inner 2"
    except KeyError as e:
        print("inner caught", repr(e))
        yield "inner handled"
    return "inner done"

def outer():
    result = yield from inner()
    print("outer got", result)
    yield "outer end"

o = outer()
print(next(o))
print(o.send("hello"))
print(o.throw(KeyError("k")))
print(next(o))
try:
    next(o)
except StopIteration:
    print("outer finished")

def closing_inner():
    try:
        yield 1
        yield 2
    finally:
        print("inner finally")

def closing_outer():
    try:
        yield from closing_inner()
    finally:
        print("outer finally")

c = closing_outer()
next(c)
c.close()

def delegate_list():
    r = yield from [1, 2, 3]
    print("list result", r)
    return "delegated"

print(collect(delegate_list()))

def throw_through():
    try:
        yield from closing_inner()
    except ZeroDivisionError:
        print("outer caught ZeroDivisionError")
        yield "after"

t = throw_through()
next(t)
print(t.throw(ZeroDivisionError))

def raises_stop():
    yield 1
    raise StopIteration("bad")

try:
    for v in raises_stop():
        print("v", v)
except RuntimeError as e:
    print(type(e).__name__, e)

def fresh():
    yield 1

f = fresh()
try:
    f.send(1)
except TypeError as e:
    print(type(e).__name__, e)
try:
    f.throw(IndexError, "unstarted")
except IndexError as e:
    print("thrown into fresh:", repr(e))
print(collect(f))

def running():
    yield me.send(None)

me = running()
try:
    next(me)
except ValueError as e:
    print(type(e).__name__, e)

def counter(n):
    i = 0
    while i < n:
        cmd = yield i
        if cmd == "reset":
            i = 0
        else:
            i += 1

cg = counter(3)
print(next(cg), next(cg), cg.send("reset"), next(cg), next(cg))

try:
    fresh().throw(1)
except TypeError as e:
    print(type(e).__name__, e)
try:
    fresh().throw(ValueError("x"), 1)
except TypeError as e:
    print(type(e).__name__, e)

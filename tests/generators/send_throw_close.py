def acc():
    total = 0
    while True:
        try:
            v = yield total
        except ValueError as e:
            print("got ValueError", e)
            v = 0
        except GeneratorExit:
            print("closing at", total)
            raise
        if v is None:
            break
        total += v
    return total
g = acc()
print(g.send(None), g.send(5), g.send(10), g.throw(ValueError("x")), g.send(1))
g.close()
g.close()
try:
    next(g)
except StopIteration:
    print("closed gen is exhausted")
g2 = acc()
next(g2)
g2.send(3)
try:
    g2.send(None)
except StopIteration as e:
    print("return value", e.value)
g3 = acc()
try:
    g3.send(5)
except TypeError as e:
    print(e)
def bad_close():
    try:
        yield
    finally:
        yield "oops"
b = bad_close()
next(b)
try:
    b.close()
except RuntimeError as e:
    print(e)
def thrower():
    yield 1
t = thrower()
try:
    t.throw(KeyError("before start"))
except KeyError as e:
    print("propagated", e)
print(t.gi_frame, t.gi_running)

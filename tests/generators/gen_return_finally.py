def g():
    try:
        yield 1
        return 5
    finally:
        print("cleanup")
print(list(g()))
def counter():
    n = 0
    while True:
        cmd = yield n
        if cmd == "stop":
            return n
        n += 1
c = counter()
next(c); next(c); next(c)
try:
    c.send("stop")
except StopIteration as s:
    print("stopped", s.value)
def empty():
    return
    yield
print(list(empty()))
def gen_del():
    try:
        yield 1
    finally:
        print("finalized when collected")
x = gen_del()
next(x)
del x
print("after del")

# types.coroutine (code.replace + assignable __code__), awaiting a
# generator-based coroutine, sys.get/set_asyncgen_hooks.
import sys
import types


@types.coroutine
def legacy():
    x = yield "suspended"
    return x * 2


async def user():
    return await legacy()


print(legacy.__code__.co_flags & 0x100 != 0)
c = user()
print(c.send(None))
try:
    c.send(21)
except StopIteration as e:
    print("result", e.value)


def f(a):
    return a + 1


def g(a):
    return a * 10


co = f.__code__
co2 = co.replace(co_name="renamed")
print(co2.co_name, co2 is co, co.co_name)
f.__code__ = g.__code__
print(f(3), f.__name__)
try:
    f.__code__ = 5
except TypeError as e:
    print(type(e).__name__, e)


def outer():
    y = 1

    def inner():
        return y
    return inner


try:
    f.__code__ = outer().__code__
except ValueError as e:
    print(type(e).__name__, e)
try:
    co.replace(co_bogus=1)
except TypeError as e:
    print(type(e).__name__, e)

print(sys.get_asyncgen_hooks())
seen = []
sys.set_asyncgen_hooks(firstiter=seen.append)
old = sys.get_asyncgen_hooks()
print(old.firstiter is not None, old.finalizer)
try:
    sys.set_asyncgen_hooks(finalizer=3)
except TypeError as e:
    print(type(e).__name__, e)


async def agen():
    yield 1
    yield 2


a = agen()
it = a.__anext__()
try:
    it.send(None)
except StopIteration as e:
    print("first", e.value)
print(len(seen), seen[0] is a)
sys.set_asyncgen_hooks(None, None)
print(sys.get_asyncgen_hooks())

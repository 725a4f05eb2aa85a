# The context-manager protocol: __enter__/__exit__, suppression, multiple
# items, and control flow out of `with` bodies.

class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, typ, val, tb):
        print("exit", self.name, typ.__name__ if typ else None, val)
        return self.suppress

with CM("a") as x:
    print("body", x)

with CM("b", suppress=True):
    raise ValueError("suppressed")
print("after suppressed")

try:
    with CM("c"):
        raise KeyError("propagates")
except KeyError as e:
    print("caught", repr(e))

with CM("d") as d, CM("e") as e:
    print("both", d, e)

try:
    with CM("f"), CM("g", suppress=True), CM("h"):
        raise RuntimeError("inner")
    print("after nested")
except RuntimeError:
    print("not reached")

def ret():
    with CM("r"):
        return "returned"

print(ret())

for i in range(3):
    with CM("loop" + str(i)):
        if i == 0:
            continue
        if i == 1:
            break
print("loop done", i)

class NoEnter:
    pass

class NoExit:
    def __enter__(self):
        return self

try:
    with NoEnter():
        pass
except TypeError as e:
    print(type(e).__name__, e)

try:
    with NoExit():
        pass
except TypeError as e:
    print(type(e).__name__, e)

class Failing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        raise IndexError("exit failed")

try:
    with Failing():
        raise ValueError("body")
except IndexError as e:
    print("exit error", e)

# The exit method is looked up on the type, bound to the instance.
class Tracker:
    log = []

    def __enter__(self):
        self.log.append("in")
        return self

    def __exit__(self, t, v, tb):
        self.log.append("out")

t = Tracker()
with t as same:
    print(same is t)
print(Tracker.log)

# with target unpacking
class Pair:
    def __enter__(self):
        return (1, 2)

    def __exit__(self, *a):
        return False

with Pair() as (p, q):
    print(p, q)

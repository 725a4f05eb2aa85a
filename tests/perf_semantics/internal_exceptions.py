# Exceptions the runtime makes itself (StopIteration with values, KeyError,
# IndexError, StopAsyncIteration...): their args, value, str/repr,
# attributes and chaining, as user code sees them.
def gen():
    yield 1
    return (2, 3)


g = gen()
next(g)
try:
    next(g)
except StopIteration as e:
    print(repr(e), e.args, e.value, str(e), e.__context__, e.__cause__)
try:
    next(iter([]))
except StopIteration as e:
    print(repr(e), e.args, e.value)
try:
    {}["missing"]
except KeyError as e:
    print(repr(e), e.args, str(e))
try:
    {}[(1, 2)]
except KeyError as e:
    print(repr(e), e.args, str(e))
try:
    [][5]
except IndexError as e:
    print(repr(e), e.args)
try:
    (1).missing
except AttributeError as e:
    print(repr(e), e.name, e.obj)
try:
    undefined_name
except NameError as e:
    print(repr(e), e.name)
try:
    1 / 0
except ZeroDivisionError as e:
    print(repr(e), type(e).__mro__[1].__name__)
try:
    int("x")
except ValueError as e:
    print(repr(e))


class MyStop(StopIteration):
    pass


e = MyStop(7, 8)
print(e.value, e.args)


def g2():
    x = yield from gen()
    print("yield from got", x)
    return x


for v in g2():
    print("v", v)
try:
    raise StopIteration
except StopIteration as e:
    print(e.value, e.args)
try:
    try:
        {}[1]
    except KeyError:
        next(iter(()))
except StopIteration as e:
    print(type(e.__context__).__name__, e.__context__.args)

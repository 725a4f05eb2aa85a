# Code objects: co_linetable in CPython 3.11's location-table format
# (decoded the way test_code does, it must agree with co_positions() and
# co_lines()), replace() of the tables, comparison and hashing by value,
# weak references.
import gc
import weakref


def read_varint(it):
    b = next(it)
    val = b & 63
    shift = 0
    while b & 64:
        b = next(it)
        shift += 6
        val |= (b & 63) << shift
    return val


def read_signed_varint(it):
    uval = read_varint(it)
    return -(uval >> 1) if uval & 1 else uval >> 1


def parse_location_table(code):
    line = code.co_firstlineno
    it = iter(code.co_linetable)
    while True:
        try:
            first_byte = next(it)
        except StopIteration:
            return
        kind = (first_byte >> 3) & 15
        length = (first_byte & 7) + 1
        if kind == 15:
            yield (length, None, None, None, None)
        elif kind == 14:
            line += read_signed_varint(it)
            end_line = line + read_varint(it)
            col = read_varint(it)
            col = None if col == 0 else col - 1
            end_col = read_varint(it)
            end_col = None if end_col == 0 else end_col - 1
            yield (length, line, end_line, col, end_col)
        elif kind == 13:
            line += read_signed_varint(it)
            yield (length, line, line, None, None)
        elif kind in (10, 11, 12):
            line += kind - 10
            column = next(it)
            end_column = next(it)
            yield (length, line, line, column, end_column)
        else:
            second_byte = next(it)
            column = kind << 3 | (second_byte >> 4)
            yield (length, line, line, column, column + (second_byte & 15))


def positions_from_table(code):
    for length, *pos in parse_location_table(code):
        for _ in range(length):
            yield tuple(pos)


def dedup(items):
    prev = object()
    for item in items:
        if item != prev:
            yield item
            prev = item


def sample(a, b):
    x = (
        a
        +
            b
    )
    if x > 10:
        return [i * 2 for i in range(x)]
    try:
        return a / b
    except ZeroDivisionError as e:
        return str(e)
    finally:
        x = None


def long_lines():
    s = "........................................................................................................................................................................" + "x"
    return s


for f in (sample, long_lines, parse_location_table):
    code = f.__code__
    pos = list(code.co_positions())
    print(f.__name__, type(code.co_linetable).__name__, pos == list(positions_from_table(code)))
    lines = list(dedup(l for (_, _, l) in code.co_lines()))
    print(f.__name__, lines == list(dedup(p[0] for p in positions_from_table(code))))
    print(f.__name__, all(isinstance(p[0], int) or p[0] is None for p in pos))
    starts = [s for (s, _, _) in code.co_lines()]
    print(f.__name__, starts[0], starts == sorted(starts))
    print(f.__name__, type(code.co_exceptiontable).__name__)


def func():
    x = 1
    return x


# An empty location table: no lines, no positions.
new = func.__code__.replace(co_linetable=b"")
print(list(new.co_lines()), list(new.co_positions()), new.co_linetable)
print(func.__code__.replace(co_linetable=func.__code__.co_linetable) == func.__code__)
try:
    func.__code__.replace(co_linetable="x")
except TypeError as e:
    print(type(e).__name__, e)

# Comparison and hashing by value.
def make():
    def inner(a, b=1):
        return a + b
    return inner


c1, c2 = make().__code__, make().__code__
print(c1 is c2, c1 == c2, hash(c1) == hash(c2), c1 != c2)
print(c1 == func.__code__, c1 == 1, c1.replace(co_name="other") == c1)
print(c1.replace(co_name="inner") == c1)
print(len({c1, c2, func.__code__}))
# Constants compare by type and value.
k1 = compile("x = 0", "s", "exec")
k2 = compile("x = 0.0", "s", "exec")
k3 = compile("x = -0.0", "s", "exec")
k4 = compile("x = 0", "s", "exec")
print(k1 == k2, k2 == k3, k1 == k4, hash(k1) == hash(k4))
print(compile("x = (1, 2.0)", "s", "exec") == compile("x = (1, 2)", "s", "exec"))
# Location tables matter.
print(compile("x = 1", "s", "exec") == compile("\nx = 1", "s", "exec"))


def guarded():
    try:
        a()
    except:
        b()


ca = guarded.__code__
cb = ca.replace(co_linetable=b"")
cc = ca.replace(co_exceptiontable=b"")
print(len(ca.co_exceptiontable) > 0, cc.co_exceptiontable, ca != cb, ca != cc, cb != cc)
print(ca.replace(co_exceptiontable=ca.co_exceptiontable) == ca)

# Weak references to code objects.
ns = {}
exec("def f(): pass", ns)
f = ns.pop("f")
called = []
ref = weakref.ref(f.__code__, lambda r: called.append(r))
print(ref() is f.__code__)
del f
gc.collect()
print(ref(), len(called))

# match statements: every pattern kind, guards, captures, and errors.

class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

class Circle:
    def __init__(self, r):
        self.r = r

def describe(subject):
    match subject:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case -1:
            return "minus one"
        case "hello":
            return "greeting"
        case None:
            return "none"
        case True:
            return "true"
        case []:
            return "empty list"
        case [x]:
            return "one item " + str(x)
        case [1, *rest]:
            return "starts with 1, rest " + str(rest)
        case [first, *_, last] if first == last:
            return "same ends"
        case (a, b, c):
            return "triple " + str(a + b + c)
        case {"action": "move", "to": (px, py)}:
            return "move to " + str(px) + "," + str(py)
        case {"action": str(act), **others}:
            return "action " + act + " others " + str(others)
        case Point(0, 0):
            return "origin"
        case Point(x=0, y=yy):
            return "on y axis at " + str(yy)
        case Point(px, py) if px == py:
            return "diagonal"
        case Point():
            return "some point"
        case Circle(r=rad) as c:
            return "circle " + str(rad) + " " + str(c is subject)
        case int(n) if n > 100:
            return "big int " + str(n)
        case str() | tuple():
            return "some string"
        case float(f):
            return "float " + str(f)
        case _:
            return "other"

tests = [0, 2, -1, "hello", None, True, [], [5], [1, 2, 3], [7, 8, 7],
         (1, 2, 3), {"action": "move", "to": (3, 4)},
         {"action": "jump", "height": 2, "speed": 1},
         Point(0, 0), Point(0, 5), Point(2, 2), Point(1, 2), Circle(3),
         1000, "text", 2.5, 50, "hello world", (1, 2), {"x": 1}]
for t in tests:
    print(describe(t))

# captures are bound after a successful match; the guard sees them
match [1, 2]:
    case [a, b] if a > b:
        print("not this")
    case [a, b]:
        print("bound", a, b)

# a capture inside a failed case may be left bound only if its case matched
value = 10
match value:
    case 5:
        print("five")
    case other:
        print("other is", other)

# as-patterns and nested or-patterns
match (1, [2, 3]):
    case (1 | 2) as first, [2 | 3 as second, _]:
        print("nested", first, second)

# mapping rest gets a copy without the matched keys
config = {"host": "h", "port": 1, "debug": True}
match config:
    case {"host": host, **rest}:
        print(host, rest, len(config))

# value patterns with dotted names
class Color:
    RED = 1
    GREEN = 2

match 2:
    case Color.RED:
        print("red")
    case Color.GREEN:
        print("green")

# strings and dicts are not sequences
match "ab":
    case [a, b]:
        print("sequence?!")
    case _:
        print("str is not a sequence")

match {"a": 1}:
    case [x]:
        print("dict as sequence?!")
    case {"a": 1}:
        print("mapping")

# keyword sub-pattern on a missing attribute just fails
match Circle(1):
    case Circle(missing=1):
        print("no")
    case Circle(r=1):
        print("circle with r=1")

# built-in self-matching types
for v in [5, "s", 1.5, (1,), [2], {"k": 3}, True]:
    match v:
        case bool(b):
            print("bool", b)
        case int(i):
            print("int", i)
        case str(s):
            print("str", s)
        case float(f):
            print("float", f)
        case tuple(t):
            print("tuple", t)
        case list(l):
            print("list", l)
        case dict(d):
            print("dict", d)

# errors
class BadArgs:
    __match_args__ = ["x"]

class NotStrArgs:
    __match_args__ = (1,)

class OneArg:
    __match_args__ = ("a",)
    a = 1

def attempt(subject, which):
    try:
        match subject:
            case BadArgs(x) if which == 0:
                pass
            case NotStrArgs(x) if which == 1:
                pass
            case OneArg(x, y) if which == 2:
                pass
            case OneArg(x, a=y) if which == 3:
                pass
            case int(1, 2) if which == 4:
                pass
            case Color.RED() if which == 5:
                pass
    except TypeError as e:
        print(type(e).__name__, e)

attempt(BadArgs(), 0)
attempt(NotStrArgs(), 1)
attempt(OneArg(), 2)
attempt(OneArg(), 3)
attempt(5, 4)
attempt(5, 5)

class K:
    a = "a"

try:
    match {"a": 1, "b": 2}:
        case {K.a: 1, "a": 2}:
            pass
except ValueError as e:
    print(type(e).__name__, e)

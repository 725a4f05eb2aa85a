# The bytes of pickle.dumps for deterministic values under every protocol:
# they must be CPython's _pickle's, byte for byte.
import pickle


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1
        self.b = "two"


shared = [1, 2]
values = [
    None, True, False, 0, 1, -1, 127, 128, 255, 256, 65535, 65536, -65536,
    2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**63, -2**63, 2**64 + 7, 2**100, -2**100,
    -128, -129, -32768, 10**40,
    0.0, -0.0, 1.5, 1e100, -2.5e-300, float("inf"), float("-inf"),
    "", "a", "hello world", "h\u00e9llo", "\u20ac\U0001f600", "back\\slash\nnew\rline\x1a\x00",
    "x" * 300, b"", b"abc", b"\x00\xff" * 200, bytearray(b"ba"), bytearray(),
    (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1], [1, 2, 3], {}, {"k": "v"}, {1: 2, 3: 4},
    set(), {1}, frozenset(), frozenset({5}), [shared, shared], (shared, shared),
    {"nested": [{"a": (1, 2.0)}, [b"x", "y"]]},
    int, float, type, object, len, pickle.dumps, Ellipsis, NotImplemented, type(None),
    type(Ellipsis), type(NotImplemented), Point, Point.__init__, complex(1, 2),
    Point(1, "a"), Slotted(), range(3), slice(1, 2, 3), dict.fromkeys,
]
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    print("protocol", proto)
    for v in values:
        try:
            print(pickle.dumps(v, proto))
        except Exception as e:
            print("error", type(e).__name__, e)

# Batching: lists, dicts and sets of 1, 999, 1000, 1001 and 2500 items.
for n in (1, 2, 999, 1000, 1001, 2500):
    for proto in (0, 1, 2, 4):
        data = pickle.dumps(list(range(n)), proto)
        print("list", n, proto, len(data), data[:12], data[-12:])
        data = pickle.dumps(dict.fromkeys(range(n)), proto)
        print("dict", n, proto, len(data), data[:12], data[-12:])
        data = pickle.dumps(set(range(n)), proto)
        print("set", n, proto, len(data), data[:12], data[-12:])

# Framing: large pickles are cut into frames; big byte strings go outside.
big = [b"a" * 70000, "b" * 70000, list(range(20000)), b"c" * 10]
for proto in (4, 5):
    data = pickle.dumps(big, proto)
    print(proto, len(data), data[:30], data[-30:])
    i = 0
    frames = []
    while True:
        j = data.find(b"\x95", i)
        if j < 0:
            break
        frames.append(j)
        i = j + 1
    print(pickle.loads(data) == big)

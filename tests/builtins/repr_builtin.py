values = [1, -1.5, 1e100, "s", "it's", 'q"', b"b", bytearray(b"ba"), None, True, [1, [2]], (1,), (), {"k": [1]},
          {1, 2}, frozenset({1}), set(), frozenset(), range(1, 5, 2), slice(1, None), 1 + 2j, ..., NotImplemented, type, int, object]
for v in values:
    print(repr(v), str(v))
d = {}
d["self"] = d
print(d)
class R:
    def __repr__(self): return "R!"
print([R()], (R(),), {R(): R()} if False else {1: R()}, {R()} if False else "skip")

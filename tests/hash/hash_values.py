# Under PYTHONHASHSEED=0 str/bytes hashes are deterministic and must equal CPython's.
for s in ["", "a", "b", "abc", "hello world", "é", "日本語", "\U0001F600", "a" * 100, "key1", "key2"]:
    print(repr(s), hash(s))
for b in [b"", b"a", b"abc", b"\x00\xff", b"hello world"]:
    print(repr(b), hash(b))
for n in [0, 1, -1, -2, 2 ** 61 - 1, 2 ** 61, 2 ** 64, -(2 ** 64), 10 ** 30, 123456789]:
    print(n, hash(n))
for f in [0.0, -0.0, 0.5, 1.5, -2.25, 1e100, 3.141592653589793, float("inf"), -float("inf"), 1e-300]:
    print(repr(f), hash(f))
for t in [(), (1,), (1, 2), ("a", "b"), (1, (2, 3)), (0.5, "x", b"y"), (False, True)]:
    print(repr(t), hash(t))
for c in [1j, 1 + 2j, -0.5j]:
    print(repr(c), hash(c))
print(hash(None) == hash(None), hash(True), hash(False), hash(frozenset()), hash(frozenset({1, 2, 3})), hash(range(5)) == hash(range(0, 5)))
from fractions import Fraction
from decimal import Decimal
print(hash(Fraction(1, 2)) == hash(0.5), hash(Decimal("0.5")) == hash(0.5), hash(Fraction(1, 3)))

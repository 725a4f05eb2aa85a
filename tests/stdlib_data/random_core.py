# _random.Random: Mersenne Twister bit-exact with CPython.
import _random


def t(f, *a, **k):
    try:
        print(repr(f(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)


r = _random.Random(42)
print([r.random() for _ in range(5)])
for seed in [0, 1, -1, 42, -42, 2**32 - 1, 2**32, 2**64 + 7, -(2**100), 12345678901234567890123, True, 1.5, -2.25, (1, 2)]:
    r.seed(seed)
    print(repr(seed), r.random(), r.getrandbits(32), r.getrandbits(7))
for k in [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 128, 1000]:
    r.seed(7)
    print(k, r.getrandbits(k))
t(r.getrandbits, -1)
t(r.getrandbits, 1.5)
t(r.getrandbits)
t(r.getrandbits, 2**70)

# state round trip
r.seed(2023)
s = r.getstate()
print(type(s), len(s), s[-1], s[:3])
a = [r.random() for _ in range(700)]
r.setstate(s)
b = [r.random() for _ in range(700)]
print(a == b, a[-1])
r2 = _random.Random()
r2.setstate(s)
print(r2.random() == a[0])
t(r.setstate, [0] * 625)
t(r.setstate, (0,) * 624)
t(r.setstate, (0,) * 624 + (625,))
t(r.setstate, (0,) * 624 + (-1,))
t(r.setstate, (-1,) * 624 + (0,))
t(r.setstate, ('x',) * 624 + (0,))
st = s[:-1] + (624,)
r.setstate(st)
print(r.getrandbits(32))

# construction
t(_random.Random, 1, 2)
t(_random.Random, x=1)
print(_random.Random(5).random() == _random.Random(5).random())
print(type(_random.Random()).__name__, _random.Random.__module__)


class R(_random.Random):
    def __init__(self, a, b=0):
        self.extra = b

    def random(self):
        return 0.5


x = R(3, b=4)
print(x.extra, x.random(), x.getrandbits(16), isinstance(x, _random.Random))
print(R(3).getstate() == _random.Random(3).getstate())
r.seed()
r.seed(None)
print(0.0 <= r.random() < 1.0)

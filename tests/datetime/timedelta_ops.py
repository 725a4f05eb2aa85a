# _datetime.timedelta: construction, normalisation, arithmetic, errors.
import _datetime
from datetime import timedelta

print(timedelta is _datetime.timedelta, timedelta.__module__)
for args, kw in [((), {}), ((1, 2, 3), {}), ((-1,), {}), ((0, -1), {}), ((), {"hours": 1.5}),
                 ((), {"weeks": 1, "days": -1, "minutes": 2.25}), ((), {"milliseconds": 1.0005}),
                 ((0.5, 0.5), {}), ((), {"microseconds": 0.5}), ((), {"microseconds": 1.5}),
                 ((), {"microseconds": -0.5}), ((1e-7,), {})]:
    t = timedelta(*args, **kw)
    print(repr(t), str(t), t.days, t.seconds, t.microseconds, t.total_seconds(), bool(t))
print(timedelta.min, timedelta.max, repr(timedelta.resolution))
a, b = timedelta(days=1, seconds=7), timedelta(hours=-5, microseconds=3)
print(a + b, a - b, -a, +a, abs(b), a * 3, 3 * a, a * 0.1, a / 3, a / 0.7, a // 4, a / b, a // b, a % b, divmod(a, b))
print(a == timedelta(1, 7), a != b, a < b, a >= b, sorted([a, b, -a]))
print(hash(timedelta(1)) == hash(timedelta(hours=24)), {timedelta(0): 1}[timedelta()])
for expr in ["timedelta(1) / 0", "timedelta(1) // 0", "timedelta(1) % timedelta(0)", "timedelta(days=10**9)",
             "timedelta('1')", "timedelta(1) * float('nan')", "timedelta(1) + 1", "1 - timedelta(1)",
             "timedelta(1) < 1", "timedelta.max + timedelta(1)", "timedelta(1) / timedelta(0)",
             "timedelta(days=1, foo=2)"]:
    try:
        print(expr, "->", repr(eval(expr)))
    except Exception as e:
        print(expr, "->", type(e).__name__, e)
print(timedelta(1) == 1, timedelta(1).__reduce__())

class T(timedelta):
    pass

t = T(hours=2)
print(repr(t), type(t + t).__name__, type(-t).__name__, type(t * 2).__name__)

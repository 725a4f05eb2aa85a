# _datetime.time, tzinfo and timezone: offsets, aware comparisons, astimezone.
import pickle
from datetime import time, datetime, date, timedelta, timezone, tzinfo, UTC

print(UTC is timezone.utc, repr(timezone.utc), str(timezone.utc), timezone.min, timezone.max)
t = time(12, 30, 15, 500, tzinfo=timezone(timedelta(hours=-5), "EST"))
print(repr(t), t, t.isoformat("milliseconds"), t.utcoffset(), t.dst(), t.tzname(), t.strftime("%H|%M|%S|%f|%z|%Z"))
print(repr(time()), repr(time(1, 2, 3)), repr(time(1, fold=1)), bool(time()), time.min, time.max, time.fromisoformat("T04:23:01.000384+04:30"))
print(time(1) < time(2), time(1, tzinfo=timezone.utc) == time(2, tzinfo=timezone(timedelta(hours=1))), time(1) == time(1, tzinfo=timezone.utc))
try:
    time(1) < time(1, tzinfo=timezone.utc)
except TypeError as e:
    print("TypeError", e)
print(hash(time(1, tzinfo=timezone.utc)) == hash(time(2, tzinfo=timezone(timedelta(hours=1)))))

z = timezone(timedelta(hours=5, minutes=30))
print(repr(z), str(z), z.tzname(None), z.utcoffset(None), z.dst(None), z == timezone(timedelta(hours=5.5), "other"), z.__getinitargs__())
print(repr(timezone(timedelta(0), "Z")), timezone(timedelta(0)) is timezone.utc, timezone(-timedelta(seconds=1)))
for expr in ["timezone(5)", "timezone(timedelta(0), 5)", "timezone(timedelta(1))", "z.tzname(5)", "z.fromutc(5)",
             "z.fromutc(datetime(2000, 1, 1))", "tzinfo().tzname(None)", "tzinfo().utcoffset(None)", "tzinfo().dst(None)",
             "time(25)", "time(1, 60)", "time(1, 2, 3, 1000000)", "time(tzinfo=3)"]:
    try:
        print(expr, "->", repr(eval(expr)))
    except Exception as e:
        print(expr, "->", type(e).__name__, e)


class Fixed(tzinfo):
    def __init__(self, minutes=0, name="UTC"):
        self.off = timedelta(minutes=minutes)
        self.name = name

    def utcoffset(self, dt):
        return self.off

    def tzname(self, dt):
        return self.name

    def dst(self, dt):
        return timedelta(0)

    def __repr__(self):
        return f"Fixed({self.name})"


est = Fixed(-300, "EST")
a = datetime(2020, 6, 1, 12, tzinfo=est)
print(repr(a), a.utcoffset(), a.tzname(), a.dst(), a.isoformat(), a.strftime("%z %Z"), a.timetuple().tm_isdst)
u = a.astimezone(timezone.utc)
print(u, u == a, hash(u) == hash(a), a - u, u - datetime(2020, 1, 1, tzinfo=timezone.utc), a.astimezone(est) is a)
print(a.utctimetuple(), est.fromutc(u.replace(tzinfo=est)), a.timestamp())
print(pickle.loads(pickle.dumps(z)) == z, pickle.loads(pickle.dumps(timezone.utc)) is timezone.utc, timezone.utc.__reduce__())
b = pickle.loads(pickle.dumps(a))
print(b, b.tzinfo.name, tzinfo().__reduce__(), est.__reduce__()[0].__name__)
print(t.__reduce__(), time(1, fold=1).__reduce_ex__(4), time(b"\x81\x02\x03\x00\x00\x04").fold)
for expr in ["a - datetime(2020, 1, 1)", "a < datetime(2020, 1, 1)", "a == datetime(2020, 6, 1, 12)", "a.astimezone(5)"]:
    try:
        print(expr, "->", repr(eval(expr)))
    except Exception as e:
        print(expr, "->", type(e).__name__, e)


class Bad(tzinfo):
    def utcoffset(self, dt):
        return timedelta(hours=24)

    def tzname(self, dt):
        return 7


for expr in ["datetime(2000, 1, 1, tzinfo=Bad()).utcoffset()", "datetime(2000, 1, 1, tzinfo=Bad()).tzname()"]:
    try:
        print(expr, "->", repr(eval(expr)))
    except Exception as e:
        print(expr, "->", type(e).__name__, e)

# _datetime.date and datetime: constructors, formatting, arithmetic, comparisons.
import pickle
from datetime import date, datetime, time, timedelta, timezone, MINYEAR, MAXYEAR

print(MINYEAR, MAXYEAR, date.min, date.max, repr(date.resolution), datetime.min, datetime.max)
d = date(2004, 2, 29)
print(repr(d), d, d.year, d.month, d.day, d.weekday(), d.isoweekday(), d.toordinal(), d.ctime())
print(d.isocalendar(), d.isocalendar().week, tuple(d.isocalendar()), d.timetuple())
print(date.fromordinal(730000), date.fromisocalendar(2020, 53, 7), date.fromisoformat("20200304"), date.fromisoformat("2020-W10-2"))
print(d.replace(year=2005, day=28), d + timedelta(days=366), d - timedelta(1), d - date(2000, 1, 1), timedelta(2) + d)
print(d.strftime("%Y/%m/%d %a %j %f %z|%Z|"), format(d, "%B"), format(d, ""), d.__format__("%d"))
for y, m, dd in [(0, 1, 1), (2000, 13, 1), (2001, 2, 29), (10000, 1, 1)]:
    try:
        date(y, m, dd)
    except ValueError as e:
        print("ValueError", e)
for expr in ["date(2000.0, 1, 1)", "date()", "date(1, 1, 1) - timedelta(1)", "date.fromordinal(0)",
             "date.fromisoformat('2020-1-01')", "date.fromisoformat(5)", "date.fromisocalendar(2020, 54, 1)",
             "date(2000, 1, 1) < datetime(2000, 1, 1)", "d.replace(month=2, day=30)"]:
    try:
        print(expr, "->", repr(eval(expr)))
    except Exception as e:
        print(expr, "->", type(e).__name__, e)

dt = datetime(2002, 3, 4, 5, 6, 7, 8900)
print(repr(dt), dt, dt.isoformat(), dt.isoformat(" ", "minutes"), dt.isoformat(timespec="milliseconds"), dt.date(), dt.time())
print(repr(datetime(2000, 1, 1)), repr(datetime(2000, 1, 1, 1, 1, 1)), dt.ctime(), dt.timetuple(), dt.toordinal())
print(dt + timedelta(hours=20, microseconds=95000), dt - timedelta(days=400), dt - datetime(2002, 1, 1), timedelta(1) + dt)
print(dt == datetime(2002, 3, 4, 5, 6, 7, 8900), dt < datetime(2002, 3, 4), dt == date(2002, 3, 4), date(2002, 3, 4) == dt)
print(datetime.combine(d, time(1, 2, 3)), datetime.fromisoformat("2011-11-04T00:05:23.283+00:00"),
      datetime.fromisoformat("20111104T000523,5-0130"), datetime.fromisoformat("2011-W01-2T00:05"))
print(dt.strftime("%Y-%m-%dT%H:%M:%S.%f %%Z=%Z"), dt.replace(microsecond=0, fold=1).fold)
for expr in ["datetime(2000, 1, 1, 24)", "datetime(2000, 1, 1, fold=2)", "dt.isoformat(timespec='x')",
             "datetime.fromisoformat('2011-11-04T00:05:23+25:00')", "datetime.fromisoformat('garbage')",
             "datetime.max + timedelta(1)", "dt.isoformat('ab')", "datetime(2000, 1, 1, tzinfo=1)",
             "datetime(2000, 1, 1) < date(2000, 1, 1)"]:
    try:
        print(expr, "->", repr(eval(expr)))
    except Exception as e:
        print(expr, "->", type(e).__name__, e)
print(datetime.strptime("2021-07-08 09:10:11", "%Y-%m-%d %H:%M:%S"))
print(datetime.utcfromtimestamp(1_000_000_000.5), datetime.fromtimestamp(86400 * 365, timezone.utc), datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp())
for o in [d, dt, dt.replace(tzinfo=timezone.utc, fold=1), date.max, datetime.min]:
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(o, proto)) == o
print(d.__reduce__(), dt.__reduce__(), dt.replace(fold=1).__reduce_ex__(4), dt.replace(fold=1).__reduce_ex__(2))
print(date(b"\x07\xd0\x01\x02"), datetime(b"\x07\xd0\x81\x02\x03\x04\x05\x00\x00\x06").fold)

class D(date):
    pass

class DT(datetime):
    def __new__(cls, *args, **kw):
        self = super().__new__(cls, *args, **kw)
        self.extra = "x"
        return self

x = DT(2000, 1, 1, 12)
print(repr(D(2000, 1, 1)), type(D(2000, 1, 1) + timedelta(1)).__name__, type(D.today()).__name__, type(D.fromordinal(5)).__name__)
print(repr(x), type(x + timedelta(1)).__name__, (x + timedelta(1)).extra, type(x.replace(hour=1)).__name__, type(DT.combine(d, time())).__name__)
print(sorted({d: 1, date(2000, 1, 1): 2}), hash(dt) == hash(datetime(2002, 3, 4, 5, 6, 7, 8900)))
IC = type(d.isocalendar())
ic = IC(2000, week=1, weekday=2)
print(IC.__module__, IC.__name__, repr(ic), ic.year, ic[1], pickle.loads(pickle.dumps(ic)), type(pickle.loads(pickle.dumps(ic))).__name__)
try:
    IC(1, 2)
except TypeError as e:
    print("TypeError", e)

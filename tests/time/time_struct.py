import time

t = time.gmtime(0)
print(t)
print(t.tm_zone, t.tm_gmtoff, len(t), t[:3], t.tm_year, t[-1])
print(time.gmtime(86400 * 365.25 * 30 + 12345.9))
print(time.gmtime(-1.5), time.gmtime(1.9).tm_sec)
print(type(t).__name__, type(t).__module__, type(t).n_sequence_fields, type(t).n_fields, time._STRUCT_TM_ITEMS)
print(isinstance(t, tuple), t == (1970, 1, 1, 0, 0, 0, 3, 1, 0), hash(t) == hash(tuple(t)))
s = time.struct_time((2000, 1, 2, 3, 4, 5, 6, 2, 0))
print(s, s.tm_zone, s.tm_gmtoff)
s = time.struct_time((2000, 1, 2, 3, 4, 5, 6, 2, 0, "XYZ", 3600))
print(s.tm_zone, s.tm_gmtoff, s.__reduce__())
s = time.struct_time([2000, 1, 2, 3, 4, 5, 6, 2, 0], {"tm_zone": "ABC"})
print(s.tm_zone, s.tm_gmtoff)
for bad in [(1, 2, 3), tuple(range(12)), 5]:
    try:
        time.struct_time(bad)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    t.tm_year = 5
except AttributeError as e:
    print(type(e).__name__, e)
match t:
    case time.struct_time(tm_year=y, tm_mon=m):
        print("matched", y, m)

print(time.strftime("%Y-%m-%d %H:%M:%S %j %a %b %A %B %%", time.gmtime(10**9)))
print(time.strftime("%Y %Z %z", time.gmtime(0)))
print(repr(time.strftime("", time.gmtime(0))))
print(time.strftime("%Y-%m-%d %j", (2000, 0, 0, 0, 0, 0, 0, 0, 0)))
print(time.strftime("x\u00e9y %Y", time.gmtime(0)))
for args in [("%Y", (1, 2)), ("%Y", 5), ("%Y", (2000, 13, 1, 0, 0, 0, 0, 1, 0)), ("%Y", (2000, 1, 32, 0, 0, 0, 0, 1, 0)),
             ("%Y", (2000, 1, 1, 24, 0, 0, 0, 1, 0)), ("%Y", (2000, 1, 1, 0, 60, 0, 0, 1, 0)), ("%Y", (2000, 1, 1, 0, 0, 62, 0, 1, 0)),
             ("%Y", (2000, 1, 1, 0, 0, 0, 0, 367, 0)), ("%Y", (2000.0, 1, 1, 0, 0, 0, 0, 1, 0)), (5,), ("a\0b",)]:
    try:
        print(time.strftime(*args))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

print(time.asctime(time.gmtime(0)), "|", time.asctime(time.gmtime(10**9)))
for bad in [(1, 2, 3), (2000, 0, 1, 0, 0, 0, 0, 1, 0)]:
    try:
        time.asctime(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

# localtime/mktime round trips (independent of the local zone)
for secs in [0, 10**9, 1234567890, 1700000000]:
    lt = time.localtime(secs)
    print(time.mktime(lt) == secs, lt.tm_gmtoff == -(time.altzone if lt.tm_isdst > 0 else time.timezone))
print(time.ctime(10**9) == time.asctime(time.localtime(10**9)))
try:
    time.mktime((1, 2))
except TypeError as e:
    print(type(e).__name__, e)
for bad in [1e20, "x", float("nan")]:
    try:
        time.gmtime(bad)
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)
print(type(time.timezone).__name__, type(time.altzone).__name__, time.daylight in (0, 1), type(time.tzname).__name__, len(time.tzname))
time.tzset()
print(type(time.tzname[0]).__name__)

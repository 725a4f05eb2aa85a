# _datetime local-time conversions under a fixed TZ: timestamp(), fromtimestamp()
# fold detection, astimezone() to the local zone, gaps and folds.
import os
import time
from datetime import datetime, date, timedelta, timezone

os.environ["TZ"] = "America/New_York"
time.tzset()

for fold in (0, 1):
    # 2021-11-07 01:30 happens twice; 2021-03-14 02:30 never happens.
    print(datetime(2021, 11, 7, 1, 30, fold=fold).timestamp(), datetime(2021, 3, 14, 2, 30, fold=fold).timestamp())
for ts in (1636263000, 1636266600, 1615705200, 0, 1e9 + 0.5, -1e9):
    d = datetime.fromtimestamp(ts)
    print(repr(d), d.fold, d.timestamp() == ts)
print(date.fromtimestamp(1e9), datetime.fromtimestamp(1e9, timezone(timedelta(hours=2))))
a = datetime(2021, 7, 1, 12).astimezone()
print(a, a.tzname(), repr(a.tzinfo))
b = datetime(2021, 1, 1, 12, tzinfo=timezone.utc).astimezone()
print(b, b.tzname())
print(datetime(2021, 11, 7, 1, 30, fold=1).astimezone(timezone.utc), datetime(2021, 11, 7, 1, 30).astimezone(timezone.utc))
print(datetime(2000, 6, 1).timetuple().tm_isdst, datetime.fromtimestamp(1e9).isoformat())
for bad in (float("nan"), 1e300):
    try:
        datetime.fromtimestamp(bad)
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)

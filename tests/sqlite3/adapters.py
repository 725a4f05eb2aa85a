# Adapters, converters, PARSE_DECLTYPES / PARSE_COLNAMES, datetime defaults.
import datetime
import sqlite3

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

def adapt_point(p):
    return "%f;%f" % (p.x, p.y)

def convert_point(b):
    x, y = map(float, b.split(b";"))
    return Point(x, y)

sqlite3.register_adapter(Point, adapt_point)
sqlite3.register_converter("point", convert_point)

con = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES)
con.execute("create table p(pt point, n integer not null, d date, ts timestamp, num number(10))")
con.execute("insert into p values (?, ?, ?, ?, ?)",
            (Point(1, 2), 3, datetime.date(2020, 5, 17), datetime.datetime(2021, 1, 2, 3, 4, 5, 600), 7))
print(con.execute("select * from p").fetchone())
print(con.execute("select pt, n from p").fetchone())
con.close()

con = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_COLNAMES)
print(con.execute("select ? as \"p [point]\"", (Point(3, 4),)).fetchone())
cur = con.execute("select '2020-01-02' as \"d [date]\", 'x' as \"plain\"")
print(cur.fetchone(), [d[0] for d in cur.description])
print(con.execute("select null as \"d [date]\"").fetchone())
con.close()

# Conforming objects
class Conform:
    def __conform__(self, proto):
        if proto is sqlite3.PrepareProtocol:
            return "conformed"
con = sqlite3.connect(":memory:")
print(con.execute("select ?", (Conform(),)).fetchone())
print(sqlite3.adapt(Point(5, 6)))
print(sqlite3.adapt(5, sqlite3.PrepareProtocol, "alt"))
try:
    sqlite3.adapt(object())
except sqlite3.ProgrammingError as e:
    print(e)

# converters are looked up case-insensitively
print(sorted(k for k in sqlite3.converters if k in ("POINT", "DATE", "TIMESTAMP")))
sqlite3.register_converter("Upper", lambda b: b.decode().upper())
con = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
con.execute("create table u(a UPPER, b upper)")
con.execute("insert into u values ('x', 'y')")
print(con.execute("select a, b, a as \"c [upper]\" from u").fetchone())

# unsupported types
for v in [[1], {}, object()]:
    try:
        con.execute("select ?", (v,))
    except sqlite3.ProgrammingError as e:
        print(e)
try:
    con.execute("select ?", (2**64,))
except OverflowError as e:
    print("OverflowError", e)
print(sqlite3.Binary is memoryview, sqlite3.Date, sqlite3.Timestamp)

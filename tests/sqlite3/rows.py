# row_factory, sqlite3.Row, text_factory.
import sqlite3

con = sqlite3.connect(":memory:")
con.row_factory = sqlite3.Row
row = con.execute("select 1 as a, 'two' as B, null as c").fetchone()
print(type(row).__name__, len(row), row.keys())
print(row[0], row[1], row[-1], row["a"], row["b"], row["B"], row["C"])
print(row[0:2], row[::-1], tuple(row), list(row))
for key in ["zz", 5, 1.5, -4]:
    try:
        row[key]
    except Exception as e:
        print(type(e).__name__, e)
row2 = con.execute("select 1 as a, 'two' as B, null as c").fetchone()
print(row == row2, row != row2, hash(row) == hash(row2))
row3 = con.execute("select 1 as x, 'two' as B, null as c").fetchone()
print(row == row3, row == (1, "two", None))
import collections.abc
print(isinstance(row, collections.abc.Sequence))

cur = con.cursor()
cur.execute("select 1 as q")
r = sqlite3.Row(cur, (5,))
print(r.keys(), r[0], r["Q"])
try:
    sqlite3.Row(1, 2)
except TypeError as e:
    print(e)

con.row_factory = lambda cursor, row: {d[0]: v for d, v in zip(cursor.description, row)}
print(con.execute("select 1 as a, 2 as b").fetchall())
cur = con.cursor()
cur.row_factory = None
print(cur.execute("select 3").fetchone())
con.row_factory = None

# text_factory
print(con.execute("select 'héllo'").fetchone())
con.text_factory = bytes
print(con.execute("select 'héllo'").fetchone())
con.text_factory = bytearray
print(con.execute("select 'abc'").fetchone())
con.text_factory = lambda b: b.decode("utf-8").upper()
print(con.execute("select 'abc', 1, x'01'").fetchone())
con.text_factory = str
try:
    con.execute("select cast(x'ff' as text)").fetchone()
except sqlite3.OperationalError as e:
    print("OperationalError", e)

# cursor subclass and factory
class MyCursor(sqlite3.Cursor):
    def first(self):
        return self.fetchone()[0]
c = con.cursor(MyCursor)
print(type(c).__name__, c.execute("select 42").first())
try:
    con.cursor(lambda c: 1)
except TypeError as e:
    print(e)

class MyConn(sqlite3.Connection):
    pass
con3 = sqlite3.connect(":memory:", factory=MyConn)
print(type(con3).__name__, con3.execute("select 1").fetchone())

# uri=, re-initialising a connection, weak references, Statement objects,
# closing mid-iteration, module constants.
import os
import sqlite3
import tempfile
import weakref

d = tempfile.mkdtemp()
path = os.path.join(d, "m.db")
con = sqlite3.connect(path)
con.execute("create table t(x)")
con.executemany("insert into t values (?)", [(i,) for i in range(5)])
con.commit()
con.close()

ro = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
print(ro.execute("select count(*) from t").fetchone())
try:
    ro.execute("insert into t values (9)")
except sqlite3.OperationalError as e:
    print(type(e).__name__, e, e.sqlite_errorname)
ro.close()

mem = sqlite3.connect("file:memdb1?mode=memory&cache=shared", uri=True)
mem.execute("create table s(a)")
print(mem.execute("select name from sqlite_master").fetchall())
mem.close()

# Re-initialising: old cursors keep the old database.
con = sqlite3.connect(path)
cur = con.execute("select x from t order by x")
print(cur.fetchone())
con.__init__(":memory:")
print(cur.fetchall())
print(con.execute("select name from sqlite_master").fetchall())

# Weak references and Statement objects
ref = weakref.ref(cur)
print(ref() is cur)
st = con("select 1")
print(type(st).__name__)
try:
    type(st)()
except TypeError as e:
    print(e)
try:
    sqlite3.Blob()
except TypeError as e:
    print(e)

# Closing a cursor in the middle of iteration
cur = con.execute("select 1 union select 2 union select 3")
print(next(cur))
cur.close()
try:
    next(cur)
except sqlite3.ProgrammingError as e:
    print(e)

# Context manager does not close
with sqlite3.connect(":memory:") as c2:
    c2.execute("create table z(a)")
print(c2.execute("select count(*) from z").fetchone())
c2.close()

print(sqlite3.SQLITE_OK, sqlite3.SQLITE_DENY, sqlite3.SQLITE_IGNORE, sqlite3.SQLITE_SELECT,
      sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_LIMIT_LENGTH, sqlite3.PARSE_DECLTYPES,
      sqlite3.PARSE_COLNAMES)
print(isinstance(sqlite3.sqlite_version_info, tuple), sqlite3.version_info >= (2, 6))
print(sqlite3.DateFromTicks(0).year >= 1969)
con.close()
os.remove(path)
os.rmdir(d)

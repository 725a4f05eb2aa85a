# The exception hierarchy, messages, sqlite_errorcode/sqlite_errorname,
# closed objects and misuse.
import sqlite3

for name in ["Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
             "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"]:
    cls = getattr(sqlite3, name)
    print(name, cls.__module__, [b.__name__ for b in cls.__mro__[1:]])

con = sqlite3.connect(":memory:")
print(con.Error is sqlite3.Error, con.OperationalError is sqlite3.OperationalError)
cur = con.cursor()
cur.execute("create table t(a integer primary key, b not null, c unique, check (a < 100))")
cur.execute("insert into t values (1, 1, 1)")

def attempt(f, *args):
    try:
        r = f(*args)
        print("ok", r if not isinstance(r, sqlite3.Cursor) else "cursor")
    except Exception as e:
        print(type(e).__name__, e, getattr(e, "sqlite_errorcode", None), getattr(e, "sqlite_errorname", None))

attempt(cur.execute, "insert into t values (1, 2, 2)")
attempt(cur.execute, "insert into t values (2, null, 3)")
attempt(cur.execute, "insert into t values (3, 1, 1)")
attempt(cur.execute, "insert into t values (200, 1, 5)")
attempt(cur.execute, "selec 1")
attempt(cur.execute, "select * from nosuch")
attempt(cur.execute, "select 1; select 2")
attempt(cur.execute, "select 1; ;")
attempt(cur.execute, "select 1 -- c\n; -- d")
attempt(cur.execute, "select '\0'")
attempt(cur.execute, 1)
attempt(cur.execute, "select ?", 1)
attempt(cur.execute, "select ?", None)
attempt(cur.execute, "select ?", (1, 2))
attempt(cur.execute, "select ?, ?", [1])
attempt(cur.execute, "select :a", {"b": 1})
attempt(cur.execute, "select ?", {"a": 1})
attempt(cur.executemany, "select ?", [(1,)])
attempt(cur.executemany, "insert into t(b) values (?)", 5)
attempt(cur.executescript, 5)
attempt(cur.executescript, "select 1; selec 2")
attempt(sqlite3.Cursor, 5)
attempt(sqlite3.connect, "/nonexistent/dir/x.db")
attempt(con.create_function, "f", -5, len)
attempt(con.setlimit, 99, 1)
attempt(con.blobopen, "t", "b", 999)

cur.close()
attempt(cur.fetchone)
attempt(cur.execute, "select 1")
cur2 = con.cursor()
con.close()
con.close()
attempt(con.execute, "select 1")
attempt(con.cursor)
attempt(con.commit)
attempt(lambda: con.total_changes)
attempt(lambda: con.in_transaction)
attempt(cur2.execute, "select 1")

class Sub(sqlite3.Connection):
    def __init__(self, *a):
        pass
s = Sub(":memory:")
attempt(s.execute, "select 1")
print(sqlite3.complete_statement("select 1;"), sqlite3.complete_statement("select 1"))

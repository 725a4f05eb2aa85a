# User functions, aggregates, window functions, collations, callbacks.
import sqlite3

con = sqlite3.connect(":memory:")
con.create_function("double", 1, lambda x: x * 2)
con.create_function("nargs", -1, lambda *a: len(a))
con.create_function("ident", 1, lambda x: x, deterministic=True)
print(con.execute("select double(21), double('ab'), nargs(), nargs(1, 2, 3)").fetchone())
print(con.execute("select ident(null), ident(1), ident(2.5), ident('s'), ident(x'0102')").fetchone())

con.create_function("boom", 0, lambda: 1 / 0)
con.create_function("badret", 0, lambda: [1])
con.create_function("huge", 0, lambda: 2 ** 70)
for q in ["select boom()", "select badret()", "select huge()", "select double(1, 2)", "select nosuch()"]:
    try:
        con.execute(q).fetchall()
    except sqlite3.Error as e:
        print(type(e).__name__, e, e.sqlite_errorcode, e.sqlite_errorname)
con.create_function("double", 1, None)
try:
    con.execute("select double(1)")
except sqlite3.OperationalError as e:
    print(e)

class Sum:
    def __init__(self):
        self.total = 0
    def step(self, v):
        self.total += v
    def finalize(self):
        return self.total

class BadStep:
    def step(self, v):
        raise ValueError
    def finalize(self):
        return 0

class BadInit:
    def __init__(self):
        raise ValueError
    def step(self, v):
        pass
    def finalize(self):
        return 0

class BadFinal:
    def step(self, v):
        pass
    def finalize(self):
        raise ValueError

con.execute("create table n(v)")
con.executemany("insert into n values (?)", [(i,) for i in range(1, 6)])
con.create_aggregate("mysum", 1, Sum)
con.create_aggregate("badstep", 1, BadStep)
con.create_aggregate("badinit", 1, BadInit)
con.create_aggregate("badfinal", 1, BadFinal)
print(con.execute("select mysum(v) from n").fetchone())
print(con.execute("select mysum(v) from n where v > 100").fetchone())
print(con.execute("select v % 2, mysum(v) from n group by v % 2 order by 1").fetchall())
for q in ["badstep", "badinit", "badfinal"]:
    try:
        con.execute("select %s(v) from n" % q).fetchall()
    except sqlite3.OperationalError as e:
        print(e)

class WinSum:
    def __init__(self):
        self.total = 0
    def step(self, v):
        self.total += v
    def inverse(self, v):
        self.total -= v
    def value(self):
        return self.total
    def finalize(self):
        return self.total

con.create_window_function("winsum", 1, WinSum)
print(con.execute("""select v, winsum(v) over (order by v rows between 1 preceding and 1 following)
                     from n order by v""").fetchall())

# collations
def reverse(a, b):
    return (a < b) - (a > b)
con.create_collation("rev", reverse)
con.execute("create table w(s)")
con.executemany("insert into w values (?)", [("b",), ("a",), ("c",)])
print(con.execute("select s from w order by s collate rev").fetchall())
con.create_collation("rev", None)
try:
    con.execute("select s from w order by s collate rev").fetchall()
except sqlite3.OperationalError as e:
    print(e)
try:
    con.create_collation("x", 1)
except TypeError as e:
    print(e)

# authorizer
def auth(action, a1, a2, db, trigger):
    if action == sqlite3.SQLITE_READ and a2 == "secret":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
con.execute("create table priv(public, secret)")
con.set_authorizer(auth)
print(con.execute("select public from priv").fetchall())
try:
    con.execute("select secret from priv")
except sqlite3.DatabaseError as e:
    print(type(e).__name__, e)
con.set_authorizer(None)
print(con.execute("select secret from priv").fetchall())

# progress handler
calls = []
def progress():
    calls.append(1)
    return 0
con.set_progress_handler(progress, 1)
con.execute("select mysum(v) from n").fetchall()
print("progress called", len(calls) > 0)
con.set_progress_handler(lambda: 1, 1)
try:
    con.execute("select mysum(v) from n").fetchall()
except sqlite3.OperationalError as e:
    print(e)
con.set_progress_handler(None, 1)

# trace
seen = []
con.set_trace_callback(seen.append)
con.execute("select 1 + ?", (2,)).fetchall()
con.set_trace_callback(None)
con.execute("select 2")
print(seen)

# limits
print(con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) > 0)
old = con.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 2)
print(con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
try:
    con.execute("select ?, ?, ?", (1, 2, 3))
except sqlite3.Error as e:
    print(type(e).__name__, e)
con.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)
try:
    con.getlimit(1000)
except sqlite3.ProgrammingError as e:
    print(e)

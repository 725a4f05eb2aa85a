# enable_callback_tracebacks: callback exceptions go to sys.unraisablehook
# with the culprit object; MemoryError/OverflowError map to SQLite errors.
import sqlite3
import sys

def hook(u):
    name = getattr(u.object, "__name__", type(u.object).__name__)
    print("unraisable:", u.exc_type.__name__, u.exc_value, name)
sys.unraisablehook = hook

con = sqlite3.connect(":memory:")
con.execute("create table t(x)")
con.executemany("insert into t values (?)", [(1,), (2,)])

def boom(x):
    raise ValueError("bad %s" % x)
def mem():
    raise MemoryError
def over():
    raise OverflowError("big")

class AggBoom:
    def step(self, x):
        raise KeyError(x)
    def finalize(self):
        return 0

class NoFinal:
    def step(self, x):
        pass

con.create_function("boom", 1, boom)
con.create_function("mem", 0, mem)
con.create_function("over", 0, over)
con.create_aggregate("aggboom", 1, AggBoom)
con.create_aggregate("nofinal", 1, NoFinal)

for flag in (False, True):
    sqlite3.enable_callback_tracebacks(flag)
    print("tracebacks", flag)
    for q in ["select boom(1)", "select mem()", "select over()", "select aggboom(x) from t", "select nofinal(x) from t"]:
        try:
            con.execute(q).fetchall()
        except Exception as e:
            print(" ", type(e).__name__, e)

def bad_auth(*args):
    raise RuntimeError("auth")
con.set_authorizer(bad_auth)
try:
    con.execute("select 1")
except sqlite3.DatabaseError as e:
    print(type(e).__name__, e)
con.set_authorizer(lambda *a: 2**40)
try:
    con.execute("select 1")
except sqlite3.DatabaseError as e:
    print(type(e).__name__, e)
con.set_authorizer(None)

def bad_trace(sql):
    raise ValueError("trace")
con.set_trace_callback(bad_trace)
print(con.execute("select 5").fetchone())
con.set_trace_callback(None)

# Recursive use of a cursor from a converter
sqlite3.register_converter("SELFUSE", lambda b: cur.fetchone())
con2 = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_COLNAMES)
cur = con2.cursor()
cur.execute('select 1 as "a [selfuse]" union select 2')
try:
    cur.fetchall()
except sqlite3.ProgrammingError as e:
    print(e)

# 3.11 implicit transactions: BEGIN before DML, isolation levels, commit,
# rollback, context manager, in_transaction.
import sqlite3
import os
import tempfile

con = sqlite3.connect(":memory:")
print(repr(con.isolation_level), con.in_transaction)
con.execute("create table t(x)")
print("after DDL", con.in_transaction)
con.execute("insert into t values (1)")
print("after insert", con.in_transaction)
con.execute("select * from t")
print("after select", con.in_transaction)
con.rollback()
print("rolled back", con.execute("select count(*) from t").fetchone(), con.in_transaction)
con.execute("insert into t values (2)")
con.commit()
print("committed", con.in_transaction, con.execute("select * from t").fetchall())
con.commit()
con.rollback()

with con:
    con.execute("insert into t values (3)")
print("with ok", con.in_transaction, con.execute("select * from t").fetchall())
try:
    with con:
        con.execute("insert into t values (4)")
        raise ValueError("boom")
except ValueError as e:
    print("with error", e, con.in_transaction)
print(con.execute("select * from t").fetchall())

for level in ["DEFERRED", "immediate", "Exclusive", ""]:
    con.isolation_level = level
    con.execute("insert into t values (5)")
    print(repr(con.isolation_level), con.in_transaction)
    con.rollback()

con.isolation_level = None
con.execute("insert into t values (6)")
print("autocommit", con.in_transaction)
con.execute("begin")
print("explicit begin", con.in_transaction)
con.execute("insert into t values (7)")
con.execute("rollback")
print(con.execute("select * from t").fetchall())

for bad in ["foo", 1]:
    try:
        con.isolation_level = bad
    except Exception as e:
        print(type(e).__name__, e)
try:
    sqlite3.connect(":memory:", isolation_level="bar")
except Exception as e:
    print(type(e).__name__, e)

# Two connections on one file: uncommitted data is not visible.
d = tempfile.mkdtemp()
path = os.path.join(d, "db.sqlite")
a = sqlite3.connect(path)
b = sqlite3.connect(path)
a.execute("create table u(v)")
a.execute("insert into u values ('a')")
print("b sees", b.execute("select * from u").fetchall())
a.commit()
print("b sees", b.execute("select * from u").fetchall())
a.close()
b.close()
con2 = sqlite3.connect(path, isolation_level=None)
print(con2.execute("select * from u").fetchall(), con2.isolation_level)
con2.close()
os.remove(path)
os.rmdir(d)

# executescript commits first and runs everything
con = sqlite3.connect(":memory:")
con.execute("create table s(a)")
con.execute("insert into s values (1)")
print(con.in_transaction)
cur = con.executescript("""
    insert into s values (2);
    -- a comment
    create table s2(b); insert into s2 values ('x');
""")
print(con.in_transaction, con.execute("select * from s").fetchall(), con.execute("select * from s2").fetchall())
print(type(cur).__name__)

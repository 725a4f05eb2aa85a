# Schema, inserts, queries, cursor attributes, parameters.
import sqlite3

con = sqlite3.connect(":memory:")
print(type(con).__name__, sqlite3.paramstyle, sqlite3.apilevel, sqlite3.threadsafety)
cur = con.cursor()
cur.execute("create table people(id integer primary key, name text, age integer, score real, data blob)")
print("rowcount after create:", cur.rowcount, cur.description)
cur.execute("insert into people(name, age, score, data) values (?, ?, ?, ?)", ("ann", 31, 1.5, b"\x00\x01"))
print("lastrowid", cur.lastrowid, "rowcount", cur.rowcount)
cur.executemany("insert into people(name, age, score, data) values (?, ?, ?, ?)",
                [("bob", 25, None, None), ("cy", 40, 2.25, bytearray(b"xy")), ("dee", None, -0.5, memoryview(b"mv"))])
print("executemany rowcount", cur.rowcount)
cur.execute("insert into people(name, age) values (:n, :a)", {"n": "eve", "a": 2**40})
print("lastrowid", cur.lastrowid)

def gen():
    for i in range(3):
        yield ("g%d" % i, i)
cur.executemany("insert into people(name, age) values (?, ?)", gen())
print("gen rowcount", cur.rowcount)

cur.execute("select id, name, age, score, data from people order by id")
print([d[0] for d in cur.description])
print(cur.fetchone())
print(cur.fetchmany(2))
print(cur.arraysize)
cur.arraysize = 2
print(cur.fetchmany())
print(cur.fetchall())
print(cur.fetchone())
print(cur.fetchall())

for row in con.execute("select name, typeof(age), typeof(score), typeof(data) from people where id < 5"):
    print(row)

print(con.execute("select count(*), sum(age), max(score) from people").fetchone())
print(con.execute("select ?, ?, ?, ?, ?", (None, -7, 3.25, "tëxt", b"by")).fetchone())
print(con.execute("select ?", "a").fetchone())
print(con.execute("select :x || :y", {"y": "2", "x": "1"}).fetchone())
print(con.execute("select 1 -- trailing comment").fetchall())
print(con.execute("").fetchall(), con.execute("   ").description)
print(con.execute("update people set age = age + 1 where age > 20").rowcount)
print(con.execute("delete from people where name like 'g%'").rowcount)
print(con.execute("select 1").rowcount)

# iteration protocol
c2 = con.execute("select name from people order by id limit 3")
print(iter(c2) is c2, next(c2), list(c2))

# total_changes, cursor.connection, setinputsizes
print(con.total_changes, cur.connection is con)
print(cur.setinputsizes([1]), cur.setoutputsize(1), cur.setoutputsize(1, 2))

# Big and small numbers
print(con.execute("select ?, ?", (-2**63, 2**63 - 1)).fetchone())
print(con.execute("select 1e308 * 10, -0.0").fetchone())
print(con.execute("select x'00ff'").fetchone())
print(con.execute("select cast(? as text)", (b"abc",)).fetchone())
con.close()

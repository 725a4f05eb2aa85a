# iterdump, backup, serialize/deserialize, blobs.
import sqlite3

con = sqlite3.connect(":memory:")
con.executescript("""
    create table a(id integer primary key, name text, v real, b blob);
    insert into a values (1, 'x''y', 1.5, x'0102');
    insert into a values (2, null, null, null);
    create index ai on a(name);
    create view av as select name from a;
    create table seq(id integer primary key autoincrement, z);
    insert into seq(z) values ('q');
""")
for line in con.iterdump():
    print(line)

dst = sqlite3.connect(":memory:")
progress = []
con.backup(dst, pages=1, progress=lambda status, remaining, total: progress.append((status, remaining >= 0, total > 0)))
print(dst.execute("select * from a order by id").fetchall())
print(len(progress) > 0, progress[-1][0])
try:
    con.backup(con)
except ValueError as e:
    print(e)

data = con.serialize()
print(type(data).__name__, data[:15])
new = sqlite3.connect(":memory:")
new.deserialize(data)
print(new.execute("select name from a order by id").fetchall())

# blobs
con.execute("create table bl(d blob)")
con.execute("insert into bl values (zeroblob(10))")
con.commit()
with con.blobopen("bl", "d", 1) as blob:
    print(len(blob), blob.tell())
    blob.write(b"hello")
    print(blob.tell())
    blob.seek(0)
    print(blob.read(3), blob.read(), blob.tell())
    blob.seek(-2, 2)
    print(blob.read())
    blob[0] = ord("H")
    print(blob[0], blob[-1], blob[0:5])
    blob[5:7] = b"!!"
    for args in [(100,), (-1,), (0, 7)]:
        try:
            blob.seek(*args)
        except Exception as e:
            print(type(e).__name__, e)
    try:
        blob.write(b"x" * 20)
    except ValueError as e:
        print(e)
    try:
        blob[10]
    except IndexError as e:
        print(e)
print(con.execute("select d from bl").fetchone())
ro = con.blobopen("bl", "d", 1, readonly=True)
ro.close()
try:
    ro.read()
except sqlite3.ProgrammingError as e:
    print(e)

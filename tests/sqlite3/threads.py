# check_same_thread: the default refuses other threads; False allows them.
import sqlite3, threading
con = sqlite3.connect(":memory:")
con2 = sqlite3.connect(":memory:", check_same_thread=False)
con2.execute("create table t(a)")
out = []
def work():
    try:
        con.execute("select 1")
    except sqlite3.ProgrammingError as e:
        out.append(str(e).split(".")[0])
    con2.execute("insert into t values (1)")
    con2.create_function("f", 0, lambda: 7)
    out.append(con2.execute("select f(), count(*) from t").fetchone())
t = threading.Thread(target=work); t.start(); t.join()
print(out)
print(con2.execute("select f()").fetchone())

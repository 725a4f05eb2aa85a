# os.environ/environb over posix.environ, putenv/unsetenv (seen by a child
# process), os.fspath and the __fspath__ protocol, str/bytes path kinds.
import os
import posix

print(type(posix.environ).__name__, all(isinstance(k, bytes) and isinstance(v, bytes) for k, v in posix.environ.items()))
print(os.environ.get("HOME") == posix.environ[b"HOME"].decode(), os.environb[b"HOME"] == posix.environ[b"HOME"])
os.environ["TAIPAN_TEST_VAR"] = "value 1"
print(os.environ["TAIPAN_TEST_VAR"], os.getenv("TAIPAN_TEST_VAR"), os.environb[b"TAIPAN_TEST_VAR"], "TAIPAN_TEST_VAR" in os.environ)

def child_sees(name):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(w, 1)
        os.execv("/bin/sh", ["sh", "-c", "printf '%s' \"${" + name + "-unset}\""])
    os.close(w)
    out = os.read(r, 1000)
    os.close(r)
    os.waitpid(pid, 0)
    return out

print(child_sees("TAIPAN_TEST_VAR"))
del os.environ["TAIPAN_TEST_VAR"]
print(child_sees("TAIPAN_TEST_VAR"), os.environ.get("TAIPAN_TEST_VAR"))
os.putenv("TAIPAN_TEST_2", "direct")
print(child_sees("TAIPAN_TEST_2"), "TAIPAN_TEST_2" in os.environ)
os.unsetenv("TAIPAN_TEST_2")
print(child_sees("TAIPAN_TEST_2"))
for bad in ("A=B", ""):
    try:
        os.putenv(bad, "x")
    except (ValueError, OSError) as e:
        print(type(e).__name__, e)

class P:
    def __init__(self, p):
        self.p = p
    def __fspath__(self):
        return self.p

print(os.fspath("a/b"), os.fspath(b"a/b"), os.fspath(P("x")), os.fspath(P(b"y")), os.fspath(path=P("k")))
for bad in (1, None, P(3)):
    try:
        os.fspath(bad)
    except TypeError as e:
        print(type(e).__name__, e)
print(isinstance(P("x"), os.PathLike), isinstance("x", os.PathLike))
print(os.path.join(P("/tmp"), "x"), os.path.basename(P(b"/a/b")))
print(os.stat(P("/")).st_ino == os.stat("/").st_ino, os.stat(P(b"/")).st_ino == os.stat(b"/").st_ino)
try:
    os.stat(P("/nonexistent-taipan"))
except FileNotFoundError as e:
    print(type(e).__name__, type(e.filename).__name__, e.filename)
print(os.fsencode("caf\xe9"), os.fsencode("a\udcff"), repr(os.fsdecode(b"a\xff")), os.fsdecode(b"caf\xc3\xa9"))
print(repr(os.listdir(b"/")[0].__class__), repr(os.listdir("/")[0].__class__))
print(os.sep, os.pathsep, os.curdir, os.pardir, os.extsep, os.linesep == "\n", os.name, os.devnull)

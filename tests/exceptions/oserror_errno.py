# OSError's constructor: errno -> subclass mapping, args truncation, str.
for n in [1, 2, 4, 10, 11, 13, 17, 20, 21, 32, 103, 104, 110, 111, 999]:
    e = OSError(n, "msg")
    print(n, type(e).__name__, e, e.errno, e.strerror)
e = OSError(2, "No such file or directory", "x.txt")
print(e, e.args, e.filename, e.filename2)
e = OSError(2, "No such file or directory", "a", None, "b")
print(e, e.args, e.filename, e.filename2)
print(OSError("just text"), OSError().args, OSError(1, 2, 3, 4, 5, 6).args)
print(FileNotFoundError(2, "x").errno, type(FileNotFoundError(13, "x")).__name__)
print(EnvironmentError is OSError, IOError is OSError)
print(issubclass(BrokenPipeError, ConnectionError), issubclass(TimeoutError, OSError))
try:
    OSError(1, "a", k=2)
except TypeError as e:
    print(type(e).__name__, e)
class MyOS(OSError):
    pass
m = MyOS(2, "x")
print(type(m).__name__, m.errno, m)

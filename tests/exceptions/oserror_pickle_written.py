# OSError's filenames and ImportError's name/path survive pickling and
# copying; BlockingIOError's characters_written; SyntaxError's info tuple.
import copy
import pickle


def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)


for e in [OSError("foo", "bar", "baz"), OSError(2, "No such file", "a.txt"), OSError(1, "b", "c", None, "d"),
          OSError(1, "b", None, None, "x"), OSError("just one"), FileNotFoundError(2, "gone", "f")]:
    print(repr(e), e.__reduce__())
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        c = pickle.loads(pickle.dumps(e, proto))
        assert (type(c), c.args, c.errno, c.strerror, c.filename, c.filename2) == \
            (type(e), e.args, e.errno, e.strerror, e.filename, e.filename2), (c, e)
    c = copy.copy(e)
    print(" ", type(c).__name__, c.args, c.filename, c.filename2, str(c))

for kw in ({}, {"name": "n"}, {"path": "p"}, {"name": "n", "path": "p"}):
    e = ImportError("test", **kw)
    print(e.__reduce__())
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        c = pickle.loads(pickle.dumps(e, proto))
        print(" ", c.args, c.msg, c.name, c.path)
e = ImportError("t", name="n")
e.extra = 1
print(e.__reduce__())
print(copy.deepcopy(e).extra)

b = BlockingIOError(11, "would block", 7)
print(b.args, str(b), b.characters_written, b.filename)
print(pickle.loads(pickle.dumps(b)).characters_written)
b.characters_written = 3
print(b.characters_written)
del b.characters_written
show("after del", lambda: b.characters_written)
show("del again", lambda: b.__delattr__("characters_written"))
show("plain OSError", lambda: OSError(1, "x").characters_written)
show("bad value", lambda: setattr(b, "characters_written", "x"))
print(hasattr(BlockingIOError(11, "x"), "characters_written"))
print(BlockingIOError(11, "x", "name").filename)
print(OSError(11, "x", 5).filename, OSError(11, "x", 5).args)

for info in [("bad.py", 1, 2), ("bad.py", 1, 2, 4, 5, 6, 7), ("bad.py", 1, 2, "abcdefg", 1), ("a", 1, 2, "t", 1, 3)]:
    show("SyntaxError %r" % (info,), lambda: SyntaxError("bad", info).end_offset)

# __getstate__/__setstate__ of BytesIO and StringIO, pickling and copying,
# and getbuffer() views blocking resizes.
import copy
import io
import pickle


def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)


b = io.BytesIO(b"hello world")
b.seek(3)
b.note = "attr"
print(b.__getstate__())
for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
    c = pickle.loads(pickle.dumps(b, proto))
    print(proto, c.getvalue(), c.tell(), c.note)
d = copy.deepcopy(b)
print(d.getvalue(), d.tell(), d.note)
print(io.BytesIO().__getstate__())
fresh = io.BytesIO()
for st in [1, (1,), (b"x", 0, None, None), (b"x", -1, None), (b"x", "a", None), (b"x", 0, 1), (1, 0, None),
           (bytearray(b"qq"), 1, {"k": 2})]:
    show("bytes setstate %r" % (st,), lambda: (fresh.__setstate__(st), fresh.__getstate__())[1])

s = io.StringIO("a\nb\r\nc", newline=None)
s.readline()
s.tag = 5
print(s.__getstate__())
for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
    c = pickle.loads(pickle.dumps(s, proto))
    print(proto, repr(c.getvalue()), c.tell(), c.tag, repr(c.newlines))
for nl in ["", "\n", "\r", "\r\n", None]:
    t = io.StringIO(newline=nl)
    t.write("x\ny\r\n")
    c = copy.copy(t)
    print(repr(nl), t.__getstate__(), repr(c.getvalue()), repr(c.readline()))
fresh = io.StringIO()
for st in [1, (1, 2, 3), ("x", "\n", 0, None, 1), ("x", None, -1, None), ("x", None, "a", None),
           ("x", None, 0, 1), (1, None, 0, None), ("x", "z", 0, None), ("a\r\nb", "\r", 1, {"q": 1})]:
    show("str setstate %r" % (st,), lambda: (fresh.__setstate__(st), fresh.__getstate__())[1])
raw = io.StringIO.__new__(io.StringIO)
raw.__setstate__(("abc", "\n", 1, None))
print(repr(raw.read()))

closed = io.BytesIO(b"x")
closed.close()
show("closed bytes getstate", closed.__getstate__)
closed = io.StringIO("x")
closed.close()
show("closed str getstate", closed.__getstate__)

m = io.BytesIO(b"1234567890")
buf = m.getbuffer()
print(bytes(buf), len(buf), buf.readonly)
show("write", lambda: m.write(b"x" * 100))
show("truncate", m.truncate)
show("close", m.close)
show("setstate", lambda: m.__setstate__((b"", 0, None)))
print(m.closed)
buf[3:6] = b"abc"
print(m.getvalue())
buf2 = m.getbuffer()
buf.release()
show("write with one view", lambda: m.write(b"y"))
buf2.release()
print(m.write(b"y"), m.getvalue())
del buf, buf2
m.truncate(4)
print(m.getvalue())
m.close()
show("getbuffer closed", m.getbuffer)

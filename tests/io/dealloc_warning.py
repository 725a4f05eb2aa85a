# An open file freed without close() emits "unclosed file <repr>" as a
# ResourceWarning whose source is the outermost object; its data is still
# flushed. closefd=False files and closed files do not warn.
import gc
import os
import re
import sys
import tempfile
import warnings

d = tempfile.mkdtemp()
path = os.path.join(d, "f.txt")


def clean(text):
    return re.sub(r"name=\d+", "name=FD", text.replace(path, "PATH"))


def check(label, make):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        f = make()
        r = clean(repr(f))
        f = None
        gc.collect()
    msgs = [(x.category.__name__, clean(str(x.message))) for x in w]
    print(label, r, msgs)


check("raw", lambda: open(path, "wb", buffering=0))
check("buffered", lambda: open(path, "wb"))
check("text", lambda: open(path, "w", encoding="utf-8"))
check("read", lambda: open(path, "rb"))


def written():
    f = open(path, "w", encoding="utf-8")
    f.write("kept data")
    return f


check("flushed", written)
with open(path, encoding="utf-8") as f:
    print(repr(f.read()))


def closed():
    f = open(path, "rb")
    f.close()
    return f


check("closed", closed)
r, w = os.pipe()
check("closefd False", lambda: open(r, "rb", closefd=False))
check("fd", lambda: open(w, "wb"))
os.close(r)


# A subclass's own __del__ runs the base finalizer through super().
record = []


class MyIO(__import__("io").BytesIO):
    def __del__(self):
        record.append("del")
        super().__del__()

    def close(self):
        record.append("close")
        super().close()


m = MyIO()
del m
gc.collect()
print(record)

# With warnings as errors the warning is reported as unraisable.
old = sys.unraisablehook
seen = []
sys.unraisablehook = lambda u: seen.append((type(u.exc_value).__name__, str(u.exc_value).replace(path, "PATH")))
with warnings.catch_warnings():
    warnings.simplefilter("error")
    f = open(path, "rb")
    f = None
    gc.collect()
sys.unraisablehook = old
print(seen)
os.unlink(path)
os.rmdir(d)

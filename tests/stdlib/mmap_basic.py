# mmap: anonymous and file-backed maps, the sequence and file interfaces,
# the buffer protocol, access modes and CPython's error messages.
import mmap
import os
import re
import tempfile


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


print(mmap.PAGESIZE == mmap.ALLOCATIONGRANULARITY, mmap.PAGESIZE % 4096)
print(mmap.error is OSError)
print(mmap.ACCESS_DEFAULT, mmap.ACCESS_READ, mmap.ACCESS_WRITE, mmap.ACCESS_COPY)
print(mmap.MAP_SHARED, mmap.MAP_PRIVATE, mmap.MAP_ANONYMOUS == mmap.MAP_ANON)
print(mmap.PROT_READ, mmap.PROT_WRITE, mmap.PROT_EXEC, mmap.MADV_NORMAL, mmap.MADV_DONTNEED)

# Anonymous map: sequence interface.
m = mmap.mmap(-1, 16)
print(repr(m))
print(len(m), m[0], m[-1], m[:4], bytes(m[::5]))
m[0] = 65
m[1:4] = b"BCD"
m[10:4:-2] = b"xyz"
print(m[:12], list(m)[:3])
show(lambda: m[16])
show(lambda: m["a"])
show(lambda: m.__setitem__(0, "a"))
show(lambda: m.__setitem__(0, 256))
show(lambda: m.__setitem__(slice(0, 2), b"a"))
show(lambda: m.__setitem__(slice(0, 2), "ab"))
show(lambda: m.__delitem__(0))
show(lambda: m.__delitem__(slice(0, 1)))
show(lambda: m.__setitem__("k", 1))
show(lambda: m + m)
show(lambda: m * 2)

# File interface.
m.seek(0)
print(m.write(b"hello\nworld\n"), m.tell())
m.seek(0)
print(m.readline(), m.readline(), m.read(2), m.read_byte(), m.tell())
m.seek(-2, 2)
print(m.tell(), m.read(), m.read())
m.seek(3)
m.seek(2, 1)
print(m.tell())
show(lambda: m.seek(-1))
show(lambda: m.seek(1, 2))
show(lambda: m.seek(0, 3))
show(lambda: m.read("x"))
m.seek(0)
print(m.read(None)[:5], m.read(-5))
print(m.find(b"o"), m.find(b"o", 5), m.rfind(b"o"), m.find(b"zz"), m.find(b"l", -12, -9), m.rfind(b"", 2, 4))
m.seek(6)
print(m.find(b"o"), m.find(b""), m.find(b"o", 10, 2))
show(lambda: m.find("o"))
m.seek(15)
m.write_byte(255)
show(lambda: m.write_byte(1))
show(lambda: m.read_byte())
show(lambda: m.write(b"x"))
show(lambda: m.write_byte(256))
show(lambda: m.write_byte(-1))
show(lambda: m.write_byte(b"x"))
m.move(0, 6, 5)
print(m[:12])
show(lambda: m.move(0, 0, 17))
show(lambda: m.move(-1, 0, 1))
print(m.flush(), m.madvise(mmap.MADV_NORMAL))
show(lambda: m.flush(0, 100))
show(lambda: m.madvise(mmap.MADV_NORMAL, 16))
show(lambda: m.madvise(mmap.MADV_NORMAL, 0, -1))
show(m.size)
print(len(m))

# Buffer protocol.
v = memoryview(m)
print(v.readonly, v.nbytes, v[0], bytes(v[:5]))
v[0] = 0x7A
print(m[0])
show(m.close)
show(lambda: m.resize(32))
v.release()
print(re.search(rb"w\w+", m).group(), re.search(rb"w\w+", m).span())
m.resize(8)
print(len(m), m[:])
m.close()
m.close()
print(m.closed, repr(m))
for f in (lambda: len(m), lambda: m[0], lambda: m.read(), lambda: m.tell(), lambda: memoryview(m),
          lambda: bytes(m), lambda: m.find(b"a"), lambda: list(m), lambda: m.__enter__()):
    show(f)

with mmap.mmap(-1, 4) as m2:
    print(m2.closed)
print(m2.closed)

# Constructor errors.
show(lambda: mmap.mmap(-1, -1))
show(lambda: mmap.mmap(-1, 10, offset=-1))
show(lambda: mmap.mmap(-1, 10, access=7))
show(lambda: mmap.mmap(-1, 10, prot=mmap.PROT_READ, access=mmap.ACCESS_READ))
show(lambda: mmap.mmap(-1, 0))
show(lambda: mmap.mmap(-2, 10))


class Sub(mmap.mmap):
    pass


s = Sub(-1, 3)
print(repr(s), isinstance(s, mmap.mmap))
s.close()

# File-backed maps.
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "f")
    with open(path, "wb") as f:
        f.write(b"0123456789" * 500)
    with open(path, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)
        print(len(m), m.size(), m[:10], repr(m))
        m[0:3] = b"abc"
        m.flush()
        m.resize(100)
        print(len(m), m.size(), os.path.getsize(path))
        m.close()
    with open(path, "rb") as f:
        print(f.read(5))
        show(lambda: mmap.mmap(f.fileno(), 200))
        r = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        print(repr(r), memoryview(r).readonly)
        show(lambda: r.__setitem__(0, 1))
        show(lambda: r.write(b"x"))
        show(lambda: r.write_byte(1))
        show(lambda: r.move(0, 1, 1))
        show(lambda: r.resize(10))
        print(r.flush())
        r.close()
    with open(path, "r+b") as f:
        c = mmap.mmap(f.fileno(), 50, access=mmap.ACCESS_COPY)
        c[:3] = b"XYZ"
        show(lambda: c.resize(10))
        print(c[:5], repr(c))
        c.close()
        w = mmap.mmap(f.fileno(), 50, prot=mmap.PROT_READ)
        print(repr(w))
        show(lambda: w.write(b"x"))
        w.close()
    with open(path, "rb") as f:
        print(f.read(5))
    open(path, "wb").close()
    with open(path, "rb") as f:
        show(lambda: mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))

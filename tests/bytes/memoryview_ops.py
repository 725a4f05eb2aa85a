# memoryview over bytes and bytearray (without the with statement).
def setitem(obj, key, value):
    obj[key] = value


def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

b = b"abcdef"
m = memoryview(b)
print(m[0], m[-1], m[1:3].tobytes(), m.readonly, len(m), m.nbytes, m.format, m.itemsize, m.ndim, m.shape, m.strides)
print(bytes(m[::2]), m.tolist()[:3], m.hex(), m.hex(":"), m == b, m != b, m[::-1].tobytes(), m[::-2].tolist(), m.obj is b)
print(m[1:5][1:3].tobytes(), m[4:1].tobytes(), m == memoryview(b"abcdef"), hash(m) == hash(b), m.contiguous, m[::2].contiguous)
print([x for x in memoryview(b"xy")], m == [97], m == b"abc", b == m)
t(lambda: setitem(m, 0, 1))
t(lambda: m[10])
t(lambda: m["a"])
t(lambda: memoryview("abc"))
ba = bytearray(b"xyz")
mv = memoryview(ba)
mv[0] = ord("X")
mv[1:3] = b"YZ"
print(ba, mv.readonly, mv.obj is ba)
t(lambda: hash(mv))
t(lambda: setitem(mv, 0, 300))
def assign_slice(v):
    v[0:1] = b"too long"


t(lambda: assign_slice(mv))
t(lambda: ba.append(1))
ba[0] = 0x51
print(mv.tobytes())
mv.release()
mv.release()
ba.append(33)
print(ba)
t(lambda: mv[0])
t(lambda: mv.tobytes())
m2 = memoryview(ba)
s = m2[1:]
m2.release()
t(lambda: ba.append(1))
s.release()
ba.append(35)
print(ba)
c = memoryview(b"\x01\x00\x02\x00").cast("H")
print(c.tolist(), c.format, c.itemsize, c.nbytes, len(c), c[1], c.cast("B").tolist())
print(memoryview(b"\xff\x01").cast("b").tolist(), memoryview(b"ab").cast("c").tolist(), memoryview(b"ab").toreadonly().readonly)
t(lambda: memoryview(b"abc").cast("H"))
t(lambda: memoryview(b"abcd")[::2].cast("B"))
t(lambda: memoryview(b"ab").cast("Z"))
e = memoryview(b"ctx")
print(e.__enter__() is e, e.__exit__(None, None, None))
t(lambda: e.tobytes())

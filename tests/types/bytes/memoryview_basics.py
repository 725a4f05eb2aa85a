b = b"abcdef"
m = memoryview(b)
print(m[0], m[1:3].tobytes(), m.readonly, len(m), m.nbytes, m.format, m.itemsize, m.ndim, m.shape)
print(bytes(m[::2]), m.tolist()[:3], m.hex(), m == b, m[::-1].tobytes())
try:
    m[0] = 1
except TypeError as e:
    print(e)
ba = bytearray(b"xyz")
mv = memoryview(ba)
mv[0] = ord("X")
mv[1:3] = b"YZ"
print(ba, mv.readonly, mv.obj is ba)
try:
    ba.append(1)
except BufferError as e:
    print("BufferError", e)
mv.release()
ba.append(33)
print(ba)
try:
    mv[0]
except ValueError as e:
    print(e)
with memoryview(b"ctx") as m2:
    print(m2.tobytes())
try:
    mv2 = memoryview(bytearray(b"ab"))
    mv2[0:1] = b"too long"
except ValueError as e:
    print(e)
c = memoryview(b"\x01\x00\x02\x00").cast("H")
print(c.tolist(), c.format, c.itemsize)

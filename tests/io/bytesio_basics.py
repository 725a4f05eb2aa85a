# BytesIO: reading, writing, positions, readinto, errors.
from _io import BytesIO


def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


b = BytesIO(b'abc\ndef\nghi')
print(b.read(2), b.tell(), b.readline(), b.readlines())
b.seek(-3, 2)
print(b.tell(), b.read())
b.seek(1)
print(b.write(b'XY'), b.getvalue(), b.tell())
b.seek(20)
b.write(b'!')
print(b.getvalue(), len(b.getvalue()))
print(b.truncate(4), b.getvalue(), b.tell())
b.seek(0)
print(list(b))
b = BytesIO()
print(b.write(bytearray(b'ba')), b.write(memoryview(b'mv')), b.getvalue())
b.writelines([b'1', b'2'])
print(b.getvalue(), b.read(), b.seek(0), b.read1(3))
buf = bytearray(4)
b.seek(1)
print(b.readinto(buf), buf)
print(b.readable(), b.writable(), b.seekable(), b.isatty(), b.flush())

attempt(lambda: BytesIO('x'))
attempt(lambda: BytesIO().write('x'))
attempt(lambda: BytesIO().seek(-1))
attempt(lambda: BytesIO().seek(0, 3))
attempt(lambda: BytesIO().truncate(-1))
c = BytesIO(b'z')
c.close()
print(c.closed)
attempt(c.read)
attempt(c.getvalue)
attempt(lambda: c.write(b'a'))
with BytesIO(b'ctx') as c:
    print(c.read())
print(c.closed)

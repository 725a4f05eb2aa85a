# Binary files: FileIO, buffered readers/writers, r+b, append, exclusive
# creation, readinto, truncate, unbuffered I/O, errors.
import _io

path = __file__ + '.bin.tmp'


def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


with open(path, 'wb') as f:
    print(type(f).__name__, f.mode, f.name == path, f.raw.mode, f.writable(), f.readable())
    print(f.write(b'0123456789'), f.write(bytearray(b'ab')), f.tell())
with open(path, 'rb') as f:
    print(type(f).__name__, f.read(3), f.peek(1)[:1], f.read1(2), f.tell())
    print(f.readline(), f.seek(-2, 2), f.read(), f.read())
    f.seek(0)
    buf = bytearray(4)
    print(f.readinto(buf), buf, f.tell())
with open(path, 'r+b') as f:
    print(type(f).__name__, f.read(2))
    f.write(b'XY')
    print(f.tell())
    f.seek(0)
    print(f.read())
    print(f.truncate(5), f.tell())
    f.seek(0)
    print(f.read())
with open(path, 'ab') as f:
    print(f.tell(), f.mode)
    f.write(b'++')
with open(path, 'rb', buffering=0) as f:
    print(type(f).__name__, f.mode, f.closefd, f.read(), f.readall())
attempt(lambda: open(path, 'xb'))
attempt(lambda: open(path, 'rb').write(b'x'))
attempt(lambda: open(path, 'wb').read())
attempt(lambda: open(path, 'wb').write('text'))

raw = _io.FileIO(path, 'w')
print(raw.mode, raw.seekable(), raw.write(b'raw'), raw.tell(), raw.isatty())
raw.close()
print(raw.closed)
attempt(raw.read)
attempt(raw.fileno)
attempt(lambda: _io.FileIO(path, 'rw'))
attempt(lambda: _io.FileIO(path, 'z'))
attempt(lambda: _io.FileIO(-1))
attempt(lambda: _io.FileIO(path, 'r', closefd=False))

# buffered writes reach the file at flush or close
w = open(path, 'wb')
w.write(b'pending')
print(open(path, 'rb').read())
w.flush()
print(open(path, 'rb').read())
w.write(b'!')
w.close()
print(open(path, 'rb').read())
b = open(path, 'rb')
b.close()
attempt(b.read)
attempt(b.peek)
attempt(b.readline)
w = open(path, 'wb')
w.close()
attempt(lambda: w.write(b'x'))
attempt(w.flush)

# iteration and lines
with open(path, 'wb') as f:
    f.writelines([b'a\n', b'b\n', b'c'])
with open(path, 'rb') as f:
    print(list(f))
with open(path, 'rb') as f:
    print(f.readlines(), f.readlines())

# a file object left open is closed (and flushed) when freed
f = open(path, 'w')
f.write('flushed by the finalizer')
del f
print(open(path).read())

try:
    import os
    os.remove(path)
except (ImportError, AttributeError):  # no os module yet
    pass

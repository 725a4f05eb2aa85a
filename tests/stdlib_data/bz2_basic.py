# bz2 / _bz2: one-shot and incremental compression, decompressor state
# (eof, unused_data, needs_input, max_length) and errors.
import bz2
import io
import pickle

data = b''.join(b'line %d of the bz2 test, %s\n' % (i, b'x' * (i % 17)) for i in range(2000))

c = bz2.compress(data)
print(len(c), c[:4], bz2.decompress(c) == data)
for level in (1, 5, 9):
    print(level, len(bz2.compress(data, level)))
print(bz2.compress(b''), bz2.decompress(b''))

# incremental compression gives the same bytes
comp = bz2.BZ2Compressor()
parts = [comp.compress(data[i:i + 1000]) for i in range(0, len(data), 1000)]
parts.append(comp.flush())
print(b''.join(parts) == c)
for f in (lambda: comp.compress(b'x'), comp.flush):
    try:
        f()
    except ValueError as e:
        print('ValueError', e)

# decompressor in small pieces
d = bz2.BZ2Decompressor()
out = b''.join(d.decompress(c[i:i + 100]) for i in range(0, len(c), 100))
print(out == data, d.eof, d.unused_data, d.needs_input)
try:
    d.decompress(b'more')
except EOFError as e:
    print('EOFError', e)

# unused data after the stream
d = bz2.BZ2Decompressor()
print(d.decompress(c + b'trailing') == data, d.eof, d.unused_data)

# max_length
d = bz2.BZ2Decompressor()
chunks = []
first = d.decompress(c, max_length=100)
print(len(first), d.needs_input, d.eof)
chunks.append(first)
while not d.eof:
    piece = d.decompress(b'', 5000)
    assert len(piece) <= 5000
    chunks.append(piece)
print(b''.join(chunks) == data, len(chunks), d.needs_input)
d = bz2.BZ2Decompressor()
print(d.decompress(c[:50], max_length=0), d.needs_input)

# multi-stream data through the module function and BZ2File
print(bz2.decompress(c + bz2.compress(b'second')) [-6:])
buf = io.BytesIO()
with bz2.BZ2File(buf, 'wb', compresslevel=3) as f:
    f.write(data)
buf.seek(0)
with bz2.BZ2File(buf) as f:
    print(f.read(20), len(f.read()), f.tell())
with bz2.open(io.BytesIO(bz2.compress('héllo\nworld\n'.encode())), 'rt', encoding='utf-8') as f:
    print(f.readlines())

# errors
def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

show(lambda: bz2.decompress(b'BZh9' + b'\x00' * 20))
show(lambda: bz2.BZ2Decompressor().decompress(b'not bzip2 data at all'))
show(lambda: bz2.decompress(c[:-10]))
show(lambda: bz2.BZ2Compressor(0))
show(lambda: bz2.BZ2Compressor(10))
show(lambda: bz2.BZ2Compressor(1.5))
show(lambda: bz2.BZ2Compressor(1, 2))
show(lambda: bz2.BZ2Decompressor(1))
show(lambda: bz2.BZ2Compressor().compress('text'))
show(lambda: bz2.BZ2Decompressor().decompress('text'))
show(lambda: pickle.dumps(bz2.BZ2Compressor()))
show(lambda: pickle.dumps(bz2.BZ2Decompressor()))
print(bz2.BZ2Compressor.__module__, bz2.BZ2Decompressor.__name__)
print(bz2.BZ2Compressor().compress(bytearray(b'abc')), bz2.BZ2Compressor().compress(memoryview(b'abc')))


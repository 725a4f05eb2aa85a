# gzip over zlib: compress/decompress, GzipFile in memory, multi-member streams, errors.
import gzip
import io
import zlib

data = b''.join(b'record %05d: %s\n' % (i, b'x' * (i % 37)) for i in range(3000))
z = gzip.compress(data, mtime=0)
print(len(z), zlib.crc32(z), z[:10].hex())
print(gzip.decompress(z) == data)
print(gzip.decompress(z + gzip.compress(b'second', mtime=0)) == data + b'second')
for level in [0, 1, 9]:
    print(level, len(gzip.compress(data, compresslevel=level, mtime=0)))
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0, filename='') as f:
    for i in range(0, len(data), 4096):
        f.write(data[i:i + 4096])
raw = buf.getvalue()
print(len(raw), zlib.crc32(raw))
with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
    print(f.read(10), len(f.read()), f.read())
with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
    lines = f.readlines()
    print(len(lines), lines[5])
try:
    gzip.decompress(b'not gzip data')
except Exception as e:
    print(type(e).__name__, e)
try:
    gzip.decompress(z[:-5])
except Exception as e:
    print(type(e).__name__, e)
print(zlib.decompress(z, 31) == data, zlib.decompress(z, 47) == data)

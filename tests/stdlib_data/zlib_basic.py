# zlib: one-shot and streaming (de)compression, wbits formats, errors, checksums.
import zlib


def t(f, *a, **k):
    try:
        print(repr(f(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)


text = b''.join(b'line %d of some fairly repetitive text\n' % i for i in range(2000))
binary = bytes((i * 7919) % 251 for i in range(50000))

# identical compressed bytes (same zlib library as CPython)
for level in [-1, 0, 1, 6, 9]:
    z = zlib.compress(text, level)
    print(level, len(z), zlib.crc32(z), zlib.decompress(z) == text)
for wbits in [8, 9, 15, -9, -15, 25, 31]:
    z = zlib.compress(binary, 6, wbits)
    print(wbits, len(z), zlib.adler32(z), z[:4].hex())
print(zlib.compress(b'hello world' * 10), zlib.compress(b'abc', 0), zlib.compress(b'abc', wbits=-15))
print(zlib.compress(b''), zlib.compress(b'', wbits=31))

# decompress with every container kind
for cw, dws in [(15, [15, 0, 47, 32]), (-15, [-15, -8]), (31, [31, 47, 16]), (9, [9, 15, 8])]:
    z = zlib.compress(text, 9, cw)
    for dw in dws:
        t(lambda: zlib.decompress(z, dw) == text)
t(zlib.decompress, zlib.compress(text, wbits=31), 15)
t(zlib.decompress, zlib.compress(text), 31)
t(zlib.decompress, zlib.compress(text), -15)
t(zlib.decompress, b'xyz')
t(zlib.decompress, zlib.compress(b'hello')[:-2])
t(zlib.decompress, zlib.compress(b'hello') + b'junk')
t(zlib.decompress, zlib.compress(b'hello'), bufsize=0)
t(zlib.decompress, zlib.compress(b'hello'), bufsize=1)
t(zlib.decompress, zlib.compress(b'hello'), bufsize=-1)
t(zlib.decompress, b'x', wbits=7)
t(zlib.decompress, b'')
t(zlib.decompress, 'text')
bad = bytearray(zlib.compress(text))
bad[20] ^= 0xff
t(zlib.decompress, bytes(bad))

# argument errors
t(zlib.compress, b'x', 10)
t(zlib.compress, b'x', wbits=-8)
t(zlib.compress, b'x', wbits=24)
t(zlib.compress, b'x', wbits=7)
t(zlib.compress, b'x', 1.5)
t(zlib.compressobj, 10)
t(zlib.compressobj, wbits=40)
t(zlib.compressobj, method=7)
t(zlib.compressobj, memLevel=10)
t(zlib.compressobj, strategy=9)
t(zlib.decompressobj, wbits=7)
t(zlib.decompressobj, zdict=5)

# streaming compression with flush modes
c = zlib.compressobj()
parts = [c.compress(b'a' * 100), c.flush(zlib.Z_SYNC_FLUSH), c.flush(zlib.Z_FULL_FLUSH), c.compress(b'b'),
         c.flush(zlib.Z_NO_FLUSH), c.flush(zlib.Z_PARTIAL_FLUSH), c.flush()]
print(parts)
print(zlib.decompress(b''.join(parts)))
t(c.compress, b'x')
t(c.flush)
t(c.copy)
c = zlib.compressobj(9, zlib.DEFLATED, -12, 9, zlib.Z_DEFAULT_STRATEGY)
out = b''.join(c.compress(text[i:i + 1000]) for i in range(0, len(text), 1000)) + c.flush()
print(len(out), zlib.decompress(out, -12) == text)

# copy of a compressor
c = zlib.compressobj()
head = c.compress(text[:30000])
c2 = c.copy()
a = head + c.compress(text[30000:]) + c.flush()
b = head + c2.compress(b'different tail') + c2.flush()
print(zlib.decompress(a) == text, zlib.decompress(b) == text[:30000] + b'different tail')

# streaming decompression: max_length, unconsumed_tail, unused_data, eof
z = zlib.compress(text)
d = zlib.decompressobj()
chunks = []
data = z
while data:
    chunks.append(d.decompress(data, 5000))
    data = d.unconsumed_tail
print(len(chunks), b''.join(chunks) == text, d.eof, d.unused_data, d.unconsumed_tail)
d = zlib.decompressobj()
print(d.decompress(zlib.compress(b'abc') + b'rest'), d.unused_data, d.eof)
print(d.decompress(b'more'), d.unused_data)
d = zlib.decompressobj()
out = b''.join(d.decompress(z[i:i + 7]) for i in range(0, len(z), 7))
print(out == text, d.eof)
d = zlib.decompressobj()
print(d.decompress(zlib.compress(b'x' * 1000), 10), len(d.unconsumed_tail), d.eof)
print(len(d.flush()), d.eof, d.unconsumed_tail)
t(d.decompress, b'x', -1)
t(zlib.decompressobj().flush, 0)
t(zlib.decompressobj().decompress, b'\x78\x9c\x01')
dd = zlib.decompressobj()
dd.decompress(b'\x78\x9c')
t(dd.flush)
t(zlib.decompressobj().decompress, b'garbage!')
# gzip and auto-detected streams fed byte by byte
for wb, dwb in [(31, 31), (31, 47), (15, 47), (-15, -15)]:
    z = zlib.compress(binary, 6, wb)
    d = zlib.decompressobj(dwb)
    out = b''.join(d.decompress(z[i:i + 1]) for i in range(len(z)))
    print(wb, dwb, out == binary, d.eof, d.unused_data)

# copy of a decompressor
d = zlib.decompressobj()
first = d.decompress(z[:100]) if False else d.decompress(zlib.compress(text)[:500])
d2 = d.copy()
rest = zlib.compress(text)[500:]
print(first + d.decompress(rest) == text, first + d2.decompress(rest) == text, d2.eof)

# preset dictionaries
zd = b'hello world common words'
c = zlib.compressobj(zdict=zd)
x = c.compress(b'hello world hello world common') + c.flush()
print(x)
t(zlib.decompress, x)
t(zlib.decompressobj(zdict=zd).decompress, x)
t(zlib.decompressobj().decompress, x)
c = zlib.compressobj(wbits=-15, zdict=zd)
x = c.compress(b'common words hello') + c.flush()
t(zlib.decompressobj(wbits=-15, zdict=zd).decompress, x)

# checksums
for s in [b'', b'a', b'abc', text, binary]:
    print(zlib.crc32(s), zlib.adler32(s), zlib.crc32(s, 5), zlib.adler32(s, 5), zlib.crc32(s, -1), zlib.adler32(s, 2**40 + 3))
print(zlib.adler32(text[:999], zlib.adler32(text[999:])) == zlib.adler32(text),
      zlib.adler32(text[999:], zlib.adler32(text[:999])) == zlib.adler32(text))
t(zlib.crc32, 'abc')
t(zlib.adler32, b'a', 1.5)

# constants and module contents
for n in ['MAX_WBITS', 'DEFLATED', 'DEF_MEM_LEVEL', 'DEF_BUF_SIZE', 'Z_NO_COMPRESSION', 'Z_BEST_SPEED',
          'Z_BEST_COMPRESSION', 'Z_DEFAULT_COMPRESSION', 'Z_FILTERED', 'Z_HUFFMAN_ONLY', 'Z_RLE', 'Z_FIXED',
          'Z_DEFAULT_STRATEGY', 'Z_NO_FLUSH', 'Z_PARTIAL_FLUSH', 'Z_SYNC_FLUSH', 'Z_FULL_FLUSH', 'Z_FINISH', 'Z_BLOCK',
          'Z_TREES']:
    print(n, getattr(zlib, n))
print(zlib.ZLIB_VERSION == zlib.ZLIB_RUNTIME_VERSION, zlib.ZLIB_VERSION.count('.'))
print(zlib.error.__mro__, zlib.error.__module__)
print(type(zlib.compressobj()).__name__, type(zlib.decompressobj()).__name__)
print(sorted(n for n in dir(zlib) if not n.startswith('_')))

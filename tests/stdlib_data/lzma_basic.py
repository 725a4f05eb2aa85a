# lzma / _lzma: container formats, checks, presets, filter chains, filter
# properties, decompressor state and CPython's error messages.
import io
import lzma
import _lzma

data = b''.join(b'record %05d: %s\n' % (i, b'abc' * (i % 23)) for i in range(600))


def show(label, f):
    try:
        r = f()
    except Exception as e:
        r = '%s: %s' % (type(e).__name__, e)
    print(label, r if not isinstance(r, bytes) or len(r) < 80 else (len(r), r[:24]))


for fmt in (lzma.FORMAT_XZ, lzma.FORMAT_ALONE):
    c = lzma.compress(data, format=fmt)
    print(fmt, len(c), c[:16], lzma.decompress(c) == data, lzma.decompress(c, format=fmt) == data)
for check in (lzma.CHECK_NONE, lzma.CHECK_CRC32, lzma.CHECK_CRC64, lzma.CHECK_SHA256):
    c = lzma.compress(data, check=check)
    d = lzma.LZMADecompressor()
    print(check, len(c), d.check, d.decompress(c) == data, d.check, d.eof)
for preset in (0, 1, 2 | lzma.PRESET_EXTREME):
    print('preset', preset, len(lzma.compress(data, preset=preset)))

# raw streams with filter chains
chains = [
    [{'id': lzma.FILTER_LZMA2, 'preset': 1}],
    [{'id': lzma.FILTER_DELTA, 'dist': 4}, {'id': lzma.FILTER_LZMA2, 'dict_size': 1 << 16, 'lc': 2, 'lp': 1, 'pb': 1,
                                            'mode': lzma.MODE_FAST, 'nice_len': 32, 'mf': lzma.MF_HC4, 'depth': 10}],
    [{'id': lzma.FILTER_X86, 'start_offset': 16}, {'id': lzma.FILTER_LZMA2}],
    [{'id': lzma.FILTER_LZMA1, 'preset': 3}],
]
for chain in chains:
    c = lzma.compress(data, format=lzma.FORMAT_RAW, filters=chain)
    print(len(c), c[:12], lzma.decompress(c, format=lzma.FORMAT_RAW, filters=chain) == data)
c = lzma.compress(data, filters=chains[1])
print('xz chain', len(c), lzma.decompress(c) == data)
c = lzma.compress(data, format=lzma.FORMAT_ALONE, filters=[{'id': lzma.FILTER_LZMA1, 'preset': 2, 'lc': 1}])
print('alone chain', len(c), c[:13], lzma.decompress(c) == data)

# incremental compression equals one-shot
comp = lzma.LZMACompressor()
parts = [comp.compress(data[i:i + 4096]) for i in range(0, len(data), 4096)] + [comp.flush()]
print(b''.join(parts) == lzma.compress(data))
show('after flush', lambda: comp.compress(b'x'))
show('flush twice', comp.flush)

# decompressor state
c = lzma.compress(data)
d = lzma.LZMADecompressor()
out = [d.decompress(c[i:i + 333]) for i in range(0, len(c), 333)]
print(b''.join(out) == data, d.eof, d.unused_data, d.needs_input, d.check)
show('eof', lambda: d.decompress(b'x'))
d = lzma.LZMADecompressor()
print(d.decompress(c + b'junk') == data, d.unused_data)
d = lzma.LZMADecompressor()
first = d.decompress(c, max_length=100)
print(len(first), d.needs_input, d.eof)
got = [first]
while not d.eof:
    got.append(d.decompress(b'', max_length=7000))
print(b''.join(got) == data, len(got), d.needs_input)
d = lzma.LZMADecompressor()
print(d.decompress(b''), d.decompress(b''), d.needs_input, d.check)
print(lzma.decompress(c + lzma.compress(b'tail', format=lzma.FORMAT_XZ))[-4:])

# file objects
buf = io.BytesIO()
with lzma.LZMAFile(buf, 'w', preset=1) as f:
    f.write(data)
buf.seek(0)
with lzma.open(buf) as f:
    print(f.read(10), len(f.read()))
with lzma.open(io.BytesIO(lzma.compress('þetta\n'.encode())), 'rt', encoding='utf-8') as f:
    print(f.read())

# properties
show('enc lzma1', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_LZMA1}))
show('enc lzma2', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_LZMA2, 'preset': 9}))
show('enc delta', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_DELTA, 'dist': 3}))
show('enc bcj', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_ARM, 'start_offset': 8}))
show('enc bcj0', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_SPARC}))
show('dec lzma1', lambda: _lzma._decode_filter_properties(lzma.FILTER_LZMA1, b']\x00\x00\x80\x00'))
show('dec lzma2', lambda: _lzma._decode_filter_properties(lzma.FILTER_LZMA2, b'\x0b'))
show('dec delta', lambda: _lzma._decode_filter_properties(lzma.FILTER_DELTA, b'\x03'))
show('dec bcj', lambda: _lzma._decode_filter_properties(lzma.FILTER_X86, b'\x01\x00\x00\x00'))
show('dec bad', lambda: _lzma._decode_filter_properties(99, b''))
show('dec neg', lambda: _lzma._decode_filter_properties(-1, b''))
show('dec str', lambda: _lzma._decode_filter_properties('a', b''))

# errors
show('e1', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_LZMA2, 'preset': 99}))
show('e2', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_LZMA2, 'preset': -1}))
show('e3', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_LZMA2, 'foo': 1}))
show('e4', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_DELTA, 'foo': 3}))
show('e5', lambda: _lzma._encode_filter_properties({'id': lzma.FILTER_X86, 'dist': 3}))
show('e6', lambda: _lzma._encode_filter_properties({'id': 99}))
show('e7', lambda: _lzma._encode_filter_properties({}))
show('e8', lambda: _lzma._encode_filter_properties(5))
show('e9', lambda: _lzma._encode_filter_properties({'id': 'x'}))
show('e10', lambda: lzma.LZMACompressor(filters=[{'id': lzma.FILTER_LZMA2}] * 5))
show('e11', lambda: lzma.LZMACompressor(filters=5))
show('e12', lambda: lzma.LZMACompressor(filters={'id': 3}))
show('e13', lambda: lzma.LZMACompressor(format=9))
show('e14', lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, check=lzma.CHECK_CRC64))
show('e15', lambda: lzma.LZMACompressor(preset=3, filters=[]))
show('e16', lambda: lzma.LZMACompressor(preset=33))
show('e17', lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, preset=33))
show('e18', lambda: lzma.LZMACompressor(format=lzma.FORMAT_RAW))
show('e19', lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, filters=[{'id': lzma.FILTER_LZMA2}]))
show('e20', lambda: lzma.LZMACompressor(check=7))
show('e21', lambda: lzma.LZMACompressor(check=17))
show('e22', lambda: _lzma.LZMACompressor(1, 2, 3, 4, 5))
show('e23', lambda: _lzma.LZMACompressor(foo=1))
show('e24', lambda: lzma.LZMADecompressor(format=lzma.FORMAT_RAW))
show('e25', lambda: lzma.LZMADecompressor(format=lzma.FORMAT_RAW, memlimit=5))
show('e26', lambda: lzma.LZMADecompressor(format=lzma.FORMAT_XZ, filters=[]))
show('e27', lambda: lzma.LZMADecompressor(format=9))
show('e28', lambda: lzma.LZMADecompressor(memlimit=-1))
show('e29', lambda: lzma.LZMADecompressor(memlimit='x'))
show('e30', lambda: _lzma.LZMADecompressor(1, 2, 3, 4))
show('e31', lambda: lzma.LZMADecompressor().decompress(b'x' * 16))
show('e32', lambda: lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(b'x' * 16))
show('e33', lambda: lzma.LZMADecompressor(memlimit=1024).decompress(lzma.compress(b'a')))
show('e34', lambda: lzma.decompress(lzma.compress(data)[:-20]))
show('e35', lambda: lzma.compress('text'))
show('e36', lambda: lzma.LZMADecompressor().decompress('text'))
show('pickle', lambda: __import__('pickle').dumps(lzma.LZMACompressor()))
print([lzma.is_check_supported(i) for i in range(17)])
print(lzma.CHECK_ID_MAX, lzma.CHECK_UNKNOWN, lzma.FILTER_LZMA1, lzma.PRESET_EXTREME, lzma.MF_BT4, lzma.MODE_NORMAL)
print(lzma.LZMAError.__module__, lzma.LZMAError.__doc__, issubclass(lzma.LZMAError, Exception))
print(_lzma.LZMACompressor.__module__, _lzma.LZMADecompressor.__name__)

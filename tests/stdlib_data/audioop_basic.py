# audioop: every function, widths 1-4, against CPython's exact results.
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop


def pack(width, data):
    return b''.join(v.to_bytes(width, 'little', signed=True) for v in data)


datas = {
    1: b'\x00\x12\x45\xbb\x7f\x80\xff',
    2: pack(2, (0, 0x1234, 0x4567, -0x4567, 0x7fff, -0x8000, -1)),
    3: pack(3, (0, 0x123456, 0x456789, -0x456789, 0x7fffff, -0x800000, -1)),
    4: pack(4, (0, 0x12345678, 0x456789ab, -0x456789ab, 0x7fffffff, -0x80000000, -1)),
}


def show(name, f, *args):
    try:
        r = f(*args)
    except Exception as e:
        r = '%s: %s' % (type(e).__name__, e)
    print(name, r)


for w in (1, 2, 3, 4):
    d = datas[w]
    print('width', w)
    show('max', audioop.max, d, w)
    show('minmax', audioop.minmax, d, w)
    show('avg', audioop.avg, d, w)
    show('rms', audioop.rms, d, w)
    show('avgpp', audioop.avgpp, d, w)
    show('maxpp', audioop.maxpp, d, w)
    show('cross', audioop.cross, d, w)
    show('getsample', lambda: [audioop.getsample(d, w, i) for i in range(len(d) // w)])
    show('mul', audioop.mul, d, w, 0.5)
    show('mul2', audioop.mul, d, w, 2)
    show('mulneg', audioop.mul, d, w, -1.7)
    show('add', audioop.add, d, d, w)
    show('bias', audioop.bias, d, w, 1)
    show('bias-', audioop.bias, d, w, -0x80000000)
    show('reverse', audioop.reverse, d, w)
    show('byteswap', audioop.byteswap, d, w)
    for nw in (1, 2, 3, 4):
        show('lin2lin%d' % nw, audioop.lin2lin, d, w, nw)
    show('lin2ulaw', audioop.lin2ulaw, d, w)
    show('lin2alaw', audioop.lin2alaw, d, w)
    show('ulaw2lin', audioop.ulaw2lin, bytes(range(0, 256, 17)), w)
    show('alaw2lin', audioop.alaw2lin, bytes(range(0, 256, 17)), w)
    show('lin2adpcm', audioop.lin2adpcm, d, w, None)
    show('lin2adpcm-st', audioop.lin2adpcm, d, w, (100, 20))
    show('adpcm2lin', audioop.adpcm2lin, b'\x07\x7f\x7f\x00\x91', w, None)
    show('tostereo', audioop.tostereo, d, w, 1, -0.5)
    show('tomono', audioop.tomono, d[:6 * w], w, 0.5, 0.5)
    show('ratecv', audioop.ratecv, d, w, 1, 8000, 16000, None)
    show('ratecv2', audioop.ratecv, d, w, 1, 8000, 11025, None, 3, 1)
    show('ratecv-st', audioop.ratecv, d, w, 1, 8000, 8000, (-8000, ((1, 2),)))
    show('ratecvst', audioop.ratecv, d[:6 * w], w, 2, 16000, 8000, None)

# every u-law / A-law byte round trip
print(audioop.lin2ulaw(audioop.ulaw2lin(bytes(range(256)), 2), 2) == bytes(range(128)) * 0 + audioop.lin2ulaw(audioop.ulaw2lin(bytes(range(256)), 2), 2))
print(audioop.ulaw2lin(bytes(range(256)), 2)[:40])
print(audioop.alaw2lin(bytes(range(256)), 2)[-40:])
print(audioop.lin2alaw(audioop.alaw2lin(bytes(range(256)), 2), 2) == bytes(range(256)))

ref = pack(2, [3, -5, 200, 1000, -3000, 77])
frag = pack(2, [0, 1, 2] + [6, -10, 400, 2000, -6000, 154] + [5, 5])
show('findfit', audioop.findfit, frag, ref)
show('findfactor', audioop.findfactor, ref, ref)
show('findmax', audioop.findmax, frag, 3)
show('findmax0', audioop.findmax, frag, 0)

# state carried over between calls
data = pack(2, [i * 37 % 2000 - 1000 for i in range(64)])
enc, st = audioop.lin2adpcm(data, 2, None)
enc2, st2 = audioop.lin2adpcm(data, 2, st)
print(enc, st, enc2, st2)
dec, dst = audioop.adpcm2lin(enc + enc2, 2, None)
print(dec[:32], dst)
out, st = audioop.ratecv(data, 2, 1, 44100, 22050, None)
out2, st = audioop.ratecv(data, 2, 1, 44100, 22050, st)
print(out, out2, st)

# errors
show('e1', audioop.max, b'abc', 2)
show('e2', audioop.max, b'ab', 5)
show('e3', audioop.max, 'ab', 1)
show('e4', audioop.max, b'ab', 1.0)
show('e5', audioop.max, b'ab')
show('e6', audioop.getsample, b'ab', 1, 5)
show('e7', audioop.add, b'ab', b'abc', 1)
show('e8', audioop.findfit, b'abc', b'ab')
show('e9', audioop.findfit, b'ab', b'abcd')
show('e10', audioop.findfactor, b'ab', b'abcd')
show('e11', audioop.findmax, b'ab', 3)
show('e12', audioop.tomono, b'abc', 1, 1, 1)
show('e13', audioop.ratecv, b'ab', 1, 0, 1, 1, None)
show('e14', audioop.ratecv, b'ab', 1, 1, 0, 1, None)
show('e15', audioop.ratecv, b'ab', 1, 1, 1, 1, None, 0)
show('e16', audioop.ratecv, b'ab', 1, 1, 1, 1, 5)
show('e17', audioop.ratecv, b'ab', 1, 1, 1, 1, (1, ((1, 2), (3, 4))))
show('e18', audioop.ratecv, b'ab', 1, 1, 1, 1, (1, [(1, 2)]))
show('e19', audioop.ratecv, b'abc', 1, 2, 1, 1, None)
show('e20', audioop.lin2adpcm, b'ab', 1, (1,))
show('e21', audioop.lin2adpcm, b'ab', 1, (1, 100))
show('e22', audioop.lin2adpcm, b'ab', 1, [1, 2])
show('e23', audioop.mul, b'ab', 1, 'x')
show('e24', audioop.max, b'ab', 2 ** 40)
show('e25', audioop.lin2lin, b'ab', 1, 7)
show('e26', lambda: audioop.max(b'ab', width=1))
show('e27', audioop.ratecv, b'ab', 1, 1, 1, 1)
print(audioop.max(bytearray(b'\x01\x80'), 1), audioop.max(memoryview(b'\x01\x80'), 1))
print(audioop.error.__module__, audioop.error.__name__, issubclass(audioop.error, Exception))
print(audioop.cross(b'', 1), audioop.minmax(b'', 2), audioop.avgpp(b'\x01', 1))

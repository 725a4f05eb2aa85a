# struct: format codes, sizes, alignment, byte orders, errors, Struct type.
import struct


def t(f, *a, **k):
    try:
        r = f(*a, **k)
        print(repr(r))
    except Exception as e:
        print(type(e).__name__, e)


# calcsize: native alignment vs standard sizes
for fmt in ['b', 'B', 'c', '?', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'n', 'N', 'P', 'e', 'f', 'd', 's', 'p', 'x',
            'bi', 'ib', 'bq0q', 'b0i', '?e?d?P', '3s2p', '0s', '10x', 'c h c i c q', '@hi', '=hi', '<hi', '>hi', '!hi',
            '<l', '<q', '=n', '<P', '3', 'z', ' i', '99999999999999999999i', '9223372036854775807i', 'i\0', b'ii']:
    t(struct.calcsize, fmt)

# round trips for every code in every byte order
vals = {'b': -5, 'B': 200, 'h': -1234, 'H': 60000, 'i': -123456, 'I': 4000000000, 'l': -2, 'L': 7, 'q': -2**62,
        'Q': 2**64 - 1, 'n': -9, 'N': 9, 'P': 12345, 'e': 1.5, 'f': -2.25, 'd': 1e300, '?': True, 'c': b'z'}
for order in '@=<>!':
    for c, v in vals.items():
        if order != '@' and c in 'nNP':
            continue
        try:
            b = struct.pack(order + c, v)
            print(order + c, b.hex(), struct.unpack(order + c, b))
        except Exception as e:
            print(order + c, type(e).__name__, e)

# integer range errors (native and standard packers)
for order in '@<>=':
    for c in 'bBhHiIlLqQnNP':
        if order != '@' and c in 'nNP':
            continue
        size = struct.calcsize(order + c)
        signed = c.islower()
        lo = -(1 << (size * 8 - 1)) if signed else 0
        hi = (1 << (size * 8 - 1)) - 1 if signed else (1 << size * 8) - 1
        out = []
        for v in [lo, hi, lo - 1, hi + 1, -1, 2**64, -2**64, 2**70]:
            try:
                out.append(struct.pack(order + c, v).hex())
            except Exception as e:
                out.append(f'{type(e).__name__}: {e}')
        print(order + c, out)


class Idx:
    def __index__(self):
        return 7


class Flt:
    def __float__(self):
        return 2.5


for c in 'bBhHiIlLqQnNP?':
    t(struct.pack, c, Idx())
for c in 'efd':
    t(struct.pack, c, Flt())
    t(struct.pack, c, Idx())
    t(struct.pack, c, 'x')
    t(struct.pack, c, 3)

# floats: half precision rounding, overflow, specials
for m in '<>@':
    for c in 'efd':
        out = []
        for v in [1, 1.5, 2**200, float('nan'), float('inf'), -0.0, 65504.0, 65519.99, 65520.0, 1e-8, 6e-8,
                  2**-24, 3e-5, 0.1, 3e38, 3.5e38, 1e39]:
            try:
                out.append(struct.pack(m + c, v).hex())
            except Exception as e:
                out.append(f'{type(e).__name__}: {e}')
        print(m + c, out)
for h in [0x0000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x3c01, 0x7bff, 0x7c00, 0xfc00, 0x8001, 0xc000]:
    print(hex(h), struct.unpack('<e', h.to_bytes(2, 'little')))
print(struct.unpack('<e', b'\x01\x7e')[0] != struct.unpack('<e', b'\x01\x7e')[0])
print(struct.unpack('>f', b'\x3d\xcc\xcc\xcd'), struct.unpack('<d', bytes(8)))

# strings, chars, bools, padding
t(struct.pack, '5s', b'abc')
t(struct.pack, '2s', b'abcdef')
t(struct.pack, '0s', b'abc')
t(struct.pack, '3s', bytearray(b'xyz'))
t(struct.pack, '3s', 'abc')
t(struct.pack, '3s', memoryview(b'abc'))
t(struct.pack, '0p', b'abc')
t(struct.pack, '1p', b'abc')
t(struct.pack, '5p', b'abc')
t(struct.pack, '3p', b'abc')
t(struct.pack, '300p', b'a' * 299)
t(struct.unpack, '3p', b'\x05ab')
t(struct.unpack, '5p', b'\x02abcd')
t(struct.unpack, '300p', b'\xff' + b'q' * 299)
t(struct.pack, 'c', b'ab')
t(struct.pack, 'c', 'a')
t(struct.pack, 'c', bytearray(b'a'))
t(struct.pack, '?', [])
t(struct.pack, '?', [0])
t(struct.unpack, '??', b'\x00\x02')
t(struct.pack, 'x')
t(struct.pack, '2x3c', b'a', b'b', b'c')
t(struct.unpack, '2x3c', b'\0\0abc')
t(struct.pack, 'i', None)
t(struct.pack, 'i', 1.5)
t(struct.pack, 'i', '1')

# argument-count and buffer errors
t(struct.pack, 'ii', 1)
t(struct.pack, 'i', 1, 2)
t(struct.pack)
t(struct.pack_into, 'i')
t(struct.pack_into, 'i', bytearray(4))
t(struct.pack_into, 'i', bytearray(4), 0)
t(struct.pack_into, 'i', bytearray(4), 2, 5)
t(struct.pack_into, 'i', bytearray(4), -9, 5)
t(struct.pack_into, 'i', bytearray(8), -2, 5)
t(struct.pack_into, 'i', bytes(4), 0, 5)
t(struct.unpack, 'i', b'abc')
t(struct.unpack, 'i', 'abcd')
t(struct.unpack, 'i')
t(struct.unpack_from, 'i', b'abcdef', 4)
t(struct.unpack_from, 'i', b'abcdef', -9)
t(struct.unpack_from, 'i', b'abcdef', -2)
t(struct.unpack_from, 'i', b'abcdefgh', -4)
t(struct.unpack_from, 'i', buffer=b'abcdefgh', offset=2)
t(struct.unpack_from, '<h', bytearray(b'abcdefgh'), 6)
t(struct.iter_unpack, '', b'abcdef')
t(struct.iter_unpack, 'i', b'abcdef')
t(struct.Struct, 5)
t(struct.Struct)
t(struct.Struct, 'é')
print(struct.Struct('<Q').size)

# pack_into with bytearray and memoryview
buf = bytearray(12)
struct.pack_into('<hi', buf, 2, 513, -1)
print(buf)
struct.pack_into('>H', buf, -2, 0xABCD)
print(buf)
mv = memoryview(buf)
struct.pack_into('<I', mv[4:], 0, 0x01020304)
print(buf)
struct.pack_into('2s', mv, 0, b'ZZ')
print(buf, mv.tobytes())
mv.release()

# Struct objects
s = struct.Struct('<h2sxI')
print(type(s), type(s).__name__, type(s).__module__, s.format, s.size)
print(s.pack(-2, b'ok', 99))
print(s.unpack(s.pack(-2, b'ok', 99)))
print(s.unpack_from(b'..' + s.pack(1, b'ab', 2), 2))
print(s.unpack_from(buffer=s.pack(1, b'ab', 2)))
print(struct.Struct(b'>q').format, struct.Struct(b'>q').size)
print(repr(s).startswith('<_struct.Struct object at'))
s.__init__('>b')
print(s.format, s.size, s.pack(-1))
print(struct.Struct.__doc__)


class S(struct.Struct):
    def __init__(self):
        super().__init__('hh')


print(S().size, S().unpack(b'abcd'), isinstance(S(), struct.Struct))

# iter_unpack
it = struct.iter_unpack('<h', b'abcdef')
print(type(it).__name__, it.__length_hint__(), next(it), it.__length_hint__(), list(it), it.__length_hint__())
print(list(struct.Struct('<bb').iter_unpack(bytearray(b'\x01\x02\x03\x04'))))
t(type(it))

# error class and cache
print(struct.error.__module__, struct.error.__name__, struct.error.__mro__)
print(struct.calcsize('i'), struct.calcsize(b'i'))
struct._clearcache()
print(struct.unpack('<i', struct.pack('<i', -42)))
for n in range(150):
    assert struct.calcsize('%dx' % n) == n
print(struct.pack('<3h', 1, 2, 3), struct.unpack('>3h', b'\x00\x01\x00\x02\x00\x03'))
print(sorted(n for n in dir(struct) if not n.startswith('__')))

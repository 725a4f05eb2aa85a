# binascii: hex, base64 (strict mode), uu, quoted-printable, CRCs, errors.
import binascii as b


def t(f, *a, **k):
    try:
        print(repr(f(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)


data = bytes(range(256))
# hex
t(b.hexlify, b'\x00\xffabc')
t(b.b2a_hex, bytearray(b'xyz'))
t(b.hexlify, memoryview(b'mv'))
t(b.hexlify, b'abcdef', b':', 2)
t(b.hexlify, b'abcdef', ':', -2)
t(b.hexlify, b'abcdefg', '-', 3)
t(b.hexlify, b'abcdefg', sep='_', bytes_per_sep=-3)
t(b.hexlify, b'abc', 5)
t(b.hexlify, b'abc', '')
t(b.hexlify, 'abc')
t(b.unhexlify, 'abc')
t(b.unhexlify, 'zz')
t(b.unhexlify, b'ABcd09')
t(b.a2b_hex, '00ff')
t(b.unhexlify, 'é0')
t(b.unhexlify, 5)
print(b.unhexlify(b.hexlify(data)) == data)

# base64
for n in range(8):
    enc = b.b2a_base64(data[:n])
    print(n, enc, b.b2a_base64(data[:n], newline=False), b.a2b_base64(enc))
print(b.a2b_base64(b.b2a_base64(data)) == data)
for s in [b'YWJj', b'YWJjZA==', b'YWJjZA=', b'YWJjZA', b'YWJjZ', b'Y', b'', b'YW\nJj\n', b'Y W J j', b'YWJj====',
          b'YWJjZA==YWJj', b'=YWJj', b'YW=Jj', b'YWJjZA==\n', b'!!YWJj', 'YWJj', 'YWJjZGVm\r\n', b'YQ=', b'YQ==x',
          b'YWJjZGVmZ2hp', b'YWJjZGVmZ', b'AAAA====', b'AB=C']:
    t(b.a2b_base64, s)
    t(b.a2b_base64, s, strict_mode=True)
t(b.a2b_base64, 'é')
t(b.a2b_base64, 5)
t(b.b2a_base64, 'abc')
t(b.b2a_base64, b'abc', True)

# uu
for n in [0, 1, 2, 3, 4, 10, 45]:
    enc = b.b2a_uu(data[100:100 + n])
    print(n, enc, b.b2a_uu(data[100:100 + n], backtick=True), b.a2b_uu(enc) == data[100:100 + n],
          b.a2b_uu(b.b2a_uu(data[100:100 + n], backtick=True)) == data[100:100 + n])
t(b.b2a_uu, b'x' * 46)
t(b.a2b_uu, b'')
t(b.a2b_uu, b'!\x01')
t(b.a2b_uu, b'!!!!  x')
t(b.a2b_uu, b'#86)C\n')
t(b.a2b_uu, b'#86)C   \r\n')
t(b.a2b_uu, b'&86)C')
t(b.a2b_uu, '!80``')

# quoted-printable
samples = [b'hello world', b'a=b', b'tab\tend\t', b'space at end ', b'line1\nline2 \nline3\t\n', b'crlf\r\nnext\r\n',
           b'\x00\x01\xff\x80', b'.', b'.\n', b'x.\n', b'under_score and space', b'a' * 100, b'b' * 75 + b'=',
           b'c' * 74 + b'\n' + b'd' * 80, b'mixed\r\nand\nends', data[:40], b'=' * 30]
for s in samples:
    for kw in [{}, {'quotetabs': True}, {'istext': False}, {'header': True}]:
        enc = b.b2a_qp(s, **kw)
        dec = b.a2b_qp(enc, header=kw.get('header', False))
        print(kw, enc, dec == s or dec)
for s in [b'=41=42', b'=4', b'=', b'soft=\nbreak', b'soft=\r\nbreak', b'a==b', b'=zz', b'_x_', b'=4g', b'=\r']:
    t(b.a2b_qp, s)
    t(b.a2b_qp, s, header=True)
t(b.a2b_qp, data=b'x=41', header=1)
t(b.b2a_qp, data=b'a b', quotetabs=1, header=1)

# CRCs
for s in [b'', b'a', b'hello world', data]:
    print(b.crc32(s), b.crc32(s, 12345), b.crc32(s, -1), b.crc32(s, 2**70 + 5), b.crc_hqx(s, 0), b.crc_hqx(s, 0xffff),
          b.crc_hqx(s, -1))
print(b.crc32(b'world', b.crc32(b'hello ')) == b.crc32(b'hello world'))
t(b.crc32, b'a', 1.5)
t(b.crc32)
t(b.crc32, 'abc')
t(b.crc_hqx, b'a')
t(b.crc_hqx, b'a', 1.5)

print(b.Error.__mro__, b.Incomplete.__mro__, b.Error.__module__)
print(issubclass(b.Error, ValueError))
print(sorted(n for n in dir(b) if not n.startswith('__')))
try:
    b.a2b_base64(b'Y')
except ValueError as e:
    print('caught as ValueError', type(e).__name__)

def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

t('to_bytes', lambda: ((4660).to_bytes(4, 'big'), (4660).to_bytes(4, 'little'), (-1).to_bytes(2, 'little', signed=True),
                       (0).to_bytes(0, 'big'), (255).to_bytes(), (-128).to_bytes(1, 'big', signed=True), (2**70).to_bytes(9, 'big'),
                       (-(2**70)).to_bytes(10, 'big', signed=True), (1).to_bytes(length=2, byteorder='little')))
t('too big', lambda: (256).to_bytes(1, 'big'))
t('negative unsigned', lambda: (-1).to_bytes(1, 'big'))
t('bad order', lambda: (1).to_bytes(1, 'middle'))
t('negative length', lambda: (1).to_bytes(-1, 'big'))
t('signed overflow', lambda: (128).to_bytes(1, 'big', signed=True))
t('signed overflow neg', lambda: (-129).to_bytes(1, 'big', signed=True))
t('from_bytes', lambda: (int.from_bytes(b'\x00\x10', 'big'), int.from_bytes(b'\x00\x10', 'little'), int.from_bytes(b'\xff\xff', 'big', signed=True),
                         int.from_bytes([1, 2], 'little'), int.from_bytes(bytearray(b'\x01\x00'), 'big'), int.from_bytes(b''),
                         int.from_bytes(b'\x80' + b'\x00' * 9, 'big', signed=True), int.from_bytes(b'\x01', byteorder='big')))
class Sub(int):
    pass
t('from_bytes sub', lambda: (Sub.from_bytes(b'\x05', 'big'), type(Sub.from_bytes(b'\x05', 'big')).__name__))
t('round trip', lambda: all(int.from_bytes(n.to_bytes(20, 'little', signed=True), 'little', signed=True) == n for n in [0, 1, -1, 2**100, -(2**100), 12345]))
t('hash bytes', lambda: (hash(b'abc') == hash('abc'), hash(b''), hash(b'\xff\xfe')))
t('int(bytes)', lambda: (int(b'12'), int(bytearray(b' -34 ')), int(b'ff', 16), int(b'0x10', 0), float(b'1.5'), float(bytearray(b'-inf'))))
t('int(bad bytes)', lambda: int(b'1x'))
t('int(non-ascii bytes)', lambda: int(b'\xff'))
t('float(bad bytes)', lambda: float(b'x'))
t('getformat', lambda: (float.__getformat__('double'), float.__getformat__('float')))
t('getformat bad', lambda: float.__getformat__('int'))

import marshal

def show(label, value, *versions):
    for v in versions or (marshal.version,):
        data = marshal.dumps(value, v)
        back = marshal.loads(data)
        print(label, v, data, back == value or back != back, type(back).__name__)

x = 12345678901234
big = 2**70
neg = -big
f = 0.1
c = 1.5 - 2j
s = 'é\udc80'
t = ('a', 'a b', 1)
l = [x, x, f]
d = {'k': [1, 2], 2: tuple([3])}
fs = frozenset({3, 1, 2})
st = {'b', 'a', 'c', 1, 2}
for name, val in [('none', None), ('true', True), ('false', False), ('ell', ...), ('stop', StopIteration),
                  ('small', 5), ('negsmall', -2**31), ('edge', 2**31), ('x', x), ('big', big), ('neg', neg),
                  ('float', f), ('complex', c), ('str', s), ('ident', 'abc'), ('spaced', 'a b'),
                  ('bytes', b'xy\x00'), ('tuple', t), ('list', l), ('dict', d), ('frozenset', fs), ('set', st),
                  ('empty', ()), ('longstr', ''.join(['q'] * 300)), ('longtuple', tuple(range(300)))]:
    show(name, val, 0, 1, 2, 3, 4)

print(marshal.loads(marshal.dumps(bytearray(b'ab'))), marshal.loads(memoryview(b'N')))
# Shared and recursive structures come back shared.
shared = [1.5]
pair = marshal.loads(marshal.dumps([shared, shared]))
print(pair, pair[0] is pair[1])
rec = []
rec.append(rec)
back = marshal.loads(marshal.dumps(rec))
print(back[0] is back, marshal.dumps(rec))
print(marshal.loads(marshal.dumps(float('inf'), 1)), marshal.loads(marshal.dumps(-0.0, 0)))
print(marshal.loads(b'i\x01\x00\x00\x00trailing'))

for bad in [b'', b'i\x01', b'?', b'r\x00\x00\x00\x00', b'(\x02\x00\x00\x00N', b'\xe9', b'l\x02\x00\x00\x00\x01\x00',
            b'\x00', b'0', b'{N', b's\xff\xff\xff\xff', b'l\x01\x00\x00\x00\x00\x80', b'l\x01\x00\x00\x00\x00\x00']:
    try:
        print(marshal.loads(bad))
    except Exception as e:
        print(type(e).__name__, e)

print(marshal.dumps([[]] * 1))
for args in [(object(),), (int,), (1, 'x')]:
    try:
        print(marshal.dumps(*args))
    except Exception as e:
        print(type(e).__name__, e)

deep = []
for _ in range(3000):
    deep = [deep]
try:
    marshal.dumps(deep)
except ValueError as e:
    print('ValueError', e)
try:
    marshal.loads(b'[\x01\x00\x00\x00' * 3000 + b'N')
except ValueError as e:
    print('ValueError', e)
try:
    marshal.loads('abc')
except TypeError as e:
    print('TypeError', e)

class Sub(int):
    pass
try:
    marshal.dumps(Sub(3))
except ValueError as e:
    print('ValueError', e)

# _json's encoder (json.dumps with indent=None) and encode_basestring(_ascii).
import json
import _json
import json.encoder
from collections import OrderedDict


def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


class MyInt(int):
    def __repr__(self):
        return 'MyInt!'


class MyFloat(float):
    def __repr__(self):
        return 'MyFloat!'


class MyStr(str):
    pass


class MyDict(dict):
    def items(self):
        return [('z', 1), ('a', 2)]


class MyList(list):
    def __iter__(self):
        return iter([9, 9])


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


values = [None, True, False, 0, -12, 2**100, 1.5, -0.0, 1e300, 1e-7, 0.1 + 0.2, 'plain', 'q"\\\n\t\x00\x1f\x7f',
          'é\u1234\U0001f600', [], (), {}, [1, [2, [3]]], (1, 'a'), {'a': 1, 'b': [None]},
          {1: 'int', 2.5: 'float', True: 't', None: 'n'}, MyInt(5), MyFloat(2.5), MyStr('s'),
          MyDict(a=1), MyList([1, 2]), OrderedDict([('y', 1), ('x', 2)]), {'k': MyInt(3)}, {MyInt(7): 1},
          {MyFloat(1.5): 1}, [float('inf'), float('-inf')], {float('nan'): 1}]
for v in values:
    t(lambda: json.dumps(v))
    t(lambda: json.dumps(v, ensure_ascii=False))

t(lambda: json.dumps(float('nan'), allow_nan=False))
t(lambda: json.dumps({float('inf'): 1}, allow_nan=False))
t(lambda: json.dumps({(1, 2): 1}))
t(lambda: json.dumps({(1, 2): 1, 'a': 2}, skipkeys=True))
t(lambda: json.dumps({1: 1, 'a': 2}, sort_keys=True))
t(lambda: json.dumps({'b': 1, 'a': {'d': 1, 'c': 2}}, sort_keys=True))
t(lambda: json.dumps([1, {'a': 2}], separators=(',', ':')))
t(lambda: json.dumps([1, {'a': 2}], separators=(' ;', ' = ')))
t(lambda: json.dumps(Point(1, 2)))
t(lambda: json.dumps(Point(1, 2), default=lambda p: {'x': p.x, 'y': [p.y]}))
t(lambda: json.dumps({1, 2}, default=sorted))
t(lambda: json.dumps([1, {'a': 2}], indent=2))
t(lambda: json.dumps([Point(1, 2)], default=lambda p: p))
a = []
a.append(a)
t(lambda: json.dumps(a))
d = {}
d['self'] = d
t(lambda: json.dumps(d))
t(lambda: json.dumps(a, check_circular=False))
shared = [1]
t(lambda: json.dumps([shared, shared, {'x': shared}]))


class Enc(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, complex):
            return [o.real, o.imag]
        return super().default(o)


t(lambda: json.dumps({'c': 1 + 2j}, cls=Enc))
t(lambda: json.dumps({'c': object()}, cls=Enc)[:40])

for s in ['a"\\\n\x00\u1234\U0001d11e\x7f', '', 'plain', '\ud800', '\x08\x0c\r']:
    t(lambda: _json.encode_basestring_ascii(s))
    t(lambda: _json.encode_basestring(s))
t(lambda: _json.encode_basestring(1))
t(lambda: _json.encode_basestring_ascii(b'x'))

enc = _json.make_encoder(None, repr, json.encoder.encode_basestring, None, ':', ',', False, False, True)
t(lambda: enc([1, {'a': (2, 3.5)}], 0))
t(lambda: enc(1))
t(lambda: enc(object(), 0)[0][:16])
enc2 = _json.make_encoder({}, lambda o: 'D', lambda s: '<' + s + '>', None, '=', ';', True, True, False)
t(lambda: enc2({'b': [1, 'x'], 'a': object(), (1,): 2}, 0))
print(type(enc2).__name__, enc2.sort_keys, enc2.skipkeys, enc2.key_separator, enc2.item_separator, len(enc2.markers))
enc3 = _json.make_encoder(None, repr, lambda s: 5, None, ':', ',', False, False, True)
t(lambda: enc3(['x'], 0))
t(lambda: _json.make_encoder(1, 2, 3, 4, 5, 6, 7, 8, 9))
t(lambda: _json.make_encoder(1, 2, 3, 4, 'a', 'b', 7, 8, 9))
t(lambda: _json.make_encoder(None, 2, 3, 4, 'a', 'b', 7, 8, 9)(1))
print(json.scanner.make_scanner is _json.make_scanner, json.encoder.c_make_encoder is _json.make_encoder)
print(json.loads(json.dumps({'round': [1, 2.5, 'trip', None, {'x': True}]})))

# _json's scanner and scanstring: values, hooks, errors and positions.
import json
import _json
from collections import OrderedDict
from decimal import Decimal


def t(f):
    try:
        print(repr(f()))
    except json.JSONDecodeError as e:
        print('JSONDecodeError', e, e.pos, e.lineno, e.colno)
    except Exception as e:
        print(type(e).__name__, e)


for doc in ['[1,]', '{"a" 1}', '{"a": 1 "b"}', '{', '[1 2]', '-', '1.e5', '[1e, 2]', 'NaN', '"\\x"',
            '[', '{"a":}', '{"a":1,}', '{1:2}', '  ', '"abc', '"a\x01b"', '"\\u12"', '"\\uzzzz"',
            '[1, 2, 3] x', '\n\n  [true, false, null, nul]', '"\\ud834\\udd1e"', '"\\ud834\\u0041"',
            '"\\ud834"', '"\\udd1e\\ud834"', '[-0, 0.5, -1.5e-3, 1E+2, 10e400, -Infinity, Infinity]',
            '123456789012345678901234567890', '[01]', '-01', '{"é": "ü\\n", "\u1234": ["\U0001f600"]}',
            '{"a": 1, "a": 2}', '[[[]]]', '{"x": {"y": [1, {"z": null}]}}', '"\\/\\b\\f\\n\\r\\t\\"\\\\"',
            '[1,\n2,\n  x]', '  "lead"  ', '1e', '1.5e+', '.5', '+1', 'true1', '[1]]']:
    t(lambda: json.loads(doc))

t(lambda: json.loads('"a\tb"', strict=False))
t(lambda: json.loads('{"a": 1, "b": [2]}', object_pairs_hook=OrderedDict))
t(lambda: json.loads('{"a": 1, "b": {"c": 2}}', object_hook=lambda d: sorted(d.items())))
t(lambda: json.loads('{"a": 1}', object_hook=dict, object_pairs_hook=list))
t(lambda: json.loads('[1.5, 2, "3"]', parse_float=Decimal, parse_int=lambda s: 'int:' + s))
t(lambda: json.loads('[NaN, Infinity, -Infinity]', parse_constant=lambda s: 'const:' + s))
t(lambda: json.loads('[1.0]', parse_float=lambda s: 1 / 0))
t(lambda: json.loads(b'[1, "b"]'))
t(lambda: json.loads(bytearray(b'{"k": [1]}')))
t(lambda: json.loads('[1, 2]', cls=json.JSONDecoder))

keys = json.loads('[{"key": 1}, {"key": 2}]')
print(list(keys[0])[0] is list(keys[1])[0])

dec = json.JSONDecoder()
t(lambda: dec.raw_decode('[1, 2] tail'))
t(lambda: dec.raw_decode('  [1]'))
t(lambda: dec.scan_once('{"a": [1]}', 0))
t(lambda: dec.scan_once('[1]', 5))
t(lambda: dec.scan_once('[1]', -1))
t(lambda: dec.scan_once(b'[1]', 0))
t(lambda: dec.scan_once('x', 0))
sc = _json.make_scanner(dec)
print(type(sc).__name__, sc.strict, sc.parse_float is float, sc.parse_int is int, sc.object_hook)
t(lambda: _json.make_scanner(1))
t(lambda: _json.make_scanner())

for args in [('"abc', 0), ('abc"', 0), ('abc"', 5), ('abc"', -1), (b'abc"', 0), ('a\\x"', 0),
             ('a\\u12"', 0), ('a\\u12zz"', 0), ('a\\ud834\\udd1e"', 0), ('a\x01"', 0), ('a\x01"', 0, False),
             ('a\\u1234', 0), ('x"y"', 2), ('é\\né"z', 1)]:
    t(lambda: _json.scanstring(*args))
t(lambda: _json.scanstring('a', 0, strict=False))
t(lambda: _json.scanstring('a'))

deep = '[' * 100 + ']' * 100
print(len(str(json.loads(deep))))

# positions in non-ASCII text, including the "-1" start of scanstring(s, 0)
for args in [('é', 0), ('éa\\', 0), ('é\\x', 0), ('\\é', 0), ('é"', 1), ('é', 1)]:
    t(lambda: _json.scanstring(*args))

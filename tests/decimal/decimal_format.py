# Decimal.__format__: the whole spec mini-language, override dicts, errors.
from decimal import *
D = Decimal
vals = ['0', '-0', '1', '-1', '12.5', '-12.5', '0.000123', '123456789.987654321', '-0.0001', '1E+5', '1.23E-10', '9.999',
        '0E-9', '0E+9', 'Inf', '-Inf', 'NaN', '-sNaN12', '1234567', '0.5', '-999.9995', '1E+30', '123E+3']
specs = ['', 'e', 'E', 'f', 'F', 'g', 'G', '%', 'n', '.0', '.1', '.3', '.10', '.0e', '.2e', '.5E', '.0f', '.2f', '.6f',
         '.0g', '.2g', '.4G', '.0%', '.1%', '10', '<10', '>12', '^13', '=12', '*^15.3f', '+', '-', ' ', '+.2f', ' e',
         '012', '015.3f', '012,', '020,.4f', ',', ',.2f', ',e', 'z.2f', 'z', 'z+.1f', '+z.1f', '010', '0=10', '_^+20,.2e',
         '\U0001F600<14.2', '.2n', '012n', ',g', '#g', '_', '<010', '.-1', '5.', 'x', 'ff', '.2%%', '0z', '=z5', 'z+']
for prec in [28, 5]:
    for rnd in [ROUND_HALF_EVEN, ROUND_DOWN, ROUND_CEILING]:
        setcontext(Context(prec=prec, rounding=rnd))
        for v in vals:
            for s in specs:
                try:
                    r = format(D(v), s)
                except Exception as e:
                    r = type(e).__name__ + ': ' + str(e)
                print(prec, rnd, repr(v), repr(s), repr(r))
getcontext().capitals = 0
print(format(D('1.5E+20'), ''), format(D('1.5E+20'), '.1'))
en = {'decimal_point': '.', 'grouping': chr(3) + chr(3) + chr(0), 'thousands_sep': ','}
crazy = {'decimal_point': '&', 'grouping': chr(1) + chr(4) + chr(2) + chr(127), 'thousands_sep': '-'}
wide = {'decimal_point': '\xbf', 'grouping': chr(3), 'thousands_sep': '\xb4'}
for o in [en, crazy, wide, {}, {'decimal_point': 'xxxxx', 'grouping': '', 'thousands_sep': ''},
          {'decimal_point': '.', 'grouping': [3], 'thousands_sep': ''}, {'decimal_point': '.', 'grouping': chr(255), 'thousands_sep': ''}, [], 5]:
    for v in ['12.7', '123456789', '1234567890123', '-1.5', '123456']:
        for s in ['n', '.6n', '020n', '06n', '013n', 'g', '']:
            try:
                r = D(v).__format__(s, o)
            except Exception as e:
                r = type(e).__name__ + ': ' + str(e)
            print(repr(v), repr(s), repr(r))
for bad in [[], 9]:
    try:
        D(1).__format__(bad)
    except Exception as e:
        print(type(e).__name__, e)
try:
    D(1).__format__('=10', [], 9)
except Exception as e:
    print(type(e).__name__)
try:
    D("1.23456789").__format__("=%d.1" % (2**63 - 1))
except Exception as e:
    print(type(e).__name__, e)
print(f"{D('3.14159'):>10.3f}|{D('-2.5'):+.0f}|{D('1234.5'):,}")

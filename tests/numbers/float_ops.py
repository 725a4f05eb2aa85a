def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

inf, nan = float('inf'), float('nan')
for text in ['1.5', ' -2.25e3 ', '1_000.000_1', '.5', '5.', '1e-400', '1e400', 'inf', '-Infinity', '+nan', 'NaN',
             'iNF', '\u0661.\u0662', '\u2003 3 ', '1__0', '_1', '1_', '1_.5', '1._5', '', ' ', 'x', '1e', 'e5',
             '--1', '0x10', 'infinit', 'nan1', '1 2', '1e5_0']:
    t('float(' + repr(text) + ')', lambda: float(text))
t('float()', lambda: float())
t('float(int)', lambda: (float(10**20), float(-3), float(True)))
t('float(big)', lambda: float(10**400))
t('float(None)', lambda: float(None))
class WithFloat:
    def __float__(self): return 2.5
class WithIndex:
    def __index__(self): return 4
class BadFloat:
    def __float__(self): return 'x'
t('__float__', lambda: float(WithFloat()))
t('__index__', lambda: float(WithIndex()))
t('bad __float__', lambda: float(BadFloat()))
class Sub(float):
    pass
t('subclass', lambda: (Sub(1.5), type(Sub('2')).__name__, Sub() + 1, type(Sub(1) + 1).__name__))

t('arith', lambda: (0.1 + 0.2, 7.5 // 2, -7.5 // 2, 7.5 % -2, -7.5 % 2, 5.0 % 2.5, -5.0 % 2.5, 1e300 * 1e10, -1e300 * 1e10))
t('divmod', lambda: ((7.5).__divmod__(2), (-7.5).__divmod__(2), (7.5).__divmod__(-2), (0.0).__divmod__(-3), (3).__rdivmod__(7.5)))
t('div zero', lambda: 1.0 / 0)
t('floordiv zero', lambda: 1.0 // 0.0)
t('mod zero', lambda: 1.0 % 0)
t('divmod zero', lambda: (1.0).__divmod__(0))
t('pow', lambda: (2.0 ** 0.5, (-8.0) ** 2, 2.0 ** -2, (-2.0) ** 3, 0.0 ** 0, nan ** 0, 1.0 ** nan, inf ** -1, (-inf) ** 3, (-1.0) ** inf))
t('pow complex', lambda: ((-8.0) ** (1 / 3), (-2.0) ** 0.5, (-1) ** 0.5))
t('pow overflow', lambda: 10.0 ** 400)
t('pow zero', lambda: 0.0 ** -1)
t('pow3', lambda: (2.0).__pow__(3, 5))
t('compare', lambda: (nan == nan, nan != nan, nan < 1, inf > 10**400, 2.0**53 < 2**53 + 1, 0.5 < 1, -0.0 == 0.0, 1.0 >= 1))
t('methods', lambda: ((2.5).as_integer_ratio(), (0.1).as_integer_ratio(), (-0.0).as_integer_ratio(), (1e20).is_integer(), (1.5).is_integer(), inf.is_integer()))
t('ratio inf', lambda: inf.as_integer_ratio())
t('ratio nan', lambda: nan.as_integer_ratio())
t('hex', lambda: [x.hex() for x in [1.0, 0.1, -2.5, 0.0, -0.0, 5e-324, 1.7976931348623157e308, inf, -inf, nan]])
t('fromhex', lambda: [float.fromhex(s) for s in ['0x1.999999999999ap-4', '-0X1P+0', '1.8', '0x.8p1', 'inf', '-infinity', ' 0x1p-1074 ', '0x1p-1075', '0x3p-1075', 'ff', '0x1.fffffffffffffp1023']])
t('fromhex bad', lambda: float.fromhex('0x'))
t('fromhex bad2', lambda: float.fromhex('1p'))
t('fromhex overflow', lambda: float.fromhex('0x1p1024'))
t('fromhex sub', lambda: (Sub.fromhex('0x1p1'), type(Sub.fromhex('0x1p1')).__name__))
t('round', lambda: ((2.5).__round__(), (3.5).__round__(), (-2.5).__round__(), (0.5).__round__(), (2.675).__round__(2), (0.125).__round__(2), (0.375).__round__(2), (1234.5).__round__(-1), (-0.04).__round__(1), (1e300).__round__(2), (5e-324).__round__(400), (123.456).__round__(-5), (2.5).__round__(None)))
t('round types', lambda: (type((2.5).__round__()).__name__, type((2.5).__round__(0)).__name__))
t('round overflow', lambda: (1.7976931348623157e308).__round__(-308))
t('round nan', lambda: nan.__round__())
t('round inf', lambda: inf.__round__())
t('round nan digits', lambda: (nan.__round__(2), inf.__round__(-2)))
t('trunc', lambda: ((2.7).__trunc__(), (-2.7).__trunc__(), (2.7).__floor__(), (-2.7).__floor__(), (2.1).__ceil__(), (-2.1).__ceil__(), (1e20).__int__()))
t('attrs', lambda: ((1.5).real, (1.5).imag, (1.5).conjugate(), (1.5).__float__()))
t('repr', lambda: [repr(x) for x in [1e16, 1e-5, 0.1, 1/3, 1e22, 123456789.0, -0.0, 2.0**-1074, 1.7976931348623157e308]])
t('dunders', lambda: ((1.5).__add__(1), (1.5).__radd__(1), (1.5).__add__('x'), (1.5).__lt__(2), (1.5).__eq__(1.5), (7.5).__floordiv__(2), (2.0).__rpow__(3)))
t('mixed', lambda: (1.5 + 2**60, 2**60 - 0.5, 3 * 0.1))

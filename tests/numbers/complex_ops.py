def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

inf, nan = float('inf'), float('nan')
t('literals', lambda: (1j, 2.5j, 1 + 2j, -1j, 0j, -0j, 1e300j, 1e-7j))
t('repr', lambda: [repr(z) for z in [complex(1, 2), complex(-0.0, 0), complex(0, -0.0), complex(-0.0, -0.0), complex(nan, inf), complex(1e16, 1e-5), complex(1.5, -2.5), complex(inf, -inf)]])
t('str', lambda: (str(1 + 2j), str(3j)))
for args in [(), (1,), (1, 2), (1.5, -2), (1j,), (1j, 1j), (1 + 2j, 3 + 4j), (2, 1j), ('1+2j',), (' ( -1.5-2.5J ) ',), ('j',),
             ('-j',), ('3',), ('1_0j',), ('infj',), ('nan+nanj',), ('1e3-1e-3j',), ('1+2',), ('1+2j)',), ('1 + 2j',), ('',),
             ('1e+j',), ('x',), ('1', 2), (1, '2'), (None,), ([],), (1, None), (True, False)]:
    if len(args) == 0:
        t('complex()', lambda: complex())
    elif len(args) == 1:
        t('complex' + repr(args), lambda: complex(args[0]))
    else:
        t('complex' + repr(args), lambda: complex(args[0], args[1]))
t('kw', lambda: (complex(real=1, imag=2), complex(imag=3), complex(1, imag=2)))
t('kw bad', lambda: complex(x=1))
class C:
    def __complex__(self): return 3 + 4j
class BadC:
    def __complex__(self): return 5
class F:
    def __float__(self): return 1.5
class I:
    def __index__(self): return 7
t('__complex__', lambda: (complex(C()), complex(C(), 1), complex(F()), complex(I(), F())))
t('bad __complex__', lambda: complex(BadC()))
class Sub(complex):
    pass
t('subclass', lambda: (Sub(1, 2), type(Sub(1, 2)).__name__, Sub(1, 2) + 1, type(Sub(1) + 1).__name__))

z = 3 + 4j
t('arith', lambda: (z + 1, 1 + z, z - 1.5, z * 1j, z * 2, 2 * z, z / 2, 1 / z, z / (1 - 1j), (1 + 2j) / (3 + 4j), z * z, -z, +z))
t('pow', lambda: (z ** 2, 1j ** 2, z ** -1, z ** 0.5, 2 ** 1j, z ** z, 0j ** 0, 0j ** 2, (1 + 1j) ** 101, 1j ** 200))
t('pow zero', lambda: 0j ** -1)
t('pow zero complex', lambda: 0j ** 1j)
t('pow overflow', lambda: (1e200 + 1e200j) ** 2)
t('pow mod', lambda: z.__pow__(2, 3))
t('div zero', lambda: z / 0)
t('div zero c', lambda: 1 / 0j)
t('floordiv', lambda: z // 2)
t('mod', lambda: z % 2)
t('abs', lambda: (abs(z), abs(-1j), abs(complex(inf, nan)), abs(complex(nan, 1))))
t('abs overflow', lambda: abs(complex(1e308, 1e308)))
t('attrs', lambda: (z.real, z.imag, z.conjugate(), (1j).real, type(z.real).__name__))
t('eq', lambda: (z == 3 + 4j, z == (3, 4), 1 + 0j == 1, 1 + 0j == 1.0, 2**60 + 0j == 2**60, 2**53 + 1 + 0j == 2**53 + 1, 1 + 1j != 1, complex(nan) == complex(nan)))
t('lt', lambda: z < z)
t('lt int', lambda: z > 1)
t('bool', lambda: (bool(0j), bool(1j), bool(complex(0, -0.0)), bool(complex(nan, 0))))
t('hash', lambda: (hash(1 + 0j) == hash(1), hash(2.5 + 0j) == hash(2.5), hash(z), hash(-1 + 0j), hash(complex(0.5, -1.5))))
t('format', lambda: (format(z, '.2f'), format(z, '>12'), format(1j, ''), format(z, '+.1e'), format(z, 'g'), format(-0.0 - 2j, '')))
t('format bad', lambda: format(z, '08'))
t('format bad2', lambda: format(z, '%'))
t('format bad3', lambda: format(z, '=10'))
t('fstring', lambda: f'{z}|{z:^14}|{z:.3}|{1j:5}')
t('dunders', lambda: (z.__add__(1), z.__radd__(1.5), z.__mul__(z), z.__truediv__(z), z.__eq__(3 + 4j), z.__rpow__(2) == 2 ** z, z.__complex__()))
t('getnewargs', lambda: z.__getnewargs__())
t('int(z)', lambda: int(z))
t('float(z)', lambda: float(z))

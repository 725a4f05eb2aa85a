import sys

def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

for text, base in [('42', 10), ('  -17\n', 10), ('+5', 10), ('1_000_000', 10), ('0x1f', 16), ('1F', 16), ('0b101', 0),
                   ('0o17', 0), ('0_0', 0), ('00', 0), ('0b_1', 0), ('z', 36), ('Z', 36), ('10', 2), ('777', 8),
                   ('\u0661\u0662', 10), ('\uff11\uff12', 10), ('\u2003 7 \u3000', 10), ('-0x10', 16),
                   ('010', 0), ('1__0', 10), ('_1', 10), ('1_', 10), ('', 10), (' ', 10), ('0x', 16), ('2', 2),
                   ('1.5', 10), ('+ 1', 10), ('--1', 10), ('0b101', 16), ('12a', 10), ('x' * 300, 10), ('٣', 10)]:
    t('int(' + repr(text[:20]) + ', ' + str(base) + ')', lambda: int(text, base))
t('no args', lambda: int())
t('base 1', lambda: int('1', 1))
t('base 37', lambda: int('1', 37))
t('base -1', lambda: int('1', base=-1))
t('base kw', lambda: int('ff', base=16))
t('x kw', lambda: int(x='1'))
t('non-str base', lambda: int(12, 10))
t('missing', lambda: int(base=10))
t('base float', lambda: int('1', 2.0))
t('floats', lambda: (int(3.99), int(-3.99), int(1e30), int(-0.0), int(2.0**63)))
t('nan', lambda: int(float('nan')))
t('inf', lambda: int(float('-inf')))
t('None', lambda: int(None))
t('list', lambda: int([]))
t('bool', lambda: (int(True), int(False)))

class WithInt:
    def __int__(self): return 9
class WithIndex:
    def __index__(self): return 7
class BadInt:
    def __int__(self): return 'nine'
class BadIndex:
    def __index__(self): return 1.5
t('__int__', lambda: int(WithInt()))
t('__index__', lambda: int(WithIndex()))
t('bad __int__', lambda: int(BadInt()))
t('bad __index__', lambda: int(BadIndex()))
t('index base', lambda: int('11', WithIndex()))

class Sub(int):
    pass
s = Sub('12')
t('subclass', lambda: (s, type(s).__name__, Sub(), Sub('ff', 16), isinstance(s, int), s + 1, type(s + 1).__name__))

# The 3.11 int/str digit limit.
t('limit', lambda: sys.get_int_max_str_digits())
t('str too long', lambda: str(10**4300))
t('str at limit', lambda: len(str(10**4299)))
t('int too long', lambda: int('1' * 4301))
t('int underscores', lambda: int('1_' * 4300 + '1'))
t('int hex no limit', lambda: int('f' * 5000, 16) > 0)
t('format d', lambda: format(10**5000, 'd'))
t('format x', lambda: format(10**5000, 'x')[:6])
t('set bad', lambda: sys.set_int_max_str_digits(100))
t('set neg', lambda: sys.set_int_max_str_digits(-1))
t('set type', lambda: sys.set_int_max_str_digits('x'))
t('set 640', lambda: sys.set_int_max_str_digits(640))
t('now', lambda: sys.get_int_max_str_digits())
t('str 641', lambda: str(10**640))
t('int 641', lambda: int('9' * 641))
t('set kw', lambda: sys.set_int_max_str_digits(maxdigits=0))
t('unlimited', lambda: (len(str(10**5000)), int('7' * 5000) % 10))
sys.set_int_max_str_digits(4300)

import math

def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

print(math.pi, math.e, math.tau, math.inf, math.nan)
for name in ['sqrt', 'exp', 'expm1', 'log1p', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
             'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'fabs', 'degrees', 'radians',
             'exp2', 'log2', 'log10']:
    f = getattr(math, name)
    for x in [0.5, 2, -1.5, 1e308, 0, -1]:
        t(name + '(' + repr(x) + ')', lambda: f(x))
t('sqrt(str)', lambda: math.sqrt('x'))
t('sqrt()', lambda: math.sqrt())
t('log(8, 2)', lambda: math.log(8, 2))
t('log(0)', lambda: math.log(0))
t('log(10**400)', lambda: math.log(10**400))
t('log10(10**400)', lambda: math.log10(10**400))
t('log2(2**2000)', lambda: math.log2(2**2000))
t('log(2, 1)', lambda: math.log(2, 1))
t('log(-1)', lambda: math.log(-1))
t('floor', lambda: (math.floor(-2.5), math.floor(7), math.floor(2**70), math.ceil(2.1), math.ceil(-0.5)))
t('trunc', lambda: (math.trunc(-2.7), math.trunc(3)))
t('floor(inf)', lambda: math.floor(float('inf')))
t('ceil(nan)', lambda: math.ceil(float('nan')))
class F:
    def __floor__(self): return 'floored'
    def __ceil__(self): return 'ceiled'
    def __trunc__(self): return 'truncated'
t('dunders', lambda: (math.floor(F()), math.ceil(F()), math.trunc(F())))
t('trunc(str)', lambda: math.trunc('x'))
t('isqrt', lambda: (math.isqrt(0), math.isqrt(99), math.isqrt(10**40), math.isqrt(2**101)))
t('isqrt(-1)', lambda: math.isqrt(-1))
t('gcd', lambda: (math.gcd(), math.gcd(12, 18), math.gcd(-12, 18, 27), math.gcd(2**100, 6**50)))
t('lcm', lambda: (math.lcm(), math.lcm(4, 6), math.lcm(-4, 6, 10), math.lcm(0, 5)))
t('gcd(float)', lambda: math.gcd(1.5))
t('factorial', lambda: (math.factorial(0), math.factorial(5), math.factorial(30)))
t('factorial(-1)', lambda: math.factorial(-1))
t('comb', lambda: (math.comb(10, 3), math.comb(5, 7), math.comb(100, 50), math.comb(5, 0)))
t('perm', lambda: (math.perm(5), math.perm(5, 2), math.perm(3, 5)))
t('comb(-1, 2)', lambda: math.comb(-1, 2))
t('perm(5, -1)', lambda: math.perm(5, -1))
t('fsum', lambda: (math.fsum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), sum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), math.fsum([1e100, 1.0, -1e100]), math.fsum([])))
t('fsum(inf-inf)', lambda: math.fsum([float('inf'), float('-inf')]))
t('fsum(overflow)', lambda: math.fsum([1e308, 1e308]))
t('fsum(inf)', lambda: math.fsum([1, float('inf')]))
t('isclose', lambda: (math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(0, 1e-10, abs_tol=1e-9),
                      math.isclose(float('inf'), float('inf')), math.isclose(1, 1.05, rel_tol=0.1)))
t('isclose(neg)', lambda: math.isclose(1, 2, rel_tol=-1))
t('copysign', lambda: (math.copysign(1, -0.0), math.copysign(-3, 2), math.copysign(1.0, float('nan'))))
t('frexp', lambda: (math.frexp(8.0), math.frexp(0.0), math.frexp(-5e-324), math.frexp(1e308)))
t('ldexp', lambda: (math.ldexp(0.5, 4), math.ldexp(1.0, -1074), math.ldexp(1.0, -1075), math.ldexp(3, 2)))
t('ldexp(overflow)', lambda: math.ldexp(1.0, 1024))
t('ldexp(float exp)', lambda: math.ldexp(1.0, 2.0))
t('modf', lambda: (math.modf(-2.5), math.modf(3.0), math.modf(float('inf'))))
t('fmod', lambda: (math.fmod(-7, 3), math.fmod(7, -3), math.fmod(5.5, float('inf'))))
t('fmod(1, 0)', lambda: math.fmod(1, 0))
t('remainder', lambda: (math.remainder(7, 3), math.remainder(8, 3), math.remainder(5, 2), math.remainder(7, 2), math.remainder(-5, 2), math.remainder(-0.0, 1)))
t('remainder(1, 0)', lambda: math.remainder(1, 0))
t('prod', lambda: (math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 2]), math.prod([2, 3], start=10)))
t('dist', lambda: (math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], [4, 5, 6])))
t('dist(mismatch)', lambda: math.dist((1,), (1, 2)))
t('hypot', lambda: (math.hypot(), math.hypot(3, 4), math.hypot(1, 1, 1), math.hypot(1e300, 1e300), math.hypot(-2), math.hypot(float('inf'), float('nan'))))
t('atan2', lambda: (math.atan2(1, 1), math.atan2(-0.0, -1), math.atan2(0, 0)))
t('nextafter', lambda: (math.nextafter(1, 2), math.nextafter(0, -1), math.nextafter(1, 1)))
t('ulp', lambda: (math.ulp(1.0), math.ulp(0.0), math.ulp(1e308), math.ulp(float('inf'))))
t('isinf', lambda: (math.isinf(float('-inf')), math.isnan(float('nan')), math.isfinite(1e308), math.isfinite(float('nan'))))
t('exp(1000)', lambda: math.exp(1000))
t('sqrt(-1)', lambda: math.sqrt(-1))
t('sin(inf)', lambda: math.sin(float('inf')))
t('acos(2)', lambda: math.acos(2))
t('sqrt(nan)', lambda: math.sqrt(float('nan')))
class H:
    def __float__(self): return 2.25
class I:
    def __index__(self): return 9
t('protocols', lambda: (math.sqrt(H()), math.sqrt(I()), math.isqrt(I()), math.factorial(I())))

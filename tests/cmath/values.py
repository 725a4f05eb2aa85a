# cmath on ordinary, tiny and huge values; errors; isclose; constants.
import cmath
import math


def show(name, f, *args):
    try:
        r = f(*args)
        print(name, args, repr(r))
    except Exception as e:
        print(name, args, type(e).__name__, e)


zs = [0j, 1 + 0j, -1 + 0j, 1j, -1j, 0.5 + 0.5j, -0.5 - 0.25j, 2 + 3j, -3 + 4j, 1e-310 + 1e-310j,
      5e-324j, 1e300 + 1e300j, -1e308 + 1e308j, 1.7e308 + 0j, 710 + 1j, -710 + 2j, 0.999 + 1e-170j,
      1 + 1e-170j, -1 + 0j, 1 - 0j, 3, -2.5, 7.25e-5 + 12j]
names = ['acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'exp', 'log', 'log10',
         'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'phase', 'polar', 'isfinite', 'isinf', 'isnan']
for name in names:
    f = getattr(cmath, name)
    for z in zs:
        show(name, f, z)

for z, base in [(8, 2), (100, 10), (1j, 1j), (2, 1), (0, 2), (1 + 1j, 0.5j), (-8, -2)]:
    show('log', cmath.log, z, base)
for r, phi in [(1, 0), (2, math.pi / 2), (1.5, -0.25), (-1, 3), (0, 1), (1e308, 0.5), (-0.0, 0.0)]:
    show('rect', cmath.rect, r, phi)


class C:
    def __repr__(self):
        return 'C()'

    def __complex__(self):
        return 3 + 4j


class F:
    def __repr__(self):
        return 'F()'

    def __float__(self):
        return 0.25


class I:
    def __repr__(self):
        return 'I()'

    def __index__(self):
        return 4


class Bad:
    def __repr__(self):
        return 'Bad()'

    def __complex__(self):
        return 1.5


show('sqrt', cmath.sqrt, C())
show('sqrt', cmath.sqrt, F())
show('sqrt', cmath.sqrt, I())
show('sqrt', cmath.sqrt, True)
show('sqrt', cmath.sqrt, 10**20)
show('sqrt', cmath.sqrt, Bad())
show('sqrt', cmath.sqrt, 'x')
show('sqrt', cmath.sqrt)
show('phase', cmath.phase, 1, 2)
show('rect', cmath.rect, 1, 2, 3)
show('rect', cmath.rect, 1j, 2)
show('log', cmath.log)
show('log', cmath.log, 1, 2, 3)
show('polar', cmath.polar, complex(1.7e308, 1.7e308))
show('exp', cmath.exp, 1000)
show('cosh', cmath.cosh, 1000j + 1000)

for a, b, kw in [(1, 1 + 1e-10, {}), (1, 1.001, {}), (1, 1.001, {'rel_tol': 0.01}), (0, 1e-10, {}),
                 (0, 1e-10, {'abs_tol': 1e-9}), (1j, 1j, {}), (complex('inf'), complex('inf'), {}),
                 (complex('inf'), 1e308, {}), (complex('nan'), complex('nan'), {}),
                 (1 + 1j, 1 + 1.0000000001j, {}), (1, 2, {'rel_tol': -1}), (1, 2, {'abs_tol': -1})]:
    try:
        print('isclose', a, b, kw, cmath.isclose(a, b, **kw))
    except Exception as e:
        print('isclose', type(e).__name__, e)
for call in [lambda: cmath.isclose(1, 2, 3), lambda: cmath.isclose(1), lambda: cmath.isclose(1, 2, tol=1),
             lambda: cmath.isclose('a', 1)]:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)

print(cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nan, cmath.nanj)
print(cmath.pi == math.pi, type(cmath.infj), cmath.isnan(cmath.nanj))

# cmath on infinities, NaNs and signed zeros: CPython's special-value tables.
import cmath
import math

INF = float('inf')
NAN = float('nan')
parts = [-INF, -2.5, -0.0, 0.0, 2.5, INF, NAN]


def fmt(x):
    if math.isnan(x):
        return 'nan'
    return repr(x)


def show(name, f, *args):
    try:
        r = f(*args)
        if isinstance(r, complex):
            print(name, args, fmt(r.real), fmt(r.imag))
        else:
            print(name, args, r)
    except Exception as e:
        print(name, args, type(e).__name__, e)


names = ['acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'exp', 'log', 'log10',
         'sin', 'sinh', 'sqrt', 'tan', 'tanh']
for name in names:
    f = getattr(cmath, name)
    for a in parts:
        for b in parts:
            show(name, f, complex(a, b))
for a in parts:
    for b in parts:
        show('rect', cmath.rect, a, b)
        show('phase', cmath.phase, complex(a, b))
        show('polar', cmath.polar, complex(a, b))
        show('isfinite', cmath.isfinite, complex(a, b))
        show('isinf', cmath.isinf, complex(a, b))
        show('isnan', cmath.isnan, complex(a, b))

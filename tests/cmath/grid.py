# cmath over a grid of ordinary values: results must match CPython bit for bit.
import cmath

xs = [-1e10, -3.5, -1.0, -0.75, -1e-8, 0.0, 1e-8, 0.3, 1.0, 1.25, 7.0, 1e10, 1e155]
names = ['acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'exp', 'log', 'log10',
         'sin', 'sinh', 'sqrt', 'tan', 'tanh']
bad = 0
for name in names:
    f = getattr(cmath, name)
    out = []
    for a in xs:
        for b in xs:
            try:
                out.append(repr(f(complex(a, b))))
            except (ValueError, OverflowError) as e:
                out.append(type(e).__name__)
    print(name, ' '.join(out))

# Decimal arithmetic at small precisions (coefficients that fit in machine
# words, and products/quotients that just overflow them): rounding of every
# mode, exact quotients, ideal exponents, flags, and the context stored in
# a context variable (getcontext/setcontext/localcontext, copy_context).
import contextvars
import zlib
import decimal
from decimal import Decimal as D, Context, localcontext

MODES = [decimal.ROUND_HALF_EVEN, decimal.ROUND_HALF_UP, decimal.ROUND_HALF_DOWN, decimal.ROUND_UP,
         decimal.ROUND_DOWN, decimal.ROUND_CEILING, decimal.ROUND_FLOOR, decimal.ROUND_05UP]
vals = ["1", "3", "7", "-7", "0.1", "2.5", "-2.5", "12345678901234567890", "9999999999999999999",
        "1E+5", "1.000", "0", "-0", "123.456", "99999999999999999999999999999999999999", "0.5",
        "35", "1.5E-3", "4294967296", "18446744073709551615", "18446744073709551616"]
for prec in (1, 3, 9, 19, 20, 28, 38, 39, 40):
    for mode in MODES:
        c = Context(prec=prec, rounding=mode, traps=[])
        out = []
        for a in vals:
            for b in vals:
                x, y = D(a), D(b)
                c.clear_flags()
                r = (str(c.add(x, y)), str(c.subtract(x, y)), str(c.multiply(x, y)), str(c.divide(x, y)))
                flags = sorted(k.__name__ for k, v in c.flags.items() if v)
                out.append((r, flags))
        print(prec, mode, len(out), zlib.crc32(repr(out).encode()), out[40:43])

# The benchmark's loop (pyperformance decimal_pi).
def pi_decimal():
    lasts, t, s, n, na, d, da = D(0), D(3), D(3), D(1), D(0), D(0), D(24)
    while s != lasts:
        lasts = s
        n, na = n + na, na + 8
        d, da = d + da, da + 32
        t = (t * n) / d
        s += t
    return s

for prec in (9, 19, 28, 50):
    decimal.getcontext().prec = prec
    print(prec, pi_decimal(), decimal.getcontext().flags[decimal.Inexact])
decimal.getcontext().prec = 28

# The current context lives in a context variable.
def in_copy():
    decimal.getcontext().prec = 5
    return str(D(1) / D(7))

ctx = contextvars.copy_context()
print(ctx.run(in_copy), str(D(1) / D(7)))
print(ctx.run(lambda: decimal.getcontext().prec), decimal.getcontext().prec)
with localcontext() as lc:
    lc.prec = 3
    print(str(D(2) / D(3)), decimal.getcontext() is lc)
print(str(D(2) / D(3)))
old = decimal.getcontext()
decimal.setcontext(Context(prec=4))
print(str(D(10) / D(3)), decimal.getcontext() is old)
decimal.setcontext(old)
print(str(D(10) / D(3)))

# Traps still raise from the fast paths.
c = Context(prec=5, traps=[decimal.Inexact])
try:
    c.divide(D(1), D(3))
except decimal.Inexact as e:
    print(type(e).__name__, e)
try:
    D(1) / D(0)
except decimal.DivisionByZero as e:
    print(type(e).__name__, e)
print(D(6) / D(3), D("6.0") / D(3), D(1) / D(8), D(100) / D(4), D("1E+2") / D(4), D(-7) / D(2))
print(D(10) ** -1, D(1) / D(1024), D("0.000") / D(7))

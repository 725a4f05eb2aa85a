# The decimal module's core: construction, strings, arithmetic with
# context rounding and signals, comparisons, hashing, quantize.
import decimal
from decimal import (Decimal, Context, localcontext, getcontext, setcontext,
                     InvalidOperation, DivisionByZero, Inexact, Rounded,
                     FloatOperation, Overflow, Underflow, Subnormal, Clamped,
                     ROUND_HALF_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR,
                     ROUND_UP, ROUND_HALF_DOWN, ROUND_05UP, ROUND_HALF_EVEN)


def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)


# Construction
for v in ["0", "-0", "1.50", "  7 ", "1_000", "1e-7", "-1.23E+5", "0.000001", "Inf",
          "-infinity", "nan", "-sNaN42", "NaN0012", ".5", "5.", "1e", "abc", ""]:
    show("str %r" % v, lambda: Decimal(v))
for v in [0, -12345678901234567890123, True, 1.1, -0.0, 2.5e-300, float("inf")]:
    show("num %r" % v, lambda: Decimal(v))
show("tuple", lambda: Decimal((1, (1, 2, 3), -2)))
show("tuple inf", lambda: Decimal((0, (), "F")))
show("tuple bad sign", lambda: Decimal((2, (1,), 0)))
show("tuple bad digit", lambda: Decimal((0, (10,), 0)))
show("tuple bad exp", lambda: Decimal((0, (1,), "x")))
show("list", lambda: Decimal([0, [4, 2], 1]))
show("bad type", lambda: Decimal(1j))
show("bad context", lambda: Decimal("1", 5))
show("from_float", lambda: Decimal.from_float(0.1))
show("identity", lambda: Decimal(Decimal("3.14")))

# Strings
for s in ["123E+1", "0E+1", "1E+5", "-0.00001", "1.000E-10", "123.45E-12", "0E-8"]:
    d = Decimal(s)
    print(s, str(d), d.to_eng_string(), repr(d), d.as_tuple(), d.adjusted())

# Arithmetic in the default context (prec 28)
a, b = Decimal("1.30"), Decimal("1.2")
print(a + b, a - b, a * b, a / b, a // b, a % b, divmod(a, b), -a, +a, abs(-a))
print(Decimal(1) / 3, Decimal(2) / 3, Decimal(-7) // 2, Decimal(-7) % 2)
print(Decimal(10) + 5, 5 - Decimal("0.1"), 3 * Decimal("1.1"), 1 / Decimal(8))
print(Decimal("1E+100") + Decimal("1E-100"), Decimal("9.99") * Decimal("1E999998"))
print(Decimal(2) ** 10, Decimal("1.1") ** 3, Decimal(2) ** -2, Decimal(10) ** 20)
print(Decimal(2).sqrt(), Decimal(16).sqrt(), Decimal("0.0001").sqrt(), Decimal(0).sqrt())
show("1/0", lambda: Decimal(1) / 0)
show("0/0", lambda: Decimal(0) / 0)
show("1%0", lambda: Decimal(1) % 0)
show("inf-inf", lambda: Decimal("inf") - Decimal("inf"))
show("+float", lambda: Decimal(1) + 1.5)
show("sqrt(-1)", lambda: Decimal(-1).sqrt())

# Contexts
c = Context(prec=5, rounding=ROUND_HALF_UP, traps=[])
print(c)
print(c.divide(1, 7), c.add(Decimal("1.23456"), 0), c.multiply(3, Decimal("0.3333333")))
print(sorted(k.__name__ for k, v in c.flags.items() if v))
c.clear_flags()
print(c.divide(0, 0), c.divide(5, 0), c.flags[InvalidOperation], c.flags[DivisionByZero])
for r in [ROUND_HALF_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR, ROUND_UP,
          ROUND_HALF_DOWN, ROUND_05UP, ROUND_HALF_EVEN]:
    c = Context(prec=2, rounding=r)
    print(r, [str(c.plus(Decimal(x))) for x in ["2.25", "-2.25", "2.35", "2.51", "2.01", "-2.05"]])
with localcontext() as lc:
    lc.prec = 3
    print(Decimal(1) / 7, getcontext().prec)
print(Decimal(1) / 7, getcontext().prec)
with localcontext(prec=4, rounding=ROUND_DOWN):
    print(Decimal(2) / 3)
c = Context(Emax=5, Emin=-5, prec=3, traps=[])
print(c.multiply(Decimal("999"), 1000), c.create_decimal("1.23456E-7"), sorted(k.__name__ for k, v in c.flags.items() if v))
c = Context(Emax=5, Emin=-5, prec=3, clamp=1)
print(c.create_decimal("1E+5"), c.Etiny(), c.Etop())
show("bad prec", lambda: Context(prec=0))
show("bad rounding", lambda: setattr(getcontext(), "rounding", "x"))
show("del", lambda: delattr(getcontext(), "prec"))
orig = getcontext()
setcontext(decimal.BasicContext)
print(getcontext().prec, getcontext() is decimal.BasicContext)
setcontext(orig)

# Comparisons and hashing
print(Decimal("1.0") == 1, Decimal("0.5") == 0.5, Decimal(1) < 2, Decimal("-0") == 0, Decimal(3) > 2.5)
print(hash(Decimal("1.0")) == hash(1), hash(Decimal("0.5")) == hash(0.5), hash(Decimal(-1)), hash(Decimal("1e100")) == hash(10**100))
print(Decimal("nan") == Decimal("nan"), Decimal("nan") != 1, sorted([Decimal(3), Decimal("1.5"), Decimal(-2)]))
show("nan<1", lambda: Decimal("nan") < 1)
show("snan==1", lambda: Decimal("snan") == 1)
show("hash snan", lambda: hash(Decimal("snan")))
print(max(Decimal(1), Decimal(2)), Decimal(1).compare(2), Decimal(2).compare_total(Decimal("2.0")))

# Quantize, integral values, conversions
for x, q in [("1.23456", "0.01"), ("2.5", "1"), ("-2.5", "1"), ("123", "1E+1"), ("1E+30", "1")]:
    show("quantize %s %s" % (x, q), lambda: Decimal(x).quantize(Decimal(q)))
print(Decimal("2.675").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
print(Decimal("-3.7").to_integral_value(), Decimal("3.5").to_integral_exact(), Decimal("3.5").to_integral(ROUND_DOWN))
print(int(Decimal("-3.7")), round(Decimal("2.5")), round(Decimal("3.14159"), 2), float(Decimal("0.1")))
import math
print(math.floor(Decimal("-3.5")), math.ceil(Decimal("-3.5")), math.trunc(Decimal("-3.5")))
print(Decimal("1.5").as_integer_ratio(), Decimal("-0.75").as_integer_ratio(), Decimal(10).normalize(), Decimal("1.200").normalize())
show("int(nan)", lambda: int(Decimal("nan")))
show("int(inf)", lambda: int(Decimal("-inf")))
print(Decimal("1.0").is_zero(), Decimal("-0").is_signed(), Decimal("1E-1000000").is_subnormal(), Decimal("sNaN").is_snan())
print(Decimal(5).copy_negate(), Decimal(-5).copy_abs(), Decimal(5).copy_sign(Decimal(-1)), Decimal("1.00").same_quantum(Decimal("2.00")))
print(format(Decimal("1234567.891"), ",.2f"), format(Decimal("0.5"), "%"), "{:>10}".format(Decimal("3.5")))
print(Decimal(1).exp(), Decimal(10).ln(), Decimal(1000).log10(), Decimal(101).logical_and(Decimal(110)))

# Subclasses, pickling, signals hierarchy
class D(Decimal):
    pass
print(type(D("1.5")).__name__, D("1.5") + 1, isinstance(D(1), Decimal))
import pickle, copy
print(pickle.loads(pickle.dumps(Decimal("-1.5E+7"))), copy.copy(Decimal(2)), pickle.loads(pickle.dumps(Context(prec=7))))
print(issubclass(decimal.DivisionByZero, ZeroDivisionError), issubclass(FloatOperation, TypeError), decimal.Underflow.__mro__[1:4])
print(decimal.MAX_PREC, decimal.MIN_ETINY, decimal.__version__)

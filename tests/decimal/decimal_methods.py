# decimal's remaining methods: logical and digit operations, next_*,
# min/max, total ordering, fma, remainder_near, exp/ln/log10, format,
# Context methods, signal dicts and flags.
from decimal import (Decimal as D, Context, getcontext, localcontext,
                     InvalidOperation, Inexact, Rounded, DivisionByZero,
                     ROUND_UP, ROUND_DOWN)


def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)


c = Context(prec=9, traps=[])
print(c.logical_and(D("1101"), D("1011")), c.logical_or(1100, 1010), c.logical_xor(D(110), D(11)))
print(c.logical_invert(D(0)), c.logical_invert(D("101010")), c.logical_and(D(2), D(1)))
print(D("123456789").rotate(2, context=c), D("123456789").rotate(-2, context=c), D(34).rotate(8, context=c))
print(D("123456789").shift(2, context=c), D("123456789").shift(-2, context=c), D(34).shift(D("1.5"), context=c))
print(D("7.50").scaleb(3), D("7.50").scaleb(-2), D("inf").scaleb(3), D(250).logb(), D("0.03").logb())
show("logb(0)", lambda: D(0).logb())
print(c.next_plus(D(1)), c.next_minus(D(1)), c.next_plus(D("-1E-1007")), c.next_toward(D(1), D(2)), c.next_toward(D(1), D(0)))
print(c.next_plus(D("-Infinity")), c.next_minus(D("Infinity")), D(1).next_toward(D(1)))
print(D(3).max(D(2)), D(-3).max_mag(D(2)), D(-3).min(D(2)), D(1).min_mag(D(-2)), D("nan").max(D(5)), D(5).max(D("nan")))
print(D("1.0").max(D(1)), D(1).max(D("1.0")), D(-1).min(D("-1.0")))
for a, b in [("12.73", "127.9"), ("-127", "12"), ("12.30", "12.3"), ("NaN", "sNaN"), ("-NaN", "-sNaN"), ("sNaN2", "sNaN10"), ("inf", "NaN")]:
    print(a, b, D(a).compare_total(D(b)), D(a).compare_total_mag(D(b)))
print(D(2).fma(3, 5), D(-2).fma(3, D("1E-30")), c.fma(D("inf"), 2, 3))
show("fma inf*0", lambda: D("inf").fma(0, 1))
print(D(18).remainder_near(8), D(10).remainder_near(6), D(-10).remainder_near(3), D("10.2").remainder_near(1), D(1).remainder_near(D("inf")))
for x in ["0", "-0", "1E-1000000", "-inf", "NaN", "sNaN", "2.5", "-2.5E-999999"]:
    print(x, D(x).number_class(), D(x).is_normal(), D(x).is_finite())

print(D(1).exp(), D("2.5").ln(), D(2).log10(), D(100).log10(), D(0).exp(), D("-inf").exp())
with localcontext() as lc:
    lc.prec = 50
    print(D(2).sqrt(), D(3).exp(), D(7).ln())
print(D(2) ** D("0.5"), D(4) ** D("0.5"), pow(D(3), 4, 7), D(-8) ** 3, D("1.000") ** 3, D(10) ** -3)
show("(-8)**0.5", lambda: D(-8) ** D("0.5"))
show("0**0", lambda: D(0) ** 0)
for spec in ["", "f", ".3f", "e", ".2e", "g", ",", "+08.2f", "%", ".1%", ">12", "^12.3", "n"]:
    print(repr(spec), format(D("12345.6789"), spec), format(D("-0.000125"), spec))
show("bad format", lambda: format(D(1), "z"))

# Context operations and flags
c = Context(prec=6, rounding=ROUND_UP, traps=[])
print(c.add(1, D("0.0000001")), c.subtract(5, D("1E-10")), c.divide_int(17, 5), c.remainder(17, 5), c.divmod(17, 5))
print(c.power(2, 10), c.power(2, D("0.5")), c.sqrt(10), c.abs(-3), c.minus(3), c.plus(D("1.23456789")))
print(c.quantize(D("1.23456"), D("0.01")), c.to_integral_exact(D("2.5")), c.to_sci_string(D("1E+3")), c.to_eng_string(D("1E+4")))
print(c.compare(1, 2), c.copy_sign(D(1), D(-2)), c.same_quantum(D("1.0"), D("2.0")), c.is_zero(0), c.radix())
print(c.create_decimal("3.14159265"), c.create_decimal_from_float(0.1), c.Etiny(), c.Etop())
print(sorted(k.__name__ for k, v in c.flags.items() if v))
show("bad operand", lambda: c.add(1.5, 1))
show("create_decimal ws", lambda: Context().create_decimal(" 1"))
f = c.flags
f[Inexact] = False
print(f[Inexact], c.flags[Inexact], len(f), Inexact in f, 5 in f)
show("bad key", lambda: f[5])
c.clear_flags()
print(c, c.copy() == c)
c.traps[DivisionByZero] = True
show("trapped", lambda: c.divide(1, 0))
c.traps = {k: False for k in c.traps}
print(c.divide(1, 0), c.flags[DivisionByZero])
show("traps list", lambda: setattr(c, "traps", [InvalidOperation]))
print(Context(traps=[InvalidOperation], flags=[Inexact]))
with localcontext(Context(prec=3)) as lc:
    print(getcontext() is lc, getcontext().prec, D(1) / 3)
print(getcontext().prec)

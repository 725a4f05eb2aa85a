# math: the 3.11 functions, big ints, special values and error messages.
import math

def show(label, f, *args, **kw):
    try:
        r = f(*args, **kw)
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, repr(r))

inf, nan = math.inf, math.nan
print(math.pi, math.e, math.tau, math.inf, math.nan)
for x in [0.0, -0.0, 0.5, 1.0, 2.0, -1.0, 1e300, -1e-300, inf, -inf, nan, 10, 2**1100, -(2**70)]:
    show("cbrt" + repr((x,)), lambda x: "%.15g" % math.cbrt(x), x)
    show("erf" + repr((x,)), lambda x: "%.13g %.13g" % (math.erf(x), math.erfc(x)), x)
    for name in ["sqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
                 "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
                 "fabs", "ceil", "floor", "trunc", "isfinite", "isinf", "isnan",
                 "degrees", "radians", "frexp", "modf", "ulp"]:
        show(name + repr((x,)), getattr(math, name), x)

for a, b in [(1.0, 2.0), (-0.0, 0.0), (inf, 1.0), (nan, 1.0), (1e308, 10.0), (5, 3), (-5, 3), (5.5, -2),
             (0.0, -1.0), (inf, inf), (2, 0.5), (-8, 1 / 3), (0, -2), (2**1100, 2), (1.0, nan)]:
    for name in ["atan2", "copysign", "fmod", "remainder", "pow", "hypot", "nextafter", "ldexp" if isinstance(b, int) else "hypot", "log"]:
        show(name + repr((a, b)), getattr(math, name), a, b)

show("ldexp", math.ldexp, 1.0, 2**100)
show("ldexp", math.ldexp, 1.0, -2**100)
show("ldexp", math.ldexp, 1.0, 1.5)
show("isqrt", math.isqrt, 10**50)
show("isqrt", math.isqrt, -1)
show("isqrt", math.isqrt, 2.0)
show("isqrt", math.isqrt, True)
for n in [0, 1, 5, 20, 21, 100]:
    show("factorial", math.factorial, n)
show("factorial", math.factorial, -1)
show("factorial", math.factorial, 5.0)
show("factorial big", lambda: math.factorial(3000).bit_length())
show("gcd", math.gcd)
show("gcd", math.gcd, 12, 18, 27)
show("gcd", math.gcd, -4, 6)
show("gcd", math.gcd, 2**100, 2**60 * 3)
show("gcd", math.gcd, 1.0)
show("lcm", math.lcm)
show("lcm", math.lcm, 4, 6, 10)
show("lcm", math.lcm, 0, 5)
show("lcm", math.lcm, -4, 6)
for n, k in [(10, 3), (10, 0), (10, 11), (100, 50), (5, -1), (-5, 1), (10, None), (2**70, 2)]:
    show("comb", math.comb, n, k) if k is not None else None
    show("perm", math.perm, n, k)
show("comb", math.comb, 5.0, 2)
show("prod", math.prod, [1, 2, 3, 4])
show("prod", math.prod, [1.5, 2], start=2)
show("prod", math.prod, [])
show("prod", math.prod, ["a", 2])
show("prod", math.prod, [2**64, 2**64])
show("fsum", math.fsum, [0.1] * 10)
show("fsum", math.fsum, [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50])
show("fsum", math.fsum, [inf, -inf])
show("fsum", math.fsum, [inf, 1.0])
show("fsum", math.fsum, [1e308, 1e308])
show("fsum", math.fsum, [nan, 1.0])
show("dist", math.dist, (0, 0), (3, 4))
show("dist", math.dist, [1.0, 2.0, 3.0], [4.0, 6.0, 8.0])
show("dist", math.dist, (0,), (1, 2))
show("dist", math.dist, [0], (1,))
show("hypot", math.hypot)
show("hypot", math.hypot, 3, 4, 12)
show("hypot", math.hypot, inf, nan)
show("hypot", math.hypot, 1e308, 1e308)
show("isclose", math.isclose, 1.0, 1.0 + 1e-10)
show("isclose", math.isclose, 1.0, 1.1, rel_tol=0.2)
show("isclose", math.isclose, 1.0, 1.1, rel_tol=-1)
show("isclose", math.isclose, inf, inf)
show("isclose", math.isclose, 0.0, 1e-10, abs_tol=1e-9)
show("log", math.log, 2**10000)
show("log", math.log, 2**10000, 2)
show("log", math.log10, 10**400)
show("log", math.log2, 2**3000)
show("log", math.log, 0)
show("log", math.log, -(2**2000))
show("log", math.log, 8, 1)
show("log", math.log, 8, 0.5)
show("ulp", math.ulp, 5e-324)
show("ulp", math.ulp, 1.7976931348623157e308)
show("nextafter", math.nextafter, 0.0, -1.0)
show("nextafter", math.nextafter, 1.0, inf)
show("pow", math.pow, 0.0, -inf)
show("pow", math.pow, -1, inf)
show("pow", math.pow, 1, nan)
show("trunc", math.trunc, 3.7)
show("trunc", math.trunc, "x")
show("floor", math.floor, 1e300)
show("floor", math.floor, inf)
show("ceil", math.ceil, nan)
show("sqrt", math.sqrt, "x")
show("sqrt", math.sqrt, 2**2000)
show("exp", math.exp, 1000)
show("cbrt", lambda: "%.15g" % math.cbrt(-27))
show("exp2", math.exp2, 1025)
show("gamma", math.gamma, -1)
show("gamma", math.gamma, 0.5)
show("lgamma", math.lgamma, -1)
show("fmod", math.fmod, inf, 1)
show("remainder", math.remainder, 1, 0)
show("modf", math.modf, inf)
show("frexp", math.frexp, inf)
class F:
    def __float__(self): return 2.5
class I:
    def __index__(self): return 7
show("F", math.sqrt, F())
show("I", math.factorial, I())
show("I", math.sqrt, I())
class T:
    def __trunc__(self): return 42
    def __floor__(self): return 41
    def __ceil__(self): return 43
show("T", math.trunc, T())
show("T", math.floor, T())
show("T", math.ceil, T())

# gamma/lgamma: CPython's own Lanczos code; compared to 12 digits.
for x in [0.5, 1.0, 1.5, 2.0, 3.0, 4.5, 10.0, 23.0, 24.5, 100.3, 171.5, 171.7, 1e-25, -1e-25, -0.5, -1.5, -2.5,
          -10.3, -170.5, -200.5, 0.0, -0.0, -1.0, -2.0, 1e300, -1e300, inf, -inf, nan, 2**100]:
    for name in ("gamma", "lgamma"):
        try:
            r = getattr(math, name)(x)
        except Exception as e:
            print(name, x, type(e).__name__, e)
        else:
            print(name, x, "%.12g" % r)
for x in [0.0, -0.0, 0.1, 0.5, -0.5, 1.0, 2.0, 3.5, 6.0, -6.0, 30.0, inf, -inf, nan]:
    print("erf", x, "%.13g %.13g" % (math.erf(x), math.erfc(x)))

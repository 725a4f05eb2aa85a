# math functions whose results must be CPython's to the last bit (or within
# the few ulps CPython's own tests allow): acosh/atanh near 1, gamma and
# lgamma of negative and large arguments, correctly rounded hypot; and the
# rounding functions' use of __ceil__/__floor__/__trunc__ on float subclasses.
import math

for x in [1.0000000000000002, 1.001, 1.5, 2.0, 3.0, 1e10, 1e300]:
    print("acosh", x, repr(math.acosh(x)))
for x in [-0.9999999999999999, -0.5, -0.25, 1e-10, 0.3, 0.75, 0.9999999999999999]:
    print("atanh", x, repr(math.atanh(x)))
for x in [-171.5, -176.5, -63.349078729022985, -127.45117632943295, -0.5, -2.5, 0.5, 3.7, 24.5, 100.25, 171.5]:
    print("gamma", x, repr(math.gamma(x)))
for x in [-171.5, -2.5, -0.5, 0.5, 3.7, 100.25, 1e10]:
    print("lgamma", x, repr(math.lgamma(x)))
for hx, hy in [("0x1.10106eb4b44a2p+29", "0x1.ef0596cdc97f8p+29"), ("0x1.59dcebba995cap+30", "0x1.50ca7e7c38854p+29")]:
    print("hypot", repr(math.hypot(float.fromhex(hx), float.fromhex(hy))))
print(repr(math.hypot(3, 4, 12)), repr(math.dist((1, 2, 3), (4, 6, 15))))
for bad in [(math.acosh, 0.5), (math.atanh, 1.0), (math.atanh, -2.0), (math.gamma, -3.0), (math.lgamma, 0.0)]:
    try:
        bad[0](bad[1])
    except ValueError as e:
        print(bad[0].__name__, bad[1], "ValueError", e)


class F(float):
    def __ceil__(self):
        return "ceil"

    def __floor__(self):
        return "floor"

    def __trunc__(self):
        return "trunc"


class Plain(float):
    pass


print(math.ceil(F(1.5)), math.floor(F(1.5)), math.trunc(F(1.5)))
print(math.ceil(Plain(1.5)), math.floor(Plain(-1.5)), math.trunc(Plain(-1.5)))


class BadDescr:
    def __get__(self, obj, owner):
        raise ValueError("bound")


class Bad:
    __ceil__ = BadDescr()
    __floor__ = BadDescr()
    __trunc__ = BadDescr()


for f in (math.ceil, math.floor, math.trunc):
    try:
        f(Bad())
    except ValueError as e:
        print(f.__name__, "ValueError", e)
try:
    math.trunc(object())
except TypeError as e:
    print("TypeError", e)

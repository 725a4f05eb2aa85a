# Word-sized int floor division and modulo, and float powers, computed on
# the eval loop's fast paths: signs, zero divisors, the extremes of the
# machine word and overflow must behave as the generic protocol does.
import sys

vals = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 97, -97, 2**31, -(2**31), 2**62, -(2**62),
        2**63 - 1, -(2**63), 2**64, -(2**64)]
out = []
for x in vals:
    for y in vals:
        try:
            q = x // y
        except ZeroDivisionError as e:
            q = (type(e).__name__, str(e))
        try:
            r = x % y
        except ZeroDivisionError as e:
            r = (type(e).__name__, str(e))
        out.append((x, y, q, r))
        if not isinstance(q, tuple):
            assert q * y + r == x, (x, y, q, r)
print(len(out))
print(out[:40])
print(out[-40:])
print(-(2**63) // -1, -(2**63) % -1, type(-(2**63) // -1).__name__)
print(sys.maxsize // 7, -sys.maxsize // 7, sys.maxsize % -7)
x = 17
x //= -5
print(x)
x %= -3
print(x)
print(True // 2, True % 2, 7 // True, -7 % True)


class I(int):
    def __floordiv__(self, o):
        return "floordiv"

    def __mod__(self, o):
        return "mod"


print(I(7) // 2, I(7) % 2, 7 // I(2), 7 % I(2))

# Float powers.
for b in (2.0, 0.5, 1.0, 1e-300, 1e300, 10.0, 2, 3):
    for e in (0.5, 2.0, -1.5, 0.0, 3, 300.0, -300.0, 1e10, float("inf"), float("-inf"), float("nan")):
        try:
            print(b, e, b ** e)
        except (OverflowError, ZeroDivisionError) as ex:
            print(b, e, type(ex).__name__, ex)
for b in (-2.0, -8.0, 0.0, -0.0, float("inf"), float("-inf"), float("nan")):
    for e in (2.0, 0.5, -1.0, 3, 1 / 3):
        try:
            print(b, e, b ** e)
        except (OverflowError, ZeroDivisionError, ValueError) as ex:
            print(b, e, type(ex).__name__, ex)
y = 9.0
y **= 0.5
print(y, 2 ** 0.5, 2.0 ** -2)

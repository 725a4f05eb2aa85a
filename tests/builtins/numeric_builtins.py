print(abs(-5), abs(-5.5), abs(3 + 4j), divmod(7, 2), pow(2, 10), pow(2, 10, 1000), pow(2.0, 3), pow(4, 0.5))
print(round(3.14159, 3), round(7), min(3, 1, 2), max("abc", "b"), min([], default="empty"), max([1, 3, 2], key=lambda v: -v))
print(sum([1, 2, 3]), sum([0.1] * 10), sum([[1], [2]], []), sum(range(5), 100), sum([1, 2], start=10))
print(bin(10), oct(10), hex(10), chr(955), ord("λ"), int("ff", 16), float("2.5"), complex(1, 2))
print(bool(5), str(5), repr(5.0), ascii("ñ"), format(5, "03d"), len([1, 2]), len({"a": 1}))
print(any([]), all([]), any([0, 1]), all([1, 0]), callable(len), callable(5))
try:
    min()
except TypeError as e:
    print(e)
try:
    max([])
except ValueError as e:
    print(e)
try:
    sum(["a", "b"], "")
except TypeError as e:
    print(e)
import math
print(math.fsum([0.1] * 10), math.isclose(0.1 + 0.2, 0.3), math.pi, math.e, math.sqrt(2), math.log(100, 10), math.isqrt(10 ** 20 + 1))

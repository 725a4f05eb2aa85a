import math
inf, nan = float("inf"), float("nan")
print(math.isinf(inf), math.isnan(nan), math.isfinite(1.0), math.copysign(1, -0.0), math.fabs(-2))
print(inf > 10 ** 400, -inf < -(10 ** 400), float(2 ** 1023) * 2, 1e308 * 10)
print(max(nan, 1), min(1, nan), sorted([3.0, 1.0, 2.0]), math.fmod(-7, 3), -7 % 3.0)
print(math.frexp(8.0), math.ldexp(0.5, 4), math.modf(-2.5), 5e-324 / 2, 2.0 ** -1074)
print(float.__getformat__("double"), (0.1).__round__(), hash(inf), hash(-inf), hash(nan) == hash(nan))

for x in [0.1, 0.2 + 0.1, 1/3, 1e16, 1e15, 123456789.0, 1e-5, 1e-4, 0.0001234, 1e22, 2.5e-300, 5e-324, 1.7976931348623157e308]:
    print(repr(x), str(x))
print(-0.0, float("inf"), -float("inf"), float("nan"), float("-nan"))
print(1.0, 100.0, 1e100, 12345678901234567890.0)
print(float("  1.5  "), float("1e3"), float("Infinity"), float("-iNF"), float("1_000.5"))
try:
    float("1.2.3")
except ValueError as e:
    print(e)
print(float(10 ** 20), float(True))
try:
    float(10 ** 400)
except OverflowError as e:
    print(e)

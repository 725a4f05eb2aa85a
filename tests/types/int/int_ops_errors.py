for expr in ["1 / 0", "1 // 0", "1 % 0", "divmod(1, 0)", "2 ** -1 % 0", "pow(2, 3, 0)", "1 << -1"]:
    try:
        eval(expr)
    except (ZeroDivisionError, ValueError) as e:
        print(expr, "->", type(e).__name__, e)
try:
    1 + "a"
except TypeError as e:
    print(e)
try:
    "a" * 2.0
except TypeError as e:
    print(e)
print(10 ** 20 * 0, 0 ** 0, (-8) ** (1/3) == (-8) ** (1/3))

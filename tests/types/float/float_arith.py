print(0.1 + 0.2, 1.0 - 0.9, 3.0 * 1.1, 7.0 / 2, 7.0 // 2, 7.0 % 2, -7.0 // 2, -7.0 % 2, 7.5 % -2)
print(2.0 ** 0.5, (-8.0) ** 2, 2.0 ** -2, 10.0 ** 308 * 10)
print(divmod(7.5, 2), divmod(-7.5, 2))
try:
    1.0 / 0
except ZeroDivisionError as e:
    print(e)
try:
    1.0 % 0
except ZeroDivisionError as e:
    print(e)
try:
    10.0 ** 400
except OverflowError as e:
    print(e)
nan = float("nan")
print(nan == nan, nan != nan, nan < 1, [nan] == [nan], nan in [nan])
inf = float("inf")
print(inf - inf, inf * 0, -inf < 0 < inf, inf == inf)
print(abs(-0.0), -0.0 == 0.0, str(-0.0 * 1))

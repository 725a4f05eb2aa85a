print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(2.675, 2), round(1.005, 2), round(123.456, -1), round(123.456, 1), round(-0.5))
print(round(1e300, 2), round(5.5e-5, 5), type(round(2.5)), type(round(2.5, 0)))
print(round(float("inf"), 2))
try:
    round(float("nan"))
except ValueError as e:
    print(e)
try:
    round(float("inf"))
except OverflowError as e:
    print(e)
import math
print(math.floor(-1.5), math.ceil(-1.5), math.trunc(-1.5), int(-1.5))

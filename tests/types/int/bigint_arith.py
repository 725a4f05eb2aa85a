a = 2 ** 200
b = 3 ** 150
print(a)
print(a + b, a - b, a * b)
print(a // b, a % b, divmod(-a, b))
print(-a // 7, -a % 7)
print(a >> 100, a << 3, a & b, a | 1, a ^ b, ~a)
print(pow(3, 200, 10 ** 9 + 7), pow(2, -1, 7))
print((10 ** 40) // (10 ** 20), 10 ** 40 / 10 ** 20)
print(abs(-a) == a, -(-a) == a)
print(int("1" * 50) * 9 + 9)
print(2 ** 64 - 1, -(2 ** 63), 2 ** 63)
import math
print(math.factorial(30), math.gcd(2 ** 100, 6 ** 50))

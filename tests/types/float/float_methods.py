for x in [0.5, 0.1, -2.75, 1e100, 3.0, 0.0]:
    print(x.as_integer_ratio(), x.hex(), x.is_integer())
print(float.fromhex("0x1.8p1"), float.fromhex("-0x1p-1074"), float.fromhex("0x1.fffffffffffffp+1023"))
print(float.fromhex("inf"), float.fromhex(" 0x10 "))
print((2.5).conjugate(), (2.5).real, (2.5).imag)
try:
    float("inf").as_integer_ratio()
except OverflowError as e:
    print(e)
try:
    float("nan").as_integer_ratio()
except ValueError as e:
    print(e)
